"""The phone rendition: at most 360p and about 400 kbit/s, H.264 and AAC with the index
before the data, made once per video by processing, and for older videos by a command."""

import struct
from pathlib import Path

import av
import numpy as np
import pytest
from django.core.management import call_command

from portal.models import Video
from portal.video import processing as video_processing
from portal.video.rendition import rendition_make, rendition_size
from portal.video.services import video_create

from . import helpers as video_helpers
from .helpers import make_video, upload

clips = video_helpers.clips
media_root = video_helpers.media_root
publishing = video_helpers.publishing

# The target is 400 kbit/s for picture and sound; the container adds a few per cent.
MAX_BITS_PER_SECOND = 420_000


def top_level_boxes(data: bytes) -> list[str]:
    """The names of an MP4 file's top-level boxes, in file order."""
    names, at = [], 0
    while at + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[at : at + 8])
        if size == 1:
            size = struct.unpack(">Q", data[at + 8 : at + 16])[0]
        elif size == 0:
            size = len(data) - at
        names.append(name.decode("latin-1"))
        at += size
    return names


def noise_clip(path: Path, *, size=(854, 480), seconds: int = 3, rate: int = 25) -> Path:
    """Random pixels with a tone: the hardest picture to compress, so the original is
    megabytes and only the rendition's rate control keeps it small."""
    rng = np.random.default_rng(15)
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("h264", rate=rate)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        sound = container.add_stream("aac", rate=48000, layout="mono")
        for _ in range(seconds * rate):
            pixels = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
            for packet in video.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        video_helpers._audio(container, sound, seconds)
    return path


@pytest.fixture(scope="module")
def noisy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rendition")
    source = noise_clip(folder / "noise.mp4")
    target = folder / "phone.mp4"
    info = rendition_make(str(source), str(target))
    return source, target, info


def test_sizes_keep_the_aspect_are_even_and_never_grow():
    assert rendition_size(1920, 1080) == (640, 360)
    assert rendition_size(854, 480) == (640, 360)
    assert rendition_size(1080, 1920) == (360, 640)
    assert rendition_size(160, 90) == (160, 90)
    assert rendition_size(1000, 333) == (640, 214)


def test_the_rendition_is_360p_h264_and_aac_as_long_as_the_original(noisy):
    source, target, info = noisy
    with av.open(str(target)) as phone, av.open(str(source)) as original:
        picture = phone.streams.video[0].codec_context
        assert (picture.width, picture.height) == (info.width, info.height) == (640, 360)
        assert picture.name == "h264" and picture.profile in ("Main", "Constrained Baseline")
        assert phone.streams.audio[0].codec_context.name == "aac"
        assert phone.duration == pytest.approx(original.duration, rel=0.05)


def test_the_rendition_stays_under_400_kbits_where_the_original_is_megabits(noisy):
    source, target, _ = noisy
    with av.open(str(target)) as phone:
        seconds = phone.duration / av.time_base
    assert source.stat().st_size * 8 / seconds > 5_000_000
    assert target.stat().st_size * 8 / seconds <= MAX_BITS_PER_SECOND


def test_the_index_comes_before_the_data(noisy):
    """faststart: a player reads moov in the first kilobytes, not after the whole file."""
    _, target, _ = noisy
    boxes = top_level_boxes(target.read_bytes())
    assert boxes[0] == "ftyp" and boxes.index("moov") < boxes.index("mdat")
    # The test clips are written without faststart: the parser tells the two apart.
    plain = top_level_boxes(make_video())
    assert plain.index("moov") > plain.index("mdat")


def test_a_portrait_video_is_made_upright_360_wide(tmp_path):
    source = tmp_path / "portrait.mp4"
    source.write_bytes(make_video(size=(720, 1280)))
    info = rendition_make(str(source), str(tmp_path / "phone.mp4"))
    assert (info.width, info.height) == (360, 640)


def _processed(publishing, content: bytes) -> Video:
    video = video_create(
        title="微党课", file=upload(content), organization=publishing.t01, uploaded_by=None
    )
    return video_processing.video_process(video_id=video.pk)


def _phone_files(media_root) -> list[Path]:
    return sorted((Path(media_root) / "videos" / "phone").glob("*"))


@pytest.mark.django_db
def test_processing_makes_one_rendition_however_often_it_runs(publishing, clips, media_root):
    video = _processed(publishing, clips.mp4)
    video.refresh_from_db()
    assert video.is_ready and video.phone_file.name.startswith("videos/phone/")
    assert video.phone_size == (Path(media_root) / video.phone_file.name).stat().st_size > 0
    made = _phone_files(media_root)
    video_processing.video_process(video_id=video.pk)
    video_processing.video_phone_rendition_make(video_id=video.pk)
    assert _phone_files(media_root) == made
    # Lost on disk: made again under the same name, not a second one.
    made[0].unlink()
    video_processing.video_phone_rendition_make(video_id=video.pk)
    assert _phone_files(media_root) == made


@pytest.mark.django_db
def test_the_command_gives_older_videos_a_rendition(publishing, clips, media_root):
    video = _processed(publishing, clips.mp4)
    Video.objects.filter(pk=video.pk).update(phone_file="", phone_size=0)
    for path in _phone_files(media_root):
        path.unlink()
    call_command("video_phone_renditions")
    video.refresh_from_db()
    assert video.phone_file and video.phone_size > 0
    assert len(_phone_files(media_root)) == 1


@pytest.mark.django_db
def test_a_video_that_is_not_ready_gets_no_rendition(publishing, clips, media_root):
    video = video_create(
        title="微党课", file=upload(clips.mp4), organization=publishing.t01, uploaded_by=None
    )
    for status in (Video.Status.PENDING, Video.Status.FAILED):
        Video.objects.filter(pk=video.pk).update(status=status)
        assert not video_processing.video_phone_rendition_make(video_id=video.pk).phone_file
    assert _phone_files(media_root) == []
