import pytest
from django.urls import reverse

from portal.models import Video
from portal.video import tasks

from . import helpers as video_helpers
from .helpers import upload

clips, publishing, people = video_helpers.clips, video_helpers.publishing, video_helpers.people
media_root = video_helpers.media_root
pytestmark = pytest.mark.django_db


def test_dump(client, people, publishing, clips, media_root):
    from portal.video.services import video_upload

    v = video_upload(
        title="甲镇视频",
        file=upload(clips.mp4, "lecture.mp4"),
        organization=publishing.t01,
        uploaded_by=None,
    )
    tasks.video_process.delay(v.pk)
    v.refresh_from_db()
    print("POSTER", v.poster_id, v.uploaded_at)
    client.force_login(people.editor_t01)
    html = client.get(reverse("portal_video:inspect", args=[v.pk])).content.decode()
    import re

    src = re.search(r'<img alt="[^"]*" height="\d+" src="([^"]+)"', html).group(1)
    r = client.get(src)
    print("IMG", src, r.status_code, r.get("Content-Type"), r.get("Content-Security-Policy"))
    html = client.get(reverse("portal_video:index")).content.decode()
    i = html.find('<table class="listing')
    print(html[i : i + 5000])
    assert 0
