"""Security headers on every response, and no-store on every authenticated one.

Caching rule: a response to a request that carries credentials (a sign-in session, the
remember-me cookie, or an ``Authorization`` header) gets ``Cache-Control: no-store``, so
no browser or proxy keeps revenue, profiles, exports or API JSON. A view that sets its own
``Cache-Control`` keeps it (static files answer with ``no-cache`` and their ETag, as
before); anonymous pages (the sign-in page) are left as they were.
"""

from flask import Flask, current_app, request, session

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def register(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if "Cache-Control" not in headers and carries_credentials():
            headers["Cache-Control"] = "no-store"
        return response


def carries_credentials() -> bool:
    """The request is (or claims to be) signed in or authenticated by a token.

    Decided from the request alone, without loading the user (an error page may be answered
    before the user is loaded); a rejected credential only makes no-store harmless.
    """
    if "Authorization" in request.headers or session.get("_user_id"):
        return True
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
