"""Hostile bundles (issue 14, deliver 2, 4 and 5).

Every bundle here is generated at run time from the fixture's genuine bundle: drill A alone,
then changed — SQL in a record's keys, unknown keys, ids with ``../`` and ``/``, wrong types,
``NaN``, deep nesting — with its hash in the manifest recomputed so the change reaches the
importer; or a zip bomb, a truncated zip, 60,000 members, sizes that lie; or a re-hashed
forgery. Each is imported into ``target.sqlite`` (an archive holding another drill), which
must stay untouched unless the import is right to add something; a forgery must never be
shown as genuine. ``--anonymize`` is searched for every identifying string the fixture put in.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .case import Case, Ctx, Expect, Result, Verdict, sqlite_rows, write

FAMILY = "bundles"
IMPORT = ["bundle", "import", "{w}/evil.simtool", "--archive", "{w}/target.sqlite"]
UNSIGNED = ("signature", "unsigned", "not signed")   # what a refusal may name instead of the field


def _signing(name: str) -> bool:
    """A manifest key or zip member that signs the bundle (whatever its exact name)."""
    return "sig" in name.lower()


# --- reading and writing zips -------------------------------------------------------------------
def read_members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def write_members(path: Path, members: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw in members:
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), raw, zipfile.ZIP_DEFLATED)


def write_raw_zip(path: Path, members: list[tuple[str, Any, int, int, int, int]]) -> None:
    """A zip from already-compressed members: (name, data chunks (iterable of bytes), method,
    crc, compressed size, declared uncompressed size). Sizes may lie: that is the point."""
    central = b""
    offset = 0
    with open(path, "wb") as f:
        for name, chunks, method, crc, csize, usize in members:
            n = name.encode()
            f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, csize,
                                usize, len(n), 0) + n)
            for chunk in chunks:
                f.write(chunk)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21,
                                   crc, csize, usize, len(n), 0, 0, 0, 0, 0, offset) + n
            offset = f.tell()
        f.write(central)
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                            len(central), offset, 0))


def _flushed_chunk(size: int) -> bytes:
    """``size`` spaces deflated and fully flushed: the same bytes can be repeated in a stream."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(b" " * size) + c.flush(zlib.Z_FULL_FLUSH)


_END = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block


def deflate_repeat(mib: int) -> tuple[bytes, int]:
    """(one flushed MiB, how many times) — the data of a member inflating to ``mib`` MiB."""
    return _flushed_chunk(1 << 20), mib


# --- the genuine bundle, cut down to drill A ----------------------------------------------------
class Genuine:
    def __init__(self, ctx: Ctx) -> None:
        fx = ctx.fixture.require()
        self.members = read_members(fx.bundle)
        raw = dict(self.members)
        self.manifest = json.loads(raw["manifest.json"])
        drill = fx.vars["drill"]
        entry = next(e for e in self.manifest["drills"] if e["id"] == drill)
        self.manifest["drills"] = [entry]
        self.entry = entry
        self.doc = json.loads(raw[entry["file"]])
        others = {e["file"] for e in json.loads(raw["manifest.json"])["drills"]}
        # anything that is neither the manifest nor a drill (a signature, when bundles carry one)
        self.extra = [(n, b) for n, b in self.members if n != "manifest.json" and n not in others]

    def write(self, path: Path, doc_bytes: bytes | None = None, rehash: bool = True,
              unsigned: bool = False) -> Path:
        raw = doc_bytes if doc_bytes is not None else dump(self.doc)
        manifest = json.loads(json.dumps(self.manifest))
        manifest["drills"][0]["id"] = self.doc["drill"]["id"]   # an id changed by the attack
        if rehash:
            manifest["drills"][0]["sha256"] = hashlib.sha256(raw).hexdigest()
        extra = self.extra
        if unsigned:  # whoever crafted it dropped whatever signs the bundle
            manifest = {k: v for k, v in manifest.items() if not _signing(k)}
            manifest["drills"] = [{k: v for k, v in e.items() if not _signing(k)} for e in manifest["drills"]]
            extra = [(n, b) for n, b in extra if not _signing(n)]
        members = [("manifest.json", json.dumps(manifest, indent=1).encode())]
        members += [(self.entry["file"], raw)] + extra
        write_members(path, members)
        return path


