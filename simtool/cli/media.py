"""``simtool media``: video of a drill (issue 23). ``attach`` checks the file is a playable video
and that it shows part of the drill, copies it beside the archive under its SHA-256 and records
it with its audit row; ``list`` prints each video with its file, offset, label, duration and
SHA-256. The work is done by ``simtool.app.media``."""

from __future__ import annotations

import argparse
import math
from typing import Any

from simtool.cli.argtypes import finite_float, text
from simtool.cli.common import EXIT_OK, add_archive_option, dump_json, open_archive
from simtool.core.textsafe import printable

OFFSET_HELP = ("the drill time, in seconds, of the video's first frame (drill time = video time + "
               "offset): mark one moment both show, e.g. the drill start on the monitor or a clap, "
               "and subtract its time in the video from its drill time; negative when the camera "
               "started first")


SYNC_HELP = ("instead of --offset: one moment both show, as VIDEO_TIME=DRILL_TIME (seconds, or "
             "m:ss or h:mm:ss with decimals allowed), e.g. 0:12.4=0:00 when the video shows the "
             "drill start on the monitor 12.4 s after its first frame; the offset is computed")


def clock_seconds(text: str) -> float:
    """Seconds from ``12.4``, ``0:12.4``, ``1:02:03``; ValueError otherwise."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or any(not p.strip() for p in parts):
        raise ValueError(text)
    *whole, last = parts
    seconds = float(last)
    if not math.isfinite(seconds) or seconds < 0 or (whole and seconds >= 60):
        raise ValueError(text)
    total = 0.0
    for p in whole:
        if not p.strip().isdigit():
            raise ValueError(text)
        total = total * 60 + int(p)
    if len(whole) == 2 and int(whole[1]) >= 60:
        raise ValueError(text)
    return total * 60 + seconds if whole else seconds


def sync_pair(text: str) -> tuple[float, float]:
    """``VIDEO_TIME=DRILL_TIME`` for argparse: (video seconds, drill seconds)."""
    video, sep, drill = text.partition("=")
    try:
        if not sep:
            raise ValueError(text)
        return clock_seconds(video), clock_seconds(drill)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{printable(text)!r} is not VIDEO_TIME=DRILL_TIME (e.g. 0:12.4=0:00: the video at "
            f"12.4 s shows the drill's start)") from None


def cmd_attach(args: argparse.Namespace) -> int:
    from simtool.app.media import attach, offset_from_moment
    offset = args.offset if args.sync is None else offset_from_moment(*args.sync)
    with open_archive(args) as archive:
        m = attach(archive, args.drill, args.file, offset, args.label)
    if args.json:
        dump_json(m.to_json())
        return EXIT_OK
    print(printable(f"simtool media: attached {args.file} to drill {m.drill_id} as video {m.id} "
                    f"({m.duration_s:g} s from drill time {m.offset_s:g} s), kept as {m.path}"))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from simtool.app.media import videos
    with open_archive(args) as archive:
        found = videos(archive, args.drill)
    if args.json:
        dump_json([m.to_json() for m in found])
        return EXIT_OK
    if not found:
        print(printable(f"drill {args.drill} has no video (attach one with simtool media attach)"))
        return EXIT_OK
    for m in found:
        print(printable(f"video {m.id}  offset_s {m.offset_s:g}  duration {m.duration_s:g} s  "
                        f"label {m.label or '—'}  sha256 {m.sha256}"))
        if m.present:
            where = f"file {m.path}"
        elif m.not_imported:
            where = "file not in this archive (the bundle it came in did not carry the video)"
        else:
            where = f"file {m.path} is missing (run simtool verify)"
        print(printable(f"    {where} (attached from {m.original_name}, {m.codec} "
                        f"{m.width}x{m.height}, {m.size} bytes)"))
    return EXIT_OK


def add_media_parser(sub: Any) -> None:
    p = sub.add_parser("media", help="attach video to a drill and list it",
                       description="Video of a drill for the debrief: kept beside the archive (a "
                                   "folder named after it, ending .media) under its SHA-256, "
                                   "recorded in the audit chain; simtool verify names a video "
                                   "changed or missing.")
    msub = p.add_subparsers(dest="media_command", metavar="COMMAND", required=True)
    a = msub.add_parser("attach", help="attach a video file to a drill",
                        description="Attach a video (MP4/H.264 or MOV) to a drill. Refused, with "
                                    "nothing written, for a file that is missing or not a playable "
                                    "video, or an offset that puts the video outside the drill.")
    a.add_argument("drill", type=text, metavar="DRILL", help="drill id (see `simtool drills`)")
    a.add_argument("file", metavar="FILE", help="the video file")
    when = a.add_mutually_exclusive_group(required=True)
    when.add_argument("--offset", type=finite_float(), metavar="SECONDS", help=OFFSET_HELP)
    when.add_argument("--sync", type=sync_pair, metavar="VIDEO_TIME=DRILL_TIME", help=SYNC_HELP)
    a.add_argument("--label", type=text, metavar="TEXT", help="what it shows, e.g. 'room camera'")
    a.add_argument("--json", action="store_true", help="print the attached video as JSON")
    add_archive_option(a)
    a.set_defaults(func=cmd_attach)
    ls = msub.add_parser("list", help="the videos of a drill",
                         description="Each video of a drill: its file, offset_s, label, duration "
                                     "and SHA-256.")
    ls.add_argument("drill", type=text, metavar="DRILL", help="drill id (see `simtool drills`)")
    ls.add_argument("--json", action="store_true",
                    help="print JSON: a list of {id, drill, file, file_in_archive, not_imported, "
                         "original_name, offset_s, "
                         "duration_s, label, sha256, size, codec, width, height, attached_at, "
                         "attached_by}")
    add_archive_option(ls)
    ls.set_defaults(func=cmd_list)
