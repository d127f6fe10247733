"""A logging filter that keeps identity numbers and phone numbers out of every log line."""

import logging
import re

from portal.registry.identity import mask_id_number, mask_phone

# Digit runs not embedded in longer numbers: an 18-character ID, an 11-digit mobile.
ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
PHONE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_traceback_formatter = logging.Formatter()


def redact(text: str) -> str:
    text = ID_IN_TEXT.sub(lambda match: mask_id_number(match.group(0)), text)
    return PHONE_IN_TEXT.sub(lambda match: mask_phone(match.group(0)), text)


class PersonalDataFilter(logging.Filter):
    """Rewrites a record with personal numbers masked, traceback included; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _traceback_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