def dump(doc: Any) -> bytes:
    # not sorted: the order of keys is part of some attacks
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _target(ctx: Ctx) -> None:
    shutil.copyfile(ctx.fixture.require().other, ctx.w / "target.sqlite")


def crafted(mutate: Callable[[dict, Ctx], bytes | None], unsigned: bool = True) -> Callable[[Ctx], None]:
    """Setup: drill A changed by ``mutate``, its hash recomputed; by default without a signature
    (a crafted bundle cannot carry a valid one), so the importer's own checks must catch it."""
    def setup(ctx: Ctx) -> None:
        _target(ctx)
        g = Genuine(ctx)
        ctx.vars.update(ctx.fixture.vars)
        raw = mutate(g.doc, ctx)
        g.write(ctx.w / "evil.simtool", raw, unsigned=unsigned)
    return setup


def _sheet(doc: dict, who: str) -> dict:
    """The sheet of participant ``who`` (or the team's, ``who='team'``) in a drill document."""
    links = {p["id"]: p.get("trainee_id") for p in doc["participants"]}
    tid = None if who == "team" else links[who]
    current = [s for s in doc["sheets"] if s.get("trainee_id") == tid]
    return current[-1]


def _oxytocin(doc: dict) -> dict:
    return next(e for e in doc["events"] if e.get("action") == "oxytocin" and e.get("kind") == "action")


