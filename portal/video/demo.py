"""The demo's micro-lecture, with a short clip made for it: real H.264 and AAC in MP4, encoded
by the FFmpeg that PyAV bundles, so the demo's player, seeking and poster work as with an
upload."""

import array
import math
import tempfile
from pathlib import Path

import av
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from portal.content.demo import demo_page_publish
from portal.content.models import MicroLecturePage, SectionPage
from portal.registry.models import Organization
from portal.video import processing as video_processing
from portal.video import services as video_services

SIZE = (640, 360)
RATE = 25
RED, LIGHT = (168, 22, 27), (250, 230, 180)


def demo_clip(seconds: int = 8) -> bytes:
    """A red title card with a light bar sweeping across it, and a soft tone."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.mp4"
        with av.open(str(path), "w", format="mp4", options={"movflags": "faststart"}) as output:
            video = output.add_stream("h264", rate=RATE)
            video.width, video.height = SIZE
            video.pix_fmt = "yuv420p"
            sound = output.add_stream("aac", rate=48000, layout="mono")
            _pictures(output, video, seconds)
            _tone(output, sound, seconds)
        return path.read_bytes()


def _pictures(output, stream, seconds: int) -> None:
    width, height = SIZE
    for n in range(seconds * RATE):
        picture = Image.new("RGB", SIZE, RED)
        bar = int(width * (n % (2 * RATE)) / (2 * RATE))
        ImageDraw.Draw(picture).rectangle([0, height // 2 - 6, bar, height // 2 + 6], fill=LIGHT)
        for packet in stream.encode(av.VideoFrame.from_image(picture)):
            output.mux(packet)
    for packet in stream.encode():
        output.mux(packet)


def _tone(output, stream, seconds: int) -> None:
    size = stream.codec_context.frame_size or 1024
    pts = 0
    while pts < stream.rate * seconds:
        frame = av.AudioFrame(format="fltp", layout="mono", samples=size)
        wave = (
            0.05 * math.sin(2 * math.pi * 440 * t / stream.rate) for t in range(pts, pts + size)
        )
        frame.planes[0].update(array.array("f", wave).tobytes())
        frame.sample_rate, frame.pts = stream.rate, pts
        for packet in stream.encode(frame):
            output.mux(packet)
        pts += size
    for packet in stream.encode():
        output.mux(packet)


def demo_lecture_build(*, county: Organization) -> None:
    """A public micro-lecture in the county's section, its clip processed like an upload."""
    section = SectionPage.objects.get(organization=county)
    video = video_services.video_create(
        title="去向报告三步走",
        file=ContentFile(demo_clip(), name="demo.mp4"),
        organization=section.organization,
        uploaded_by=None,
    )
    # Processed here, not queued: the page may only point at a ready video.
    video = video_processing.video_process(video_id=video.pk)
    lecture = MicroLecturePage(
        title="三分钟学会按月报告去向",
        slug="anyue-baogao-quxiang",
        summary="用手机完成每月去向报告的三个步骤。",
        video=video,
        speaker="王红梅",
        speaker_title="县委组织部组织科",
        transcript="同志们好。每月五日前，打开归雁，在“我的”里更新工作单位、居住地址和联系电话。"
        "信息有变化的，及时告诉所在支部。",
        study_hours="0.5",
        open_to_public=True,
    )
    demo_page_publish(section, lecture, tags=["组织生活"])
