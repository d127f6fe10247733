"""The phone rendition (``portal.video.rendition``): its size against the original, its bit
rate, and the CPU it costs the worker.

Clips, encoded here with the FFmpeg PyAV bundles:

- ``demo``: the demo's micro-lecture (``portal.video.demo.demo_clip``, 640×360, 8 s): a title
  card with a sweeping bar, the easy case;
- ``camera``: 1280×720, 10 s of a moving gradient with film-grain noise at 25 fps, H.264 at
  libx264's default quality (about 21 Mbit/s, heavier than a phone's own 720p);
- ``noise``: 854×480, 4 s of random pixels, the hardest picture there is (the rate cap's test).

For each: bytes of the original and of the rendition, the rendition's kbit/s over its
duration, its picture size, and the CPU seconds (this process's user + sys,
``time.process_time``) of ``rendition_make``. No database.

    .venv/bin/python bench/phone_rendition.py [--json]
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import av  # noqa: E402
import django  # noqa: E402
import numpy as np  # noqa: E402

django.setup()

from portal.video.demo import demo_clip  # noqa: E402
from portal.video.rendition import rendition_make  # noqa: E402


def synthetic(path: Path, size: tuple[int, int], seconds: int, grain: int) -> None:
    """A moving gradient with ``grain`` levels of random noise on top (255: pure noise)."""
    rng = np.random.default_rng(15)
    width, height = size
    ramp = np.add.outer(np.arange(height), np.arange(width)).astype(np.int32)
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("h264", rate=25)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for n in range(seconds * 25):
            base = (ramp + n * 4) % 256 if grain < 255 else 0
            pixels = (base + rng.integers(0, grain + 1, (height, width))) % 256
            rgb = np.repeat(pixels.astype(np.uint8)[:, :, None], 3, axis=2)
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def measure(name: str, source: Path, folder: Path) -> dict:
    target = folder / f"{name}-phone.mp4"
    started = time.process_time()
    info = rendition_make(str(source), str(target))
    cpu = time.process_time() - started
    with av.open(str(target)) as phone:
        seconds = phone.duration / av.time_base
    return {
        "clip": name,
        "original_bytes": source.stat().st_size,
        "phone_bytes": target.stat().st_size,
        "ratio": round(target.stat().st_size / source.stat().st_size, 3),
        "phone_kbit_s": round(target.stat().st_size * 8 / seconds / 1000, 1),
        "size": f"{info.width}x{info.height}",
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "demo.mp4").write_bytes(demo_clip())
        synthetic(folder / "camera.mp4", (1280, 720), 10, 24)
        synthetic(folder / "noise.mp4", (854, 480), 4, 255)
        rows = [
            measure(name, folder / f"{name}.mp4", folder) for name in ("demo", "camera", "noise")
        ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        print("  ".join(f"{key}={value}" for key, value in row.items()))


if __name__ == "__main__":
    main()
