"""Who made a bundle, and that nobody changed it since: Ed25519 signatures over the manifest.

Each archive has a signing key, made on its first bundle export and kept in its ``meta``
table (written once, with an audit row) together with the archive's site name: ``--site`` on
that first export, else the site most of its drills were recorded at, else the host name.
An anonymised bundle is signed with a second key of the archive under the site's pseudonym, so
that neither the site's name nor its usual key travels with it.

A signed bundle's manifest carries ``signer: {site, public_key}`` and the member
``signature.json`` holds ``{"algorithm": "Ed25519", "signature": ...}`` over
``DOMAIN + canonical_json(manifest)``. The manifest holds each drill file's SHA-256, so the
signature covers every byte of the drills. Import (``check_signature``) says one of:

* ``verified`` — "signed by <site> (key <fingerprint>), verified": the key is one this archive
  knows for that site (its own, or one recorded from an earlier bundle);
* ``new key`` — the site has no key here yet: verified against the key the bundle carries and
  that key is recorded for the site (trust on first use; compare the fingerprint with the one
  the exporting machine printed);
* ``new key accepted`` — the site is known with another key and ``--accept-new-key`` was
  given; the new key is recorded beside the old;
* ``unsigned`` — a bundle from before signatures (refused with ``--require-signed``).

Refused, nothing imported: a signature that does not verify — or a manifest that names a
signer without a signature — ("signature does not match: the bundle was changed after it was
signed"; e.g. drills edited and their hashes recomputed), and a site known here with another
key unless ``--accept-new-key``. Known keys are ``meta`` rows ``bundle_key:<hash>`` holding
``{"site", "public_key"}``; settings are never replaced, so accepting a new key adds a row.

The private key sits in the archive file: whoever can copy the archive can sign as its site.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import socket
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from simtool.store.anonymize import site_pseudonym
from simtool.store.bundlecheck import SIGNATURE_FIELDS, record
from simtool.store.bundlezip import parse_json, plain
from simtool.store.errors import BundleError
from simtool.store.hashing import canonical_json

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from simtool.store.archive import Archive

# cryptography is imported where keys are used: every simtool command imports this package,
# few sign or verify anything

DOMAIN = b"simtool bundle manifest, Ed25519, v1\n"
SIGNING_KEY, SIGNING_SITE, ANON_SIGNING_KEY = "signing_key", "signing_site", "signing_key_anonymised"
KNOWN_PREFIX = "bundle_key:"
UNSIGNED, VERIFIED, NEW_KEY, ACCEPTED = "unsigned", "verified", "new key", "new key accepted"


def fingerprint(public_raw: bytes) -> str:
    """A short name for a public key: 16 hex digits of its SHA-256, in groups of four."""
    h = hashlib.sha256(public_raw).hexdigest()[:16]
    return ":".join(h[i:i + 4] for i in range(0, 16, 4))


def _generate() -> "Ed25519PrivateKey":
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    return Ed25519PrivateKey.generate()


def _private_key(hex_text: str) -> "Ed25519PrivateKey":
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(hex_text))


def _public_raw(key: "Ed25519PrivateKey") -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _private_raw(key: "Ed25519PrivateKey") -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


@dataclass(frozen=True)
class Signer:
    site: str
    key: "Ed25519PrivateKey"

    @property
    def public_raw(self) -> bytes:
        return _public_raw(self.key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    def manifest_field(self) -> dict[str, str]:
        return {"site": self.site, "public_key": base64.b64encode(self.public_raw).decode("ascii")}

    def sign(self, manifest: dict[str, Any]) -> bytes:
        """The ``signature.json`` member for ``manifest`` (which must carry this signer)."""
        sig = self.key.sign(DOMAIN + canonical_json(manifest).encode("utf-8"))
        return json.dumps({"algorithm": "Ed25519",
                           "signature": base64.b64encode(sig).decode("ascii")}).encode("ascii")


def default_site(archive: "Archive") -> str:
    row = archive._one("SELECT site, count(*) AS n FROM drills WHERE site IS NOT NULL "
                       "GROUP BY site ORDER BY n DESC, site LIMIT 1")
    return str(row["site"]) if row else socket.gethostname() or "unknown site"


def archive_site(archive: "Archive") -> str | None:
    return archive._meta(SIGNING_SITE)


def archive_signer(archive: "Archive", site: str | None = None, *, anonymised: bool = False) -> Signer:
    """The archive's signer, its key and site made and stored on first use.

    ``site`` names the archive's site on first use; later it must be the stored one.
    ``anonymised``: the second key, signing under the site's pseudonym."""
    stored_site, key_hex = archive._meta(SIGNING_SITE), archive._meta(SIGNING_KEY)
    anon_hex = archive._meta(ANON_SIGNING_KEY)
    if stored_site is not None and site is not None and site != stored_site:
        raise BundleError(f"the archive {archive.path} signs its bundles as {plain(stored_site)}; "
                          f"its site cannot be changed to {plain(site)}")
    if stored_site is None or key_hex is None or (anonymised and anon_hex is None):
        with archive.transaction():
            stored_site, key_hex = archive._meta(SIGNING_SITE), archive._meta(SIGNING_KEY)
            anon_hex = archive._meta(ANON_SIGNING_KEY)
            if stored_site is None:
                stored_site = site or default_site(archive)
                archive._set_meta_in_tx(SIGNING_SITE, stored_site)
            if key_hex is None:
                key_hex = _private_raw(_generate()).hex()
                archive._set_meta_in_tx(SIGNING_KEY, key_hex)
            if anonymised and anon_hex is None:
                anon_hex = _private_raw(_generate()).hex()
                archive._set_meta_in_tx(ANON_SIGNING_KEY, anon_hex)
    if anonymised:
        return Signer(site_pseudonym(archive, stored_site),
                      _private_key(anon_hex or ""))
    return Signer(stored_site, _private_key(key_hex))


