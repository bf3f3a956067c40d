"""One picture from a drill's video at a moment of the drill, for the debrief PDF's key frames
(issue 23, item 3; off unless asked for).

``frame_jpeg(path, seconds)`` decodes the frame shown at ``seconds`` of the video (the last
frame whose time is not after it) with PyAV, scales it to ``width`` pixels wide and returns it
as JPEG bytes; ``None`` when PyAV is not installed or the file cannot be decoded there (the
report then says there is no picture). No Qt: PyAV and Pillow only."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

WIDTH = 320          # pixels: a small picture, sharp at the 42 mm it is printed
QUALITY = 80


def available() -> bool:
    return importlib.util.find_spec("av") is not None


def frame_jpeg(path: Path, seconds: float, width: int = WIDTH) -> bytes | None:
    """The frame at ``seconds`` of the video at ``path`` as JPEG bytes, or None."""
    if not available():
        return None
    import av
    try:
        with av.open(str(path), metadata_errors="ignore") as c:
            if not c.streams.video:
                return None
            vs = c.streams.video[0]
            tb = vs.time_base
            start = float(vs.start_time * tb) if vs.start_time is not None and tb else 0.0
            target = start + max(0.0, seconds)
            if tb:
                c.seek(int(target / tb), stream=vs, backward=True, any_frame=False)
            chosen = None
            for frame in c.decode(vs):
                at = frame.time if frame.time is not None else target
                if chosen is not None and at > target + 1e-6:
                    break
                chosen = frame
                if at > target + 1e-6:   # the first frame is already later: it is the nearest
                    break
            if chosen is None:
                return None
            image = chosen.to_image()
    except (av.error.FFmpegError, OSError, ValueError, IndexError, MemoryError):
        return None
    if image.width > width:
        image = image.resize((width, max(1, round(image.height * width / image.width))))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=QUALITY)
    return out.getvalue()
