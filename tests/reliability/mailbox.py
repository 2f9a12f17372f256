"""A tests-only email backend for the worker: one file per message in EMAIL_FILE_PATH. While the
file named by TEST_SLOW_MAIL_FLAG exists, each send first sleeps, so a test can kill the worker
in the middle of a send."""

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

SLOW_SECONDS = 30


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        flag = os.environ.get("TEST_SLOW_MAIL_FLAG")
        if flag and Path(flag).exists():
            time.sleep(SLOW_SECONDS)
        folder = Path(settings.EMAIL_FILE_PATH)
        for message in email_messages:
            # Written under a temporary name, then renamed: the test never counts half a file.
            part = folder / f".{uuid.uuid4().hex}.tmp"
            part.write_bytes(message.message().as_bytes())
            part.rename(part.with_name(part.name[1:-4] + ".eml"))
        return len(email_messages)
