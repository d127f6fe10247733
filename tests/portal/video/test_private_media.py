"""Videos and poster frames are read only as their pages' privacy allows: a members-only
micro-lecture's video is not played by a stranger holding its URL, and an unpublished member
submission's poster is at no guessable address."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from portal.content.services import page_privacy_default
from portal.models import MicroLecturePage, Video
from portal.video import processing as video_processing
from portal.video.services import video_create

from . import helpers as video_helpers
from .helpers import upload

# Fixtures shared by the video, media and submission tests.
clips = video_helpers.clips
media_root = video_helpers.media_root
people = video_helpers.people
publishing = video_helpers.publishing

pytestmark = pytest.mark.django_db
RANGE = "bytes=0-99"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def lecture(people, publishing, clips, media_root):
    """Make a micro-lecture in T01's section holding a processed video (with its poster
    frame), live and members-only unless told otherwise."""

    def make(*, public: bool = False, live: bool = True, slug: str = "lecture"):
        video = video_create(
            title="微党课", file=upload(clips.mp4), organization=publishing.t01, uploaded_by=None
        )
        video = video_processing.video_process(video_id=video.pk)
        page = MicroLecturePage(title="微党课", slug=slug, video=video, open_to_public=public)
        publishing.t01.section.add_child(instance=page)
        page_privacy_default(page=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        else:
            MicroLecturePage.objects.filter(pk=page.pk).update(live=False)
        return MicroLecturePage.objects.get(pk=page.pk)

    return make


def _urls(page) -> dict[str, str]:
    poster = page.poster_image
    return {
        "video": page.video.file.url,
        "phone": page.video.phone_file.url,
        "poster": poster.file.url,
        "rendition": poster.get_rendition("fill-720x405|format-jpeg").url,
    }


def _status(client, url, user=None, *, ranged: bool = True) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, **({"HTTP_RANGE": RANGE} if ranged else {})).status_code


def test_a_members_only_lectures_media_is_refused_to_anonymous_readers(client, lecture):
    for url in _urls(lecture()).values():
        response = client.get(url, HTTP_RANGE=RANGE)
        assert response.status_code == 404, url
        assert not response.streaming  # Django's 404 page, not a byte of the file


def test_a_members_only_lectures_media_plays_for_members_with_range(client, people, lecture):
    page = lecture()
    client.force_login(people.member_b.user)
    response = client.get(page.video.file.url, HTTP_RANGE=RANGE)
    assert response.status_code == 206 and len(_body(response)) == 100
    assert response["Cache-Control"] == "private"
    for url in _urls(page).values():
        assert client.get(url).status_code == 200, url


def test_a_group_restricted_lecture_refuses_a_member_outside_the_group(client, people, lecture):
    """The lecture's privacy set to a group: a member outside it, or an editor of another
    section, gets a 404 for the video and the poster; the group's member and the section's
    editor and reviewer get the bytes, with Range."""
    page = lecture()
    group = Group.objects.create(name="甲镇学习小组")
    people.member_a.user.groups.add(group)
    PageViewRestriction.objects.filter(page=page).delete()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    urls = _urls(page)
    for url in urls.values():
        assert _status(client, url, people.member_b.user) == 404, url
        assert _status(client, url, people.editor_t02) == 404, url
    for user in (people.member_a.user, people.editor_t01, people.reviewer_county):
        assert _status(client, urls["video"], user) == 206
        assert _status(client, urls["phone"], user) == 206
        assert _status(client, urls["rendition"], user, ranged=False) == 200


def test_a_password_restricted_lecture_plays_once_the_password_is_given(client, lecture):
    page = lecture()
    PageViewRestriction.objects.filter(page=page).delete()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="学习强国"
    )
    url = page.video.file.url
    assert client.get(url).status_code == 404
    form = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    client.post(form, {"password": "学习强国", "return_url": page.url})
    assert client.get(url, HTTP_RANGE=RANGE).status_code == 206


def test_a_public_lectures_media_is_for_everyone(client, people, lecture):
    urls = _urls(lecture(public=True))
    for url in urls.values():
        assert client.get(url).status_code == 200, url
    response = client.get(urls["video"], HTTP_RANGE=RANGE)
    assert response.status_code == 206 and len(_body(response)) == 100


def test_a_video_no_live_page_uses_is_only_its_editors(client, people, lecture):
    """A draft's video (and a video in no page) is not public, whatever its page's box says."""
    urls = _urls(lecture(public=True, live=False))
    for url in urls.values():
        assert _status(client, url) == 404, url
        assert _status(client, url, people.member_a.user) == 404, url
        assert _status(client, url, people.editor_t02) == 404, url
        assert _status(client, url, people.editor_t01) == 206, url


def test_a_draft_submissions_poster_is_for_the_submitter_and_the_sections_editors(
    client, people, clips, media_root, django_capture_on_commit_callbacks
):
    client.force_login(people.member_a.user)
    data = {"title": "我的入党故事", "summary": "", "file": upload(clips.mp4)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/lectures/submit/", data)
    page = MicroLecturePage.objects.get(submitted_by=people.member_a)
    assert not page.live and page.video.poster is not None
    urls = _urls(page)
    guessable = f"/media/original_images/video-{page.video.pk}-poster.jpg"
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", urls["poster"].rsplit("/", 1)[1])
    assert _status(client, guessable) == 404
    for url in urls.values():
        assert _status(client, url) == 404, url
        assert _status(client, url, people.member_b.user) == 404, url
        assert _status(client, url, people.editor_t02) == 404, url
    for user in (people.member_a.user, people.editor_t01, people.reviewer_t01):
        assert _status(client, urls["video"], user) == 206
        assert _status(client, urls["phone"], user) == 206
        assert _status(client, urls["poster"], user, ranged=False) == 200


def test_a_file_no_video_owns_is_not_served(client, lecture, media_root):
    page = lecture(public=True)
    stray = media_root / "videos" / "stray.mp4"
    stray.write_bytes((media_root / page.video.file.name).read_bytes())
    assert client.get("/media/videos/stray.mp4").status_code == 404
    assert client.get(page.video.file.url).status_code == 200


@override_settings(MEDIA_ACCEL_REDIRECT_PREFIX="/protected-media/")
def test_in_production_the_proxy_sends_the_checked_file(client, people, lecture):
    """Django checks the reader, then answers with X-Accel-Redirect and no body; nginx's
    internal location sends the bytes (and answers Range itself)."""
    page = lecture()
    video = Video.objects.get(pk=page.video_id)
    assert client.get(video.file.url).status_code == 404
    client.force_login(people.member_a.user)
    response = client.get(video.file.url, HTTP_RANGE=RANGE)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{video.file.name}"
    assert response["Content-Type"] == "video/mp4"


def test_documents_are_never_served_under_media(client, people, media_root):
    (media_root / "documents").mkdir(parents=True)
    (media_root / "documents" / "plan.pdf").write_bytes(b"%PDF-1.4")
    people.editor_t01.is_superuser = True
    people.editor_t01.save()
    client.force_login(people.editor_t01)
    assert client.get("/media/documents/plan.pdf").status_code == 404
