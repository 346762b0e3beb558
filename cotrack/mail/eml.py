"""A Flask-Mailman backend that writes each message as one ``.eml`` file (no MAIL_URL)."""

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask_mailman.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or self.mailman.file_path)

    def send_messages(self, messages) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            self._write(message.message().as_bytes(linesep="\r\n"))
        return len(messages)

    def _write(self, data: bytes) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, self.folder / f"{stamp}-{os.getpid()}.eml")


def listing(folder: str, limit: int = 200) -> list[Path]:
    """The newest ``.eml`` files of the folder, newest first."""
    path = Path(folder)
    if not path.is_dir():
        return []
    return sorted(path.glob("*.eml"), key=lambda p: p.name, reverse=True)[:limit]
