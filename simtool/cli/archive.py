"""The archive as a whole: ``simtool drills`` (list, JSON, CSV), ``simtool verify`` (the audit
chain and every record's hash) and ``simtool bundle export|import`` (moving drills between
archives)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from simtool.cli.argtypes import text
from simtool.cli.common import open_archive, ARCHIVE_HELP, EXIT_OK, EXIT_PROBLEMS, archive_path, dump_json
from simtool.core.errors import SimtoolError
from simtool.core.textsafe import printable
from simtool.core.timefmt import wall_time


def cmd_drills(args: argparse.Namespace) -> int:
    from simtool.store import write_drills_csv, write_scores_csv
    from simtool.store.outputs import check_target, write_text_atomic

    path = archive_path(args)
    # both outputs are checked before anything is written (never the archive, never an
    # existing file without --force), and each is written whole or not at all
    if args.csv and args.scores_csv and os.path.abspath(args.csv) == os.path.abspath(args.scores_csv):
        raise SimtoolError("--csv and --scores-csv name the same file; give two files")
    for target in (args.csv, args.scores_csv):
        if target:
            check_target(target, protect=[path], force=args.force)
    with open_archive(args, path=path) as archive:
        drills = archive.drills()
        rows: list[int] = []
        if args.csv:
            write_text_atomic(args.csv, lambda f: rows.append(write_drills_csv(archive, f, drills)),
                              protect=[path], force=args.force)
            print(printable(f"{rows[-1]} drills written to {args.csv}"), file=sys.stderr)
        if args.scores_csv:
            write_text_atomic(args.scores_csv, lambda f: rows.append(write_scores_csv(archive, f)),
                              protect=[path], force=args.force)
            print(printable(f"{rows[-1]} score rows written to {args.scores_csv}"), file=sys.stderr)
        if args.json:
            dump_json([d.to_dict() for d in drills])
        elif not (args.csv or args.scores_csv):
            for d in drills:
                people = ", ".join(f"{p.name} ({p.role})" for p in d.participants)
                print(printable(f"{d.id}  {wall_time(d.started_at)}  {d.scenario_id} {d.scenario_version}  "
                                f"{d.status:<11}  {people}"))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from simtool.store.checkpoint import CheckpointFileError, note
    from simtool.store.media import MEDIA_VERSION
    from simtool.store.verify import head

    from simtool.store.errors import ArchiveDamagedError

    path = archive_path(args)
    try:
        archive = open_archive(args, path=path)
    except ArchiveDamagedError as exc:  # what verify itself would say: no "run simtool verify"
        print(printable(f"simtool verify: {str(exc).replace(' or run simtool verify', '')}"),
              file=sys.stderr)
        return EXIT_PROBLEMS
    with archive:
        problems = archive.verify()
        seq, sha = head(archive)
        from simtool.store.media import not_imported
        try:
            notes = not_imported(archive) if archive.schema_version >= MEDIA_VERSION else []
        except Exception:   # a damaged archive: verify has said what it could read
            notes = []
        if not problems:
            try:  # an intact archive: its head is the checkpoint a later verify compares with
                note(archive)
            except (OSError, CheckpointFileError) as exc:
                print(printable(f"simtool verify: the checkpoint of the chain head was not kept ({exc})"),
                      file=sys.stderr)
    for p in problems:
        print(printable(f"{path}: {p}"))
    for n in notes:
        print(printable(f"{path}: note: {n}"))
    if not problems:
        print(printable(f"{path}: every record and the audit chain verify; audit chain head: "
                        f"{seq} / {sha[:16]}…"))
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_bundle(args: argparse.Namespace) -> int:
    import base64

    from simtool.store import export_bundle, import_bundle
    from simtool.store.signing import fingerprint

    if args.bundle_command == "export":
        from simtool.store.outputs import check_target
        # never the archive itself, never an existing file without --force
        check_target(args.output, protect=[archive_path(args)], force=args.force)
    with open_archive(args, create=args.bundle_command == "import") as archive:
        if args.bundle_command == "export":
            ids = args.drill or [d.id for d in archive.drills() if d.status != "discarded"]
            # without --drill every real case travels; with it, the cases of those drills' sites
            manifest = export_bundle(archive, ids, args.output, anonymize=args.anonymize,
                                     site=args.site, force=args.force, with_media=args.with_media,
                                     all_cases=not args.drill)
            signer = manifest["signer"]
            key = fingerprint(base64.b64decode(signer["public_key"]))
            cases = manifest.get("cases")
            also = "" if cases is None else f" and {cases['cases']} real cases"
            print(printable(f"{len(manifest['drills'])} drills{also} written to {args.output}, "
                            f"signed by {signer['site']} (key {key})"), file=sys.stderr)
            media = manifest.get("media")
            if media is not None:
                print(printable(f"{media['videos']} videos included with their files"
                                if media["files_included"] else
                                f"{media['videos']} videos listed, their files left out "
                                f"({media['left_out']})"), file=sys.stderr)
            elif args.with_media:
                print("--with-media: these drills have no videos", file=sys.stderr)
            return EXIT_OK
        from simtool.app.media import probe
        report = import_bundle(archive, args.file, require_signed=args.require_signed,
                               accept_new_key=args.accept_new_key, analysis_copy=args.analysis_copy,
                               probe=probe)
    if args.json:
        dump_json(report.to_dict())
    else:
        print(report.signature["message"])
        print(f"added {len(report.added)}, already present {len(report.already_present)}, "
              f"refused {len(report.refused)}")
        for did, why in report.refused:
            print(printable(f"refused {did}: {why}"))
        for note in report.notes:
            print(printable(f"note: {note}"))
    return EXIT_PROBLEMS if report.refused else EXIT_OK



def add_archive_parsers(sub: Any) -> None:
    archive_help = ARCHIVE_HELP
    p = sub.add_parser("drills", help="list the archive's drills and their status",
                       description="List the archive's drills with their status (running, paused, "
                                   "interrupted, ended, signed); optionally as JSON or CSV.")
    p.add_argument("--archive", metavar="DB", help=archive_help)
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--csv", metavar="FILE", help="write the drills as CSV")
    p.add_argument("--scores-csv", metavar="FILE", help="write every current score sheet as CSV")
    p.add_argument("--force", action="store_true",
                   help="replace an existing --csv/--scores-csv file (never the archive itself)")
    p.set_defaults(func=cmd_drills)

    p = sub.add_parser("verify", help="check signed records and the audit chain",
                       description="Recompute the audit chain and every record's hash (drills, "
                                   "events, vitals, score sheets, sign-offs, amendments, people, "
                                   "settings, kept indicator results), check the file and the end "
                                   "of the log against the checkpoint kept in the user data folder; "
                                   "print each record that was altered, added or removed and exit "
                                   "1, or print the chain head and exit 0.")
    p.add_argument("--archive", metavar="DB", help=archive_help)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("bundle", help="move drills between archives",
                       description="Export drills to one signed bundle file, or import one (idempotent).")
    bsub = p.add_subparsers(dest="bundle_command", required=True)
    b = bsub.add_parser("export", help="write drills to a bundle file",
                        description="Write drills (default: all) to one bundle file with a manifest and hashes, "
                                    "with the real cases of their sites (default: every real case).")
    b.add_argument("--drill", type=text, action="append", metavar="ID",
                   help="a drill to include; repeatable (the real cases of its site go with it)")
    b.add_argument("-o", "--output", required=True, metavar="FILE", help="bundle file to write")
    b.add_argument("--anonymize", action="store_true",
                   help="replace every name, staff id, examiner and site with a stable pseudonym and "
                        "drop typed text (for analysis; imports only with --analysis-copy)")
    b.add_argument("--site", metavar="NAME",
                   help="this archive's site, kept with its signing key on the first export "
                        "(default: the site most drills were recorded at, else the host name)")
    b.add_argument("--force", action="store_true",
                   help="replace an existing bundle file (never the archive itself)")
    b.add_argument("--with-media", action="store_true",
                   help="carry the drills' video files too (gigabytes); without it their rows "
                        "travel and the importing archive lists them as not in it. Never with "
                        "--anonymize: videos show faces")
    b.add_argument("--archive", metavar="DB", help=archive_help)
    b = bsub.add_parser("import", help="read a bundle file into the archive",
                        description="Import a bundle after checking it whole (sizes, every record, the "
                                    "signature); drills already present are skipped, conflicting ones "
                                    "refused and reported, never overwritten.")
    b.add_argument("file", metavar="FILE", help="bundle file to read")
    b.add_argument("--json", action="store_true", help="print the import report as JSON")
    b.add_argument("--require-signed", action="store_true", help="refuse a bundle without a signature")
    b.add_argument("--accept-new-key", action="store_true",
                   help="accept a bundle signed by a known site with a key this archive does not know "
                        "for it (after checking the fingerprint with that site)")
    b.add_argument("--analysis-copy", action="store_true",
                   help="import an anonymised bundle, its score sheets unsigned (use a separate archive)")
    b.add_argument("--archive", metavar="DB", help=archive_help)
    p.set_defaults(func=cmd_bundle)
