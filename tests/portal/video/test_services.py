"""Videos: what PyAV finds in real files, the admin upload and its checks, processing in Celery,
and who sees which videos."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection

from portal.celery import app as celery_app
from portal.models import MicroLecturePage, Video
from portal.video import processing as video_processing
from portal.video import services as video_services
from portal.video import tasks
from portal.video.probe import VideoFileError, video_poster, video_probe
from portal.video.services import video_upload

from . import helpers as video_helpers
from .helpers import upload

# Fixtures shared by the video, media and submission tests.
clips = video_helpers.clips
media_root = video_helpers.media_root
people = video_helpers.people
publishing = video_helpers.publishing

pytestmark = pytest.mark.django_db


# --- What PyAV reads -------------------------------------------------------------------


def _probe(content: bytes):
    return video_probe(upload(content))


def test_probe_reads_a_phone_ready_mp4(clips):
    info = _probe(clips.mp4)
    assert (info.container, info.video_codec, info.audio_codec) == ("mp4", "h264", "aac")
    assert (info.width, info.height) == (160, 90)
    assert info.duration == pytest.approx(2, abs=0.1)
    assert info.plays_on_phones


def test_probe_tells_mov_and_silent_mp4_play_on_phones_and_webm_does_not(clips):
    assert _probe(clips.mov).container == "mov" and _probe(clips.mov).plays_on_phones
    silent = _probe(clips.silent)
    assert silent.audio_codec == "" and silent.plays_on_phones
    webm = _probe(clips.webm)
    assert (webm.container, webm.video_codec, webm.audio_codec) == ("webm", "vp8", "opus")
    assert not webm.plays_on_phones


def test_the_type_comes_from_the_content_not_the_name(clips):
    assert video_probe(upload(clips.webm, "named-like-an.mp4")).container == "webm"
    with pytest.raises(VideoFileError) as caught:
        video_probe(upload(clips.fake, "lecture.mp4"))
    assert caught.value.reason == VideoFileError.NOT_A_VIDEO


@pytest.mark.parametrize("name", ["truncated", "truncated_faststart"])
def test_a_file_cut_short_is_damaged(clips, name):
    with pytest.raises(VideoFileError) as caught:
        _probe(getattr(clips, name))
    assert caught.value.reason == VideoFileError.DAMAGED


def test_poster_is_a_jpeg_frame(clips):
    jpeg, rotation = video_poster(upload(clips.mp4))
    assert jpeg[:3] == b"\xff\xd8\xff" and rotation == 0


# --- Upload in the admin ---------------------------------------------------------------


def _post_upload(client, organization, content: bytes, name: str = "lecture.mp4"):
    data = {"title": "微党课：初心", "organization": organization.pk, "file": upload(content, name)}
    return client.post(reverse("portal_video:add"), data)


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_editor_uploads_a_video_that_is_processed_after_commit(
    client, people, publishing, clips, media_root, django_capture_on_commit_callbacks
):
    client.force_login(people.editor_t01)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_upload(client, publishing.t01, clips.mp4, "张三 13812345678.mp4")
    assert response.status_code == 302
    video = Video.objects.get()
    assert video.status == Video.Status.READY and video.progress == 100
    assert video.organization == publishing.t01 and video.uploaded_by == people.editor_t01
    assert video.size == len(clips.mp4)
    # Stored under a neutral name whose extension is what the content is.
    assert video.file.name.endswith(".mp4") and "13812345678" not in video.file.name


@pytest.mark.parametrize(
    ("clip", "reason"),
    [
        ("fake", VideoFileError.NOT_A_VIDEO),
        ("truncated", VideoFileError.DAMAGED),
        ("truncated_faststart", VideoFileError.DAMAGED),
    ],
)
def test_a_fake_or_corrupt_upload_names_the_field_and_saves_nothing(
    client, people, publishing, clips, media_root, clip, reason
):
    client.force_login(people.editor_t01)
    response = _post_upload(client, publishing.t01, getattr(clips, clip))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {"file": [str(video_services.FILE_ERRORS[reason])]}
    assert not Video.objects.exists()
    assert not _stored_files(media_root)


def test_an_upload_over_the_configured_size_is_refused(
    client, people, publishing, clips, media_root, settings
):
    settings.VIDEO_MAX_UPLOAD_MB = 0
    client.force_login(people.editor_t01)
    response = _post_upload(client, publishing.t01, clips.mp4)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert not Video.objects.exists()


def test_the_service_refuses_bad_files_with_an_error_on_the_file_field(
    people, publishing, clips, media_root
):
    with pytest.raises(ValidationError) as caught:
        video_upload(
            title="假视频",
            file=upload(clips.fake),
            organization=publishing.t01,
            uploaded_by=people.editor_t01,
        )
    assert list(caught.value.message_dict) == ["file"]


# --- Processing ------------------------------------------------------------------------


def _video(publishing, people, content: bytes, name: str = "lecture.mp4") -> Video:
    """A video saved without the upload's checks, as if the file went bad afterwards."""
    video = Video(title="测试视频", organization=publishing.t01, uploaded_by=people.editor_t01)
    video.file.save(name, upload(content), save=False)
    video.size = len(content)
    video.save()
    return video


