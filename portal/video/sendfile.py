"""The ``SENDFILE_BACKEND`` of Wagtail's document view (``WAGTAILDOCS_SERVE_METHOD =
"serve_view"``): once Wagtail has applied the collection's privacy, the proxy sends the file
when ``MEDIA_ACCEL_REDIRECT_PREFIX`` is set, and Wagtail's streaming backend otherwise."""

from pathlib import Path

from wagtail.utils import sendfile_streaming_backend

from portal.video.serving import accel_redirect


def sendfile(request, filename, mimetype: str = "application/octet-stream", **kwargs):
    response = accel_redirect(Path(filename), mimetype) or sendfile_streaming_backend.sendfile(
        request, filename, mimetype=mimetype, **kwargs
    )
    # Read as the collection's privacy allows: no shared cache may keep it for others.
    response["Cache-Control"] = "private"
    return response
