"""``simtool people``: the persons in an archive with their drills, and merging two records
found to be one person (``people merge KEEP OTHER --reason``; ``people unmerge`` reverses it)."""

from __future__ import annotations

import argparse
from typing import Any

from simtool.cli.common import ARCHIVE_HELP, EXIT_OK, dump_json, open_archive
from simtool.cli.argtypes import text
from simtool.core.textsafe import printable



def _line(p: dict[str, Any]) -> str:
    staff = f" ({p['staff_id']})" if p["staff_id"] else ""
    who = ", ".join(x for x in (p.get("profession"), p.get("grade")) if x)
    dept = "".join(f" · {x}" for x in (who, p["department"], p.get("site")) if x)
    merged = f" · {len(p['records'])} records merged" if len(p["records"]) > 1 else ""
    n = p["drills"]
    return f"{p['id']}  {p['name']}{staff}{dept} · {n} drill{'s' if n != 1 else ''}{merged}"


def cmd_people(args: argparse.Namespace) -> int:
    from simtool.app import people
    action = getattr(args, "people_action", None)
    with open_archive(args, create=action == "add") as archive:
        if action in ("merge", "unmerge"):
            fn = people.merge if action == "merge" else people.unmerge
            result: Any = fn(archive, args.keep, args.other, args.reason)
        elif action == "add":
            result = people.add_person(archive, args.name, args.staff_id, site=args.site,
                                       department=args.department, profession=args.profession,
                                       grade=args.grade)
        elif action == "edit":
            result = people.edit_person(archive, args.who, **{
                k: getattr(args, k) for k in people.FIELDS})
        else:
            result = archive.people(site=args.site)
    if args.json:
        dump_json(result)
    elif isinstance(result, list):
        for p in result:
            print(printable(_line(p)))
    else:
        print(printable(_line(result)))
    return EXIT_OK


def add_people_parser(sub: Any) -> None:
    p = sub.add_parser("people", help="the people in the archive, and merging two records of one person",
                       description="Every person with their drills (records found to be one person "
                                   "and merged count once). `people merge KEEP OTHER --reason TEXT` "
                                   "records that OTHER is the same person as KEEP (audited, "
                                   "reversible with `people unmerge`; signed sheets are never "
                                   "rewritten). KEEP and OTHER are trainee ids or staff ids.")
    p.add_argument("--site", type=text, metavar="SITE", help="only people with a drill at this site")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    p.set_defaults(func=cmd_people, people_action=None)
    actions = p.add_subparsers(dest="people_action")
    for name, helptext in (("merge", "record that OTHER is the same person as KEEP"),
                           ("unmerge", "reverse a merge of OTHER into KEEP")):
        m = actions.add_parser(name, help=helptext)
        m.add_argument("keep", type=text, metavar="KEEP")
        m.add_argument("other", type=text, metavar="OTHER")
        m.add_argument("--reason", type=text, required=True, metavar="TEXT", help="why (required)")
        m.add_argument("--json", action="store_true", help="print the person as JSON")
        m.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
        m.add_argument("--site", type=text, metavar="SITE", help=argparse.SUPPRESS)
        m.set_defaults(func=cmd_people, people_action=name)
    a = actions.add_parser("add", help="add a person to the registry",
                           description="Add a person before their first drill: a staff id names "
                                       "one person within a site, so a second person with the "
                                       "same staff id at the same site is refused.")
    a.add_argument("--name", type=text, required=True, metavar="NAME")
    a.add_argument("--staff-id", type=text, metavar="ID")
    e = actions.add_parser("edit", help="correct or complete a person's record (audited)",
                           description="Change the fields given and no others; the change is "
                                       "audited (`simtool verify` tells it from a hand edit). WHO "
                                       "is a trainee id or a staff id.")
    e.add_argument("who", type=text, metavar="WHO")
    e.add_argument("--name", type=text, metavar="NAME")
    e.add_argument("--staff-id", type=text, metavar="ID")
    for sp in (a, e):
        sp.add_argument("--site", type=text, metavar="SITE", help="home hospital")
        sp.add_argument("--department", type=text, metavar="DEPT", help="home department")
        sp.add_argument("--profession", type=text, metavar="TEXT",
                        help="e.g. obstetrician, midwife, anaesthetist, nurse")
        sp.add_argument("--grade", type=text, metavar="TEXT", help="e.g. resident year 2, attending")
        sp.add_argument("--json", action="store_true", help="print the person as JSON")
        sp.add_argument("--archive", metavar="DB", help=ARCHIVE_HELP)
    a.set_defaults(func=cmd_people, people_action="add")
    e.set_defaults(func=cmd_people, people_action="edit")