def test_processing_reads_the_video_and_makes_a_poster_in_the_organisation_collection(
    people, publishing, clips, media_root
):
    video = _video(publishing, people, clips.mp4)
    tasks.video_process.delay(video.pk)
    video.refresh_from_db()
    assert video.status == Video.Status.READY and video.progress == 100 and video.error == ""
    assert video.duration == pytest.approx(2, abs=0.1)
    assert (video.width, video.height, video.container) == (160, 90, "mp4")
    assert (video.video_codec, video.audio_codec, video.plays_on_phones) == ("h264", "aac", True)
    poster = video.poster
    assert (poster.width, poster.height) == (160, 90)
    section = publishing.t01.section
    expected = Collection.objects.filter(group_permissions__group=section.editors).first()
    assert poster.collection == expected != Collection.get_first_root_node()


def test_a_webm_is_ready_but_not_marked_as_playing_on_phones(people, publishing, clips, media_root):
    video = _video(publishing, people, clips.webm, "lecture.webm")
    tasks.video_process.delay(video.pk)
    video.refresh_from_db()
    assert video.status == Video.Status.READY and not video.plays_on_phones


def test_processing_reports_progress_as_it_goes(people, publishing, clips, media_root):
    video = _video(publishing, people, clips.mp4)
    seen = []
    real_update = video_processing._progress

    def spy(video, progress, status=Video.Status.PROCESSING):
        real_update(video, progress, status)
        seen.append(Video.objects.values_list("status", "progress").get(pk=video.pk))

    with mock.patch.object(video_processing, "_progress", spy):
        video_processing.video_process(video_id=video.pk)
    assert seen == [("processing", 50), ("processing", 90)]


def test_a_file_that_fails_processing_is_marked_failed_and_the_page_keeps_its_video(
    people, publishing, clips, media_root
):
    good = _video(publishing, people, clips.mp4)
    tasks.video_process.delay(good.pk)
    page = MicroLecturePage(title="初心使命", video_id=good.pk)
    publishing.t01.section.add_child(instance=page)
    page.save_revision().publish()

    bad = _video(publishing, people, clips.truncated)
    tasks.video_process.delay(bad.pk)
    bad.refresh_from_db()
    assert bad.status == Video.Status.FAILED and bad.error
    assert bad.poster is None

    page = MicroLecturePage.objects.get(pk=page.pk)
    page.video = bad
    with pytest.raises(ValidationError) as caught:
        page.save_revision().publish()
    assert "video" in caught.value.message_dict
    page.refresh_from_db()
    assert page.video_id == good.pk


def test_processing_twice_does_nothing_the_second_time(people, publishing, clips, media_root):
    video = _video(publishing, people, clips.mp4)
    tasks.video_process.delay(video.pk)
    with mock.patch.object(video_processing, "video_probe") as probe:
        tasks.video_process.delay(video.pk)
    probe.assert_not_called()
    assert get_image_model().objects.count() == 1


def test_a_failed_video_is_not_processed_again(people, publishing, clips, media_root):
    video = _video(publishing, people, clips.fake)
    tasks.video_process.delay(video.pk)
    video.refresh_from_db()
    error = video.error
    tasks.video_process.delay(video.pk)
    video.refresh_from_db()
    assert video.status == Video.Status.FAILED and video.error == error


def test_a_missing_file_fails_with_a_message(people, publishing, clips, media_root):
    video = _video(publishing, people, clips.mp4)
    video.file.storage.delete(video.file.name)
    tasks.video_process.delay(video.pk)
    video.refresh_from_db()
    assert video.status == Video.Status.FAILED and video.error


@pytest.fixture
def retries_in_process(monkeypatch):
    """Eager retries run at once; errors are kept in the result instead of raised."""
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


def test_transient_errors_are_retried_then_the_video_is_marked_failed(
    people, publishing, clips, media_root, retries_in_process
):
    video = _video(publishing, people, clips.mp4)
    calls = []

    def flaky(*, video_id):
        calls.append(video_id)
        raise OperationalError("database went away")

    with mock.patch.object(video_processing, "video_process", flaky):
        result = tasks.video_process.apply(args=[video.pk])
    assert len(calls) == tasks.video_process.max_retries + 1
    assert result.failed()
    video.refresh_from_db()
    assert video.status == Video.Status.FAILED and video.error


