"""The ledger key: the secret outside the database that keys the hash chain and signs
statements (config LEDGER_KEY, from COTRACK_LEDGER_KEY or instance/ledger_key)."""

from flask import Flask, current_app, has_app_context

#: the key of the app made last, for code running outside an app context (services
#: called directly by tests and scripts); inside one, the app's own config decides
_outside_context: dict[str, str | None] = {"key": None}


class MissingLedgerKey(RuntimeError):
    pass


def ledger_key() -> bytes:
    key = (current_app.config.get("LEDGER_KEY") if has_app_context()
           else _outside_context["key"])
    if not key:
        raise MissingLedgerKey(
            "No ledger key: set COTRACK_LEDGER_KEY or write one to instance/ledger_key "
            "(make run does). The ledger's hashes are keyed with it.")
    return key.encode() if isinstance(key, str) else key


def init_app(app: Flask) -> None:
    _outside_context["key"] = app.config.get("LEDGER_KEY")
