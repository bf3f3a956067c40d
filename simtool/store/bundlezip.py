"""Reading a bundle file without trusting it: size caps and a JSON nesting cap.

Limits (also in the README, "Bundles"), each refused with one sentence naming the bundle and,
where there is one, the member:

==========================  ==========  ====================================================
``MAX_BUNDLE_BYTES``        1 GiB       the bundle file itself
``MAX_MEMBERS``             100,002     zip members (a manifest, a signature, 100,000 drills)
``MAX_MEMBER_BYTES``        64 MiB      one drill file, uncompressed
``MAX_MANIFEST_BYTES``      16 MiB      ``manifest.json`` uncompressed (``signature.json``: 64 KiB)
``MAX_TOTAL_BYTES``         4 GiB       all members together, uncompressed
``MAX_RATIO``               200         uncompressed ÷ compressed size of a member over 1 MiB
``MAX_DEPTH``               64          nesting of JSON arrays and objects
==========================  ==========  ====================================================

Videos (``media/<sha256>.<ext>``, only in a bundle made ``--with-media``) have caps of their
own, since a room recording is gigabytes: ``MAX_VIDEO_BYTES`` (16 GiB) each,
``MAX_MEDIA_TOTAL_BYTES`` (64 GiB) together, and a bundle file holding videos may be up to
``MAX_MEDIA_BUNDLE_BYTES`` (65 GiB) — over 1 GiB only when its directory names videos and
everything but the videos' bytes still fits in 1 GiB; its other members count against the
caps above. The ratio cap holds for them too (a
video hardly compresses). A video is never read into memory: ``copy`` streams it in 1 MiB
chunks into a file, hashing as it goes, and stops at its declared size.

A bundle must be a regular file (a FIFO or device is refused without opening it). The member
count is read from the zip's end record before Python's ``zipfile`` parses the directory;
sizes and ratios are checked from the directory before a byte is decompressed, and enforced
again while reading (members are read in 1 MiB chunks, and ``zipfile`` never returns more than
the directory's size), so a zip bomb is refused as "too large" with its member name having
decompressed nothing, and a member whose directory entry lies ends as "damaged" after at most
its stated size. Only stored and deflated members are read; encrypted ones are refused, and so
is a member name holding a NUL (``zipfile`` cuts a name there, so it would be read as another).

JSON: the nesting depth is measured on the raw bytes before parsing (so Python's recursive
parser never meets a deep document); ``NaN``/``Infinity`` and invalid UTF-8 are refused here,
numbers out of range (``1e999``, integers beyond 64 bits) by the record checks. A key given
twice in one object keeps its last value, as in any JSON reader: that value is what is
hashed, signed, checked and stored.
"""

from __future__ import annotations

import json
import os
import stat
import unicodedata
import zipfile
import zlib
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO

from simtool.store.errors import BundleError

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
MAX_BUNDLE_BYTES = 1 * GiB
MAX_MEMBERS = 100_002
MAX_MEMBER_BYTES = 64 * MiB
MAX_MANIFEST_BYTES = 16 * MiB
MAX_SIGNATURE_BYTES = 64 * KiB
MAX_TOTAL_BYTES = 4 * GiB
MAX_RATIO = 200
RATIO_FLOOR = 1 * MiB          # smaller members may compress as well as they like
MAX_DEPTH = 64
MAX_DIRECTORY_BYTES = 64 * MiB
MEDIA_PREFIX = "media/"
MAX_VIDEO_BYTES = 16 * GiB
MAX_MEDIA_TOTAL_BYTES = 64 * GiB
MAX_MEDIA_BUNDLE_BYTES = MAX_BUNDLE_BYTES + MAX_MEDIA_TOTAL_BYTES
_CHUNK = 1 * MiB

MANIFEST, SIGNATURE = "manifest.json", "signature.json"


