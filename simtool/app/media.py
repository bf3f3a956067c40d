"""Attach a video to a drill (issue 23, item 1): the use case under ``simtool media`` and the
debrief screen.

What is checked before anything is written, each refusal one sentence naming the file:

* the file exists, is a regular file (a symlink is followed; a folder, a device or a pipe is
  refused), is not the archive itself (nor its journal or its write-ahead log), and is not
  bigger than ``MAX_BYTES``;
* it is a playable video: PyAV (FFmpeg's libraries; Debian's ``ffprobe`` when PyAV is not
  installed) finds a video stream, decodes its first frame and reads every packet to the end,
  so a text file named ``.mp4``, a file cut short or one without a known codec is refused;
* the offset (the drill time of the video's first frame: drill time = video time + offset)
  is a finite number and the video shows part of the drill: it starts before the drill ends
  and ends after it starts.

Then the file is copied beside the archive under its SHA-256 (``simtool.store.media``) and
recorded with its audit row."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from simtool.core.errors import SimtoolError
from simtool.core.textsafe import printable
from simtool.store import Archive
from simtool.store.media import MediaFile, keep_file, media_dir, media_of
from simtool.store import media as store_media

MAX_BYTES = 16 * 1024 ** 3          # a 1-hour 1080p room recording is 2-4 GB
LABEL_CHARS = 80
SLACK_S = 1.0                       # a container's duration may run a little past its last packet


class MediaError(SimtoolError):
    """A video that cannot be attached; nothing was written."""


@dataclass(frozen=True)
class VideoInfo:
    duration_s: float
    codec: str
    width: int
    height: int


def _shown(path: Path | str) -> str:
    return printable(str(path))


def probe(path: Path) -> VideoInfo:
    """What the video at ``path`` is, or MediaError (one sentence) if it is not playable."""
    if importlib.util.find_spec("av") is None:
        return _ffprobe(path)
    return _pyav(path)


def _pyav(path: Path) -> VideoInfo:
    import av
    not_video = MediaError(f"{_shown(path)} is not a playable video (no video stream FFmpeg can "
                           f"read); attach an MP4 (H.264) or MOV file")
    try:
        with av.open(str(path), metadata_errors="ignore") as c:
            if not c.streams.video:
                raise not_video
            vs = c.streams.video[0]
            codec, width, height = vs.codec_context.name, vs.codec_context.width, vs.codec_context.height
            frame = next(iter(c.decode(vs)), None)
            if frame is None:
                raise MediaError(f"{_shown(path)} has a video stream but no picture FFmpeg can "
                                 f"decode; it is damaged or its codec ({codec}) is not supported")
            header = c.duration / 1_000_000 if c.duration else None
            if header is None and vs.duration is not None and vs.time_base is not None:
                header = float(vs.duration * vs.time_base)
        # every packet to the end: a file cut short stops early or fails here
        end = 0.0
        with av.open(str(path), metadata_errors="ignore") as c:
            vs = c.streams.video[0]
            tb = vs.time_base
            for packet in c.demux(vs):
                if packet.pts is not None and tb is not None:
                    end = max(end, float((packet.pts + (packet.duration or 0)) * tb))
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError, StopIteration, IndexError) as exc:
        raise MediaError(f"{_shown(path)} is not a playable video ({_why(exc)}); attach an MP4 "
                         f"(H.264) or MOV file") from exc
    start = float(vs.start_time * tb) if vs.start_time is not None and tb is not None else 0.0
    shown = end - start
    duration = header if header is not None and header > 0 else shown
    if header is not None and shown + SLACK_S < 0.95 * header:
        raise MediaError(f"{_shown(path)} is cut short: its pictures stop at {shown:.1f} s of the "
                         f"{header:.1f} s its header promises; attach the whole recording")
    if not math.isfinite(duration) or duration <= 0:
        raise MediaError(f"{_shown(path)} has no length (no picture with a time); it is not a "
                         f"playable video")
    return VideoInfo(round(duration, 3), codec, int(width or 0), int(height or 0))


def _why(exc: BaseException) -> str:
    text = " ".join(str(getattr(exc, "strerror", None) or exc).split())
    return printable(text[:120]) or type(exc).__name__


def _ffprobe(path: Path) -> VideoInfo:
    tool = shutil.which("ffprobe")
    if tool is None:
        raise MediaError(f"cannot tell whether {_shown(path)} is a video: neither PyAV (pip "
                         f"install av) nor ffprobe (sudo apt-get install ffmpeg) is installed")
    out = subprocess.run([tool, "-v", "error", "-select_streams", "v:0", "-count_packets",
                          "-show_entries", "stream=codec_name,width,height,nb_read_packets:"
                          "format=duration", "-of", "json", str(path)],
                         capture_output=True, text=True, timeout=600)
    try:
        data = json.loads(out.stdout or "{}")
        stream = data["streams"][0]
        duration = float(data["format"]["duration"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise MediaError(f"{_shown(path)} is not a playable video (no video stream FFmpeg can "
                         f"read); attach an MP4 (H.264) or MOV file") from None
    if out.returncode != 0 or not int(stream.get("nb_read_packets") or 0) or \
            not math.isfinite(duration) or duration <= 0:
        raise MediaError(f"{_shown(path)} is not a playable video (FFmpeg cannot read it to the "
                         f"end); attach an MP4 (H.264) or MOV file")
    return VideoInfo(round(duration, 3), str(stream.get("codec_name") or ""),
                     int(stream.get("width") or 0), int(stream.get("height") or 0))


def drill_length(archive: Archive, drill_id: str) -> float:
    """How long the drill ran (its last event's time)."""
    archive.drill(drill_id)   # NotFoundError: one sentence
    row = archive._one("SELECT MAX(t) AS t FROM events WHERE drill_id = ?", drill_id)
    return float(row["t"] or 0.0) if row is not None else 0.0


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_source(archive: Archive, source: Path | str) -> Path:
    """The file to attach, resolved, or MediaError."""
    path = Path(source)
    shown = _shown(source)
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise MediaError(f"{shown} does not exist (or is a link to nothing); nothing was attached") from None
    except (OSError, RuntimeError) as exc:
        raise MediaError(f"{shown} cannot be opened ({_why(exc)}); nothing was attached") from None
    if not real.is_file():
        raise MediaError(f"{shown} is not a regular file (a folder, device or pipe); attach a "
                         f"video file")
    own = Path(archive.path)
    for other in (own, own.with_name(own.name + "-wal"), own.with_name(own.name + "-journal"),
                  own.with_name(own.name + "-shm")):
        if _same_file(real, other):
            raise MediaError(f"{shown} is the archive's own file, not a video; nothing was attached")
    folder = media_dir(archive)
    if folder.exists() and real.parent == folder.resolve():
        raise MediaError(f"{shown} is already in the archive's media folder; attach the original "
                         f"recording")
    size = real.stat().st_size
    if size > MAX_BYTES:
        raise MediaError(f"{shown} is {size / 1024 ** 3:.1f} GB, more than the {MAX_BYTES // 1024 ** 3} "
                         f"GB a video may be; cut or compress it first")
    if size == 0:
        raise MediaError(f"{shown} is empty (0 bytes), not a video")
    free = shutil.disk_usage(folder if folder.exists() else own.parent).free
    if size + 64 * 1024 ** 2 > free:
        raise MediaError(f"there is not room for {shown} beside the archive ({size / 1024 ** 2:.0f} "
                         f"MB needed, {free / 1024 ** 2:.0f} MB free); nothing was attached")
    return real


def check_offset(offset_s: float, video_s: float, drill_s: float, shown: str) -> float:
    if isinstance(offset_s, bool) or not isinstance(offset_s, (int, float)) or not math.isfinite(offset_s):
        raise MediaError(f"the offset of {shown} must be a number of seconds (not {offset_s!r})")
    if offset_s >= drill_s:
        raise MediaError(f"an offset of {offset_s:g} s starts {shown} after the drill ended (at "
                         f"{drill_s:g} s): the offset is the drill time of the video's first frame")
    if offset_s + video_s <= 0:
        raise MediaError(f"an offset of {offset_s:g} s ends {shown} ({video_s:g} s long) before the "
                         f"drill started: the offset is the drill time of the video's first frame")
    return float(offset_s)


def check_label(label: str | None) -> str | None:
    if label is None:
        return None
    text = " ".join(label.split())
    if not text:
        return None
    if len(text) > LABEL_CHARS:
        raise MediaError(f"the label is {len(text)} characters long; at most {LABEL_CHARS}")
    if printable(text) != text:
        raise MediaError("the label holds control characters; type it as plain text")
    return text


def offset_from_moment(video_s: float, drill_s: float) -> float:
    """The offset (the drill time of the video's first frame) of a video that shows, ``video_s``
    seconds after its first frame, the moment at drill time ``drill_s`` — the one moment the
    instructor marks in both (the drill start on the monitor, a clap). Negative when the camera
    started before the drill. MediaError for a time that is not a finite number or a video
    time before the first frame."""
    for name, value in (("the time in the video", video_s), ("the drill time", drill_s)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise MediaError(f"{name} of the marked moment must be a number of seconds "
                             f"(not {value!r})")
    if video_s < 0:
        raise MediaError(f"the time in the video of the marked moment is {video_s:g} s, before "
                         f"its first frame")
    return float(drill_s) - float(video_s)


def attach(archive: Archive, drill_id: str, source: Path | str, offset_s: float,
           label: str | None = None, by: str | None = None) -> MediaFile:
    """Attach the video ``source`` to the drill at ``offset_s`` (the drill time of its first
    frame): checked, copied beside the archive under its SHA-256, recorded with its audit row.
    MediaError, NotFoundError or ArchiveError: nothing was recorded (a copy made for it is
    removed again)."""
    if not store_media.has_media(archive):
        raise MediaError(f"the archive {_shown(archive.path)} is in an older format without "
                         f"videos; open it with this simtool to upgrade it")
    label = check_label(label)
    drill_s = drill_length(archive, drill_id)
    real = check_source(archive, source)
    shown = _shown(source)
    try:   # the file probed: keep_file refuses one replaced or rewritten since
        checked = os.stat(real)
    except OSError as exc:
        raise MediaError(f"{shown} cannot be opened ({_why(exc)}); nothing was attached") from None
    if isinstance(offset_s, (int, float)) and not isinstance(offset_s, bool) and not math.isfinite(offset_s):
        check_offset(offset_s, 0.0, drill_s, shown)
    info = probe(real)
    offset = check_offset(offset_s, info.duration_s, drill_s, shown)
    name, sha, size, created = keep_file(archive, real, same_as=checked)
    try:
        return store_media.add_media(archive, drill_id, file=name, sha256=sha, size=size,
                                     original_name=real.name, offset_s=offset,
                                     duration_s=info.duration_s, label=label, codec=info.codec,
                                     width=info.width, height=info.height, by=by)
    except BaseException:
        if created:   # in a write transaction: never a file another simtool's row just took
            store_media.discard_unreferenced(archive, [media_dir(archive) / name])
        raise


def videos(archive: Archive, drill_id: str) -> list[MediaFile]:
    """The drill's videos, in the order attached (NotFoundError for an unknown drill)."""
    archive.drill(drill_id)
    return media_of(archive, drill_id)
