"""Small real videos made with PyAV, and fixtures for the video, media and submission tests."""

import array
import math
import tempfile
from types import SimpleNamespace

import av
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.models import Organization, Role
from portal.registry import services
from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory

Level, Kind = Organization.Level, Organization.Kind


def _audio(container, stream, seconds: float) -> None:
    size = stream.codec_context.frame_size or 1024
    pts = 0
    while pts < stream.rate * seconds:
        frame = av.AudioFrame(format="fltp", layout="mono", samples=size)
        wave = (0.2 * math.sin(n / 10) for n in range(pts, pts + size))
        frame.planes[0].update(array.array("f", wave).tobytes())
        frame.sample_rate, frame.pts = stream.rate, pts
        for packet in stream.encode(frame):
            container.mux(packet)
        pts += size
    for packet in stream.encode():
        container.mux(packet)


def make_video(
    fmt: str = "mp4",
    vcodec: str = "h264",
    acodec: str | None = "aac",
    *,
    seconds: float = 2,
    size: tuple[int, int] = (160, 90),
    rate: int = 25,
    faststart: bool = False,
) -> bytes:
    """A video of coloured frames (and a tone), encoded for real by FFmpeg."""
    with tempfile.TemporaryDirectory() as folder:
        # A file, not memory: moving the index to the front (faststart) rewrites the file.
        path = f"{folder}/clip.{fmt}"
        _encode(path, fmt, vcodec, acodec, seconds, size, rate, faststart)
        with open(path, "rb") as written:
            return written.read()


def _encode(path, fmt, vcodec, acodec, seconds, size, rate, faststart) -> None:
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(path, "w", format=fmt, options=options) as container:
        video = container.add_stream(vcodec, rate=rate)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        sound = None
        if acodec:
            sound = container.add_stream(acodec, rate=48000, layout="mono")
        for n in range(int(seconds * rate)):
            picture = Image.new("RGB", size, ((n * 10) % 255, 90, 160))
            for packet in video.encode(av.VideoFrame.from_image(picture)):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if sound is not None:
            _audio(container, sound, seconds)


@pytest.fixture(scope="session")
def clips():
    """One of each: phone-ready MP4 and MOV, a VP8/Opus WebM, a silent MP4, and bad files."""
    mp4 = make_video()
    faststart = make_video(faststart=True)
    return SimpleNamespace(
        mp4=mp4,
        mov=make_video("mov"),
        webm=make_video("webm", "libvpx", "libopus"),
        silent=make_video(acodec=None),
        fake=b"This is a text file, not a video.\n" * 20,
        # Cut short: without its index (moov at the end), and with the index but half the data.
        truncated=mp4[: len(mp4) // 2],
        truncated_faststart=faststart[: len(faststart) // 2],
    )


def upload(content: bytes, name: str = "lecture.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="video/mp4")


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def publishing(db):
    """A publishing county with two publishing townships (T01, T02) and a village under each."""
    county = OrganizationFactory(
        name="测试县委", code="C", kind=Kind.COMMITTEE, level=Level.COUNTY, publishes=True
    )
    townships = [
        OrganizationFactory(
            parent=county,
            name=name,
            code=code,
            kind=Kind.COMMITTEE,
            level=Level.TOWNSHIP,
            publishes=True,
        )
        for name, code in (("甲镇党委", "T01"), ("乙乡党委", "T02"))
    ]
    villages = [
        OrganizationFactory(parent=township, name=f"{township.name}一村", code=f"{code}-V1")
        for township, code in zip(townships, ("T01", "T02"), strict=True)
    ]
    return SimpleNamespace(
        county=county, t01=townships[0], t02=townships[1], v01=villages[0], v02=villages[1]
    )


@pytest.fixture
def people(publishing):
    """Editors of T01 and T02, the county's reviewer, and a member with a login in each
    township's village."""

    def role(role: str, organization, username: str):
        user = UserFactory(username=username)
        services.role_grant(user=user, role=role, organization=organization, actor=None)
        return user

    def member(origin, phone: str, name: str):
        user = UserFactory(username=phone)
        return MemberFactory(name=name, origin=origin, phone=phone, user=user)

    return SimpleNamespace(
        editor_t01=role(Role.EDITOR, publishing.t01, "editor_t01"),
        editor_t02=role(Role.EDITOR, publishing.t02, "editor_t02"),
        reviewer_county=role(Role.REVIEWER, publishing.county, "reviewer_county"),
        reviewer_t01=role(Role.REVIEWER, publishing.t01, "reviewer_t01"),
        member_a=member(publishing.v01, "13900000011", "甲村党员"),
        member_b=member(publishing.v02, "13900000022", "乙村党员"),
    )
