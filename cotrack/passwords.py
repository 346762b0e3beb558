"""Password hashing (argon2id) and the password policy.

Policy (NIST SP 800-63B): at least 12 characters, long ones accepted, no composition
rules, common and trivially guessable passwords refused (zxcvbn's list and estimator).
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 1024

_hasher = PasswordHasher()  # argon2id with the RFC 9106 low-memory parameters
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
# A hash of nothing anyone can type, verified against when the account does not exist,
# so an unknown email costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-password-anyone-has")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """The reason a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.lower() in _COMMON or len(set(password)) < 4:
        return "This password is too common; choose another."
    # zxcvbn is slow on very long input; a long passphrase passes on length alone.
    if len(password) < 40 and zxcvbn(password, user_inputs=list(user_inputs))["score"] < 2:
        return "This password is too easy to guess; try a longer phrase of unrelated words."
    return None
