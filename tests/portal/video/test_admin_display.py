"""A video's admin pages show what the record holds, as a person reads it: the poster frame
processing made, the upload time in Asia/Shanghai, yes or no in Chinese, and a dash for an
uploader nobody is (issue 16)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from portal.models import Video
from portal.video import tasks
from portal.video.services import video_upload

from . import helpers as video_helpers
from .helpers import upload

clips, media_root = video_helpers.clips, video_helpers.media_root
people, publishing = video_helpers.people, video_helpers.publishing
pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_video(publishing, clips, media_root):
    """A phone-ready MP4 processed into a poster frame, uploaded by no one (a seeded video)."""
    video = video_upload(
        title="甲镇视频", file=upload(clips.mp4), organization=publishing.t01, uploaded_by=None
    )
    tasks.video_process.delay(video.pk)
    video.refresh_from_db()
    assert video.poster_id and video.plays_on_phones and video.uploaded_by is None
    return video


def _shown(html: str, field: str) -> str:
    """The inspect page's value for ``field``, as markup."""
    label = capfirst(str(Video._meta.get_field(field).verbose_name))
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", html, re.S)
    return match.group(1).strip()


def test_a_video_s_page_shows_its_poster_local_time_yes_and_no_uploader(
    client, people, ready_video
):
    client.force_login(people.editor_t01)
    html = client.get(reverse("portal_video:inspect", args=[ready_video.pk])).content.decode()

    poster = _shown(html, "poster")
    src = re.search(r'<img[^>]* src="([^"]+)"', poster).group(1)
    renditions = get_image_model().get_rendition_model().objects.filter(image=ready_video.poster)
    assert src in {rendition.url for rendition in renditions}
    image = client.get(src)
    assert (image.status_code, image["Content-Type"]) == (200, "image/jpeg")

    uploaded = _shown(html, "uploaded_at")
    local = timezone.localtime(ready_video.uploaded_at)
    assert local.utcoffset().total_seconds() == 8 * 3600
    assert date_format(local, "DATETIME_FORMAT") in uploaded
    assert (
        date_format(timezone.make_naive(ready_video.uploaded_at, datetime.UTC), "DATETIME_FORMAT")
        not in uploaded
    )

    assert _shown(html, "plays_on_phones") == f"<span data-yes-no>{_('Yes')}</span>"
    assert _shown(html, "uploaded_by") == "—"
    fields = re.search(r"<dl>.*?</dl>", html, re.S).group(0)
    assert "None" not in fields and "True" not in fields


def test_the_video_list_says_yes_or_no_for_plays_on_phones(client, people, ready_video):
    """Each row's cell says 是 or 否 as the video's flag is, never Python's True/False."""
    webm = Video.objects.create(
        title="不可播放", organization=ready_video.organization, file=ready_video.file.name
    )
    client.force_login(people.editor_t01)
    html = client.get(reverse("portal_video:index")).content.decode()
    table = re.search(r'<table class="listing">.*?</table>', html, re.S).group(0)
    shown = dict(re.findall(r'inspect/(\d+)/".*?<span data-yes-no>([^<]*)</span>', table, re.S))
    expected = {
        str(video.pk): _("Yes") if video.plays_on_phones else _("No")
        for video in (ready_video, webm)
    }
    assert shown == expected
    assert "True" not in table and "False" not in table


def test_a_video_still_waiting_says_it_has_no_poster_yet(
    client, people, publishing, clips, media_root
):
    video = video_upload(
        title="待处理", file=upload(clips.mp4), organization=publishing.t01, uploaded_by=None
    )
    client.force_login(people.editor_t01)
    html = client.get(reverse("portal_video:inspect", args=[video.pk])).content.decode()
    assert _shown(html, "poster") == _("No poster frame yet.")
