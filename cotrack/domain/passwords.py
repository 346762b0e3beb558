"""Password hashing (argon2id) and the password policy.

Hashing: argon2id with the parameters in the app's configuration (``ARGON2_TIME_COST``,
``ARGON2_MEMORY_COST``, ``ARGON2_PARALLELISM``; production uses argon2-cffi's RFC 9106
low-memory profile). ``init_app`` builds the hasher from them; nothing is hashed at import.
A stored hash with other parameters is re-hashed at the next successful sign-in
(``needs_rehash``), so a cheap hash can never stay in use under the production setting.

Policy (NIST SP 800-63B): at least 12 characters, long ones accepted, no composition
rules; refused are common passwords, passwords of fewer than four distinct characters,
passwords containing the person's name, email address or its local part, passwords that
only repeat a pattern (judged by the pattern alone: ``abcd`` ten times is ``abcd``), and
anything zxcvbn rates too easy to guess. zxcvbn looks at the first ``ESTIMATE_WINDOW``
characters only (its cost grows quickly with length, and it refuses more than 72); the
repetition and variety checks cover the whole password.
"""

import re
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, has_app_context
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 1024
#: characters of a password zxcvbn estimates (bounded cost, about 30 ms at most)
ESTIMATE_WINDOW = 64
#: parts of a name or email shorter than this are not looked for in a password
MIN_PERSONAL_PART = 3

_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
_PARTS = re.compile(r"[^\W_]+")  # runs of letters and digits


class Hasher(PasswordHasher):
    """argon2id with the configured parameters, and a dummy hash made with them."""

    @cached_property
    def dummy_hash(self) -> str:
        # Verified against when the account does not exist, so an unknown email costs as
        # much time as a wrong password. Made on first use, with this app's parameters.
        return self.hash("not-a-password-anyone-has")


_latest: Hasher | None = None


def init_app(app: Flask) -> None:
    global _latest
    _latest = app.extensions["password_hasher"] = Hasher(
        time_cost=app.config["ARGON2_TIME_COST"],
        memory_cost=app.config["ARGON2_MEMORY_COST"],
        parallelism=app.config["ARGON2_PARALLELISM"],
    )


def _hasher() -> Hasher:
    """The app's hasher; outside an app context (tests, scripts), that of the app created
    last, as Flask-Limiter's storage and the session are (one app per process in use)."""
    if has_app_context():
        return current_app.extensions["password_hasher"]
    if _latest is None:
        raise RuntimeError("create the app before hashing passwords")
    return _latest


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or hasher.dummy_hash, password) \
            and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """The reason a new password is refused, or None when it is acceptable.

    ``user_inputs`` are the account's name and email address (an input with ``@`` is
    taken as an email address).
    """
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.lower() in _COMMON or len(set(password)) < 4:
        return "This password is too common; choose another."
    personal = personal_parts(user_inputs)
    lowered = password.lower()
    if any(part in lowered for part in personal):
        return "Do not use your name or email address in your password."
    unit = repeated_unit(password)
    if unit is not None and len(unit) < MIN_LENGTH:
        return "This password repeats a short pattern, which makes it too easy to guess."
    if _too_easy(unit or password, personal):
        return "This password is too easy to guess; try a longer phrase of unrelated words."
    return None


def _too_easy(password: str, personal: set[str]) -> bool:
    return zxcvbn(password[:ESTIMATE_WINDOW], user_inputs=sorted(personal))["score"] < 2


def personal_parts(user_inputs: tuple[str, ...]) -> set[str]:
    """Lower-cased strings of a name and email that a password must not contain."""
    parts = set()
    for text in user_inputs:
        text = (text or "").strip().lower()
        if "@" in text:
            local = text.rpartition("@")[0]
            parts.update((text, local))
            text = local  # the domain's parts ("example", "com") are not personal
        parts.update(_PARTS.findall(text))
    return {part for part in parts if len(part) >= MIN_PERSONAL_PART}


def repeated_unit(password: str) -> str | None:
    """The shortest pattern the password only repeats (``abcd`` for ``abcdabcdab``), or None.

    Knuth-Morris-Pratt's failure function gives the shortest period in linear time.
    """
    border = [0] * len(password)
    k = 0
    for i in range(1, len(password)):
        while k and password[i] != password[k]:
            k = border[k - 1]
        if password[i] == password[k]:
            k += 1
        border[i] = k
    period = len(password) - border[-1]
    return password[:period] if period * 2 <= len(password) else None
