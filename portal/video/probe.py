"""What PyAV (FFmpeg) finds in a video file: its container, streams and length, whether it is
whole, and a poster frame. No database here: the services decide what to do with the answers.

The container is told from the file's first bytes and confirmed by FFmpeg's demuxer, never from
the file name, so a text file named ``.mp4`` or a truncated download is refused.
"""

import io
from dataclasses import dataclass

import av
from PIL import Image

# ISO base media files (MP4, MOV) name their first box at bytes 4-8; old QuickTime files may
# start with one of the other top-level boxes instead of "ftyp".
ISO_FIRST_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
HEAD_BYTES = 4096
# H.264 in 8-bit 4:2:0 with AAC sound (or none) is what every phone browser decodes.
PHONE_CONTAINERS = {"mp4", "mov"}
PHONE_PIXEL_FORMATS = {"yuv420p", "yuvj420p"}
POSTER_AT_SECONDS = 1.0
POSTER_MAX_FRAMES = 300
POSTER_JPEG_QUALITY = 85


class VideoFileError(Exception):
    """The file is not a video this site accepts; ``reason`` says which check failed."""

    NOT_A_VIDEO = "not_a_video"
    DAMAGED = "damaged"
    NO_PICTURE = "no_picture"

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason


@dataclass(frozen=True)
class VideoInfo:
    container: str
    duration: float
    width: int
    height: int
    video_codec: str
    audio_codec: str
    pixel_format: str

    @property
    def plays_on_phones(self) -> bool:
        return (
            self.container in PHONE_CONTAINERS
            and self.video_codec == "h264"
            and self.pixel_format in PHONE_PIXEL_FORMATS
            and self.audio_codec in ("aac", "")
        )


def container_sniff(head: bytes) -> str:
    """``mp4``, ``mov`` or ``webm`` from a file's first bytes; raise if it is none of them."""
    if len(head) >= 12 and head[4:8] in ISO_FIRST_BOXES:
        brand = head[8:12] if head[4:8] == b"ftyp" else b"qt  "
        return "mov" if brand == b"qt  " else "mp4"
    if head.startswith(EBML_MAGIC) and b"webm" in head[:64]:
        return "webm"
    raise VideoFileError(VideoFileError.NOT_A_VIDEO, "unrecognised first bytes")


def _read_head(fileobj) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    return head


def _demuxed_end(container) -> float:
    """Read every packet (no decoding) and return where the last one ends, in seconds."""
    end = 0.0
    for packet in container.demux():
        if packet.pts is None or packet.time_base is None:
            continue
        end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end


def _check_whole(declared: float, end: float) -> None:
    """A file cut short still declares its full length; its packets stop early."""
    tolerance = max(0.5, declared * 0.02)
    if declared and end < declared - tolerance:
        raise VideoFileError(VideoFileError.DAMAGED, f"data ends at {end:.2f}s of {declared:.2f}s")


def video_probe(fileobj) -> VideoInfo:
    """Check that ``fileobj`` (a seekable binary file) is a whole MP4, MOV or WebM video.

    Reads the file once without decoding it, so it is cheap enough for an upload request.
    """
    kind = container_sniff(_read_head(fileobj))
    try:
        with av.open(fileobj, mode="r", metadata_errors="ignore") as container:
            info = _stream_info(container, kind)
            _check_whole(info.duration, _demuxed_end(container))
    except av.FFmpegError as exc:
        raise VideoFileError(VideoFileError.DAMAGED, type(exc).__name__) from exc
    finally:
        fileobj.seek(0)
    return info


def _stream_info(container, kind: str) -> VideoInfo:
    if kind in PHONE_CONTAINERS and "mp4" not in container.format.name:
        raise VideoFileError(VideoFileError.NOT_A_VIDEO, container.format.name)
    if kind == "webm" and "webm" not in container.format.name:
        raise VideoFileError(VideoFileError.NOT_A_VIDEO, container.format.name)
    if not container.streams.video:
        raise VideoFileError(VideoFileError.NO_PICTURE)
    video = container.streams.video[0].codec_context
    audio = container.streams.audio[0].codec_context if container.streams.audio else None
    duration = container.duration / av.time_base if container.duration else 0.0
    if duration <= 0 or not video.width or not video.height:
        raise VideoFileError(VideoFileError.DAMAGED, "no duration or picture size")
    return VideoInfo(
        container=kind,
        duration=round(duration, 3),
        width=video.width,
        height=video.height,
        video_codec=video.name,
        audio_codec=audio.name if audio else "",
        pixel_format=video.pix_fmt or "",
    )


def video_poster(fileobj, *, at: float = POSTER_AT_SECONDS) -> tuple[bytes, int]:
    """A JPEG of the frame about ``at`` seconds in (or the last one before it), upright, and
    the rotation the file asks players to apply (degrees counter-clockwise).
    """
    fileobj.seek(0)
    try:
        with av.open(fileobj, mode="r", metadata_errors="ignore") as container:
            frame = _frame_near(container, at)
    except av.FFmpegError as exc:
        raise VideoFileError(VideoFileError.DAMAGED, type(exc).__name__) from exc
    finally:
        fileobj.seek(0)
    if frame is None:
        raise VideoFileError(VideoFileError.DAMAGED, "no frame could be decoded")
    image = frame.to_image()
    if frame.rotation:
        image = image.rotate(frame.rotation, expand=True)
    return _jpeg(image), frame.rotation


def _frame_near(container, at: float):
    stream = container.streams.video[0]
    duration = container.duration / av.time_base if container.duration else 0.0
    target = min(at, duration / 2) if duration else 0.0
    if target > 0:
        container.seek(int(target * av.time_base), backward=True, any_frame=False)
    chosen = None
    for count, frame in enumerate(container.decode(stream)):
        chosen = frame
        if frame.time is None or frame.time >= target or count >= POSTER_MAX_FRAMES:
            break
    return chosen


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=POSTER_JPEG_QUALITY)
    return buffer.getvalue()
