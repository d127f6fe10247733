"""Uploaded media served with HTTP Range support, in development and in production settings,
so phone browsers can play and seek videos."""

import os

import pytest
from django.test import override_settings
from django.utils.http import http_date

from portal.video.serving import parse_range

from . import helpers as video_helpers

# Fixtures shared by the video, media and submission tests.
media_root = video_helpers.media_root

SIZE = 10_000
BODY = bytes(n % 251 for n in range(SIZE))
# A folder no record owns is served to anyone as before; videos, images and documents are
# checked or refused (tests/portal/video/test_private_media.py).
URL = "/media/uploads/2026/11/lecture.mp4"


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def served(request, media_root, client):
    """A 10,000-byte file under MEDIA_ROOT, served with DEBUG on and off."""
    path = media_root / "uploads" / "2026" / "11" / "lecture.mp4"
    path.parent.mkdir(parents=True)
    path.write_bytes(BODY)
    with override_settings(DEBUG=request.param):
        yield path


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_without_range_the_whole_file_and_accept_ranges(client, served):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(SIZE)
    assert response["ETag"] and response["Last-Modified"]
    assert response.streaming and _body(response) == BODY


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        ("bytes=9990-20000", 9990, SIZE - 1),
        ("bytes=0-0", 0, 0),
        ("bytes=-20000", 0, SIZE - 1),
    ],
)
def test_one_range_gets_206_with_exactly_those_bytes(client, served, header, first, last):
    response = client.get(URL, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)
    assert _body(response) == BODY[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=10000-", "bytes=20000-20010", "bytes=-0"])
def test_an_unsatisfiable_range_gets_416_with_the_size(client, served, header):
    response = client.get(URL, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize("header", ["bytes=0-9,20-29", "items=0-9", "bytes=abc", "bytes=50-10"])
def test_several_or_malformed_ranges_get_the_whole_file(client, served, header):
    response = client.get(URL, HTTP_RANGE=header)
    assert response.status_code == 200
    assert _body(response) == BODY


def test_if_range_with_the_current_etag_or_date_honours_the_range(client, served):
    etag = client.get(URL)["ETag"]
    date = http_date(int(os.stat(served).st_mtime))
    for validator in (etag, date):
        response = client.get(URL, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=validator)
        assert response.status_code == 206 and _body(response) == BODY[:10]


def test_if_range_with_an_old_etag_gets_the_whole_new_file(client, served):
    response = client.get(URL, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old-version"')
    assert response.status_code == 200 and _body(response) == BODY


def test_a_matching_if_none_match_gets_304(client, served):
    etag = client.get(URL)["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_head_sends_the_headers_without_the_body(client, served):
    response = client.head(URL, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Length"] == "100" and response.content == b""


def test_only_get_and_head(client, served):
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("a.webm", "video/webm"), ("a.mov", "video/quicktime"), ("a.jpg", "image/jpeg")],
)
def test_the_content_type_follows_the_extension(client, media_root, name, content_type):
    media_root.mkdir(parents=True, exist_ok=True)
    (media_root / name).write_bytes(b"0123456789")
    response = client.get(f"/media/{name}", HTTP_RANGE="bytes=0-3")
    assert response.status_code == 206 and response["Content-Type"] == content_type


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/videos/../../secret.txt",
        "/media//etc/passwd",
        "/media/link/secret.txt",
        "/media/videos/",
        "/media/missing.mp4",
    ],
)
@pytest.mark.django_db  # a 404 passes through Wagtail's redirect middleware, which asks the db
def test_nothing_outside_media_root_and_no_folders(client, served, path):
    outside = served.parents[4]  # the folder that holds MEDIA_ROOT
    (outside / "secret.txt").write_text("not for the web")
    os.symlink(outside, served.parents[3] / "link")
    response = client.get(path)
    assert response.status_code == 404


def test_parse_range_answers_for_an_empty_file():
    assert parse_range("bytes=0-", 0) is False
    assert parse_range("bytes=-5", 0) is False


@pytest.mark.parametrize("name", ["jobs/out/ledger.xlsx", "jobs/in/upload.csv"])
@pytest.mark.django_db  # a 404 passes through Wagtail's redirect middleware
def test_ledger_files_of_background_jobs_are_never_served_as_media(client, served, name):
    """Imported ledgers and exported workbooks hold personal data: only the job's own view
    hands them out, so the media URL is a 404 even for someone who knows the file name."""
    path = served.parents[3] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK")
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(URL).status_code == 200
