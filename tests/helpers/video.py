"""Tiny test videos made with PyAV (FFmpeg's libraries), never downloaded: a few seconds of
64x48 H.264 whose frames show a moving bar, so a player's position can be seen to move."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path


def make_video(path: Path, seconds: float = 2.0, fps: int = 10, size: tuple[int, int] = (64, 48),
               codec: str = "libx264", faststart: bool = False) -> Path:
    """Write an MP4 (or a MOV, by the suffix) of ``seconds`` at ``fps``; returns ``path``."""
    import av

    w, h = size
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.time_base = Fraction(1, fps)
        if codec == "libx264":
            stream.options = {"preset": "ultrafast", "g": str(fps)}
        n = max(1, round(seconds * fps))
        for i in range(n):
            x = int(i * (w - 4) / max(n - 1, 1))   # a white bar moving left to right
            frame = av.VideoFrame(w, h, "gray")
            plane = frame.planes[0]
            row = bytes(255 if x <= c < x + 4 else 16 for c in range(w)).ljust(plane.line_size, b"\0")
            plane.update(row * h)
            frame = frame.reformat(format="yuv420p")
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


SHORT_PPH_SCRIPT = ("duration_s: 600\nparticipants:\n  - {id: t1, name: Zhao Min, role: midwife}\n"
                    "actions:\n  - {t: 300, action: uterine_massage, by: midwife}\n")


def scripted_pph_drill(db: Path, script: str = SHORT_PPH_SCRIPT) -> str:
    """Play the bundled PPH scenario with ``script`` (drill-script YAML) into the archive ``db``
    through the command line, as an instructor would; returns the drill's id."""
    from simtool.cli import main
    from simtool.store import Archive

    root = Path(__file__).resolve().parents[2]
    script_file = db.with_name(db.stem + "-script.yaml")
    script_file.write_text(script, encoding="utf-8")
    assert main(["run", str(root / "scenarios" / "pph_uterine_atony.yaml"), "--script",
                 str(script_file), "--archive", str(db)]) == 0
    with Archive.open(db, create=False) as archive:
        return archive.drills()[-1].id
