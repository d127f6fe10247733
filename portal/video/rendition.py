"""The phone rendition: a small MP4 of a video for slow links, made with PyAV (FFmpeg).

At most 360 pixels on the short side and 640 on the long one (aspect kept, even sizes),
H.264 Main profile at about 300 kbit/s (capped at 320) with mono AAC at 48 kbit/s, so the
whole stays under 400 kbit/s; the index (``moov``) is written before the data (``mdat``) so a
player starts after the first few kilobytes. No database here: processing stores the file.
"""

from dataclasses import dataclass
from fractions import Fraction

import av
from PIL import Image

SHORT_SIDE, LONG_SIDE = 360, 640
VIDEO_BITRATE, VIDEO_MAXRATE, VIDEO_BUFSIZE = 300_000, 320_000, 640_000
AUDIO_BITRATE, AUDIO_RATE = 48_000, 44_100
MAX_FPS = 30
X264_OPTIONS = {
    "preset": "veryfast",
    "profile": "main",
    "maxrate": str(VIDEO_MAXRATE),
    "bufsize": str(VIDEO_BUFSIZE),
}


@dataclass(frozen=True)
class RenditionInfo:
    width: int
    height: int


def rendition_size(width: int, height: int) -> tuple[int, int]:
    """The picture size for a ``width``×``height`` (upright) picture: never larger, short
    side ≤ 360, long side ≤ 640, both even."""
    scale = min(1.0, SHORT_SIDE / min(width, height), LONG_SIDE / max(width, height))

    def even(side: int) -> int:
        return max(2, round(side * scale / 2) * 2)

    return even(width), even(height)


def rendition_make(source: str, target: str) -> RenditionInfo:
    """Write the phone rendition of the video file ``source`` to the path ``target``.

    Raises ``av.FFmpegError`` if FFmpeg cannot read or write it.
    """
    with av.open(source, mode="r", metadata_errors="ignore") as inp:
        first = next(inp.decode(video=0))
        # The rotation a phone recorded with: the copy is made upright.
        upright = (first.width, first.height, first.rotation or 0)
    with av.open(source, mode="r", metadata_errors="ignore") as inp:
        in_video = inp.streams.video[0]
        in_audio = inp.streams.audio[0] if inp.streams.audio else None
        streams = [s for s in (in_video, in_audio) if s is not None]
        options = {"movflags": "+faststart"}
        with av.open(target, mode="w", format="mp4", options=options) as out:
            encoder = _Encoder(out, in_video, in_audio, upright)
            for frame in inp.decode(*streams):
                encoder.add(frame)
            encoder.flush()
            return RenditionInfo(encoder.width, encoder.height)


class _Encoder:
    """Scales, turns upright and encodes each decoded frame into the output's streams."""

    def __init__(self, out, in_video, in_audio, upright):
        self.out, self.in_video = out, in_video
        self._video_open(*upright)
        self.audio = self.resampler = None
        self.audio_pts = 0
        if in_audio is not None:
            self.audio = out.add_stream("aac", rate=AUDIO_RATE, layout="mono")
            self.audio.bit_rate = AUDIO_BITRATE
            self.resampler = av.AudioResampler(format="fltp", layout="mono", rate=AUDIO_RATE)

    def _video_open(self, width: int, height: int, rotation: int) -> None:
        self.rotation = rotation
        if abs(rotation) == 90:
            width, height = height, width
        self.width, self.height = rendition_size(width, height)
        rate = min(Fraction(self.in_video.average_rate or 25), Fraction(MAX_FPS))
        stream = self.out.add_stream("libx264", rate=rate, options=dict(X264_OPTIONS))
        stream.width, stream.height, stream.pix_fmt = self.width, self.height, "yuv420p"
        stream.bit_rate = VIDEO_BITRATE
        stream.codec_context.time_base = self.in_video.time_base
        self.video = stream

    def add(self, frame) -> None:
        if isinstance(frame, av.VideoFrame):
            self._video_add(frame)
        elif self.audio is not None:
            for part in self.resampler.resample(frame):
                self._audio_add(part)

    def _video_add(self, frame) -> None:
        pts = frame.pts
        if self.rotation:
            image = frame.to_image().rotate(self.rotation, expand=True)
            image = image.resize((self.width, self.height), Image.Resampling.BILINEAR)
            scaled = av.VideoFrame.from_image(image).reformat(format="yuv420p")
        else:
            scaled = frame.reformat(width=self.width, height=self.height, format="yuv420p")
        scaled.pts, scaled.time_base = pts, self.in_video.time_base
        for packet in self.video.encode(scaled):
            self.out.mux(packet)

    def _audio_add(self, frame) -> None:
        frame.pts, frame.time_base = self.audio_pts, Fraction(1, AUDIO_RATE)
        self.audio_pts += frame.samples
        for packet in self.audio.encode(frame):
            self.out.mux(packet)

    def flush(self) -> None:
        if self.audio is not None:
            for part in self.resampler.resample(None):
                self._audio_add(part)
            for packet in self.audio.encode(None):
                self.out.mux(packet)
        for packet in self.video.encode(None):
            self.out.mux(packet)
