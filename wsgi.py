"""WSGI entry point: ``gunicorn wsgi:app``. COTRACK_CONFIG selects default|production."""

import os

from cotrack import create_app

app = create_app(os.environ.get("COTRACK_CONFIG", "default"))
