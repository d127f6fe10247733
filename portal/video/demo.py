"""A short clip made for the demo's micro-lecture: real H.264 and AAC in MP4, encoded by the
FFmpeg that PyAV bundles, so the demo's player, seeking and poster work as with an upload."""

import array
import math
import tempfile
from pathlib import Path

import av
from PIL import Image, ImageDraw

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
