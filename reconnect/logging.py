"""Keep secrets out of the logs.

Request logs name the path, and some paths carry a secret: an invitation token, a
password-reset token, the link that stops reminders. Every log record is blanked
of them as it is made, whichever logger or handler it then goes to.
"""

from __future__ import annotations

import logging
import re

# The slashes as they are, or percent-encoded (as in a `next=` address).
_SLASH = r"(?:/|%2F)"
SECRET_PATHS = re.compile(
    rf"((?:{_SLASH}journal{_SLASH}invitations|{_SLASH}accounts{_SLASH}password{_SLASH}reset"
    rf"{_SLASH}key|{_SLASH}accounts{_SLASH}confirm-email|{_SLASH}reminders{_SLASH}stop)"
    rf"{_SLASH})[^\s\"'?&]+",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    return SECRET_PATHS.sub(r"\1[redacted]/", text)


def install() -> None:
    """Make every log record through `redact` (once, however often it is called)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacts", False):
        return

    def redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return record

    redacted_record.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacted_record)
