"""Signing in and out, the profile (preferences, password, API tokens)."""

from flask import Blueprint

from cotrack.auth import views

bp = Blueprint("auth", __name__)

# views.py
bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/forgot", view_func=views.forgot_password, methods=["GET", "POST"])
bp.add_url_rule("/reset/<token>", view_func=views.reset_password, methods=["GET", "POST"])
bp.add_url_rule("/profile", view_func=views.profile, methods=["GET", "POST"])
bp.add_url_rule("/profile/preferences", view_func=views.preferences, methods=["POST"])
bp.add_url_rule("/profile/email", view_func=views.email_preferences, methods=["POST"])
bp.add_url_rule("/profile/tokens", view_func=views.create_token, methods=["POST"])
bp.add_url_rule("/profile/tokens/<id:token_id>/revoke",
                 view_func=views.revoke_token, methods=["POST"])
