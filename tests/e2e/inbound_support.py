"""Shared helpers for the inbound tests (docs/inbound.md): config, drop folder, ingest, spool,
quarantine, pairing, the sender registry, approvals and the audit export.

Everything drives the real binary (`gatehouse ingest|pair|senders|approvals|audit ...`) through
`Gatehouse.cli()` (harness.py), which appends `--config` and `--state-dir`. Nothing here knows how
Gatehouse is implemented; where the doc leaves an output format open (e.g. `senders list --json`),
the parsers are tolerant and say so.

Main entry points:

- `inbound_config(gh, ...)` / `configure(gh, ...)`: a valid config with an `inbound:` section
  (and optional `taint:`), starting from `gh.base_config()`.
- `drop_record(...)`, `write_drop(dir, name, payload)`: a `gatehouse.drop/1` event, written
  atomically (`.<name>.tmp`, then rename to `<name>.json`), as the doc asks of a receiver.
- `ingest(gh, *flags)`: `gatehouse ingest --once ...`, returning exit code, output and the parsed
  summary line `ingest: delivered=N dropped=N paired=N quarantined=N skipped=N`.
- `inbox(gh)`, `quarantine(gh)`: the spool (`<state>/inbox/<id>.json`, in the readers' order
  `received_at`, then id) and `<state>/quarantine/*.json`.
- `assert_inbox_record(rec)`: the exact `gatehouse.inbox/1` schema.
- `pair_new(gh, name, ...)` -> the printed code; `senders_list(gh)`, `sender_entry(...)`,
  `approve(gh, number, ...)`, `block(gh, number)`.
- `audit_export(gh)`, `inbound_events(...)`, `reason_codes(rec)`.
- `approvals_list(gh)`, `approve_held(gh, id)`.
- `start_ingest_loop(gh, ...)` / `stop_ingest_loop(proc)` for ingest without `--once`, and
  `wait_for(predicate)` to wait on it; `state_files_containing(gh, ...)` for "never stored" checks;
  `forbidden_chars(text)` for sanitising checks; `inbound_trace(gh)` for assertion messages.
- Identities: phone numbers in the UK drama range (07700 900xxx) with distinct last three digits,
  and helpers `phone_jid`, `masked`, `digits_visible`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from harness import Gatehouse

# --------------------------------------------------------------------------- identities

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0 O 1 I
CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{8}}$")


@dataclass(frozen=True)
class Person:
    """A test identity: `phone` (as typed by an operator), `digits` (E.164 without +), `jid`."""

    name: str
    phone: str

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.phone)

    @property
    def e164(self) -> str:
        return "+" + self.digits

    @property
    def jid(self) -> str:
        return self.digits + "@s.whatsapp.net"

    @property
    def masked(self) -> str:
        """The doc's mask: country code, one bullet per hidden digit, the last three digits
        (`+44•••••••123` for +447700900123)."""
        return masked(self.digits)

    @property
    def national(self) -> str:
        return self.digits[2:] if self.digits.startswith("44") else self.digits

    def visible_in(self, text: str) -> bool:
        return digits_visible(self.digits, text)


# Same numbers as harness.py for Alice, Bob, Carol and the unlisted one; all last-3 digits distinct.
ALICE = Person("Alice", "+44 7700 900123")
BOB = Person("Bob", "+44 7700 900456")
CAROL = Person("Carol", "+44 7700 900789")
DAVE = Person("Dave", "+44 7700 900321")
ERIN = Person("Erin", "+44 7700 900654")
MALLORY = Person("Mallory", "+44 7700 900888")
STRANGER = Person("Stranger", "+44 7700 900999")

LID_DIGITS = "123456789012345"  # a LID (linked identity) user part
LID_JID = LID_DIGITS + "@lid"

GROUP_JID = "120363041234567890@g.us"  # = harness.FAMILY_GROUP
OPEN_GROUP_JID = "120363049999999999@g.us"  # allowlisted with allow_all_members: true
OTHER_GROUP_JID = "120363040000000001@g.us"  # never allowlisted


def phone_jid(digits: str) -> str:
    return re.sub(r"\D", "", digits) + "@s.whatsapp.net"


def masked(digits: str, cc_len: int = 2) -> str:
    d = re.sub(r"\D", "", digits)
    return "+" + d[:cc_len] + "\u2022" * (len(d) - cc_len - 3) + d[-3:]


def digits_visible(digits: str, text: str) -> bool:
    """Do the full number (with or without country code, any spacing) show up in text?"""
    d = re.sub(r"\D", "", digits)
    national = d[2:] if d.startswith("44") else d
    squashed = re.sub(r"[\s\-()]", "", text)
    return d in squashed or national in squashed


# --------------------------------------------------------------------------- config

DEFAULT_PAIRING = {"code_ttl_minutes": 60, "max_pending": 3, "lockout_after": 5, "lockout_minutes": 60}


def drop_dir_of(gh: Gatehouse) -> Path:
    """The drop folder these helpers configure (absolute, under the test's temp root)."""
    return gh.root / "inbound-drop"


def inbound_config(
    gh: Gatehouse,
    *,
    bridge_db: Path | None = None,
    drop_dir: Path | None | bool = True,
    groups: list[dict[str, Any]] | None = None,
    max_text_chars: int | None = None,
    pairing: dict[str, Any] | None = None,
    taint: bool | None = None,
    extra_inbound: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """`gh.base_config(**overrides)` plus an `inbound:` section.

    `drop_dir=True` (default) uses `drop_dir_of(gh)`; `False` leaves the key out (the default
    `<state>/drop` applies). `pairing` values override `DEFAULT_PAIRING` (the full section is
    always written). `taint` writes `taint: {approve_sends_after_untrusted: taint}`.
    """
    cfg = gh.base_config(**overrides)
    inbound: dict[str, Any] = {}
    if bridge_db is not None:
        inbound["bridge_db"] = str(bridge_db)
    if drop_dir is True:
        inbound["drop_dir"] = str(drop_dir_of(gh))
    elif isinstance(drop_dir, Path):
        inbound["drop_dir"] = str(drop_dir)
    inbound["max_text_chars"] = 4096 if max_text_chars is None else max_text_chars
    inbound["groups"] = [dict(g) for g in (groups or [])]
    inbound["pairing"] = {**DEFAULT_PAIRING, **(pairing or {})}
    inbound.update(extra_inbound or {})
    cfg["inbound"] = inbound
    if taint is not None:
        cfg["taint"] = {"approve_sends_after_untrusted": taint}
    return cfg


def configure(gh: Gatehouse, **kw: Any) -> dict[str, Any]:
    """Write `inbound_config(gh, **kw)` and create an explicitly configured drop folder.
    Returns the config dict."""
    cfg = inbound_config(gh, **kw)
    gh.write_config(cfg)
    d = cfg["inbound"].get("drop_dir")
    if d:  # the default <state>/drop is left to Gatehouse (it creates the state dir 0700)
        Path(d).mkdir(parents=True, exist_ok=True)
    return cfg


def group(jid: str, name: str, allow_all_members: bool = False) -> dict[str, Any]:
    return {"jid": jid, "name": name, "allow_all_members": allow_all_members}


# --------------------------------------------------------------------------- drop folder

_drop_seq = 0


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def drop_record(
    sender: str,
    text: str,
    *,
    chat: str | None = None,
    id: str | None = None,
    timestamp: str | int | None = None,
    from_me: bool = False,
    sender_name: str | None | bool = False,
    chat_name: str | None | bool = False,
    attachment: dict[str, Any] | None | bool = False,
) -> dict[str, Any]:
    """A valid `gatehouse.drop/1` event. `sender` is a number (`+44…`) or a JID; the chat defaults
    to the sender's direct chat. Optional fields are left out unless given (False = absent)."""
    global _drop_seq
    _drop_seq += 1
    if chat is None:
        chat = sender if "@" in sender else phone_jid(sender)
        chat = chat.split(":", 1)[0] + "@" + chat.split("@", 1)[1] if ":" in chat.split("@", 1)[0] else chat
    rec: dict[str, Any] = {
        "schema": "gatehouse.drop/1",
        "id": id or f"3EB0{os.getpid():06X}{_drop_seq:010X}",
        "chat": chat,
        "sender": sender,
        "timestamp": now_iso() if timestamp is None else timestamp,
        "text": text,
        "from_me": from_me,
    }
    if sender_name is not False:
        rec["sender_name"] = sender_name
    if chat_name is not False:
        rec["chat_name"] = chat_name
    if attachment is not False:
        rec["attachment"] = attachment
    return rec


def write_drop(drop_dir: Path, name: str, payload: dict[str, Any] | str | bytes) -> Path:
    """Write one drop file atomically: `.<name>.tmp`, fsync, rename to `<name>.json`.

    `payload` may be a dict (JSON-encoded), or raw str/bytes (for malformed files)."""
    drop_dir.mkdir(parents=True, exist_ok=True)
    if isinstance(payload, dict):
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    elif isinstance(payload, str):
        data = payload.encode("utf-8")
    else:
        data = payload
    base = name[:-5] if name.endswith(".json") else name
    tmp = drop_dir / f".{base}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    final = drop_dir / f"{base}.json"
    os.replace(tmp, final)
    return final


def drop_files(drop_dir: Path) -> list[Path]:
    """The `*.json` files still waiting in the drop folder (dot-files excluded)."""
    if not drop_dir.is_dir():
        return []
    return sorted(p for p in drop_dir.iterdir() if p.suffix == ".json" and not p.name.startswith("."))


class Dropper:
    """Writes drop files with names that sort in call order (`0001-<label>.json`, ...)."""

    def __init__(self, drop_dir: Path) -> None:
        self.dir = drop_dir
        self.n = 0

    def __call__(self, payload: dict[str, Any] | str | bytes, label: str = "msg") -> Path:
        self.n += 1
        return write_drop(self.dir, f"{self.n:04d}-{label}", payload)

    def message(self, sender: str, text: str, label: str = "msg", **kw: Any) -> dict[str, Any]:
        rec = drop_record(sender, text, **kw)
        self(rec, label)
        return rec


# --------------------------------------------------------------------------- ingest

SUMMARY_RE = re.compile(
    r"ingest: delivered=(\d+) dropped=(\d+) paired=(\d+) quarantined=(\d+) skipped=(\d+)"
)


@dataclass
class IngestRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def summary(self) -> dict[str, int] | None:
        """The last summary line (stdout or stderr), or None if there is none."""
        found = SUMMARY_RE.findall(self.output)
        if not found:
            return None
        keys = ("delivered", "dropped", "paired", "quarantined", "skipped")
        return dict(zip(keys, map(int, found[-1])))

    def __repr__(self) -> str:
        return f"IngestRun(rc={self.returncode}, stdout={self.stdout[-1500:]!r}, stderr={self.stderr[-1500:]!r})"


def ingest(gh: Gatehouse, *flags: str, check: bool = True, timeout: float = 60.0) -> IngestRun:
    """`gatehouse ingest --once [flags]`; with `check`, asserts exit 0 and a summary line."""
    r = gh.cli("ingest", "--once", *flags, timeout=timeout)
    run = IngestRun(r.returncode, r.stdout, r.stderr)
    if check:
        assert run.returncode == 0, f"gatehouse ingest --once {' '.join(flags)} failed: {run!r}"
        assert run.summary is not None, f"no `ingest: delivered=N dropped=N ...` summary line: {run!r}"
    return run


# --------------------------------------------------------------------------- spool and quarantine

INBOX_FIELDS = {
    "schema", "id", "source", "received_at", "sent_at", "chat_id", "chat_kind", "chat_name", "sender_id",
    "sender_name", "sender_masked", "text", "text_truncated", "is_command", "attachment",
    "attachment_withheld", "provenance",
}
QUARANTINE_FIELDS = {"reason", "source", "quarantined_at", "raw_sha256", "raw", "raw_size"}
ISO_UTC_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|\+00:00)$")


def _json_dir(d: Path) -> list[tuple[Path, dict[str, Any]]]:
    if not d.is_dir():
        return []
    out = []
    for p in sorted(d.iterdir()):
        if p.name.startswith(".") or p.suffix != ".json" or not p.is_file():
            continue
        out.append((p, json.loads(p.read_text(encoding="utf-8"))))
    return out


def inbox_dir(gh: Gatehouse) -> Path:
    return gh.state_dir / "inbox"


def quarantine_dir(gh: Gatehouse) -> Path:
    return gh.state_dir / "quarantine"


def inbox_files(gh: Gatehouse) -> list[tuple[Path, dict[str, Any]]]:
    return _json_dir(inbox_dir(gh))


def inbox(gh: Gatehouse) -> list[dict[str, Any]]:
    """The spooled records (`<state>/inbox/<id>.json`, temp files excluded), in the readers'
    order: `received_at`, then id."""
    return sorted((doc for _, doc in inbox_files(gh)), key=lambda r: (str(r.get("received_at")), str(r.get("id"))))


def inbox_texts(gh: Gatehouse) -> list[str]:
    """The texts of `inbox(gh)`, in the readers' order."""
    return [r.get("text") for r in inbox(gh)]


def quarantine(gh: Gatehouse) -> list[dict[str, Any]]:
    """The quarantined records (`<state>/quarantine/*.json`)."""
    return [doc for _, doc in _json_dir(quarantine_dir(gh))]


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_inbox_record(rec: dict[str, Any]) -> None:
    """Exactly the `gatehouse.inbox/1` fields, with the documented types and shapes."""
    assert set(rec) == INBOX_FIELDS, (
        f"inbox record fields differ: extra {sorted(set(rec) - INBOX_FIELDS)}, missing {sorted(INBOX_FIELDS - set(rec))}: {rec}"
    )
    assert rec["schema"] == "gatehouse.inbox/1", rec
    assert re.fullmatch(r"m_[0-9a-f]{16}", rec["id"]), rec
    assert rec["source"] in ("bridge", "drop"), rec
    for k in ("received_at", "sent_at"):
        assert isinstance(rec[k], str) and ISO_UTC_MS.match(rec[k]), f"{k} is not ISO-8601 UTC with ms: {rec}"
    assert re.fullmatch(r"c_[0-9a-f]{16}", rec["chat_id"]), rec
    assert rec["chat_kind"] in ("direct", "group", "service"), rec
    assert re.fullmatch(r"s_[0-9a-f]{16}", rec["sender_id"]), rec
    for k in ("chat_name", "sender_name", "sender_masked", "text"):
        assert isinstance(rec[k], str), f"{k} must be a string: {rec}"
    for k in ("text_truncated", "is_command", "attachment_withheld"):
        assert isinstance(rec[k], bool), f"{k} must be a boolean: {rec}"
    att = rec["attachment"]
    if att is not None:
        assert isinstance(att, dict) and set(att) == {"sha256", "mime", "size"}, f"attachment must be sha256/mime/size only: {rec}"
        assert re.fullmatch(r"[0-9a-f]{64}", att["sha256"]), rec
        assert isinstance(att["size"], int) and not isinstance(att["size"], bool) and att["size"] >= 0, rec
        assert isinstance(att["mime"], str), rec
    assert rec["provenance"] == "untrusted", rec


# Characters the sanitiser must remove (docs/inbound.md "Sanitising").
BIDI = ["\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
C0_REMOVED = [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\n\t"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, 15.x), tags U+E0000-E007F included.
DEFAULT_IGNORABLE_RANGES = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]


def is_default_ignorable(c: str) -> bool:
    o = ord(c)
    return any(lo <= o <= hi for lo, hi in DEFAULT_IGNORABLE_RANGES)


def forbidden_chars(text: str) -> list[str]:
    """The characters in text that the sanitiser should have removed (as U+XXXX), plus a note if
    the text is not NFC."""
    bad = set(BIDI) | set(ZERO_WIDTH) | set(C0_REMOVED) | set(C1)
    found = [f"U+{ord(c):04X}" for c in text if c in bad or is_default_ignorable(c)]
    if unicodedata.normalize("NFC", text) != text:
        found.append("not-NFC")
    return found


# --------------------------------------------------------------------------- CLI: pairing, registry

def cli_ok(gh: Gatehouse, *args: str) -> subprocess.CompletedProcess[str]:
    r = gh.cli(*args)
    assert r.returncode == 0, f"gatehouse {' '.join(args)} -> exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return r


def parse_code(output: str) -> str:
    """The one pairing code in `pair new`'s output: 8 characters of the code alphabet. A code shown
    grouped as `ABCD-EFGH` or `ABCD EFGH` is accepted and returned without the separator."""
    tokens = set(re.findall(rf"(?<![A-Za-z0-9])[{CODE_ALPHABET}]{{8}}(?![A-Za-z0-9])", output))
    if not tokens:
        tokens = {
            a + b
            for a, b in re.findall(
                rf"(?<![A-Za-z0-9])([{CODE_ALPHABET}]{{4}})[- ]([{CODE_ALPHABET}]{{4}})(?![A-Za-z0-9])", output
            )
        }
    assert len(tokens) == 1, f"expected exactly one 8-character code in `pair new` output, found {sorted(tokens)}:\n{output}"
    code = tokens.pop()
    assert CODE_RE.match(code), code
    return code


def pair_new(gh: Gatehouse, name: str, *extra: str) -> str:
    """`gatehouse pair new --name NAME [extra]` -> the printed code (asserts exit 0)."""
    r = cli_ok(gh, "pair", "new", "--name", name, *extra)
    return parse_code(r.stdout)


def approve(gh: Gatehouse, who: str | Person, *extra: str, name: str | None = None) -> subprocess.CompletedProcess[str]:
    """`gatehouse senders approve <number|JID> [--name N] [extra]` (asserts exit 0)."""
    if isinstance(who, Person):
        name = name or who.name
        who = who.phone
    args = ["senders", "approve", who]
    if name:
        args += ["--name", name]
    return cli_ok(gh, *args, *extra)


def block(gh: Gatehouse, who: str | Person) -> subprocess.CompletedProcess[str]:
    return cli_ok(gh, "senders", "block", who.phone if isinstance(who, Person) else who)


def revoke(gh: Gatehouse, who: str | Person) -> subprocess.CompletedProcess[str]:
    return cli_ok(gh, "senders", "revoke", who.phone if isinstance(who, Person) else who)


def _dict_list(doc: Any, hint: Iterable[str]) -> list[dict[str, Any]]:
    """The entries in a JSON document: the document itself when it is a list; the list under one
    of the hinted keys; the list of a one-key wrapper object (`{"items": [...]}`); else the object
    itself is one entry (JSON lines print one object per line)."""
    if isinstance(doc, list):
        return [x for x in doc if isinstance(x, dict)]
    if isinstance(doc, dict):
        for k in hint:
            v = doc.get(k)
            if isinstance(v, list):
                return [x for x in v if isinstance(x, dict)]
        if len(doc) == 1:
            (v,) = doc.values()
            if isinstance(v, list) and all(isinstance(x, dict) for x in v):
                return list(v)
        return [doc]
    return []


def parse_json_listing(stdout: str, hint: Iterable[str]) -> list[dict[str, Any]]:
    """A `--json` listing: one JSON document (list, or object holding a list) or JSON lines."""
    text = stdout.strip()
    if not text:
        return []
    try:
        return _dict_list(json.loads(text), hint)
    except json.JSONDecodeError:
        out: list[dict[str, Any]] = []
        for line in text.splitlines():
            line = line.strip()
            if line:
                out.extend(_dict_list([json.loads(line)], hint))
        return out


def senders_list(gh: Gatehouse) -> list[dict[str, Any]]:
    """`gatehouse senders list --json` as a list of entries (format not fixed by the doc; each
    entry is expected to carry a `status` and the sender's name when it has one)."""
    r = cli_ok(gh, "senders", "list", "--json")
    return parse_json_listing(r.stdout, ("senders", "entries", "registry"))


def sender_entry(
    entries: list[dict[str, Any]], person: Person | None = None, *, name: str | None = None, by_name: bool = True
) -> dict[str, Any] | None:
    """The registry entry for a person: by name (`name`, else the person's, unless `by_name` is
    False), else by any field showing their number (full, JID, or masked with their last three
    digits)."""
    if person is not None and name is None and by_name:
        name = person.name
    if name is not None:
        for e in entries:
            if e.get("name") == name:
                return e
    if person is not None:
        for e in entries:
            dump = json.dumps(e, ensure_ascii=False)
            if person.digits in dump or person.masked in dump:
                return e
            if re.search(r"\+44[^\"]*" + person.digits[-3:] + r"\b", dump) and "\u2022" in dump:
                return e
    return None


def sender_status(gh: Gatehouse, person: Person | None = None, *, name: str | None = None, by_name: bool = True) -> str | None:
    """The registry status (`approved`, `pending`, `blocked`) of a person, or None if not listed."""
    e = sender_entry(senders_list(gh), person, name=name, by_name=by_name)
    return None if e is None else e.get("status")


# --------------------------------------------------------------------------- audit

def audit_export(gh: Gatehouse) -> list[dict[str, Any]]:
    r = cli_ok(gh, "audit", "export")
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def audit_export_text(gh: Gatehouse) -> str:
    return cli_ok(gh, "audit", "export").stdout


def reason_codes(rec: dict[str, Any]) -> list[str]:
    """Reason codes of an audit record, whether kept as `reason` (string) or `reasons`
    (strings or `{code, ...}` objects)."""
    out: list[str] = []
    for key in ("reason", "reasons", "code"):
        v = rec.get(key)
        items = v if isinstance(v, list) else [v]
        for it in items:
            if isinstance(it, str):
                out.append(it)
            elif isinstance(it, dict) and isinstance(it.get("code"), str):
                out.append(it["code"])
    return out


def inbound_events(records: list[dict[str, Any]], status: str | None = None, reason: str | None = None) -> list[dict[str, Any]]:
    """Audit records with `event: inbound` (optionally of one status and carrying one reason)."""
    out = [r for r in records if r.get("event") == "inbound"]
    if status is not None:
        out = [r for r in out if r.get("status") == status]
    if reason is not None:
        out = [r for r in out if reason in reason_codes(r)]
    return out


# --------------------------------------------------------------------------- approvals

def approvals_list(gh: Gatehouse) -> list[dict[str, Any]]:
    r = cli_ok(gh, "approvals", "list", "--json")
    return parse_json_listing(r.stdout, ("approvals", "pending", "held"))


def approve_held(gh: Gatehouse, approval_id: str) -> subprocess.CompletedProcess[str]:
    """`gatehouse approvals approve <ID>`: sends the held message through the full gate."""
    return cli_ok(gh, "approvals", "approve", approval_id)


# --------------------------------------------------------------------------- misc

def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find_list(sc: dict[str, Any], *keys: str) -> list[dict[str, Any]]:
    """A list of objects in a tool's structuredContent, under one of `keys` or the only list."""
    for k in keys:
        if isinstance(sc.get(k), list):
            return sc[k]
    lists = [v for v in sc.values() if isinstance(v, list)]
    assert len(lists) == 1, f"cannot find the list ({keys}) in {sc}"
    return lists[0]


def inbound_trace(gh: Gatehouse) -> list[tuple[Any, list[str]]]:
    """(status, reason codes) of every `inbound` audit record, for assertion messages."""
    return [(r.get("status"), reason_codes(r)) for r in inbound_events(audit_export(gh))]


def state_files_containing(gh: Gatehouse, *needles: str) -> list[str]:
    """Files under the state dir whose bytes contain any needle (UTF-8): for 'never stored' checks."""
    hits = []
    for path, data in gh.state_bytes():
        for n in needles:
            if n.encode("utf-8") in data:
                hits.append(f"{path.relative_to(gh.state_dir)} contains {n!r}")
    return hits


# --------------------------------------------------------------------------- ingest as a long-running process

def wait_for(predicate: Any, timeout: float = 20.0, interval: float = 0.1, what: str = "condition") -> Any:
    """Polls predicate() until it returns something truthy (returned) or the timeout passes
    (AssertionError). For waiting on another process; never asserts how long it took."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def start_ingest_loop(gh: Gatehouse, *flags: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`gatehouse ingest [flags]` without --once (polls until SIGINT/SIGTERM), with `env` added to
    the deployment's environment (e.g. `{"GATEHOUSE_LOG_LEVEL": "info"}`). Its stdout/stderr go to
    `<root>/ingest-loop.stdout` / `.stderr` (the stderr is shown by the `gh` fixture when a test
    fails). Stop it with `stop_ingest_loop`."""
    argv = [str(gh.binary), "ingest", *flags, "--config", str(gh.config_path), "--state-dir", str(gh.state_dir)]
    return subprocess.Popen(
        argv, env={**gh.env(), **(env or {})}, cwd=gh.root, stdin=subprocess.DEVNULL, stdout=open(gh.root / "ingest-loop.stdout", "wb"),
        stderr=open(gh.root / "ingest-loop.stderr", "wb"),
    )


def stop_ingest_loop(proc: subprocess.Popen[bytes], sig: int | None = None, timeout: float = 15.0) -> int:
    """Sends SIGTERM (or sig) to the loop started by `start_ingest_loop` and waits for it to exit;
    returns its exit status (killing it and failing if it does not stop)."""
    if proc.poll() is None:
        proc.send_signal(sig if sig is not None else signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("gatehouse ingest did not stop on SIGTERM")
