"""A whatsmeow bridge `messages.db`, in the bridge's exact schema (shared/CONTRACTS.md §1).

The lharries/whatsapp-mcp Go bridge (`whatsapp-bridge/main.go`, `NewMessageStore`) creates:

    chats(jid TEXT PRIMARY KEY, name TEXT, last_message_time TIMESTAMP)
    messages(id TEXT, chat_jid TEXT, sender TEXT, content TEXT, timestamp TIMESTAMP,
             is_from_me BOOLEAN, media_type TEXT, filename TEXT, url TEXT, media_key BLOB,
             file_sha256 BLOB, file_enc_sha256 BLOB, file_length INTEGER,
             PRIMARY KEY (id, chat_jid), FOREIGN KEY (chat_jid) REFERENCES chats(jid))

and writes rows the way this helper does:

* `INSERT OR REPLACE` for chats and messages, the chat first (`handleMessage`: `StoreChat`, then
  `StoreMessage`), with `?_foreign_keys=on`;
* timestamps as TEXT in mattn/go-sqlite3's bind format `2006-01-02 15:04:05.999999999-07:00` in the
  bridge's local time zone (e.g. `2025-04-06 17:39:40+01:00`; trailing zeros of the fraction and the
  dot dropped, `+00:00` for UTC, never `Z`);
* booleans as 0/1;
* a text message has `media_type = filename = url = ''`, NULL blobs and `file_length = 0`;
  a media message keeps its raw 32-byte `file_sha256` blob and `file_length`;
* the `sender` column is inconsistent: live messages store the bare user part (phone digits or LID
  digits, `msg.Info.Sender.User`), history sync stores the full participant JID with a device suffix
  in groups (`447700900123:12@s.whatsapp.net`) and your own user for your messages.

`BridgeDB` hands out strictly increasing whole-second timestamps (WhatsApp's are Unix seconds), never
earlier than now, so rows added later sort after the rows already present, as on a live bridge.
Pass `timestamp=` explicitly to write a row "from the past" (history sync).

No Gatehouse knowledge here: only the bridge's side of the contract.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

# Verbatim from whatsapp-bridge/main.go (NewMessageStore).
SCHEMA = """
		CREATE TABLE IF NOT EXISTS chats (
			jid TEXT PRIMARY KEY,
			name TEXT,
			last_message_time TIMESTAMP
		);
		
		CREATE TABLE IF NOT EXISTS messages (
			id TEXT,
			chat_jid TEXT,
			sender TEXT,
			content TEXT,
			timestamp TIMESTAMP,
			is_from_me BOOLEAN,
			media_type TEXT,
			filename TEXT,
			url TEXT,
			media_key BLOB,
			file_sha256 BLOB,
			file_enc_sha256 BLOB,
			file_length INTEGER,
			PRIMARY KEY (id, chat_jid),
			FOREIGN KEY (chat_jid) REFERENCES chats(jid)
		);
	"""


def go_sqlite3_timestamp(dt: datetime) -> str:
    """What mattn/go-sqlite3 binds for a time.Time: `2006-01-02 15:04:05.999999999-07:00`."""
    if dt.tzinfo is None:
        raise ValueError("an aware datetime is needed (the bridge writes its local offset)")
    text = dt.strftime("%Y-%m-%d %H:%M:%S")
    if dt.microsecond:
        text += ("." + f"{dt.microsecond * 1000:09d}").rstrip("0")
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def whatsapp_message_id() -> str:
    """An id shaped like WhatsApp's (`3EB0` + 16 upper-case hex)."""
    return "3EB0" + secrets.token_hex(8).upper()


def local_tz() -> tzinfo:
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz


def jid_user(jid: str) -> str:
    """The user part of a JID without device: `447700900123:12@s.whatsapp.net` -> `447700900123`."""
    return jid.split("@", 1)[0].split(":", 1)[0]


@dataclass
class BridgeRow:
    """One row written to `messages` (what the test needs to refer to it later)."""

    id: str
    chat_jid: str
    sender: str
    content: str
    timestamp: datetime
    timestamp_text: str
    is_from_me: bool


