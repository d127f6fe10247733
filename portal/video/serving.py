"""Uploaded media served with HTTP Range support, in every run mode.

Phone browsers (Safari on iPhone above all) ask for videos in byte ranges and will not play or
seek one served whole. Django's ``static.serve`` ignores ``Range`` and is meant for DEBUG only;
WhiteNoise serves only files present when it starts. See docs/adr/0005-media-range-serving.md.

- No ``Range``: 200 with the whole file and ``Accept-Ranges: bytes``.
- One range (``bytes=a-b``, ``bytes=a-``, ``bytes=-n``): 206 with exactly those bytes.
- Several ranges: the whole file with 200 (the standard lets a server ignore ``Range``;
  browsers ask for one range at a time).
- A range that starts past the end: 416 with ``Content-Range: bytes */size``.
- A malformed ``Range``, or an ``If-Range`` that no longer matches: the whole file with 200.
- ``ETag`` and ``Last-Modified`` are sent; conditional requests get 304 or 412 from Django's
  own ``get_conditional_response``.

Private media: before any byte is sent, ``selectors.media_file_readable`` decides whether the
reader may have the file (a video as its pages' privacy allows, a poster frame as its video,
documents and job files never here); a refusal is a 404, so a URL tells nobody what exists.
With ``MEDIA_ACCEL_REDIRECT_PREFIX`` set (production behind nginx), the checked answer carries
``X-Accel-Redirect`` and no body, and the proxy sends the bytes, ranges and all, from an
``internal`` location (docs/deployment.md).
"""

import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from portal.video.selectors import CHECKED_FOLDERS, media_file_readable

# The types phones care about, whatever the system's mime.types says.
CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
}
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
BLOCK_SIZE = 64 * 1024


class RangeFile:
    """A file object that reads ``length`` bytes from ``start`` and then reports the end.

    It has no ``fileno``, so a WSGI server's sendfile cannot run past the range.
    """

    def __init__(self, path: Path, start: int, length: int):
        self._file = path.open("rb")
        self._file.seek(start)
        self._left = length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size is None or size < 0 else min(size, self._left)
        data = self._file.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._file.close()


def _media_file(request, path: str) -> tuple[Path, str]:
    """The file under MEDIA_ROOT that ``path`` names and its name there, if this reader may
    have it; 404 for anything else."""
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = Path(safe_join(str(root), path)).resolve()
    except (SuspiciousFileOperation, ValueError, OSError) as exc:
        raise Http404 from exc
    if not full.is_relative_to(root) or not full.is_file():
        raise Http404
    name = full.relative_to(root).as_posix()
    if not media_file_readable(request, name):
        raise Http404
    return full, name


def accel_redirect(path: Path, content_type: str) -> HttpResponse | None:
    """The proxy's answer for a checked file (``MEDIA_ACCEL_REDIRECT_PREFIX`` set), else None:
    headers only; nginx serves the bytes, with ranges, from its ``internal`` location."""
    prefix = settings.MEDIA_ACCEL_REDIRECT_PREFIX
    if not prefix:
        return None
    name = path.resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(name)}"
    return response


def _content_type(path: Path) -> str:
    content_type, encoding = mimetypes.guess_type(path.name)
    if encoding:  # a .gz is sent as it is stored, never to be unpacked by the browser
        return "application/octet-stream"
    return CONTENT_TYPES.get(path.suffix.lower()) or content_type or "application/octet-stream"


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """The one range ``header`` asks for as (first, last) byte positions, clamped to the file.

    ``None``: serve the whole file (no header, a malformed one, or several ranges).
    ``False``: the range cannot be satisfied.
    """
    match = RANGE_RE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # bytes=-n: the last n bytes
        length = int(last)
        return (max(size - length, 0), size - 1) if length and size else False
    first = int(first)
    if last and int(last) < first:
        return None
    if first >= size:
        return False
    end = min(int(last), size - 1) if last else size - 1
    return first, end


def _etag(stat: os.stat_result) -> str:
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def _if_range_matches(request, etag: str, mtime: int) -> bool:
    value = request.META.get("HTTP_IF_RANGE")
    if not value:
        return True
    if value.startswith('"'):
        return value == etag
    return parse_http_date_safe(value) == mtime


def serve(request, path: str):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    full, name = _media_file(request, path)
    response = accel_redirect(full, _content_type(full)) or _range_response(request, full)
    if name.split("/", 1)[0] in CHECKED_FOLDERS:
        # Read as the reader's rights allow: no shared cache may keep it for others.
        response["Cache-Control"] = "private"
    return response


def _range_response(request, full: Path):
    stat = full.stat()
    etag, mtime = _etag(stat), int(stat.st_mtime)
    response = get_conditional_response(request, etag=etag, last_modified=mtime)
    if response is not None:
        return response
    size = stat.st_size
    wanted = None
    if "HTTP_RANGE" in request.META and _if_range_matches(request, etag, mtime):
        wanted = parse_range(request.META["HTTP_RANGE"], size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = _file_response(request, full, 0, size, status=200)
    else:
        first, last = wanted
        response = _file_response(request, full, first, last - first + 1, status=206)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(mtime)
    return response


def _file_response(request, path: Path, start: int, length: int, *, status: int):
    content_type = _content_type(path)
    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    elif status == 200:
        response = FileResponse(path.open("rb"), content_type=content_type)
    else:
        response = FileResponse(RangeFile(path, start, length), content_type=content_type)
        response.block_size = BLOCK_SIZE
    response.status_code = status
    response["Content-Length"] = str(length)
    return response
