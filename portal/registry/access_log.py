"""Gunicorn's access log with ID and phone numbers masked, as ``portal.registry.logging``
masks them in the application's own log: an admin chooser's ``?q=13812345678``, a referer or
a path carrying a number reach the log as ``138****5678``.

Configured by ``gunicorn.conf.py`` (``logger_class``), which gunicorn reads from the working
directory."""

import re
from urllib.parse import unquote_plus

from gunicorn.glogging import Logger

from portal.registry.logging import redact

# A mobile number typed with spaces or hyphens ("138 1234 5678"), once percent-decoded.
SPACED_PHONE = re.compile(r"(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")


def _unspaced(match: re.Match) -> str:
    return re.sub(r"[\s-]", "", match.group(0))


def access_value_mask(value):
    """The value unchanged if it holds no number, else decoded, masked and printable."""
    if not isinstance(value, str):
        return value
    decoded = SPACED_PHONE.sub(_unspaced, unquote_plus(value))
    masked = redact(decoded)
    if masked == decoded:
        return value
    # Decoding may have produced control characters: never let them split a log line.
    return "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in masked)


class MaskingLogger(Logger):
    """Every atom of an access-log line (request line, path, query, referer, headers,
    environ) passes through ``access_value_mask``."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: access_value_mask(value) for key, value in atoms.items()}
