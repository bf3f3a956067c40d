"""``simtool publish -o FILE [-m METADATA.json]``: an anonymised, read-only SQLite copy of the
archive's indicator and drill tables with Datasette metadata, for a regional centre to browse
many hospitals' files together (``datasette FILE -m FILE.metadata.json``). The work is done by
``simtool.store.publish``; simtool serves nothing itself."""

from __future__ import annotations

import argparse
from typing import Any

from simtool.cli.common import EXIT_OK, add_archive_option, dump_json, open_archive
from simtool.cli.argtypes import text
from simtool.core.textsafe import printable


def cmd_publish(args: argparse.Namespace) -> int:
    from simtool import __version__
    from simtool.store.publish import publish

    with open_archive(args) as archive:
        out, meta = publish(archive, args.output, args.metadata, site_pseudonyms=args.site_pseudonyms,
                            force=args.force, version=__version__, also=tuple(args.also or ()))
    if args.json:
        dump_json({"file": str(out), "metadata": str(meta)})
        return EXIT_OK
    print(printable(f"published {out} (read-only) and its Datasette metadata {meta}"))
    print(printable(f"browse it with: datasette {out} -m {meta}"))
    return EXIT_OK


def add_publish_parser(sub: Any) -> None:
    """Add ``publish`` to the CLI's subparsers."""
    p = sub.add_parser("publish", help="an anonymised, read-only copy of the indicators for a regional view",
                       description="Write an anonymised, read-only SQLite file of the archive's drills "
                                   "and real cases with their indicator results (no names, no staff ids, "
                                   "no free text; months and quarters, not days) and Datasette metadata "
                                   "(titles in Chinese and English, canned queries by site, department "
                                   "and quarter). A regional centre browses many hospitals' files with "
                                   "`datasette a.sqlite b.sqlite -m metadata.json`.")
    p.add_argument("-o", "--output", type=text, required=True, metavar="FILE",
                   help="the file to write (a file an earlier publish wrote is replaced)")
    p.add_argument("-m", "--metadata", type=text, metavar="JSON",
                   help="where to write the Datasette metadata (default FILE.metadata.json)")
    p.add_argument("--also", type=text, action="append", metavar="OTHER.sqlite",
                   help="another hospital's published file the metadata describes too (repeatable): "
                        "one metadata file for a regional centre's Datasette")
    p.add_argument("--site-pseudonyms", action="store_true",
                   help="name sites by pseudonym (Site 4F2A9C) instead of as recorded")
    p.add_argument("--force", action="store_true", help="replace FILE even if simtool did not write it")
    p.add_argument("--json", action="store_true", help="print the paths written as one JSON object")
    add_archive_option(p)
    p.set_defaults(func=cmd_publish)