# --- checks -------------------------------------------------------------------------------------
def no_text_in_db(marker: str, what: str) -> Callable[[Ctx, Result], Verdict | None]:
    def check(ctx: Ctx, res: Result) -> Verdict | None:
        db = ctx.w / "target.sqlite"
        try:
            tables = [r[0] for r in sqlite_rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")]
            for t in tables:
                for row in sqlite_rows(db, f'SELECT * FROM "{t}"'):
                    if any(isinstance(v, str) and marker in v for v in row):
                        return Verdict("accepted_bad", f"{what}: table {t} holds {marker!r}")
        except Exception:  # noqa: BLE001 - an unreadable target is judged by "untouched"
            return None
        return None
    return check


SIGNATURE_WORDS = ("signature does not match", "unsigned", "not signed", "signature is missing",
                   "no signature", "not verified", "cannot be verified")


def not_genuine(ctx: Ctx, res: Result) -> Verdict | None:
    out = res.output.lower()
    said = any(w in out for w in SIGNATURE_WORDS)
    claims = "verified" in out.replace("not verified", "").replace("cannot be verified", "")
    if res.rc == 0 and not said:
        return Verdict("accepted_bad", "a re-hashed forgery was imported without a word about its signature")
    if claims and not said:
        return Verdict("accepted_bad", "a re-hashed forgery was shown as verified")
    return None


def genuine_verified(ctx: Ctx, res: Result) -> Verdict | None:
    out = res.output.lower()
    if res.rc == 0 and not ("signed" in out and "verified" in out):
        return Verdict("unclear", "the import of a genuine bundle does not say it is signed and verified")
    return None


def nothing_outside(folder: str) -> Callable[[Ctx, Result], Verdict | None]:
    def check(ctx: Ctx, res: Result) -> Verdict | None:
        from .run import _listing, _side
        before = ctx.state.get("listing", {})
        after = _listing(ctx.root)
        inside = folder.rstrip("/") + "/"
        outside = sorted(r for r in after if r not in before and not _side(r)
                         and not r.startswith(inside))
        if outside:
            return Verdict("accepted_bad", f"wrote outside the chosen folder: {', '.join(outside[:3])}")
        return None
    return check


def anonymous(ctx: Ctx, res: Result) -> Verdict | None:
    path = ctx.w / "anon.simtool"
    if res.rc != 0 or not path.is_file():
        return None   # judged by the exit code
    blobs = [path.read_bytes()] + [raw for _, raw in read_members(path)]
    text = b"\n".join(blobs).decode("utf-8", errors="replace").lower()
    info = ctx.fixture.require().info
    leaked = sorted({m for m in info["markers"] + info["marker_words"] if m.lower() in text})
    if leaked:
        return Verdict("accepted_bad", f"the anonymised bundle contains {len(leaked)} identifiers: "
                                       f"{', '.join(leaked[:8])}")
    return None


# --- the cases ----------------------------------------------------------------------------------
def _key(where: Callable[[dict], dict], key: str, value: Any = "red") -> Callable[[dict, Ctx], None]:
    def mutate(doc: dict, ctx: Ctx) -> None:
        where(doc)[key] = value
    return mutate


def _sql_signoff(doc: dict, ctx: Ctx) -> None:
    # one INSERT of the importer's own, bent into writing a row it did not mean to
    so = doc["signoffs"][0]
    doc["signoffs"][0] = {"sheet_id": so["sheet_id"], "examiner_id": so["examiner_id"],
                          "at, record_sha256, audit_seq) SELECT ?, ?, ? || 'PWNED', 'PWNED', ? --": so["at"]}


def _ids(drill_id: str) -> Callable[[dict, Ctx], None]:
    def mutate(doc: dict, ctx: Ctx) -> None:
        old = doc["drill"]["id"]
        doc["drill"]["id"] = drill_id
        # signed sheets name their drill under a hash: a crafted bundle carries unsigned ones
        doc["sheets"] = [s for s in doc["sheets"] if not s.get("signed_at")]
        doc["signoffs"], doc["amendments"] = [], []
        for s in doc["sheets"]:
            if s.get("drill_id") == old:
                s["drill_id"] = drill_id
        ctx.vars["evil_drill"] = drill_id
    return mutate


def _participant_id(new: str) -> Callable[[dict, Ctx], None]:
    def mutate(doc: dict, ctx: Ctx) -> None:
        sheet = _sheet(doc, "t3")
        for p in doc["participants"]:
            if p["id"] == "t3":
                p["id"] = new
        for e in doc["events"]:
            if e.get("actor") == "t3":
                e["actor"] = new
        if isinstance(sheet.get("data"), dict):
            sheet["data"]["participant"] = new
    return mutate


def _genuine_id(mutate: Callable[[dict, Ctx], None]) -> Callable[[dict, Ctx], None]:
    def both(doc: dict, ctx: Ctx) -> None:
        mutate(doc, ctx)
        ctx.vars.setdefault("evil_drill", doc["drill"]["id"])
    return both


def _nan(where: Callable[[dict], dict], key: str, value: float) -> Callable[[dict, Ctx], None]:
    def mutate(doc: dict, ctx: Ctx) -> None:
        where(doc)[key] = value   # json.dumps writes NaN / Infinity tokens
    return mutate


def _deep(doc: dict, ctx: Ctx) -> bytes:
    _sheet(doc, "t3")["data"] = "@@DEEP@@"
    return dump(doc).replace(b'"@@DEEP@@"', b"[" * 100_000 + b"]" * 100_000)


def _forge(doc: dict, ctx: Ctx) -> None:
    _oxytocin(doc)["dose"] = 40          # the record now says 40 IU were given
    doc["trainees"][0]["name"] = "Someone Else Entirely"


def _bomb(ctx: Ctx) -> None:
    _target(ctx)
    g = Genuine(ctx)
    chunk, times = deflate_repeat(3 * 1024)            # 3 GiB of spaces in ~3 MB
    manifest = json.dumps(g.manifest, indent=1).encode()
    write_raw_zip(ctx.w / "evil.simtool", [
        ("manifest.json", [manifest], 0, zlib.crc32(manifest), len(manifest), len(manifest)),
        (g.entry["file"], [chunk] * times + [_END], 8, 0, len(chunk) * times + len(_END), times << 20),
    ] + [(n, [b], 0, zlib.crc32(b), len(b), len(b)) for n, b in g.extra])


def _size_lie(ctx: Ctx) -> None:
    _target(ctx)
    g = Genuine(ctx)
    chunk, times = deflate_repeat(64)
    manifest = json.dumps(g.manifest, indent=1).encode()
    write_raw_zip(ctx.w / "evil.simtool", [
        ("manifest.json", [manifest], 0, zlib.crc32(manifest), len(manifest), len(manifest)),
        (g.entry["file"], [chunk] * times + [_END], 8, 0, len(chunk) * times + len(_END), 100),
    ] + [(n, [b], 0, zlib.crc32(b), len(b), len(b)) for n, b in g.extra])


def _manifest_size_lie(ctx: Ctx) -> None:
    _target(ctx)
    g = Genuine(ctx)
    raw = dump(g.doc)
    sized = [k for k, v in g.entry.items() if isinstance(v, int) and k not in ("events",)]
    if not sized:  # this format's manifest has no sizes: claim one it never had
        sized = ["bytes"]
    for k in sized:
        g.manifest["drills"][0][k] = 100
    g.write(ctx.w / "evil.simtool", raw)


def _many(ctx: Ctx) -> None:
    _target(ctx)
    g = Genuine(ctx)
    path = ctx.w / "genuine.simtool"
    g.write(path)
    members = [(n, [b], 0, zlib.crc32(b), len(b), len(b)) for n, b in read_members(path)]
    members += [(f"junk/{i:06d}", [], 0, 0, 0, 0) for i in range(60_000)]  # a classic zip holds 65,535
    write_raw_zip(ctx.w / "evil.simtool", members)


def _truncated(ctx: Ctx) -> None:
    _target(ctx)
    data = ctx.fixture.require().bundle.read_bytes()
    write(ctx.w / "evil.simtool", data[: len(data) // 2])


def _import_then(mutate: Callable[[dict, Ctx], None]) -> Callable[[Ctx], None]:
    """Import a crafted bundle (whatever the importer says), so the next command meets it."""
    def setup(ctx: Ctx) -> None:
        crafted(mutate)(ctx)
        ctx.simtool(*[a.format_map(ctx.vars) for a in IMPORT])
        (ctx.w / "out").mkdir()
    return setup


def cases() -> list[Case]:
    c: list[Case] = []

    def add(name: str, setup: Callable[[Ctx], None], mention=(), slow: bool = False, check=None,
            exit=(1,), untouched=("target.sqlite",), argv=IMPORT, timeout: float = 30.0) -> None:
        c.append(Case(id=f"{FAMILY}/{name}", family=FAMILY, argv=argv, setup=setup,
                      expect=Expect(exit=exit, mention=mention, untouched=untouched, check=check),
                      slow=slow, needs_fixture=True, timeout=timeout))

    field = ("field", "column", "key", "unknown", *UNSIGNED)
    add("sql-in-a-signoff-key", crafted(_sql_signoff), mention=(field,),
        check=no_text_in_db("PWNED", "the bundle's SQL ran"))
    add("sql-in-a-sheet-key", crafted(_key(lambda d: _sheet(d, "t3"), 'x" TEXT); DROP TABLE drills; --')),
        mention=(field,), check=no_text_in_db("PWNED", "the bundle's SQL ran"))
    add("sql-in-a-drill-key", crafted(_key(lambda d: d["drill"], "site) VALUES (?); --")),
        mention=(field,), slow=True)
    add("unknown-key-in-a-sheet", crafted(_key(lambda d: _sheet(d, "t3"), "favourite_colour")),
        mention=(("favourite_colour", *UNSIGNED),))
    add("unknown-key-in-a-participant", crafted(_key(lambda d: d["participants"][0], "favourite_colour")),
        mention=(("favourite_colour", *UNSIGNED),))
    add("unknown-key-in-an-event", crafted(_key(lambda d: d["events"][0], "favourite_colour")),
        mention=(("favourite_colour", *UNSIGNED),), slow=True)
    add("unknown-key-in-a-trainee", crafted(_key(lambda d: d["trainees"][0], "favourite_colour")),
        mention=(("favourite_colour", *UNSIGNED),), slow=True)
    add("unknown-key-in-vitals", crafted(_key(lambda d: d["vitals"][0], "favourite_colour")),
        mention=(("favourite_colour", *UNSIGNED),), slow=True)
    add("unknown-key-in-the-document", crafted(_key(lambda d: d, "favourite_colour")),
        mention=(("favourite_colour", *UNSIGNED),), slow=True)
    add("drill-id-with-dotdot", crafted(_ids("../../escaped-drill")), mention=(("escaped-drill", *UNSIGNED),))
    add("drill-id-with-slash", crafted(_ids("abc/def")), mention=(("abc/def", *UNSIGNED),), slow=True)
    add("participant-id-with-dotdot", crafted(_participant_id("../../../../escaped-person")),
        mention=(("escaped-person", *UNSIGNED),), slow=True)
    export_all = ["export", "{evil_drill}", "--kind", "score-sheet", "--all-sheets", "--archive",
                  "{w}/target.sqlite", "-o", "{w}/out"]
    add("drill-id-with-dotdot-then-export-all-sheets", _import_then(_ids("../../escaped-drill")),
        argv=export_all, exit=(0, 1), untouched=(), check=nothing_outside("w/out"), slow=True)
    add("participant-id-with-dotdot-then-export-all-sheets",
        _import_then(_genuine_id(_participant_id("../../../../escaped-person"))),
        argv=export_all, exit=(0, 1), untouched=(), check=nothing_outside("w/out"))
    add("drill-id-with-slash-then-verify", _import_then(_ids("abc/def")),
        argv=["verify", "--archive", "{w}/target.sqlite"], exit=(0,), untouched=(), slow=True)
    add("wrong-type-participant-name", crafted(_key(lambda d: d["participants"][0], "name", 123)),
        mention=(("name", *UNSIGNED),))
    add("wrong-type-trainee-staff-id", crafted(_key(lambda d: d["trainees"][0], "staff_id", ["x"])),
        mention=(("staff_id", *UNSIGNED),), slow=True)
    add("wrong-type-event-dose", crafted(_key(_oxytocin, "dose", "ten")), mention=(("dose", *UNSIGNED),), slow=True)
    add("wrong-type-sheet-items", crafted(_key(lambda d: _sheet(d, "t3"), "items", "x")),
        mention=(("items", *UNSIGNED),), slow=True)
    add("wrong-type-drill-patient", crafted(_key(lambda d: d["drill"], "patient", 5)),
        mention=(("patient", *UNSIGNED),), slow=True)
    add("nan-dose-in-an-event", crafted(_nan(_oxytocin, "dose", float("nan"))),
        mention=(("nan", "finite", "dose", *UNSIGNED),))
    add("infinity-in-vitals", crafted(_nan(lambda d: d["vitals"][0], "hr", float("inf"))),
        mention=(("infinity", "finite", "hr", *UNSIGNED),), slow=True)
    add("deep-nesting", crafted(_deep), mention=(("evil.simtool", "deep", "nest", *UNSIGNED),))
    add("zip-bomb", _bomb, mention=(("large", "size", "big", "limit"),), timeout=60)
    add("zip-size-lie", _size_lie, mention=(("evil.simtool",),), slow=True)
    add("manifest-size-lie", _manifest_size_lie, mention=(("evil.simtool",),), slow=True)
    add("truncated-zip", _truncated, mention=(("evil.simtool",),), slow=True)
    add("many-members", _many, exit=(0, 1), untouched=(), slow=True, timeout=60)
    add("rehashed-forgery", crafted(_forge, unsigned=False), exit=(0, 1), untouched=(), check=not_genuine)
    add("rehashed-forgery-signature-dropped", crafted(_forge), exit=(0, 1),
        untouched=(), check=not_genuine, slow=True)

    def genuine(ctx: Ctx) -> None:
        _target(ctx)
        shutil.copyfile(ctx.fixture.require().bundle, ctx.w / "evil.simtool")
    add("genuine-bundle-imports-verified", genuine, exit=(0,), untouched=(), check=genuine_verified)
    c.append(Case(
        id=f"{FAMILY}/anonymize-leaks-nothing", family=FAMILY,
        argv=["bundle", "export", "--anonymize", "--archive", "{archive}", "-o", "{w}/anon.simtool"],
        setup=lambda ctx: ctx.use_fixture(), expect=Expect(exit=(0,), check=anonymous),
        needs_fixture=True))
    return c