class BridgeDB:
    """A bridge `messages.db` at `path` (created with the bridge's schema if missing).

    `tz` is the bridge's local time zone for the TEXT timestamps (default: this process's).
    Each write opens and closes its own connection, so between calls the file is quiescent
    (no open handle, no journal), like a bridge between two messages.
    """

    def __init__(self, path: Path, tz: tzinfo | None = None) -> None:
        self.path = Path(path)
        self.tz = tz or local_tz()
        self._last: datetime | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.executescript(SCHEMA)
            db.commit()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA foreign_keys=ON")  # the bridge opens file:store/messages.db?_foreign_keys=on
        return db

    # ---- time
    def next_timestamp(self) -> datetime:
        """Strictly after the previous row handed out, whole seconds, not before now."""
        now = datetime.now(self.tz).replace(microsecond=0)
        ts = now if self._last is None else max(now, self._last + timedelta(seconds=1))
        self._last = ts
        return ts

    # ---- writes (as the bridge does them)
    def add_chat(self, jid: str, name: str | None = None, last_message_time: datetime | None = None) -> None:
        """`StoreChat`: INSERT OR REPLACE INTO chats. A missing name falls back to the JID's user part."""
        when = last_message_time or datetime.now(self.tz).replace(microsecond=0)
        with closing(self._connect()) as db:
            db.execute(
                "INSERT OR REPLACE INTO chats (jid, name, last_message_time) VALUES (?, ?, ?)",
                (jid, name if name is not None else jid_user(jid), go_sqlite3_timestamp(when.astimezone(self.tz))),
            )

    def add_message(
        self,
        chat_jid: str,
        sender: str,
        content: str,
        *,
        id: str | None = None,
        timestamp: datetime | None = None,
        is_from_me: bool = False,
        chat_name: str | None = None,
        media_type: str = "",
        filename: str = "",
        url: str = "",
        media_key: bytes | None = None,
        file_sha256: bytes | None = None,
        file_enc_sha256: bytes | None = None,
        file_length: int = 0,
        touch_chat: bool = True,
        keep_offset: bool = False,
    ) -> BridgeRow:
        """`handleMessage`: StoreChat (unless `touch_chat` is False), then StoreMessage.

        `sender` is written as given: pass bare digits (live message), a full JID with device
        (`digits:12@s.whatsapp.net`, history sync in groups), or LID digits.
        `timestamp` is converted to the bridge's zone, unless `keep_offset` (write it with its own
        UTC offset: the host's local offset changed, e.g. at the end of summer time).
        """
        if not content and not media_type:
            raise ValueError("the bridge stores a message only if it has text or media")
        if timestamp is not None and keep_offset:
            if timestamp.tzinfo is None:
                raise ValueError("keep_offset needs an aware timestamp")
            ts = timestamp
        else:
            ts = (timestamp or self.next_timestamp()).astimezone(self.tz)
        if timestamp is not None and (self._last is None or ts > self._last):
            self._last = ts
        mid = id or whatsapp_message_id()
        ts_text = go_sqlite3_timestamp(ts)
        with closing(self._connect()) as db:
            if touch_chat:
                name = chat_name if chat_name is not None else self.chat_name(chat_jid) or jid_user(chat_jid)
                db.execute(
                    "INSERT OR REPLACE INTO chats (jid, name, last_message_time) VALUES (?, ?, ?)",
                    (chat_jid, name, ts_text),
                )
            db.execute(
                """INSERT OR REPLACE INTO messages 
		(id, chat_jid, sender, content, timestamp, is_from_me, media_type, filename, url, media_key, file_sha256, file_enc_sha256, file_length) 
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    mid, chat_jid, sender, content, ts_text, 1 if is_from_me else 0, media_type, filename, url,
                    media_key, file_sha256, file_enc_sha256, file_length,
                ),
            )
        return BridgeRow(mid, chat_jid, sender, content, ts, ts_text, is_from_me)

    def add_media_message(
        self, chat_jid: str, sender: str, data: bytes, *, media_type: str = "image", filename: str | None = None,
        content: str = "", **kw: object,
    ) -> BridgeRow:
        """A media message as `extractMediaInfo` stores it (captions are not stored by this bridge)."""
        name = filename or "image_" + datetime.now().strftime("%Y%m%d_%H%M%S") + ".jpg"
        return self.add_message(
            chat_jid, sender, content, media_type=media_type, filename=name,
            url="https://mmg.whatsapp.net/v/t62.7118-24/" + secrets.token_hex(12) + ".enc",
            media_key=secrets.token_bytes(32), file_sha256=hashlib.sha256(data).digest(),
            file_enc_sha256=secrets.token_bytes(32), file_length=len(data), **kw,  # type: ignore[arg-type]
        )

    # ---- reads (for the test's own checks; never while Gatehouse could be writing)
    def chat_name(self, jid: str) -> str | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT name FROM chats WHERE jid = ?", (jid,)).fetchone()
        return row[0] if row else None

    def rows(self) -> list[tuple]:
        with closing(self._connect()) as db:
            return list(db.execute("SELECT id, chat_jid, sender, content, timestamp, is_from_me FROM messages "
                                   "ORDER BY julianday(timestamp), id"))

    def snapshot(self) -> dict[str, object]:
        """Bytes and mtime of the db and the names in its folder (to prove nobody wrote to it)."""
        st = os.stat(self.path)
        return {
            "bytes": self.path.read_bytes(),
            "mtime_ns": st.st_mtime_ns,
            "size": st.st_size,
            "files": sorted(p.name for p in self.path.parent.iterdir()),
        }


def fixed_offset(hours: int, minutes: int = 0) -> timezone:
    """A fixed local zone for the bridge, e.g. `fixed_offset(1)` for `+01:00`."""
    return timezone(timedelta(hours=hours, minutes=minutes))
