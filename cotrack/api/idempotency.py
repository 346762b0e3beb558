"""Idempotency-Key (API.md) for the API's money writes.

Like every view, one decorated with :func:`idempotent` builds its answer before anything is
committed (cotrack.web.request_path commits once, after it). So a committed write is never
followed by a failure to describe it, and a client whose connection broke can send the
request again with the same ``Idempotency-Key``: within 24 hours the same key with the same
request answers the first answer again without writing, the same key with another request
is 422.

The key is claimed (inserted) before the view runs, in the view's own transaction: a second
request with the same key waits at the unique index until the first commits (PostgreSQL;
SQLite serialises writers anyway) and then answers the stored answer. Only successful
answers are kept; a refused request writes nothing, its key included.
"""

import hashlib
from datetime import timedelta
from functools import wraps

from flask import request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from cotrack.api.auth import api_user
from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import IdempotencyKey
from cotrack.web.errors import json_error

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 200


def idempotent(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            return json_error(422, "Send an Idempotency-Key of 1 to 200 printable characters.",
                              {HEADER: "1 to 200 printable ASCII characters"})
        user_id, fingerprint = api_user().id, _fingerprint()
        stored = _stored(user_id, key)
        if stored is not None:
            return _replay(stored, fingerprint)
        claim = IdempotencyKey(user_id=user_id, key=key, fingerprint=fingerprint)
        try:
            db.session.add(claim)
            db.session.flush()
        except IntegrityError:  # the same key, sent again while the first was running
            db.session.rollback()
            return _replay(_stored(user_id, key), fingerprint)
        body, status = view(*args, **kwargs)
        if 200 <= status < 300:  # kept with the write it describes, in its transaction
            claim.status, claim.body = status, body
        return body, status
    return wrapper


def _stored(user_id: int, key: str) -> IdempotencyKey | None:
    db.session.execute(delete(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.created_at < utcnow() - KEPT_FOR))
    return db.session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key))


def _replay(stored: IdempotencyKey | None, fingerprint: str):
    if stored is None or stored.status is None:
        return json_error(409, "A request with this Idempotency-Key is still being handled; "
                               "send it again in a moment.", {HEADER: "in use"})
    if stored.fingerprint != fingerprint:
        return json_error(422, "This Idempotency-Key was used with a different request.",
                          {HEADER: "used with a different request"})
    return stored.body, stored.status, {"Idempotent-Replayed": "true"}


def _fingerprint() -> str:
    """The request as the client meant it: for a file upload, the fields and each file's
    content, not the multipart boundary a client chooses afresh on every attempt."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.mimetype == "multipart/form-data":
        # a part whose name the parser cannot read (none given, or a line break in it) has
        # the name None; it still counts, as a nameless part
        for name, value in sorted(request.form.items(multi=True),
                                  key=lambda i: (i[0] or "", i[1])):
            digest.update(f"{name}={value}\n".encode())
        for name, upload in sorted(request.files.items(multi=True), key=lambda i: i[0] or ""):
            digest.update(f"{name}:{upload.filename}:".encode())
            digest.update(hashlib.sha256(upload.stream.read()).digest())
            upload.stream.seek(0)
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()
