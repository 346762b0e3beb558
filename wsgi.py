"""WSGI entry point: ``gunicorn wsgi:app``. COTRACK_CONFIG selects default|production."""

import gc
import os

from cotrack import create_app

app = create_app(os.environ.get("COTRACK_CONFIG", "default"))

# What the app built at start (models, mappers, compiled templates, the route map) lives
# as long as the worker: moved out of the collector's reach, a full collection no longer
# walks it, which had held a request up to 130 ms now and then (bench/README.md).
gc.collect()
gc.freeze()
