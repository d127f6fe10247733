"""The lean answer to POST /api/v1/learning/progress: what a phone sends every 15 s while a
video plays, answered without DRF and without the middleware below the session's and the
language's (ADR 0021).

It answers only what ProgressView would accept: a JSON batch of well-formed events from a
signed-in, active member whose CSRF token checks out. It answers it as ProgressView does,
through the same code: DRF's own CSRF check (``SessionAuthentication.enforce_csrf``), the
project's JSON parser, EventField's checks, ``progress_report`` and DRF's JSON renderer.
Anything else (no session, not a member, a missing or wrong token, another content type, a body
that does not parse or check) goes on through the whole stack to ProgressView, which refuses it
as before, with its status and its messages. ProgressView stays the URL's view, so the OpenAPI
schema describes what this URL answers.
"""

import functools
import io

from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, get_resolver
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ParseError, PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer

from portal.registry.api_parsers import DepthLimitedJSONParser
from portal.registry.backends import user_member

from .progress import MAX_EVENTS, EventField, ProgressView, progress_report

_SESSION = SessionAuthentication()
_PARSER = DepthLimitedJSONParser()
_EVENT = EventField()
_RENDERER = JSONRenderer()
_ALLOW = ", ".join(ProgressView().allowed_methods)  # ProgressView's own Allow header


class ProgressShortcutMiddleware:
    """Answers a progress POST that ``progress_lean`` takes; every other request goes on.

    It sits after the session and language middleware, whose work the answer needs (the
    session's cookie and its Vary header, the language of messages); the host is checked here,
    as CommonMiddleware would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info == _progress_path(settings.ROOT_URLCONF):
            response = progress_lean(request)
            if response is not None:
                return response
        return self.get_response(request)


@functools.cache
def _progress_path(urlconf: str) -> str | None:
    try:
        return "/" + get_resolver(urlconf).reverse("learning_progress")
    except NoReverseMatch:
        return None


def progress_lean(request: HttpRequest) -> HttpResponse | None:
    """ProgressView's answer to a batch it would accept; None for anything else."""
    member = _member(request)
    if member is None:
        return None
    events = _events(request)
    if events is None:
        return None
    content = _RENDERER.render(progress_report(member, events))
    response = HttpResponse(content, content_type="application/json")
    response.headers["Allow"] = _ALLOW
    response.headers["Content-Length"] = str(len(content))
    return response


def _member(request: HttpRequest):
    """The signed-in member, if the host is allowed and the CSRF check passes as DRF's would."""
    try:
        request.get_host()
    except DisallowedHost:
        return None
    user = get_user(request)  # kept on the request for AuthenticationMiddleware
    if not (user.is_authenticated and user.is_active):
        return None
    try:
        _SESSION.enforce_csrf(request)
    except PermissionDenied:
        return None
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None  # a cookie to set: CsrfViewMiddleware's work
    return user_member(user)


def _events(request: HttpRequest) -> list[dict] | None:
    """The batch's events as ProgressBatchSerializer validates them; None if it would not."""
    if request.content_type != "application/json":
        return None
    try:
        body = request.body  # kept: ProgressView reads it again if this gives up
    except RequestDataTooBig:
        return None
    context = {"encoding": request.encoding or settings.DEFAULT_CHARSET}
    try:
        data = _PARSER.parse(io.BytesIO(body), "application/json", context)
    except (ParseError, LookupError):  # LookupError: a charset Python does not know
        return None
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_EVENTS:
        return None
    try:
        return [_EVENT.to_internal_value(event) for event in events]
    except ValidationError:
        return None