def plain(text: str, limit: int = 80) -> str:
    """A value from a bundle for a one-line message: control characters escaped, cut short."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if unicodedata.category(c)[0] != "C" else repr(c)[1:-1] for c in cut)


def show(text: str, limit: int = 80) -> str:
    """``plain`` in quotes."""
    return f"'{plain(text, limit)}'"


# --- the zip file, with its caps ------------------------------------------------------------------
def _end_record(f: BinaryIO, size: int) -> tuple[int, int] | None:
    """(entries, directory size) from the zip's end-of-central-directory record (zip64 too);
    None when there is none (``zipfile`` then says the file is not a zip)."""
    tail_len = min(size, 22 + 0xFFFF)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries = int.from_bytes(tail[at + 10:at + 12], "little")
    cd_size = int.from_bytes(tail[at + 12:at + 16], "little")
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        locator_pos = size - tail_len + at - 20
        if locator_pos >= 0:
            f.seek(locator_pos)
            locator = f.read(20)
            if locator[:4] == b"PK\x06\x07":
                f.seek(int.from_bytes(locator[8:16], "little"))
                record = f.read(56)
                if record[:4] == b"PK\x06\x06":
                    entries = int.from_bytes(record[32:40], "little")
                    cd_size = int.from_bytes(record[40:48], "little")
    return entries, cd_size


class BundleZip:
    """An open bundle file whose directory passed the caps; ``read(name)`` reads one member."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            st = os.stat(path)
        except FileNotFoundError as exc:
            raise BundleError(f"{path}: no such bundle file") from exc
        except OSError as exc:
            raise BundleError(f"{path}: cannot read the bundle ({exc.strerror or exc})") from exc
        if not stat.S_ISREG(st.st_mode):
            raise BundleError(f"{path} is not a simtool bundle (not a regular file)")
        too_large = BundleError(f"{path} is too large to be a simtool bundle ({_mib(st.st_size)}; "
                                f"the limit is {_mib(MAX_BUNDLE_BYTES)})")
        if st.st_size > MAX_MEDIA_BUNDLE_BYTES:
            raise BundleError(f"{path} is too large to be a simtool bundle ({_mib(st.st_size)}; "
                              f"the limit is {_mib(MAX_MEDIA_BUNDLE_BYTES)} with videos)")
        oversize = st.st_size > MAX_BUNDLE_BYTES   # allowed only for a bundle that holds videos
        try:
            self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise BundleError(f"{path}: cannot read the bundle ({exc.strerror or exc})") from exc
        try:
            end = _end_record(self._file, st.st_size)
            if oversize and end is None:
                raise too_large
            if end is not None and (end[0] > MAX_MEMBERS or end[1] > MAX_DIRECTORY_BYTES):
                raise BundleError(f"{path}: too many members ({end[0]:,}; the limit is "
                                  f"{MAX_MEMBERS:,}); not a simtool bundle")
            self._file.seek(0)
            try:
                self.zip = zipfile.ZipFile(self._file)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                if oversize:
                    raise too_large from exc
                raise BundleError(f"{path} is not a simtool bundle (not a zip file, or truncated)") from exc
            self.infos = self._check_directory(self.zip.infolist())
            if oversize and (not self.videos() or st.st_size - sum(   # all but the videos: 1 GiB
                    self.infos[n].compress_size for n in self.videos()) > MAX_BUNDLE_BYTES):
                raise too_large
        except BaseException:
            self._file.close()
            raise

    def _check_directory(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        if len(infos) > MAX_MEMBERS:
            raise BundleError(f"{self.path}: too many members ({len(infos):,}; the limit is {MAX_MEMBERS:,})")
        out: dict[str, zipfile.ZipInfo] = {}
        total = media_total = 0
        for info in infos:
            name = info.filename
            if "\0" in info.orig_filename:   # zipfile reads the name only up to its NUL
                raise BundleError(f"{self.path}: the member {show(info.orig_filename)} has a NUL in "
                                  f"its name; not a simtool bundle")
            if name in out:
                raise BundleError(f"{self.path}: the member {show(name)} appears twice; not a "
                                  f"simtool bundle")
            out[name] = info
            cap = self.cap(name)
            if info.file_size > cap:
                raise BundleError(f"{self.path}: {show(name)} is too large ({_mib(info.file_size)} "
                                  f"uncompressed; the limit is {_mib(cap)})")
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BundleError(f"{self.path}: {show(name)} is too large for its size in the bundle "
                                  f"({_mib(info.file_size)} from {_mib(info.compress_size)}: a "
                                  f"compression ratio over {MAX_RATIO}; a zip bomb?)")
            if name.startswith(MEDIA_PREFIX):
                media_total += info.file_size
                if media_total > MAX_MEDIA_TOTAL_BYTES:
                    raise BundleError(f"{self.path}: too large: its videos add up to more than "
                                      f"{_mib(MAX_MEDIA_TOTAL_BYTES)} (at {show(name)})")
                continue
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise BundleError(f"{self.path}: too large: the members add up to more than "
                                  f"{_mib(MAX_TOTAL_BYTES)} uncompressed (at {show(name)})")
        return out

    @staticmethod
    def cap(name: str) -> int:
        if name.startswith(MEDIA_PREFIX):
            return MAX_VIDEO_BYTES
        return {MANIFEST: MAX_MANIFEST_BYTES, SIGNATURE: MAX_SIGNATURE_BYTES}.get(name, MAX_MEMBER_BYTES)

    def videos(self) -> list[str]:
        return [n for n in self.infos if n.startswith(MEDIA_PREFIX)]

    def size(self, name: str) -> int:
        return self.infos[name].file_size

    def copy(self, name: str, dst: BinaryIO | None) -> tuple[str, int]:
        """Stream the member into ``dst`` (None: only hash it) in 1 MiB chunks: (SHA-256, size).
        Never more than its declared size and cap; a damaged member is a BundleError."""
        import hashlib
        info = self._member(name)
        cap = min(self.cap(name), info.file_size)
        h, size = hashlib.sha256(), 0
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if size > cap:
                        raise BundleError(f"{self.path}: {show(name)} is too large (more than "
                                          f"{_mib(cap)} when decompressed)")
                    h.update(chunk)
                    if dst is not None:
                        dst.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
                RuntimeError) as exc:
            raise BundleError(f"{self.path}: {show(name)} is damaged ({exc}); the bundle is "
                              f"corrupt or truncated") from exc
        return h.hexdigest(), size

    def _member(self, name: str) -> zipfile.ZipInfo:
        info = self.infos.get(name)
        if info is None:
            raise BundleError(f"{self.path}: {name} is listed in the manifest but missing")
        if info.flag_bits & 0x1:
            raise BundleError(f"{self.path}: {show(name)} is encrypted; not a simtool bundle")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleError(f"{self.path}: {show(name)} uses a compression simtool does not read")
        return info

    def has(self, name: str) -> bool:
        return name in self.infos

    def read(self, name: str, missing: str | None = None) -> bytes:
        """The member's bytes, read in chunks and never more than its cap."""
        info = self.infos.get(name)
        if info is None:
            raise BundleError(f"{self.path}: {missing or f'{name} is listed in the manifest but missing'}")
        if info.flag_bits & 0x1:
            raise BundleError(f"{self.path}: {show(name)} is encrypted; not a simtool bundle")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleError(f"{self.path}: {show(name)} uses a compression simtool does not read")
        cap = min(self.cap(name), info.file_size)
        out = bytearray()
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    out += chunk
                    if len(out) > cap:
                        raise BundleError(f"{self.path}: {show(name)} is too large (more than "
                                          f"{_mib(cap)} when decompressed)")
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError) as exc:
            raise BundleError(f"{self.path}: {name} is damaged ({exc}); the bundle is corrupt or "
                              f"truncated") from exc
        return bytes(out)

    def close(self) -> None:
        self.zip.close()
        self._file.close()

    def __enter__(self) -> "BundleZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _mib(n: int) -> str:
    return f"{n / GiB:.0f} GiB" if n >= GiB else f"{n / MiB:.1f} MiB" if n >= MiB else f"{n:,} bytes"


