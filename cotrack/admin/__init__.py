"""Administration: organisations and user accounts."""

from flask import Blueprint

from cotrack.admin import mail, views

bp = Blueprint("admin", __name__)
bp.before_request(views.admins_only)

# views.py
bp.add_url_rule("/organisations", view_func=views.organisations)
bp.add_url_rule("/organisations/new", view_func=views.organisation, methods=["GET", "POST"])
bp.add_url_rule("/organisations/<id:org_id>", view_func=views.organisation, methods=["GET", "POST"])
bp.add_url_rule("/users", view_func=views.users)
bp.add_url_rule("/users/new", view_func=views.new_user, methods=["GET", "POST"])
bp.add_url_rule("/users/<id:user_id>", view_func=views.edit_user, methods=["GET", "POST"])
bp.add_url_rule("/users/<id:user_id>/password", view_func=views.reset_password, methods=["POST"])

# mail.py
bp.add_url_rule("/mail", view_func=mail.mails)
bp.add_url_rule("/mail/<path:name>", view_func=mail.eml_file)