def test_a_transient_error_then_success_ends_ready(
    people, publishing, clips, media_root, retries_in_process
):
    video = _video(publishing, people, clips.mp4)
    real = video_processing.video_process
    calls = []

    def once_flaky(*, video_id):
        calls.append(video_id)
        if len(calls) == 1:
            raise ConnectionError("storage hiccup")
        return real(video_id=video_id)

    with mock.patch.object(video_processing, "video_process", once_flaky):
        tasks.video_process.apply(args=[video.pk])
    video.refresh_from_db()
    assert len(calls) == 2 and video.status == Video.Status.READY


# --- Who sees what in the admin --------------------------------------------------------


@pytest.fixture
def two_videos(people, publishing, clips, media_root):
    t01 = _video(publishing, people, clips.mp4)
    t01.title = "甲镇视频"
    t01.save()
    tasks.video_process.delay(t01.pk)
    t01.refresh_from_db()
    t02 = Video.objects.create(
        title="乙乡视频", organization=publishing.t02, file=t01.file.name, status="failed"
    )
    Video.objects.filter(pk=t02.pk).update(error="视频文件已损坏")
    return t01, t02


def test_editors_see_only_their_organisations_videos(client, people, two_videos):
    t01, t02 = two_videos
    client.force_login(people.editor_t02)
    text = client.get(reverse("portal_video:index")).content.decode()
    assert "乙乡视频" in text and "甲镇视频" not in text
    assert "视频文件已损坏" in text  # the error of a failed video is in the list
    for name in ("inspect", "edit", "delete"):
        assert client.get(reverse(f"portal_video:{name}", args=[t01.pk])).status_code == 404


def test_the_county_reviewer_sees_every_section_video(client, people, two_videos):
    client.force_login(people.reviewer_county)
    text = client.get(reverse("portal_video:index")).content.decode()
    assert "乙乡视频" in text and "甲镇视频" in text


def test_the_list_shows_progress_while_processing(client, people, two_videos):
    t01, _t02 = two_videos
    Video.objects.filter(pk=t01.pk).update(status="processing", progress=50)
    client.force_login(people.editor_t01)
    text = client.get(reverse("portal_video:index")).content.decode()
    assert "50%" in text


def test_the_upload_form_offers_only_the_editors_organisations(client, people, publishing):
    client.force_login(people.editor_t02)
    form = client.get(reverse("portal_video:add")).context["form"]
    assert list(form.fields["organization"].queryset) == [publishing.t02]


def test_an_editor_cannot_upload_into_another_organisation(
    client, people, publishing, clips, media_root
):
    client.force_login(people.editor_t02)
    response = _post_upload(client, publishing.t01, clips.mp4)
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Video.objects.exists()


def test_the_chooser_lists_only_ready_videos_of_the_users_organisations(
    client, people, publishing, two_videos
):
    t01, t02 = two_videos
    Video.objects.filter(pk=t02.pk).update(status="ready")
    client.force_login(people.editor_t01)
    text = client.get(reverse("portal_video_chooser:choose_results")).content.decode()
    assert "甲镇视频" in text and "乙乡视频" not in text
    chosen = reverse("portal_video_chooser:chosen", args=[t02.pk])
    assert client.get(chosen).status_code == 404


def test_the_micro_lecture_editor_uses_the_video_chooser(client, people, publishing):
    client.force_login(people.editor_t01)
    add = reverse(
        "wagtailadmin_pages:add",
        args=["portal", "microlecturepage", publishing.t01.section.pk],
    )
    text = client.get(add).content.decode()
    assert reverse("portal_video_chooser:choose") in text


def test_members_have_no_video_admin(client, people):
    client.force_login(people.member_a.user)
    response = client.get(reverse("portal_video:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_editor_inspects_and_renames_their_own_video(client, people, two_videos):
    t01, _t02 = two_videos
    client.force_login(people.editor_t01)
    inspect = client.get(reverse("portal_video:inspect", args=[t01.pk])).content.decode()
    assert "h264" in inspect and "aac" in inspect
    response = client.post(reverse("portal_video:edit", args=[t01.pk]), {"title": "新的标题"})
    assert response.status_code == 302
    t01.refresh_from_db()
    assert t01.title == "新的标题" and t01.status == Video.Status.READY


def test_a_video_a_page_plays_cannot_be_deleted(client, people, publishing, two_videos):
    t01, _t02 = two_videos
    page = MicroLecturePage(title="初心使命", video=t01)
    publishing.t01.section.add_child(instance=page)
    page.save_revision().publish()
    client.force_login(people.editor_t01)
    response = client.post(reverse("portal_video:delete", args=[t01.pk]))
    assert response.status_code in (302, 403)
    assert Video.objects.filter(pk=t01.pk).exists()