def _own_keys(archive: "Archive") -> list[tuple[str, bytes]]:
    """(site, public key) pairs this archive signs with: its own, and its anonymised key under
    its site's pseudonym."""
    out = []
    site, key_hex = archive._meta(SIGNING_SITE), archive._meta(SIGNING_KEY)
    anon_hex = archive._meta(ANON_SIGNING_KEY)
    if site is not None and key_hex is not None:
        out.append((site, _public_raw(_private_key(key_hex))))
    if site is not None and anon_hex is not None:
        out.append((site_pseudonym(archive, site),
                    _public_raw(_private_key(anon_hex))))
    return out


def known_keys(archive: "Archive", site: str) -> set[bytes]:
    """The public keys this archive accepts for ``site``."""
    keys = {raw for s, raw in _own_keys(archive) if s == site}
    for row in archive.db.query("SELECT value FROM meta WHERE key LIKE ?", [KNOWN_PREFIX + "%"]):
        try:
            value = json.loads(row["value"])
            if value.get("site") == site:
                keys.add(base64.b64decode(value["public_key"]))
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
            continue  # a damaged setting trusts nothing
    return keys


def remember_key(archive: "Archive", site: str, public_raw: bytes) -> None:
    """Record ``public_raw`` as a key of ``site`` (inside the caller's transaction)."""
    key = KNOWN_PREFIX + hashlib.sha256(canonical_json([site, public_raw.hex()]).encode()).hexdigest()
    if archive._meta(key) is None:
        archive._set_meta_in_tx(key, canonical_json(
            {"site": site, "public_key": base64.b64encode(public_raw).decode("ascii"),
             "fingerprint": fingerprint(public_raw)}))


@dataclass(frozen=True)
class SignatureStatus:
    status: str                 # verified, new key, new key accepted, unsigned
    message: str
    site: str | None = None
    fingerprint: str | None = None
    public_key: bytes | None = None

    @property
    def to_remember(self) -> bool:
        return self.status in (NEW_KEY, ACCEPTED)

    def to_dict(self) -> dict[str, Any]:
        """status, message, site, fingerprint (the last two null when unsigned)."""
        out = asdict(self)
        out.pop("public_key")
        return out


def verify_manifest(manifest: dict[str, Any], signature: bytes | None, where: str) -> tuple[str, bytes] | None:
    """The signer's (site, public key) if ``manifest`` is signed and the signature holds; None
    if it is unsigned; ``BundleError`` if it was changed after signing."""
    changed = f"{where}: signature does not match: the bundle was changed after it was signed"
    signer = manifest.get("signer")
    if signer is None:
        if signature is not None:
            raise BundleError(f"{changed} (its manifest no longer names the signer)")
        return None
    if signature is None:
        raise BundleError(f"{changed} (its signature was removed)")
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    sig_doc = record(parse_json(signature, f"{where}: signature.json"), SIGNATURE_FIELDS,
                     f"{where}: signature.json")
    try:
        public_raw = base64.b64decode(signer["public_key"], validate=True)
        sig = base64.b64decode(sig_doc["signature"], validate=True)
        public = Ed25519PublicKey.from_public_bytes(public_raw)
    except (ValueError, binascii.Error) as exc:
        raise BundleError(f"{changed} (its key or signature is not an Ed25519 one)") from exc
    try:
        public.verify(sig, DOMAIN + canonical_json(manifest).encode("utf-8"))
    except InvalidSignature as exc:
        raise BundleError(changed) from exc
    return signer["site"], public_raw


def check_signature(archive: "Archive", manifest: dict[str, Any], signature: bytes | None,
                    where: str, *, require_signed: bool = False,
                    accept_new_key: bool = False) -> SignatureStatus:
    """What the bundle's signature says for this archive; refusals raise ``BundleError``."""
    signed = verify_manifest(manifest, signature, where)
    if signed is None:
        if require_signed:
            raise BundleError(f"{where} is unsigned; refused (--require-signed)")
        return SignatureStatus(UNSIGNED, "unsigned")
    site, public_raw = signed
    fp = fingerprint(public_raw)
    known = known_keys(archive, site)
    if public_raw in known:
        return SignatureStatus(VERIFIED, f"signed by {plain(site)} (key {fp}), verified", site, fp, public_raw)
    if not known:
        return SignatureStatus(NEW_KEY, f"signed by {plain(site)} with a key this archive has not seen "
                                        f"before ({fp}); verified against the key it carries",
                               site, fp, public_raw)
    if not accept_new_key:
        others = ", ".join(sorted(fingerprint(k) for k in known))
        raise BundleError(f"{where}: signed by {plain(site)} but with a different key than this archive "
                          f"knows for {plain(site)} (the bundle's key {fp}; known: {others}); refused. "
                          f"If {plain(site)} really has a new key, import with --accept-new-key")
    return SignatureStatus(ACCEPTED, f"signed by {plain(site)} with a new key ({fp}), accepted "
                                     f"(--accept-new-key)", site, fp, public_raw)
