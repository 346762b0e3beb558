"""Brute-force protection for signing in and for the profile's current-password check.

Ten wrong passwords used to lock an account for everyone, so anyone could lock out anyone
(the admin included). Following OWASP ASVS 5.0 chapter 6 (V6.1.1, V6.3.1: stop password
guessing and credential stuffing without a lever for malicious lock-out), the limits are:

1. **Per (account, address)**: ``SIGNIN_LIMIT_PER_ACCOUNT_ADDRESS`` failed sign-ins (10
   per 15 minutes) for one email from one address, then that pair is refused until the
   window ends. An attacker who fails from address A locks only A out of that account;
   the person signing in from address B is not affected.
2. **Per address**: ``SIGNIN_LIMIT_PER_ADDRESS`` failures (30 per 15 minutes) from one
   address over all accounts: one machine cannot spray a password over many accounts.
3. **Per account, from all addresses, a ceiling that slows and never locks**: after
   ``SIGNIN_ACCOUNT_SLOWDOWN_AFTER`` failures (20 an hour, more than one address may fail
   alone) every further failure makes the next attempt on that account wait 1 s, 2 s,
   4 s, ... at most ``SIGNIN_ACCOUNT_MAX_DELAY`` (60 s). An attempt during the wait is
   answered 429 with ``Retry-After`` and the password is not checked. An attacker with
   any number of addresses gets about 80 guesses an hour at the account; the person,
   from a new address, waits at most a minute for a try.
4. **Known addresses skip (3)**: an address from which the account signed in during
   the last ``SIGNIN_KNOWN_ADDRESS_SECONDS`` (30 days) is spared the account's slow-down
   (it keeps limits 1 and 2), so an attack from elsewhere does not slow the person down
   on their usual networks (OWASP's "device cookie" idea, keyed on the address).
5. **The profile's current-password check**: ``PROFILE_CHECK_LIMIT`` wrong current
   passwords (5 per 15 minutes) per sign-in session, so a stolen session cannot guess the
   password; the person's other sessions keep their own count.

Only attempts whose password was checked and wrong count; a refused attempt costs no
argon2 time and counts nowhere. A success clears that pair's count. Counters are
fixed windows in Flask-Limiter's storage (the database shared by all workers, or Redis),
keyed by a SHA-256 of the email, never the email itself. The address is
``request.remote_addr``: behind a reverse proxy, set ``COTRACK_PROXY_FIX_X_FOR`` so it is
the client's (otherwise every client shares the proxy's address and its limit).
"""

import time
from math import ceil

from flask import current_app, request
from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from cotrack.domain.tokens import digest
from cotrack.extensions import db, limiter


def _storage():
    """The counters, once the request's own transaction has ended.

    The counters' connection is not the request's: on SQLite the request's transaction
    holds the database's only write lock (BEGIN IMMEDIATE), and the counters would wait
    for it until the busy timeout. Every call here comes before the request has written
    anything or after its attempt failed, so ending the transaction loses nothing.
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("sign-in counters touched with unsaved changes in the session")
    db.session.rollback()
    return limiter.storage


def _item(setting: str) -> RateLimitItem:
    return parse(current_app.config[setting])


def _account(email: str) -> str:
    return digest((email or "").strip().lower())[:32]


def _address() -> str:
    return request.remote_addr or "unknown"


def _refuse(reset_at: float):
    raise TooManyRequests(retry_after=max(1, ceil(reset_at - time.time())))


def _windows(account: str, address: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    return [
        (_item("SIGNIN_LIMIT_PER_ADDRESS"), ("signin-address", address)),
        (_item("SIGNIN_LIMIT_PER_ACCOUNT_ADDRESS"), ("signin-pair", account, address)),
    ]


def _wait_key(account: str) -> str:
    return f"LIMITER/signin-wait/{account}"


def _known_key(account: str, address: str) -> str:
    return f"LIMITER/signin-known/{account}/{address}"


def check_signin(email: str) -> None:
    """Raise 429 (with Retry-After) if this attempt must not be checked now."""
    account, address = _account(email), _address()
    storage = _storage()
    strategy = FixedWindowRateLimiter(storage)
    for item, ids in _windows(account, address):
        if not strategy.test(item, *ids):
            _refuse(strategy.get_window_stats(item, *ids).reset_time)
    if storage.get(_wait_key(account)) and not storage.get(_known_key(account, address)):
        _refuse(storage.get_expiry(_wait_key(account)))


def signin_failed(email: str) -> None:
    account, address = _account(email), _address()
    storage = _storage()
    strategy = FixedWindowRateLimiter(storage)
    for item, ids in _windows(account, address):
        strategy.hit(item, *ids)
    ceiling = _item("SIGNIN_ACCOUNT_SLOWDOWN_AFTER")
    failures = storage.incr(ceiling.key_for("signin-account", account), ceiling.get_expiry())
    beyond = failures - ceiling.amount
    if beyond >= 0:
        delay = min(2 ** min(beyond, 16), current_app.config["SIGNIN_ACCOUNT_MAX_DELAY"])
        storage.clear(_wait_key(account))
        storage.incr(_wait_key(account), delay)


def signin_succeeded(email: str) -> None:
    account, address = _account(email), _address()
    storage = _storage()
    FixedWindowRateLimiter(storage).clear(
        _item("SIGNIN_LIMIT_PER_ACCOUNT_ADDRESS"), "signin-pair", account, address)
    storage.clear(_known_key(account, address))  # a new window: known for the full period
    storage.incr(_known_key(account, address), current_app.config["SIGNIN_KNOWN_ADDRESS_SECONDS"])


def check_password_check(session_token: str) -> None:
    """Raise 429 if this sign-in session has guessed its current password too often."""
    item, key = _item("PROFILE_CHECK_LIMIT"), digest(session_token)[:32]
    strategy = FixedWindowRateLimiter(_storage())
    if not strategy.test(item, "password-check", key):
        _refuse(strategy.get_window_stats(item, "password-check", key).reset_time)


def password_check_failed(session_token: str) -> None:
    item = _item("PROFILE_CHECK_LIMIT")
    FixedWindowRateLimiter(_storage()).hit(item, "password-check", digest(session_token)[:32])


def check_reset_request(email: str) -> bool:
    """"Forgot password?": 429 when this address asked too often; False (send nothing,
    answer the same) when this account was asked for too often; True to go ahead. Every
    request counts, whether or not the account exists (nothing to learn from it)."""
    storage = FixedWindowRateLimiter(_storage())
    address_item = _item("RESET_LINK_LIMIT_PER_ADDRESS")
    address = ("reset-address", _address())
    if not storage.hit(address_item, *address):
        _refuse(storage.get_window_stats(address_item, *address).reset_time)
    return storage.hit(_item("RESET_LINK_LIMIT_PER_ACCOUNT"), "reset-account",
                       _account(email))
