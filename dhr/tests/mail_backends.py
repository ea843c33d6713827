"""Stand-ins for the mail server, which is outside the system: one that refuses every message,
and one that is slow and writes each message to a folder (so a test can kill a process in the
middle of a run and count what went out)."""

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowFolderBackend(BaseEmailBackend):
    """Writes each message to $MAIL_SINK_DIR, taking $MAIL_SINK_DELAY seconds a message."""

    def send_messages(self, email_messages):
        folder = Path(os.environ["MAIL_SINK_DIR"])
        for message in email_messages:
            time.sleep(float(os.environ.get("MAIL_SINK_DELAY", "0")))
            name = f"{time.monotonic_ns()}-{os.getpid()}"
            # Written aside, then renamed: a message is in the folder whole or not at all.
            (folder / f".{name}.part").write_bytes(message.message().as_bytes())
            os.replace(folder / f".{name}.part", folder / f"{name}.eml")
        return len(email_messages)
