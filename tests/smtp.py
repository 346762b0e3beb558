"""A real SMTP server for the mail tests (aiosmtpd), and a fixture that points the app at it."""

import socket
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller

from cotrack.extensions import mailman


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """An SMTP server on 127.0.0.1:port that keeps every message it receives; it can be
    stopped and started again on the same port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(BytesParser(policy=policy.default).parsebytes(envelope.content))
        return "250 OK"

    def start(self) -> "SmtpSink":
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp(app):
    """The session app sends through a real SMTP server for this test."""
    from cotrack.mail.settings import smtp_settings

    sink = SmtpSink().start()
    saved = {k: app.config.get(k) for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT",
                                            "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_USERNAME",
                                            "MAIL_PASSWORD")}
    app.config.update(smtp_settings(sink.url))
    mailman.init_app(app)
    yield sink
    sink.stop()
    app.config.update(saved)
    mailman.init_app(app)