# --- JSON with a depth cap ----------------------------------------------------------------------
_NOT_TOKEN = bytes(b for b in range(256) if b not in b'[]{}"')
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def json_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in ``raw`` (brackets inside strings not counted).

    Bytes-level and linear (about 0.2 s for 64 MiB): escaped backslashes and quotes are
    dropped, then everything but brackets and quotes; dropping two adjacent quotes never moves
    another character into or out of a string, which leaves only the few strings that hold
    brackets to split off."""
    tokens = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_TOKEN)
    brackets = b"".join(tokens.replace(b'""', b"").split(b'"')[::2])
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def parse_json(raw: bytes, where: str) -> Any:
    """Parse ``raw``; ``where`` (the bundle and member) starts every refusal. Numbers are
    checked for range by the record checks (``bundlecheck``), which see every value."""
    if json_depth(raw) > MAX_DEPTH:
        raise BundleError(f"{where} is nested too deeply (more than {MAX_DEPTH} levels of arrays "
                          f"and objects)")

    def constant(text: str) -> Any:
        raise BundleError(f"{where}: {text} is not a number simtool accepts")

    try:
        return json.loads(raw.decode("utf-8"), parse_constant=constant)
    except UnicodeDecodeError as exc:
        raise BundleError(f"{where} is not valid JSON (not UTF-8: {exc.reason} at byte {exc.start})") from exc
    except RecursionError as exc:  # not reached: the depth is checked first
        raise BundleError(f"{where} is nested too deeply") from exc
    except ValueError as exc:   # JSONDecodeError, or an integer of thousands of digits
        raise BundleError(f"{where} is not valid JSON ({exc})") from exc
