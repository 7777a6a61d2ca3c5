#!/usr/bin/env python3
"""Generates the benign corpus: tests/corpus/benign/CATEGORY.jsonl, one {"text": "..."} per line.

Every message is something a person or an agent might really send over WhatsApp that must NOT trip the
outbound gate's secret scanner: chat in many languages, order and tracking numbers, phone numbers, ids,
hashes, thumbnails, URLs, JSON, code, people talking about passwords, documentation placeholders.

Deterministic (fixed seed, standard library only): run it again and the files come out byte-identical.
    python3 tests/corpus/make_benign.py            # writes tests/corpus/benign/*.jsonl
    python3 tests/corpus/make_benign.py --check    # only checks, writes nothing

Hand-written lines are mixed with templated ones filled with realistic random values. No value is a real
credential or a real person's data: phone numbers use the ranges regulators reserve for fiction where they
exist (UK 07700 900xxx, 020 7946 0xxx; North America 555-01xx; Australia 0491 570 xxx; France 01 99 00 ...),
names are first names only, keys are documentation placeholders. Random values are drawn again whenever
``risk()`` below says they are a VALID instance of a format a detector finds (a Luhn-valid card number with a
network prefix, a mod-97 IBAN, a national ID with a correct check digit, a well-formed API key ...), so
nothing here is a true positive by accident. Hand-written lines must pass the same check or the script fails.
"""

import base64
import gzip
import hashlib
import json
import os
import random
import re
import struct
import sys
import zlib

SEED = 0x6761746568  # "gateh"
rng = random.Random(SEED)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "benign")

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
HEX = "0123456789abcdef"
BASE62 = DIGITS + UPPER + LOWER
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BASE64URL = UPPER + LOWER + DIGITS + "-_"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def pick(seq):
    return seq[rng.randrange(len(seq))]


def rs(alphabet, n):
    return "".join(alphabet[rng.randrange(len(alphabet))] for _ in range(n))


def digits(n, first="123456789"):
    return pick(first) + rs(DIGITS, n - 1) if n > 0 else ""


def hexs(n):
    return rs(HEX, n)


def sha1_hex():
    return hashlib.sha1(rng.randbytes(32)).hexdigest()


def sha256_hex():
    return hashlib.sha256(rng.randbytes(32)).hexdigest()


def md5_hex():
    return hashlib.md5(rng.randbytes(32)).hexdigest()


def uuid4():
    b = bytearray(rng.randbytes(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid7():
    ms = rng.randrange(1_700_000_000_000, 1_730_000_000_000)
    b = bytearray(ms.to_bytes(6, "big") + rng.randbytes(10))
    b[6] = (b[6] & 0x0F) | 0x70
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid1():
    h = rng.randbytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-1{h[13:16]}-{pick('89ab')}{h[17:20]}-{h[20:]}"


def ulid():
    return pick("01") + rs(CROCKFORD, 25)


def luhn_ok(s):
    total = 0
    for i, ch in enumerate(reversed(s)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(body):
    for d in DIGITS:
        if luhn_ok(body + d):
            return body + d
    raise AssertionError


# ---------------------------------------------------------------------------------------------------------
# The safety check: is any part of a message a valid instance of a detected format?
# Deliberately wider than the detectors (Gatehouse's and its planned ones), so the corpus stays benign as
# the catalogue grows. Returns the reasons, empty when the message is safe.
# ---------------------------------------------------------------------------------------------------------

def _network(d):
    n = len(d)
    p2, p3, p4 = int(d[:2]), int(d[:3]), int(d[:4])
    first = d[0]
    if first == "4":
        return n in (13, 16, 19)
    if first == "5":
        return (51 <= p2 <= 55 and n == 16) or (p2 in (50, 56, 57, 58) and 12 <= n <= 19)  # incl. Maestro
    if first == "2":
        return (2221 <= p4 <= 2720 and n == 16) or (2200 <= p4 <= 2204 and 16 <= n <= 19)  # incl. Mir
    if first == "3":
        return (p2 in (34, 37) and n == 15) or (3528 <= p4 <= 3589 and 16 <= n <= 19) or (
            (p2 in (36, 38, 39) or 300 <= p3 <= 305 or p3 == 309) and 14 <= n <= 19)
    if first == "6":
        return (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or p2 == 62 or p2 in (60, 63, 67, 81, 82)
                or p3 in (508, 652, 353, 356)) and 12 <= n <= 19
    if first == "8":
        return p2 in (81, 82) and 16 <= n <= 19  # RuPay / UnionPay ranges
    return False


def _groups(text):
    """Maximal ASCII digit runs not touching a letter or underscore: (start, end)."""
    out = []
    for m in re.finditer(r"[0-9]+", text):
        a, b = m.start(), m.end()
        left = text[a - 1] if a > 0 else ""
        right = text[b] if b < len(text) else ""
        if (left.isascii() and (left.isalpha() or left == "_")) or (right.isascii() and (right.isalpha() or right == "_")):
            continue
        out.append((a, b))
    return out


def _chains(text, separators):
    """Runs of clean digit groups joined by one consistent single-character separator."""
    groups = _groups(text)
    chains, current, sep = [], [], None
    for g in groups:
        if current:
            gap = text[current[-1][1]:g[0]]
            if len(gap) == 1 and gap in separators and (sep is None or gap == sep):
                sep = gap
                current.append(g)
                continue
            chains.append(current)
        current, sep = [g], None
    if current:
        chains.append(current)
    return [[text[a:b] for a, b in c] for c in chains]


def _windows(chain):
    """Digit strings of consecutive groups, and whether every group has 3+ digits (card and most ID numbers
    are written in groups of 3 or more; only the French NIR has groups of 1 and 2)."""
    for i in range(len(chain)):
        d, wide = "", True
        for j in range(i, len(chain)):
            d += chain[j]
            wide = wide and len(chain[j]) >= 3
            yield d, wide


VERHOEFF_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
              [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
              [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
              [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VERHOEFF_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
              [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
              [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]


def _verhoeff_ok(s):
    c = 0
    for i, ch in enumerate(reversed(s)):
        c = VERHOEFF_D[c][VERHOEFF_P[i % 8][int(ch)]]
    return c == 0


def _date_ok(yy_or_yyyy, mm, dd):
    return 1 <= mm <= 12 and 1 <= dd <= 31


def _numeric_ids(d):
    """Reasons a digit string is a valid national / health / card number."""
    n = len(d)
    r = []
    if 12 <= n <= 19 and _network(d) and luhn_ok(d):
        r.append("card")
    if n == 9:
        if luhn_ok(d) and d[0] != "0":
            r.append("ca-sin")
        if sum(int(d[i]) * (9 - i) for i in range(8)) - int(d[8]) != 0 and \
                (sum(int(d[i]) * (9 - i) for i in range(8)) - int(d[8])) % 11 == 0:
            r.append("nl-bsn")
        if sum(int(c) * w for c, w in zip(d, (1, 4, 3, 7, 5, 8, 6, 9, 10))) % 11 == 0:
            r.append("au-tfn")
    if n == 10:
        w = sum(int(d[i]) * (10 - i) for i in range(9))
        check = 11 - w % 11
        check = 0 if check == 11 else check
        if check != 10 and check == int(d[9]):
            r.append("uk-nhs")
        if luhn_ok(d) and _date_ok(0, int(d[2:4]), int(d[4:6])):
            r.append("se-personnummer")
    if n == 12:
        if d[0] in "23456789" and _verhoeff_ok(d):
            r.append("in-aadhaar")
        if luhn_ok(d[2:]) and _date_ok(0, int(d[4:6]), int(d[6:8])) and d[:2] in ("19", "20"):
            r.append("se-personnummer")
    if n == 11:
        ds = [int(c) for c in d]
        s1 = sum(ds[i] * (10 - i) for i in range(9)) * 10 % 11 % 10
        s2 = sum(ds[i] * (11 - i) for i in range(10)) * 10 % 11 % 10
        if s1 == ds[9] and s2 == ds[10] and len(set(d)) > 1:
            r.append("br-cpf")
        pesel = (10 - sum(ds[i] * (1, 3, 7, 9)[i % 4] for i in range(10)) % 10) % 10
        if pesel == ds[10] and (int(d[2:4]) % 20) in range(1, 13) and 1 <= int(d[4:6]) <= 31:
            r.append("pl-pesel")
    if n in (13, 15) and d[0] in "12":
        if n == 15 and 97 - int(d[:13]) % 97 == int(d[13:]):
            r.append("fr-nir")
    return r


def _cn_id_ok(s):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(s[i]) * w[i] for i in range(17))
    return "10X98765432"[total % 11] == s[17].upper()


IBAN_COUNTRIES = set("""AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR
GT HN HR HU IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MN MR MT MU NI NL NO OM PK PL PS PT QA RO RS RU SA SC
SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE AO BF BJ CF CG CI CM CV DZ GA GQ GW HT IR KM MA MG ML MZ NE SN TD TG
""".split())


def _iban_ok(s):
    s = s.upper()
    moved = s[4:] + s[:4]
    num = "".join(str(int(c, 36)) for c in moved)
    return int(num) % 97 == 1


def _b64decode(s):
    s = s.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(s + "=" * (-len(s) % 4))
    except Exception:
        return b""


PLACEHOLDER_WORDS = ("your", "example", "xxx", "changeme", "change_me", "placeholder", "redacted", "dummy",
                     "replace", "insert", "here", "***", "...", "…", "<", ">", "${", "{{", "%(", "todo", "fixme",
                     "secret", "password", "token", "sample", "test", "fake")


def looks_random(v):
    """A value with the character mix of a real secret: 8+ chars, letters and digits, or mixed case + symbol."""
    if len(v) < 8:
        return False
    low = v.lower()
    if any(w in low for w in PLACEHOLDER_WORDS):
        return False
    if len(set(v)) <= 3:
        return False
    has_d = any(c.isdigit() for c in v)
    has_l = any(c.isalpha() for c in v)
    inner_upper = any(c.isupper() for c in v[1:]) and any(c.islower() for c in v)
    symbol = any(not c.isalnum() for c in v)
    return (has_d and has_l) or (inner_upper and (has_d or symbol))


def _code_reference(v):
    return bool(re.match(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\(|\[|$)", v)) and ("." in v or "(" in v or "[" in v) \
        or v.startswith(("$", "%(", "${", "{{", "<", "[", "/", "~/", "./"))


SECRET_PATTERNS = [
    ("aws-access-key-id", r"(?<![A-Za-z0-9])(AKIA|ASIA)([A-Z0-9]{16})(?![A-Za-z0-9])"),
    ("google-api-key", r"AIza[0-9A-Za-z_-]{35}"),
    ("github-token", r"gh[pousr]_[A-Za-z0-9]{36}"),
    ("github-fine-grained", r"github_pat_[A-Za-z0-9_]{30,}"),
    ("gitlab-token", r"\bgl(pat|dt|rt|oas|ft|ptt|cbt|soat|imt|agent|ffct|rtr)-[A-Za-z0-9_-]{20,}"),
    ("npm-token", r"\bnpm_[A-Za-z0-9]{36}"),
    ("pypi-token", r"pypi-AgE"),
    ("digitalocean", r"do[opr]_v1_[a-f0-9]{64}"),
    ("databricks", r"dapi[a-f0-9]{32}"),
    ("anthropic", r"sk-ant-(api|admin)"),
    ("openai", r"(?<![A-Za-z0-9_-])sk-(proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{30,}"),
    ("huggingface", r"\b(hf|api_org)_[A-Za-z]{30,}"),
    ("stripe-secret", r"\b[sr]k_(live|test)_[A-Za-z0-9]{10,}"),
    ("slack-token", r"xox[bpears]-[0-9]"),
    ("slack-webhook", r"hooks\.slack\.com/(services|workflows)/T"),
    ("twilio", r"\b(SK|AC)[0-9a-f]{32}\b"),
    ("sendgrid", r"SG\.[\w-]{20,}\.[\w-]{40,}"),
    ("mailchimp", r"[0-9a-f]{32}-us[0-9]{1,2}"),
    ("shopify", r"shp(at|ca|pa|ss)_[a-fA-F0-9]{32}"),
    ("square", r"(?<![A-Za-z0-9+/_-])EAAA[A-Za-z0-9_-]{60}|sq0(atp|csp)-"),
    ("telegram", r"\b[0-9]{8,10}:AA[A-Za-z0-9_-]{30,}"),
    ("age-key", r"AGE-SECRET-KEY-1"),
    ("totp-uri", r"otpauth://"),
    ("azure-key", r"AccountKey=[A-Za-z0-9+/]{40,}|SharedAccessSignature=|[?&]sig=[A-Za-z0-9%+/]{20,}"),
    ("aws-presigned", r"X-Amz-(Signature|Credential)="),
    ("gcp-service-account", r"service_account|private_key_id"),
    ("discord", r"\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}"),
]


def risk(text):
    reasons = []
    # Digit-based formats, over clean digit runs and chains of them.
    for chain in _chains(text, " -"):
        for d, wide in _windows(chain):
            if len(set(d)) > 1:
                reasons += [x for x in _numeric_ids(d) if wide or x == "fr-nir"]
    for chain in _chains(text, "."):
        for d, wide in _windows(chain):
            if len(d) == 11 and wide:
                reasons += [x for x in _numeric_ids(d) if x == "br-cpf"]
    if re.search(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])", text):
        reasons.append("us-ssn shape")
    if re.search(r"(?<![\w])\d{6}[-+]\d{4}(?!\w)", text):
        m = re.search(r"(?<![\w])(\d{6})[-+](\d{4})(?!\w)", text)
        if luhn_ok(m.group(1) + m.group(2)):
            reasons.append("se-personnummer")
    if re.search(r"(?i)(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])", text):
        reasons.append("uk-nino shape")
    if re.search(r"(?<![A-Za-z0-9])[STFGM]\d{7}[A-Z](?![A-Za-z0-9])", text):
        reasons.append("sg-nric shape")
    if re.search(r"(?<![A-Za-z0-9])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![A-Za-z0-9])", text):
        reasons.append("fi-hetu shape")
    for m in re.finditer(r"(?<![A-Za-z0-9])([XYZ]?)(\d{7,8})-?([A-Z])(?![A-Za-z0-9])", text):
        num = m.group(2)
        if m.group(1):
            num = str("XYZ".index(m.group(1))) + num
        if len(num) == 8 and "TRWAGMYFPDXBNJZSQVHLCKE"[int(num) % 23] == m.group(3):
            reasons.append("es-dni/nie")
    for m in re.finditer(r"(?<![A-Za-z0-9])(\d{17}[0-9Xx])(?![A-Za-z0-9])", text):
        if _cn_id_ok(m.group(1)):
            reasons.append("cn-resident-id")
    iban = r"(?i)(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?))(?![A-Za-z0-9])"
    for m in re.finditer(iban, text):
        compact = m.group(1).replace(" ", "")
        if compact[:2].upper() in IBAN_COUNTRIES and len(set(compact[4:])) > 1 and _iban_ok(compact):
            reasons.append("iban")
    # Token formats.
    for name, pattern in SECRET_PATTERNS:
        for m in re.finditer(pattern, text):
            token = m.group(0)
            if name == "aws-access-key-id" and (token.endswith("EXAMPLE") or len(set(m.group(2))) < 6):
                continue
            if name in ("openai", "stripe-secret", "github-token", "npm-token") and not looks_random(token.split("_")[-1].split("-")[-1]):
                continue
            if len(set(re.sub(r"^[A-Za-z0-9]{2,10}[-_](v1_|live_|test_|pat_|org_)?", "", token))) <= 4:
                continue  # a placeholder body: xxxx..., 0000...
            reasons.append(name)
    for m in re.finditer(r"(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{8,})", text):
        if b'"alg"' in _b64decode(m.group(1)):
            reasons.append("jwt")
    if re.search(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----(\\n|\s)*[A-Za-z0-9+/]{20}", text):
        reasons.append("pem-private-key")
    for m in re.finditer(r"(?i)\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})", text):
        decoded = _b64decode(m.group(1)).decode("latin-1")
        if ":" in decoded and decoded not in ("username:password", "user:pass", "Aladdin:open sesame"):
            reasons.append("basic-auth")
    for m in re.finditer(r"(?i)\bbearer\s+([A-Za-z0-9._~+/-]{16,})", text):
        if looks_random(m.group(1)):
            reasons.append("bearer")
    for m in re.finditer(r"[a-z][a-z0-9+.-]*://([^\s/:@]+):([^\s/@]+)@", text):
        pw = m.group(2)
        if not (pw.lower() in ("password", "pass", "pwd", "secret", "changeme", "pw") or any(c in pw for c in "<>${}*%")
                or pw.lower().startswith(("your", "xxx")) or pw == m.group(1)):  # guest:guest, admin:admin: defaults
            reasons.append("url-credentials")
    key = r"(?i)(password|passwd|pwd|pass|secret|api[_ -]?key|access[_-]?token|private[_-]?key|client[_-]?secret|auth[_-]?token|token|passphrase)"
    for m in re.finditer(key + r"[\"']?\s{0,16}(=|:=|=>|:|：)\s*[\"']?([^\s\"'`,;]+)", text):
        raw = m.group(3)
        v = raw.rstrip(".,;:!?)]}'")
        if looks_random(v) and looks_random(raw) and not _code_reference(v):
            reasons.append("assignment:" + m.group(1))
    prose = (r"(?i)(password|passwort|contraseña|mot de passe|senha|wachtwoord|passcode|pin|pw|pwd|kennwort|"
             r"hasło|lösenord|salasana|şifre|пароль|كلمة المرور)\s*(is|'s|ist|es|est|é|è|was|war|era|är|on|jest|is now|to)\s+[\"']?(\S+)")
    for m in re.finditer(prose, text):
        v = m.group(3).rstrip(".,;:!?)]}'\"")
        if looks_random(v):
            reasons.append("password-in-prose")
    if re.search(r"(?i)(2fa|totp|authenticator|\botp\b|backup code|two-factor|2-step|mfa)", text):
        for m in re.finditer(r"(?<![A-Za-z0-9])[A-Z2-7]{4}(?: ?[A-Z2-7]{4}){3,}(?![A-Za-z0-9])", text):
            if len(set(m.group(0).replace(" ", ""))) > 6:
                reasons.append("totp-seed")
    return reasons


# ---------------------------------------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------------------------------------

NAMES = ["Anna", "Ben", "Chloe", "Dev", "Ella", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kai", "Lena", "Marco",
         "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tomás", "Uma", "Viktor", "Wen", "Yara", "Zoe", "Luca",
         "Maya", "Noah", "Olga", "Pablo", "Sofia", "Theo", "Aisha", "Björn", "Chen", "Dara", "Emil", "Farah"]
PLACES = ["the station", "the usual café", "Gate 4", "the car park", "reception", "the bakery on Mill Lane",
          "the cinema", "the gym", "Mum's", "the office", "the playground", "the pub by the river", "platform 2",
          "the library", "the market", "the north entrance", "the dentist", "the garden centre"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
EMOJI = ["😊", "👍", "🙏", "😂", "❤️", "🎉", "😅", "🙌", "👀", "🤞", "😴", "🍕", "☕", "🚗", "🏃‍♀️", "👨‍👩‍👧", "🥳",
         "😬", "💪", "🌧️", "☀️", "🐶", "✅", "🤷‍♂️", "👋🏽", "🇬🇧", "🇩🇪", "🎂"]


def time_str():
    h, m = rng.randrange(7, 23), pick([0, 0, 15, 30, 45, 10, 20, 40, 50, 5])
    style = rng.randrange(3)
    if style == 0:
        return f"{h}:{m:02d}"
    if style == 1:
        hh = h % 12 or 12
        return f"{hh}:{m:02d}{pick(['pm', 'am', ' pm', ' PM'])}" if m else f"{hh}{pick(['pm', 'am', ' pm'])}"
    return f"{h:02d}{m:02d}" if rng.random() < 0.2 else f"{h}.{m:02d}"


def date_str():
    y, mo, d = pick([2023, 2024, 2024, 2025]), rng.randrange(1, 13), rng.randrange(1, 29)
    style = rng.randrange(7)
    return [f"{y}-{mo:02d}-{d:02d}", f"{d}/{mo}/{y}", f"{mo}/{d}/{y % 100:02d}", f"{d}.{mo:02d}.{y}",
            f"{d} {MONTHS[mo - 1]} {y}", f"{MONTHS[mo - 1][:3]} {d}", f"{WEEKDAYS[rng.randrange(7)][:3]} {d} {MONTHS[mo - 1][:3]}"][style]


# ---------------------------------------------------------------------------------------------------------
# chat-en
# ---------------------------------------------------------------------------------------------------------

CHAT_EN = [
    "Hey, are you still coming tonight?",
    "Running 10 mins late, sorry!! Traffic on the ring road is a nightmare",
    "Can you grab milk on the way home? And bread if they have the seeded one",
    "Happy birthday!!! 🎂🎉 Hope you have the best day",
    "Thanks so much for dinner last night, the risotto was amazing",
    "lol no way",
    "ok",
    "👍",
    "Did you see the match? Absolute scenes in the last minute",
    "I'm at the front door, can you buzz me in?",
    "Kids are finally asleep. Wine?",
    "Reminder: bins go out tonight, recycling this week not general",
    "Has anyone seen my blue umbrella? Think I left it in someone's car",
    "Flight lands at 6.40, I'll get a cab from the airport, don't wait up",
    "Can we move our call to tomorrow morning? Something came up",
    "Sure, 9:30 works for me",
    "Just landed ✈️ Phone's on 4% so I'll call you from the hotel",
    "The plumber says he can come Thursday between 8 and 12",
    "Don't forget parents' evening is on Wednesday at 5",
    "Can you send me the photos from the weekend?",
    "Omg the dog just ate an entire sock 🙄 vet says it'll probably pass",
    "We need to book the restaurant for Saturday, how many are coming?",
    "Count me in! +1 for Sam too if that's ok",
    "Sorry, can't make it this time. Next week?",
    "I've left the keys under the plant pot by the back door",
    "Is the heating on a timer? It's freezing in here",
    "Good luck with the interview today!! You'll smash it 💪",
    "How did it go??",
    "They offered me the job!!!",
    "Amazing news, so proud of you 🥳",
    "Train cancelled again. Getting the 18:12 instead",
    "Where did you park? I'm by the ticket machines",
    "Could you pick up Maya from football at 4? I'm stuck at work",
    "Yes no problem, I'll take her for ice cream after",
    "The wifi's down again, I've rebooted the router twice",
    "Can you check if the oven is off? I think I left it on 😬",
    "Mum says lunch is at 1 on Sunday, bring a dessert",
    "Does anyone have a spare phone charger I can borrow tomorrow?",
    "My new number, save it: same as before but ends in 7 not 1 😅",
    "Meeting notes are in the shared folder, let me know if anything's missing",
    "I'll be working from home Friday if anyone needs me",
    "Heads up: the lift is out of order on floor 3",
    "Can someone cover my shift on Saturday? I'll swap for any weekday",
    "The package arrived but the box was soaked, contents look fine though",
    "Is it me or is it really hot today? 31 degrees at 10am",
    "Big storm coming tonight, bring the garden chairs in",
    "Paid you back for the concert tickets, should be in your account now",
    "Thanks! Got it 🙏",
    "Who's bringing what for the picnic? I'll do sandwiches and crisps",
    "I can bring a quiche and some fruit",
    "Let's meet at the usual spot at half 7",
    "Can't find the remote anywhere, have you hidden it again",
    "Check the sofa cushions lol",
    "Found it. In the fridge. Don't ask.",
    "Remember to water the tomatoes while I'm away, twice a day if it's sunny",
    "Our flight got delayed by 3 hours so we're stuck at the gate eating overpriced sandwiches",
    "Landed safe, love you all ❤️",
    "Dinner's ready in 5!",
    "Can you turn the music down a bit? I'm on a call",
    "Is there any pasta left or did you finish it",
    "Have a safe drive and text me when you get there",
    "Here now 👋",
    "The school just called, Leo has a temperature. Can you get him? I'm in a meeting until 3",
    "On my way to get him now",
    "Babysitter cancelled, one of us will have to stay home tonight",
    "I'll stay in, you go. Have fun!",
    "Just a reminder that rent is due on the 1st",
    "We're out of toilet paper. Adding it to the list",
    "Can anyone recommend a good electrician? Ours retired",
    "My cousin does that, I'll send you her number",
    "Weather looks terrible for Saturday, should we move the BBQ to Sunday?",
    "Sunday's better for us anyway",
    "Quick question – do we need to bring our own towels to the pool?",
    "Netflix keeps logging me out, is anyone else having that?",
    "Yeah same, I think they changed something with shared accounts",
    "Can we do Thai tonight instead of pizza?",
    "Don't mind either way",
    "I've booked the table for 8 under my name",
    "Great, see you all there",
    "Sorry I missed your call, was in the shower. What's up?",
    "Nothing urgent, just wanted to say hi 😊",
    "The cat knocked my coffee all over the keyboard. Laptop seems fine, keyboard less so",
    "Did the parcel come? Tracking says delivered but I don't see it",
    "Neighbour has it, I'll grab it later",
    "Can you send me the address again? I deleted the message by accident",
    "Sent!",
    "Our team won the quiz!! First time in months",
    "What time does the shop close on Sundays?",
    "I think 4 but check online",
    "Don't forget your passport!!",
    "Got it, it's in my bag ✅",
    "I'm outside. Grey car, hazards on",
    "Be down in 2",
    "Bus is packed, I'll get the next one",
    "Any plans for the long weekend?",
    "Camping if the weather holds, otherwise Netflix and takeaway",
    "Did you remember to cancel the gym membership?",
    "Not yet, they make you do it in person 🙄",
    "Who left the gate open? The dog's in next door's garden again",
    "I'll go get him",
    "Happy anniversary you two! 10 years 🥂",
    "Thanks everyone for the lovely messages ❤️",
    "Free tonight? Fancy a walk around the lake?",
    "Can't, got a deadline. Tomorrow?",
    "Tomorrow's perfect",
    "New episode is out, no spoilers please!!!",
    "My lips are sealed 🤐",
    "Just seen your voicemail, will call back after lunch",
    "Lunch?",
    "Starving, yes. 12.30 downstairs?",
    "Hi all, welcome to the group! This is for the year 5 parents, please keep it to school stuff",
    "Does anyone know if it's non-uniform day on Friday?",
    "Yes, bring £1 for the charity",
    "Sorry wrong chat 🙈",
    "Can I borrow your drill this weekend?",
    "Of course, it's in the shed. Batteries might need charging",
    "Got your postcard today, looks like an amazing trip!",
    "The sunsets here are unreal 🌅",
    "Miss you guys. Back on Tuesday",
    "We need more bin bags, the big ones",
    "I'll do a supermarket run after work, anything else?",
    "Eggs, oat milk, and something for Sunday dinner",
    "Any chance you could give me a lift to the station at 7 tomorrow?",
    "Sure, I'll be outside at 6.45",
    "Thank you, you're a star ⭐",
    "The car's making a weird rattling noise again",
    "Take it to the garage, don't ignore it this time",
    "Booked it in for Monday",
    "How's your mum doing after the operation?",
    "Much better thanks, she's home and already bossing everyone around 😂",
    "Glad to hear it, send her our love",
    "Power cut on our street, any of you affected?",
    "Yep, whole block is out. Candles it is",
    "Back on now 💡",
    "Reminder: team photo tomorrow, wear the blue shirts",
    "I've lost my voice completely so I'll be texting only today",
    "Feel better soon!",
    "Can you check the dates for the holiday and confirm with the cottage owner?",
    "Done. They want the deposit by the end of the month",
    "We're 5 minutes away, put the kettle on ☕",
]


def chat_en_templated():
    n, p, t, d = pick(NAMES), pick(PLACES), time_str(), date_str()
    templates = [
        f"Meet you at {p} at {t}?",
        f"{n} says she'll be at {p} around {t}",
        f"Are we still on for {pick(WEEKDAYS)}? I can do any time after {t}",
        f"Dentist moved to {d} at {t}, can you drive me?",
        f"Just left work, should be at {p} by {t} {pick(EMOJI)}",
        f"Can't do {pick(WEEKDAYS)} sorry, what about {pick(WEEKDAYS)} at {t}?",
        f"{n} is coming too, hope that's ok {pick(EMOJI)}",
        f"Happy birthday {n}!! {pick(EMOJI)}{pick(EMOJI)}",
        f"Did {n} get home ok? Haven't heard from them since {t}",
        f"Parents' evening is on {d}, slots are 10 minutes, I've booked {t}",
        f"I'm at {p}, where are you?",
        f"Tell {n} I said thanks for the lift {pick(EMOJI)}",
        f"{n} can't make it to {p} on {pick(WEEKDAYS)}, can we push to the week after?",
        f"The party is on {d} from {t}, bring a bottle and a friend",
        f"Leaving {p} now, traffic looks ok, ETA {t}",
        f"Got {rng.randrange(2, 9)} tickets for {pick(WEEKDAYS)}'s show, who wants one?",
        f"Shout if you need anything from {p}, I'm there till {t}",
        f"Rehearsal's at {t} on {pick(WEEKDAYS)}, don't be late this time {n} 😂",
        f"We're at table {rng.randrange(2, 40)}, come find us",
        f"{n} just had the baby!! {rng.randrange(6, 9)}lb {rng.randrange(1, 15)}oz, both doing great {pick(['❤️', '🥳', '👶', '🎉'])}",
        f"Can you ask {n} if she still has my {pick(['book', 'charger', 'jacket', 'casserole dish', 'ladder', 'tent'])}?",
        f"Our {pick(['boiler', 'washing machine', 'fridge', 'dishwasher', 'car'])} has died. Again. {pick(EMOJI)}",
        f"Pick-up is at {t} from {p}, not {time_str()} like last week",
        f"Score's {rng.randrange(0, 5)}-{rng.randrange(0, 5)} at half time, {n}'s team is playing brilliantly",
        f"{pick(['Bus', 'Train', 'Tram'])} is {rng.randrange(5, 40)} minutes late, start without me",
    ]
    return pick(templates)


# ---------------------------------------------------------------------------------------------------------
# chat-multilingual: es fr de pt it nl pl sv fi tr ru ar hi zh ja ko (+ he, mixed-script, RTL marks)
# ---------------------------------------------------------------------------------------------------------

CHAT_MULTI = [
    # es
    "¿Quedamos mañana a las 7 en la plaza? 😊",
    "Perdona, llego tarde, hay un atasco enorme en la M-30",
    "¡Feliz cumpleaños, guapa! Que lo pases genial 🎉",
    "¿Has visto mis llaves? Creo que las dejé en tu coche",
    "Mamá dice que la comida del domingo es a las dos",
    "No puedo ir hoy, tengo fiebre. ¿Me pasas los apuntes?",
    "Ya he llegado al hotel, el viaje fue muy tranquilo",
    "¿Pedimos pizza o cocinamos algo? Yo voto pizza 🍕",
    "El partido empieza a las 21:00, ¿lo vemos en el bar de siempre?",
    "Gracias por todo, de verdad. Sois los mejores ❤️",
    "¿Alguien sabe si mañana hay clase? Dicen que hay huelga",
    "Te mando la ubicación del restaurante ahora mismo",
    # fr
    "Tu passes à quelle heure ce soir ?",
    "Je suis dans le train, j'arrive vers 19 h 30 🚆",
    "Bon anniversaire ma belle ! Gros bisous 😘",
    "On se retrouve devant la boulangerie à midi ?",
    "Désolé, je ne pourrai pas venir samedi, j'ai un empêchement",
    "N'oublie pas d'acheter du pain et du fromage 🧀",
    "La réunion est décalée à jeudi 14 h, salle B",
    "Il pleut des cordes ici, prends un parapluie",
    "Merci pour la soirée, c'était super sympa !",
    "Les enfants dorment enfin… on regarde un film ?",
    "Tu as reçu mon colis ? Le suivi dit « livré »",
    "Je t'appelle dès que je sors du boulot",
    # de
    "Bist du schon zu Hause? Ich bring Brötchen mit",
    "Der Zug hat 20 Minuten Verspätung, typisch Bahn 🙄",
    "Alles Gute zum Geburtstag! Lass dich feiern 🥳",
    "Können wir das Meeting auf Donnerstag verschieben?",
    "Ich hab den Schlüssel unter die Fußmatte gelegt",
    "Vergiss nicht, morgen ist Elternabend um 19 Uhr",
    "Wollen wir am Wochenende grillen? Das Wetter soll super werden ☀️",
    "Danke für die schnelle Hilfe, du bist ein Schatz",
    "Die Heizung ist schon wieder kaputt, ich ruf den Vermieter an",
    "Ich steh vor der Tür, machst du auf?",
    "Straßenbahn fällt aus, ich nehm das Fahrrad",
    "Grüße an Oma und Opa! Wir kommen Ostern vorbei",
    # pt
    "Oi! Tudo bem? Vamos almoçar amanhã?",
    "Cheguei em casa, obrigada pela carona 🙏",
    "Parabéns, amiga! Muitas felicidades 🎂",
    "O jogo começa às 16h, vai ver com a gente?",
    "Não esquece de comprar pão e leite",
    "Estou preso no trânsito, chego em 20 minutos",
    "A reunião foi adiada para sexta-feira às 10h",
    "Que saudade de vocês! Quando voltam para Lisboa?",
    "Mãe, já jantei, pode ficar tranquila ❤️",
    "Alguém sabe a que horas fecha a farmácia hoje?",
    "Mandei as fotos da festa no grupo",
    # it
    "Ci vediamo stasera alle 8 in piazza?",
    "Scusa il ritardo, il treno era fermo a Bologna",
    "Tanti auguri di buon compleanno! 🎉🎉",
    "Hai comprato il latte? Ne abbiamo bisogno per domani",
    "La riunione è spostata a giovedì pomeriggio",
    "Che bella giornata oggi, andiamo al mare? 🏖️",
    "Grazie mille per l'aiuto di ieri",
    "Mi mandi l'indirizzo del ristorante?",
    "Arrivo tra dieci minuti, ordina pure per me",
    "La nonna ha preparato le lasagne, venite a pranzo domenica",
    "Stasera c'è la partita, chi viene a vederla da me?",
    # nl
    "Hoi! Zullen we morgen koffie drinken?",
    "Ik sta in de file op de A10, kom iets later",
    "Gefeliciteerd met je verjaardag! 🎈",
    "Vergeet je niet de vuilnis buiten te zetten?",
    "De trein naar Utrecht rijdt niet, ik neem de bus",
    "Bedankt voor het lekkere eten gisteren!",
    "Wie neemt er wat mee voor de picknick?",
    "Ik ben er over vijf minuten, zet maar vast koffie",
    "Het regent alweer… typisch Nederlands weer 🌧️",
    "Kun je de kinderen om half vier ophalen?",
    "Zaterdag verjaardag van oma, om 15:00 bij ons",
    # pl
    "Cześć! Widzimy się jutro o 18?",
    "Przepraszam, spóźnię się, autobus się zepsuł",
    "Wszystkiego najlepszego z okazji urodzin! 🎂",
    "Kupisz po drodze chleb i mleko?",
    "Dzięki za wczoraj, było super",
    "Spotkanie przeniesione na czwartek na 10:00",
    "Jestem już w domu, dam znać jutro",
    "Mama pyta, czy przyjedziecie na święta",
    "Pada śnieg, uważaj na drodze ❄️",
    "Masz może ładowarkę do laptopa?",
    "Zamówiłam pizzę, będzie za pół godziny",
    # sv
    "Hej! Ses vi på fiket klockan tre?",
    "Tåget är försenat igen, jag är där om tjugo minuter",
    "Grattis på födelsedagen! 🎉",
    "Glöm inte att köpa mjölk på vägen hem",
    "Tack för igår, det var jättetrevligt",
    "Mötet är flyttat till torsdag kl. 14",
    "Vi grillar på lördag om vädret håller ☀️",
    "Kan du hämta barnen på förskolan idag?",
    "Jag är utanför, kan du öppna?",
    "Mormor fyller 80 i juni, vi planerar en fest",
    "Det snöar som bara den här uppe i Umeå",
    # fi
    "Moi! Nähdäänkö huomenna kahvilla?",
    "Juna on myöhässä, tulen vähän myöhemmin",
    "Hyvää syntymäpäivää! 🥳",
    "Muista ostaa maitoa kotimatkalla",
    "Kiitos eilisestä, oli tosi kivaa",
    "Palaveri siirtyy torstaille klo 13",
    "Sauna on lämmin, tuletko?",
    "Olen jo kotona, soitan huomenna",
    "Lunta tuli yöllä puoli metriä ❄️",
    "Voitko hakea lapset päiväkodista tänään?",
    "Mökille lähdetään perjantaina heti töiden jälkeen",
    # tr
    "Merhaba! Yarın akşam buluşalım mı?",
    "Trafikteyim, biraz gecikeceğim kusura bakma",
    "Doğum günün kutlu olsun! 🎉🎂",
    "Eve gelirken ekmek alır mısın?",
    "Dün akşam için çok teşekkürler, harikaydı",
    "Toplantı perşembe saat 11'e ertelendi",
    "Annem pazar günü yemeğe bekliyor",
    "Maçı nerede izliyoruz?",
    "Kapıdayım, açar mısın?",
    "İstanbul'a indim, otele geçiyorum ✈️",
    "Bayramınız mübarek olsun, sevgiler ❤️",
    # ru
    "Привет! Встретимся завтра в семь?",
    "Извини, опаздываю, пробки ужасные",
    "С днём рождения! Счастья и здоровья 🎉",
    "Купи, пожалуйста, хлеба и молока по дороге",
    "Спасибо за вчерашний вечер, было здорово",
    "Совещание перенесли на четверг, 15:00",
    "Я уже дома, всё хорошо",
    "Мама спрашивает, приедете ли вы на выходные",
    "На улице минус двадцать, одевайся теплее ❄️",
    "Ты не видел мои ключи?",
    "Поезд прибывает в 06:40 на Ленинградский вокзал",
    # ar (RTL)
    "مرحبا! هل نلتقي غدا في الساعة السابعة؟",
    "آسف، سأتأخر قليلا بسبب الزحمة",
    "كل عام وأنت بخير! 🎉",
    "لا تنسَ شراء الخبز والحليب",
    "شكرا جزيلا على العشاء، كان رائعا",
    "تم تأجيل الاجتماع إلى يوم الخميس الساعة ١١",
    "وصلت إلى البيت، تصبحون على خير ❤️",
    "رمضان كريم! 🌙",
    "الموعد عند الطبيب يوم الأحد الساعة ٤:٣٠",
    "\u200fالرحلة رقم EK 204 تصل الساعة 22:15",
    "أنا أمام الباب، افتح من فضلك",
    "عيد مبارك للجميع، وكل عام وأنتم بخير 🌙✨",
    # hi
    "नमस्ते! कल शाम को मिलते हैं?",
    "माफ़ करना, ट्रैफिक में फँस गया हूँ, थोड़ी देर होगी",
    "जन्मदिन की बहुत-बहुत शुभकामनाएँ! 🎂",
    "घर आते समय दूध और ब्रेड ले आना",
    "कल के लिए धन्यवाद, बहुत मज़ा आया",
    "मीटिंग गुरुवार सुबह 11 बजे तक टल गई है",
    "मैं घर पहुँच गई, चिंता मत करो 🙏",
    "दिवाली की हार्दिक शुभकामनाएँ! 🪔",
    "मम्मी पूछ रही हैं कि रविवार को खाने पर आओगे?",
    "ट्रेन प्लेटफ़ॉर्म 3 पर आएगी",
    "kal match dekhne chalein? 7 baje start hai",
    # zh
    "明天晚上七点一起吃饭吗？",
    "不好意思，堵车了，我晚到二十分钟",
    "生日快乐！🎂 祝你天天开心",
    "回家的路上帮我买点牛奶和面包",
    "谢谢你昨天的帮忙，太感谢了",
    "会议改到周四下午两点，在三楼会议室",
    "我已经到家了，早点休息",
    "春节快乐，万事如意！🧧",
    "你看到我的钥匙了吗？",
    "航班 CA1832 晚点了，预计 23:40 落地",
    "周末去爬山吗？天气预报说是晴天☀️",
    # ja
    "明日の夜7時に駅前で会いましょう！",
    "すみません、電車が遅れていて10分ほど遅れます🙏",
    "お誕生日おめでとう！🎉",
    "帰りに牛乳とパンを買ってきてくれる？",
    "昨日はありがとう！とても楽しかったです",
    "会議は木曜日の午後3時に変更になりました",
    "家に着いたよ、おやすみ😴",
    "新幹線のぞみ号で向かっています、東京駅に18:03着",
    "鍵を見なかった？どこにも見つからない",
    "明けましておめでとうございます🎍今年もよろしくお願いします",
    "今日は雨だから傘を忘れないでね☔",
    # ko
    "내일 저녁 7시에 만날까?",
    "미안, 차가 막혀서 좀 늦을 것 같아",
    "생일 축하해! 🎂🎉",
    "집에 오는 길에 우유랑 빵 좀 사다 줄래?",
    "어제 정말 고마웠어, 덕분에 즐거웠어",
    "회의가 목요일 오후 2시로 변경됐습니다",
    "집에 잘 도착했어, 잘 자 😴",
    "추석 잘 보내세요! 🌕",
    "열쇠 봤어? 어디에도 없네",
    "지하철 2호선 타고 가는 중이야, 강남역에서 내려",
    "오늘 회식 몇 시에 끝나?",
    # he, mixed script, bidi marks, combining marks
    "שלום! נפגשים מחר בשמונה?",
    "תודה רבה על הכול ❤️",
    "Meeting at 3 — \u200fنلتقي في المكتب\u200f — ok?",
    "Ok 👍 see you at the café «Le Petit Zinc», tischreservierung auf Müller",
    "Привет Anna! Are we still going to the cinema? 🎬",
    "東京 trip photos are up in the shared album 📸",
    "Jalapeño, crème brûlée, naïve, façade — spelling bee words for Friday",
    "Tomorrow: 9h café ☕, 11h réunion, 14h 会議, 18h 저녁",
    "Ma\u0301laga → Sevilla en AVE, salimos a las 08:05",
    "Ich heiße Zoë, nicht Zoe 😅",
    "👨‍👩‍👧‍👦 family photo day! Everyone in white please 🤍",
    "🏳️‍🌈 Pride march starts at noon at the park gates",
    "Grüß dich! ¿Qué tal? Ça va? 🌍 Polyglot Stammtisch is on Thursday",
    "\u202bשלום עולם\u202c — testing the new keyboard",
    "Mój numer pokoju to 214, piętro 2 🏨",
    "Vi ses på Café Ümlaut kl 15 – den med röda dörren",
    "¡Ánimo! Mañana será otro día 💪",
    "Ja, klopt — we zien elkaar om 14:00 bij het station 🚉",
    "Sí, claro. Я буду там в 5. À tout à l'heure!",
    "Habibi, yalla, we're late! يلا بسرعة 🏃",
    "नमस्ते 🙏 Meeting link will be shared 10 minutes before",
    "Ура! Мы выиграли 3:1 ⚽",
    "Jutro o 7:00 zbiórka pod szkołą, nie spóźnijcie się!",
    "Kahvi on valmis ☕ tule keittiöön",
    "Eid mubarak! عيد مبارك 🌙 see you at grandma's",
]


def chat_multi_templated():
    h = rng.randrange(7, 22)
    m = pick(["00", "15", "30", "45"])
    e = pick(EMOJI)
    n = pick(NAMES)
    templates = [
        f"¿Nos vemos a las {h}:{m}? {e}",
        f"On se voit à {h} h {m} devant la gare ? {e}",
        f"Treffen wir uns um {h}:{m} am Bahnhof? {e}",
        f"Chego às {h}h{m}, me espera na saída {e}",
        f"Arrivo alle {h}:{m}, aspettami davanti al bar {e}",
        f"Ik ben er om {h}:{m}, tot straks! {e}",
        f"Będę o {h}:{m}, poczekaj na mnie {e}",
        f"Jag kommer kl {h}.{m}, vänta på mig {e}",
        f"Olen siellä klo {h}.{m} {e}",
        f"Saat {h}:{m}'de oradayım {e}",
        f"Буду в {h}:{m}, подожди меня {e}",
        f"سأكون هناك الساعة {h}:{m} {e}",
        f"मैं {h}:{m} बजे पहुँच जाऊँगा {e}",
        f"我{h}点{m}分到，等我一下 {e}",
        f"{h}時{m}分に着きます {e}",
        f"{h}시 {m}분에 도착해 {e}",
        f"{n} kommt auch mit, ist das okay? {e}",
        f"{n} vient aussi, ça te dérange pas ? {e}",
        f"{n} también viene, ¿vale? {e}",
        f"{n} 也一起来，可以吗？{e}",
    ]
    return pick(templates)


# ---------------------------------------------------------------------------------------------------------
# orders-tracking: real formats with their real check digits where they have one
# ---------------------------------------------------------------------------------------------------------

def ups():
    body = rs(UPPER + DIGITS, 6) + pick(["01", "02", "03", "12", "13", "42", "66"]) + rs(DIGITS, 7)
    values = [int(c) if c.isdigit() else (ord(c) - 63) % 10 for c in body]
    total = sum(v * (2 if i % 2 else 1) for i, v in enumerate(values))
    check = (10 - total % 10) % 10
    t = "1Z" + body + str(check)
    return t if rng.random() < 0.8 else f"1Z {t[2:5]} {t[5:8]} {t[8:10]} {t[10:14]} {t[14:17]} {t[17]}"


def usps():
    body = pick(["9400", "9205", "9407", "9303", "9270", "9361"]) + rs(DIGITS, 17)
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    t = body + str((10 - total % 10) % 10)
    return t if rng.random() < 0.5 else " ".join(t[i:i + 4] for i in range(0, 22, 4))


def s10(prefix=None, country=None):
    prefix = prefix or pick(["RR", "LZ", "EC", "CP", "RN", "LX", "UA", "RB", "JV", "EE"])
    country = country or pick(["GB", "DE", "FR", "US", "CN", "NL", "ES", "IT", "SE", "PL", "JP"])
    serial = rs(DIGITS, 8)
    total = sum(int(c) * w for c, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7)))
    check = 11 - total % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    t = f"{prefix}{serial}{check}{country}"
    return t if rng.random() < 0.7 else f"{prefix} {serial[:3]} {serial[3:6]} {serial[6:]}{check} {country}"


def dhl_express():
    body = rs(DIGITS, 9)
    return body + str(int(body) % 7)


def fedex():
    style = rng.randrange(3)
    if style == 0:
        return digits(12, "7")
    if style == 1:
        t = digits(12, "7")
        return f"{t[:4]} {t[4:8]} {t[8:]}"
    return digits(15, "9")


def amazon_order():
    return f"{pick(['111', '112', '113', '114', '026', '028', '202', '203', '204', '205', '206', '302', '303', '304', '305', '306', '404', '405', '406', '407', '408', '171', '249', '250'])}-{rs(DIGITS, 7)}-{rs(DIGITS, 7)}"


def pnr():
    return rs("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6)


ORDERS_HAND = [
    "Your order has shipped! Track it at ups.com with 1Z 999 AA1 01 2345 678 4 (that's the demo number, real one is in the email)",
    "Order #1042 confirmed. We'll email you when it ships.",
    "Hi, I'm writing about order 4471. The size is wrong, can I exchange it?",
    "Booking reference: K7Q2ZP — please bring your passport to check-in",
    "Table for 4 confirmed for Saturday 19:30, reservation #88231",
    "Eurostar booking PQXR7C, coach 12 seats 61 and 62",
    "Hotel confirmation 84729163, check-in from 3pm, free cancellation until 48h before",
    "Case number 02938475 — please quote this in all correspondence",
    "Your return label is attached. Drop it at any Post Office, ref RTN-7731",
    "Invoice INV-2024-00381 is overdue by 14 days, total due €1,240.00",
    "Rechnung Nr. RE-2024-1187 vom 03.04.2024, zahlbar innerhalb von 14 Tagen",
    "Factura F2024/0193 adjunta. Gracias por su compra.",
    "Ticket #48213 has been escalated to our logistics team",
    "Click & Collect order 7723 is ready at the Oxford Street store",
    "Your parcel is at the locker. Collection code 483920, valid 72 hours",
    "Parcel locker pickup code: 61 73 05",
    "Delivery slot booked: Tue 14 May, 18:00–19:00, order number 4417-2290",
    "We've received your return (RMA 20240517-88). Refund in 5–7 working days.",
    "Airbnb reservation HMQ4ZP2TXK — host will send the door code the day before",
    "Your Uber Eats order from Pho Saigon is on its way 🛵",
    "Tesco delivery 16:00–17:00 today, 3 substitutions",
    "Order 2093-4418-771 delayed due to weather, sorry for the inconvenience",
    "Purchase order PO-55821 approved by finance",
    "Quote Q-2024-0077 valid for 30 days",
    "Work order WO-10492 assigned to the night shift",
    "Your repair ticket is REP-3321, the technician will call ahead",
    "Seat reservation: Wagen 7, Platz 45 und 46, ICE 597",
    "SNCF : dossier voyage MXPQZT, départ Paris Gare de Lyon 07:56, voiture 14",
    "Trenitalia PNR XZ4K9P, Frecciarossa 9521, carrozza 6 posto 12A",
    "Ryanair booking 5GHJ2K — online check-in opens 24h before",
    "Ferry booking 2203847 for 1 car and 2 adults, Dover–Calais 08:40",
    "Concert tickets: order 881-204-519, section B row 12",
    "Your pharmacy order 5521 is ready for collection",
    "Courier tried to deliver, card left: ref 7F3K-2291. Rebook online",
    "Tracking says 'out for delivery' since 7am 🙄",
    "Customs is holding the parcel, they want a commercial invoice",
    "Return window closes on 30 June for order 8821",
    "Shopify order #2847 – 2 items, fulfilled",
    "eBay item 12-34567-89012 marked as dispatched",
    "Etsy order #3320518873: the seller says it ships Monday",
    "Vinted : colis déposé en point relais, numéro de suivi 8V01234567890",
    "Your DPD parcel 1550 2781 9934 00 will arrive between 10:52 and 11:52",
    "Hermes parcel H01AAA0012345678 is with the courier",
    "Evri says 'we're sorry your parcel is running late' again",
    "InPost: Twoja paczka czeka w Paczkomacie KRA01M, kod odbioru 482013",
    "Correos: envío PQ4F6P0701234560133014A en reparto",
    "PostNL pakket 3SABCD1234567 wordt vandaag bezorgd tussen 14:30 en 16:30",
    "Colissimo 6A12345678901 livré en boîte aux lettres",
    "Canada Post: 7023 2103 3883 9123 — item accepted at the Post Office",
    "Japan Post EMS EJ123456785JP arrived at the sorting centre",
    "Cainiao LP00538291746210 — departed from sorting center in Guangzhou",
    "Yun Express YT2412345678901234 in transit",
    "Order 2024-05-17-0042 picked and packed 📦",
    "Grocery order 8837 — you'll get a text when the driver is 10 minutes away",
    "Booking.com confirmation 4021.883.119, PIN code 8832 for managing the booking",
    "Cinema booking ref WX7P, screen 5, seats F7–F9",
    "Vet appointment booked, reference VET-6612, Thursday 10:20",
    "Job number 22871 – boiler service complete, next due in 12 months",
    "Your Deliveroo order #2391 is being prepared 🍜",
    "Your Amazon order 112-7740013-6621005 has been dispatched, arriving Thursday",
    "Amazon.de Bestellung 302-3315097-2256318 wurde versandt",
    "Amazon return for 205-8843120-4479061 processed, refund to original payment method",
    "Zalando Bestellung 10104872291556 ist unterwegs",
    "AliExpress order 8174532291046613 — seller shipped, estimated delivery 15–25 days",
    "Temu order PO-211-09981377212290015 delivered",
    "Lieferando Bestellung #NX7-4KP wird zubereitet",
    "Mercado Libre: compra #2000005837261 entregada",
]


def orders_templated():
    n = pick(NAMES)
    templates = [
        lambda: f"Your UPS package {ups()} is out for delivery today",
        lambda: f"Tracking: {ups()} — delivered to front porch at {time_str()}",
        lambda: f"USPS tracking {usps()}, expected delivery {date_str()}",
        lambda: f"USPS says {usps()} is 'In Transit, Arriving Late' 😩",
        lambda: f"Royal Mail Tracked 24: {s10(pick(['AB', 'FH', 'JV', 'TT', 'KV', 'QW']), 'GB')}",
        lambda: f"International parcel {s10()} cleared customs",
        lambda: f"Registered letter {s10('RR')} signed for by {n}",
        lambda: f"DHL Express waybill {dhl_express()}, pickup booked for {date_str()}",
        lambda: f"DHL Paket Sendungsnummer 00340434{rs(DIGITS, 12)}",
        lambda: f"FedEx tracking {fedex()} — on FedEx vehicle for delivery",
        lambda: f"FedEx says {fedex()} needs a signature, can someone be home?",
        lambda: f"Amazon order {amazon_order()} arriving {pick(WEEKDAYS)}",
        lambda: f"Can you check order {amazon_order()}? The charger in it doesn't work",
        lambda: f"Amazon Logistics TBA{rs(DIGITS, 12)} — delivered to a safe place",
        lambda: f"Flight {pick(['BA', 'LH', 'AF', 'KL', 'IB', 'EK', 'UA', 'DL', 'AA', 'QR', 'TK', 'SQ'])}{rng.randrange(10, 2999)}, booking ref {pnr()}, seat {rng.randrange(1, 45)}{pick('ABCDEF')}",
        lambda: f"E-ticket {pick(['125', '220', '057', '074', '016', '006', '176', '157'])}-{rs(DIGITS, 10)} for {n}, PNR {pnr()}",
        lambda: f"Booking {pnr()} – {rng.randrange(1, 5)} passengers, outbound {date_str()}",
        lambda: f"Invoice {pick(['INV', 'FAC', 'RE', 'INV-EU', 'BILL'])}-{pick([2023, 2024, 2025])}-{rs(DIGITS, 5)} sent to accounts",
        lambda: f"Order #{digits(pick([4, 5, 6, 7]))} has been {pick(['shipped', 'cancelled', 'refunded', 'delivered', 'split into two parcels'])}",
        lambda: f"Ticket {pick(['#', 'no. ', 'ID '])}{digits(pick([5, 6, 7]))} — status changed to {pick(['Open', 'Pending', 'Solved', 'Waiting on customer'])}",
        lambda: f"Your reservation {pick(['#', 'no. ', ''])}{rs(UPPER + DIGITS, 8)} is confirmed for {date_str()} at {time_str()}",
        lambda: f"Parcel {rs(UPPER, 2)}{rs(DIGITS, 9)}{rs(UPPER, 2)} is waiting at the post office",
        lambda: f"Collection code for locker {rng.randrange(1, 90)}: {rs(DIGITS, 6)}",
        lambda: f"PO-{rs(DIGITS, 5)} / SO-{rs(DIGITS, 6)} — please match these on the delivery note",
        lambda: f"Return authorised: RMA-{rs(UPPER + DIGITS, 6)}. Use the prepaid label.",
        lambda: f"Order {rs(UPPER, 3)}-{rs(DIGITS, 6)} from the webshop, paid with PayPal",
        lambda: f"{n}, your Click & Collect order {digits(8)} is ready",
    ]
    return pick(templates)()


# ---------------------------------------------------------------------------------------------------------
# phones: many countries and writing styles; fictional ranges where regulators reserve them
# ---------------------------------------------------------------------------------------------------------

AU_FICTION = ["0491 570 006", "0491 570 156", "0491 570 157", "0491 570 158", "0491 570 159", "0491 570 110",
              "0491 570 313", "0491 570 737", "0491 571 266", "0491 571 491", "0491 571 804", "0491 572 549",
              "0491 572 665", "0491 572 983", "0491 573 770", "0491 573 087", "0491 574 118", "0491 574 632",
              "0491 575 254", "0491 575 789", "0491 576 398", "0491 576 801", "0491 577 426", "0491 577 644",
              "0491 578 957", "0491 578 148", "0491 578 888", "0491 579 212", "0491 579 760", "0491 579 455"]


def phone():
    k = rng.randrange(40)
    x = lambda n: rs(DIGITS, n)
    if k == 0:
        return f"07700 900{x(3)}"
    if k == 1:
        return f"+44 7700 900{x(3)}"
    if k == 2:
        return f"+447700900{x(3)}"
    if k == 3:
        return f"020 7946 0{x(3)}"
    if k == 4:
        return f"+44 (0)20 7946 0{x(3)}"
    if k == 5:
        return f"0{pick(['113', '114', '115', '116', '117', '118', '121', '131', '141', '151', '161', '191'])} 496 0{x(3)}"
    if k == 6:
        return f"({pick(['212', '415', '312', '617', '202', '305', '206', '512', '713', '646'])}) 555-01{x(2)}"
    if k == 7:
        return f"{pick(['212', '415', '312', '617', '202', '303', '702', '404'])}-555-01{x(2)}"
    if k == 8:
        return f"{pick(['212', '415', '310', '718'])}.555.01{x(2)}"
    if k == 9:
        return f"+1 {pick(['416', '604', '514', '613', '403'])} 555 01{x(2)}"
    if k == 10:
        return f"1-800-555-01{x(2)}"
    if k == 11:
        return pick(AU_FICTION)
    if k == 12:
        return "+61 " + pick(AU_FICTION)[1:]
    if k == 13:
        return f"(0{pick('2378')}) {pick(['5550', '7010'])} {x(4)}"
    if k == 14:
        r = pick(["01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49", "06 39 98"])
        return f"{r} {x(2)} {x(2)}"
    if k == 15:
        r = pick(["1 99 00", "2 61 91", "6 39 98"])
        return f"+33 {r} {x(2)} {x(2)}"
    if k == 16:
        return f"+49 {pick(['30', '40', '89', '221', '69'])} {x(pick([7, 8]))}"
    if k == 17:
        return f"0{pick(['151', '152', '160', '170', '176', '157'])} {x(4)} {x(4)}"
    if k == 18:
        return f"+34 6{x(2)} {x(2)} {x(2)} {x(2)}"
    if k == 19:
        return f"+39 3{x(2)} {x(3)} {x(4)}"
    if k == 20:
        return f"+31 6 {x(8)}"
    if k == 21:
        return f"+48 {pick('5678')}{x(2)} {x(3)} {x(3)}"
    if k == 22:
        return f"+46 7{pick('0236')}-{x(3)} {x(2)} {x(2)}"
    if k == 23:
        return f"+358 4{pick('01')} {x(3)} {x(4)}"
    if k == 24:
        return f"+90 5{x(2)} {x(3)} {x(2)} {x(2)}"
    if k == 25:
        return f"+7 ({pick(['912', '916', '903', '925', '999'])}) {x(3)}-{x(2)}-{x(2)}"
    if k == 26:
        return f"+971 5{pick('0256')} {x(3)} {x(4)}"
    if k == 27:
        return f"+91 {pick('9876')}{x(4)} {x(5)}"
    if k == 28:
        return f"+86 1{pick('3589')}{x(1)} {x(4)} {x(4)}"
    if k == 29:
        return f"+81 {pick(['90', '80', '70'])}-{x(4)}-{x(4)}"
    if k == 30:
        return f"+82 10-{x(4)}-{x(4)}"
    if k == 31:
        return f"+55 11 9{x(4)}-{x(4)}"
    if k == 32:
        return f"+52 55 {x(4)} {x(4)}"
    if k == 33:
        return f"+27 {pick(['82', '83', '72', '61'])} {x(3)} {x(4)}"
    if k == 34:
        return f"+234 80{x(1)} {x(3)} {x(4)}"
    if k == 35:
        return f"+254 7{x(2)} {x(6)}"
    if k == 36:
        return f"+353 8{pick('3567')} {x(3)} {x(4)}"
    if k == 37:
        return f"+41 7{pick('6789')} {x(3)} {x(2)} {x(2)}"
    if k == 38:
        return f"+65 {pick('89')}{x(3)} {x(4)}"
    return f"+972 5{pick('0234')}-{x(3)}-{x(4)}"


PHONES_HAND = [
    "Call me on 07700 900123 when you're outside",
    "Office: 020 7946 0018, ask for reception",
    "Emergency? Dial 999 (UK), 112 (EU), 911 (US), 000 (AU)",
    "The non-emergency police line is 101",
    "NHS 111 said to keep an eye on the fever and call back if it gets worse",
    "Call the helpline on 0800 123 4567? No wait, that's the old one",
    "Reservations: +33 1 99 00 42 18 (ask for Claire)",
    "Mobile +61 491 570 737, landline (02) 5550 1234",
    "US office (415) 555-0132, fax (415) 555-0199",
    "Just text me, my number is the same as before",
    "Dial extension 214 once you're through to the switchboard",
    "The doctor's surgery opens its phone lines at 8:00 sharp",
    "Press 1 for sales, 2 for support, 3 to hear these options again",
    "Customer service: 1-800-555-0175, Mon–Fri 9–5 EST",
    "Taxi firm: 0113 496 0742 — they're usually quick",
    "Landlord's number is 0161 496 0388 if the boiler goes again",
    "WhatsApp me at +44 7700 900456 instead, I'm abroad",
    "Numéro du cabinet : 04 65 71 23 09",
    "Meu celular novo: +55 11 91234-5678",
    "Mi número es +34 612 34 56 71, escríbeme por WhatsApp",
    "Handynummer: 0151 2345 6789 (nur abends erreichbar)",
    "Il numero del ristorante è +39 06 1234 5678",
    "Mijn nummer: 06-12345678",
    "Mój numer: +48 512 345 671",
    "Ring mig på 070-123 45 67",
    "Soita numeroon 040 123 4567",
    "Beni 0532 123 45 67'den arayabilirsin",
    "Мой номер: +7 (912) 345-67-89",
    "رقمي الجديد: ‎+971 50 123 4567",
    "मेरा नंबर 98765 43218 है",
    "我的手机号：138 0013 8000",
    "電話番号は 090-1234-5678 です",
    "내 번호는 010-1234-5678이야",
    "Kantor: (021) 555 1234, ext. 12",
    "Call center: +63 917 123 4567",
    "Hotline 1800 123 456 (Singapore)",
    "Tel. +43 664 1234567",
    "Phone +32 470 12 34 51",
    "Ring +45 20 12 34 56",
    "Ring meg på +47 412 34 567",
    "Ligue +351 912 345 678",
    "Τηλέφωνο: +30 691 234 5678",
    "Telefon: +420 601 123 456",
    "Hívj: +36 20 123 4561",
    "Мій номер +380 67 123 4567",
    "Call +64 21 123 4567 (NZ mobile)",
    "Toll free: 0800 00 1066",
    "SMS 'STOP' to 88022 to unsubscribe",
    "Short code 7726 is for reporting spam texts",
    "Texted you from my work phone, save this number too",
]


def phones_templated():
    p = phone()
    n = pick(NAMES)
    templates = [
        f"Call me on {p}",
        f"My new number is {p}, please update your contacts",
        f"{n}'s number: {p}",
        f"WhatsApp: {p}",
        f"You can reach the front desk at {p}",
        f"Reception {p} (ext. {rng.randrange(100, 999)})",
        f"Missed call from {p} — do you know who that is?",
        f"If I don't pick up, try {p}",
        f"Fax: {p}",
        f"Tel. {p} · Mon–Fri 9:00–17:00",
        f"For bookings ring {p} before {time_str()}",
        f"Here's the plumber's number: {p}",
        f"Emergency contact: {n}, {p}",
        f"Support line {p}, option {rng.randrange(1, 6)}",
        f"Save this: {p} ({pick(['taxi', 'dentist', 'school office', 'vet', 'babysitter', 'garage', 'pizzeria'])})",
        f"Wrong number? This is {n}'s phone, try {p}",
        f"The courier will call from {p} before delivery",
        f"Contact person on site: {n} {p}",
        f"Teléfono de contacto: {p}",
        f"Telefonnummer: {p}",
        f"Numéro : {p}",
    ]
    return pick(templates)


# ---------------------------------------------------------------------------------------------------------
# dates-amounts
# ---------------------------------------------------------------------------------------------------------

def money():
    k = rng.randrange(16)
    a = rng.choice([rng.randrange(1, 100), rng.randrange(100, 5000), rng.randrange(5000, 250000)])
    c = rng.randrange(100)
    if k == 0:
        return f"${a:,}.{c:02d}"
    if k == 1:
        return f"€{a:,}.{c:02d}".replace(",", "X").replace(".", ",").replace("X", ".") if rng.random() < 0.5 else f"{a:,},{c:02d} €".replace(",", ".", a >= 1000)
    if k == 2:
        return f"£{a:,}.{c:02d}"
    if k == 3:
        return f"¥{a * 100:,}"
    if k == 4:
        s = str(a * 10)
        head, tail = s[:-3], s[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        return "₹" + (",".join(groups) + "," if groups else "") + tail
    if k == 5:
        return f"R$ {a:,},{c:02d}".replace(",", ".", 1) if a >= 1000 else f"R$ {a},{c:02d}"
    if k == 6:
        return f"CHF {a}.{pick(['–', '50', '90', '00'])}"
    if k == 7:
        return f"{a} zł"
    if k == 8:
        return f"{a} kr"
    if k == 9:
        return f"₺{a:,},{c:02d}".replace(",", ".", a >= 1000)
    if k == 10:
        return f"{a:,} ₽".replace(",", " ")
    if k == 11:
        return f"USD {a:,}.{c:02d}"
    if k == 12:
        return f"{a}.{c:02d} EUR"
    if k == 13:
        return f"A${a}.{c:02d}"
    if k == 14:
        return f"₩{a * 1000:,}"
    return f"{a:,} AED"


DATES_HAND = [
    "Rent goes up to £1,450 from 1 September",
    "That's €12.50 each for the tickets, pay me whenever",
    "Balance: $2,384.17 available, $112.40 pending",
    "Saldo disponible: 2.345,67 €",
    "Kontostand: 1.204,33 EUR (Stand 17.05.2024, 08:15 Uhr)",
    "Budget for the trip is around 800 quid each",
    "Electricity bill was £187 this quarter 😱 up 23% on last year",
    "The fund is up 4.7% YTD, down 1.2% this week",
    "Interest rate fixed at 4.19% for 5 years, then variable",
    "Inflation came in at 3.2% y/y in March",
    "Sale: 30% off everything, ends Sunday at midnight",
    "Tip was 15%, so about $9 each",
    "Half marathon done in 1:52:37 🏃‍♀️ PB by 4 minutes!",
    "Pace 5:21/km, heart rate avg 158 bpm",
    "Flight time 11h 25m, layover 2h 10m in Doha",
    "The meeting ran 47 minutes over. Again.",
    "Oven at 180°C (160°C fan) for 35–40 minutes",
    "Countdown: 12 days, 4 hours until the holidays 🎄",
    "Q3 revenue $4.2M, up 18% QoQ; burn $310k/month",
    "Payroll runs on the 25th, or the Friday before if it's a weekend",
    "Mortgage payment of £1,032.66 leaves on the 3rd of each month",
    "Salary: 52.000 € brutto im Jahr, 13 Gehälter",
    "Deposit of 500 € refundable, cleaning fee 60 €",
    "Parking is ¥600 per hour, max ¥2,400 per day",
    "Total with VAT: 1.190,00 € (19% MwSt.)",
    "The bill came to 3 840 ₽ for four people",
    "Price dropped from ₹1,49,999 to ₹1,19,999 during the sale",
    "Subscription renews on 2024-06-01 for $9.99/month",
    "Trial ends in 7 days — cancel before Jun 3 to avoid the charge",
    "Due date: 31/12/2024. Late fee £25 after that",
    "Exchange rate today: 1 EUR = 1.0842 USD",
    "BTC at 67,412 USD, ETH at 3,104 USD (not financial advice 😂)",
    "Battery at 23%, about 1 h 40 min remaining",
    "Download 84.3 Mbps, upload 19.7 Mbps, ping 12 ms",
    "Storage: 118.4 GB of 128 GB used",
    "Screen time this week: 4h 12m per day on average 😳",
    "The baby was 3.4 kg (7 lb 8 oz) and 51 cm",
    "Fuel: 1.79 €/L today at the Shell on the corner",
    "It's -12°C outside with windchill -19°C",
    "Sunrise 05:12, sunset 21:03 — longest day of the year",
    "Timestamp 2024-05-17T14:30:00Z in the logs, that's 15:30 BST",
    "Server time 2024-05-17 14:30:22.118 +0200",
    "Epoch 1715956200 = Fri, 17 May 2024 14:30:00 GMT",
    "Cron runs at 0 3 * * * (3am daily)",
    "Week 20 of 2024, day 138",
    "Q1 FY25 starts on 1 April",
    "Opening hours: Mon–Fri 08:30–18:00, Sat 09:00–13:00, Sun closed",
    "School term: 4 Sep 2024 – 20 Dec 2024, half term 28 Oct – 1 Nov",
    "Receipt: 2× flat white £7.00, 1× croissant £2.80, total £9.80",
    "Split 4 ways it's €37.25 each",
    "Refund of $48.99 issued, allow 3–5 business days",
    "Your payment of £120.00 to Greenway Lettings was successful",
    "Transferred 250 € to savings, 1.250 € total now 💪",
    "Monthly pension contribution 5% + employer 3%",
    "Amortization: 30 years, 360 payments of $1,896.20",
    "Cost per unit: 0.0042 USD, break-even at 12k units",
    "ROI 23.5% over 18 months",
    "Delay of 2 h 15 min, compensation €250 under EU261",
    "The appointment is at 10:40 on 14/06 – arrive 10 minutes early",
    "Marathon splits: 10k 49:12, half 1:44:30, 30k 2:29:05",
]


def dates_templated():
    templates = [
        lambda: f"Total is {money()}, can you send me your half?",
        lambda: f"Paid {money()} for the {pick(['hotel', 'car hire', 'tickets', 'groceries', 'dinner', 'repairs'])} on {date_str()}",
        lambda: f"Balance after transfer: {money()}",
        lambda: f"Available balance {money()} as of {date_str()} {time_str()}",
        lambda: f"Invoice total {money()}, due {date_str()}",
        lambda: f"Your {pick(['gas', 'water', 'phone', 'broadband', 'council tax'])} bill of {money()} is ready",
        lambda: f"{pick(NAMES)} owes {money()} for {pick(['pizza', 'the taxi', 'the concert', 'the gift'])}",
        lambda: f"It's {rng.randrange(5, 70)}% off until {date_str()}",
        lambda: f"Up {rng.randrange(1, 40)}.{rng.randrange(10)}% since {MONTHS[rng.randrange(12)]}",
        lambda: f"Meeting {date_str()} {time_str()}–{time_str()}",
        lambda: f"Deadline moved to {date_str()}",
        lambda: f"Ran {rng.randrange(3, 42)}.{rng.randrange(10)} km in {rng.randrange(0, 4)}:{rng.randrange(60):02d}:{rng.randrange(60):02d}",
        lambda: f"Estimated time {rng.randrange(1, 12)}h {rng.randrange(60)}m, {rng.randrange(20, 900)} km",
        lambda: f"Temperature {rng.randrange(-15, 40)}°C, humidity {rng.randrange(20, 99)}%, wind {rng.randrange(0, 60)} km/h",
        lambda: f"Price per night {money()}, {rng.randrange(2, 14)} nights",
        lambda: f"Spent {money()} this month on {pick(['coffee', 'takeaway', 'fuel', 'books', 'subscriptions'])} 🙈",
        lambda: f"Salary credited: {money()} on {date_str()}",
        lambda: f"Check-in {date_str()} from {time_str()}, check-out by {time_str()}",
        lambda: f"Timer set for {rng.randrange(1, 90)} minutes",
        lambda: f"Logged at {pick([2023, 2024, 2025])}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z",
        lambda: f"{rng.randrange(1, 100)} days until {pick(['the wedding', 'Christmas', 'our trip', 'exams', 'the move'])}!",
        lambda: (lambda s, t: f"Scored {s}/{t} on the test, that's {round(100 * s / t)}%")(rng.randrange(20, 60), 60),
    ]
    return pick(templates)()


# ---------------------------------------------------------------------------------------------------------
# git-shas
# ---------------------------------------------------------------------------------------------------------

REPOS = ["acme/widgets", "gatehouse/gatehouse", "apple/swift-nio", "vapor/vapor", "python/cpython",
         "rust-lang/rust", "kubernetes/kubernetes", "facebook/react", "torvalds/linux", "golang/go",
         "home-assistant/core", "nodejs/node", "django/django", "rails/rails", "microsoft/vscode"]
FILES = ["Sources/App/main.swift", "src/server.ts", "lib/parser.py", "cmd/api/main.go", "README.md",
         "Package.swift", "package.json", "docs/setup.md", "src/components/Button.tsx", "app/models/user.rb",
         "internal/store/db.go", "tests/test_api.py", ".github/workflows/ci.yml", "Makefile", "Dockerfile"]
COMMIT_MSGS = ["fix: handle empty response from upstream", "feat: add retry with backoff",
               "chore(deps): bump swift-nio from 2.62.0 to 2.65.0", "refactor: split scanner into detectors",
               "docs: explain the rate limiter", "test: cover the unicode edge cases", "Revert \"Add caching layer\"",
               "perf: avoid copying the buffer twice", "ci: pin the toolchain to 6.3.1", "fix typo in README",
               "Merge pull request #1423 from feature/login-page", "WIP", "address review comments",
               "build: drop Python 3.8", "feat(api): paginate /orders", "fix(ui): button overlaps on small screens"]


def short_sha():
    return sha1_hex()[:pick([7, 7, 7, 8, 9, 10, 12])]


GIT_HAND = [
    "HEAD is now at 4b825dc Initial commit",
    "Your branch is ahead of 'origin/main' by 3 commits.",
    "Fixed on main, will be in the next release",
    "diff --git a/Package.swift b/Package.swift\nindex 1f2e3d4..5a6b7c8 100644\n--- a/Package.swift\n+++ b/Package.swift\n@@ -12,7 +12,8 @@ let package = Package(",
    "4b825dc642cb6eb9a060e54bf8d69288fbee4904 is the empty tree, that's why the diff is weird",
    "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 is the hash of an empty blob, the file is empty in that commit",
    "git bisect says the first bad commit is the dependency bump 🙃",
    "Can you rebase onto main? There's a conflict in Package.resolved",
    "Signed-off-by is missing on two of the commits",
]


def git_templated():
    s, full, repo = short_sha(), sha1_hex(), pick(REPOS)
    templates = [
        lambda: f"Fixed in {s}, please pull",
        lambda: f"Merged {s} into main 🎉",
        lambda: f"Regression started at {full}",
        lambda: f"git revert {s}",
        lambda: f"git cherry-pick {full}",
        lambda: f"git checkout {s} -- {pick(FILES)}",
        lambda: f"git reset --hard {s}",
        lambda: f"[main {s}] {pick(COMMIT_MSGS)}\n {rng.randrange(1, 9)} files changed, {rng.randrange(1, 400)} insertions(+), {rng.randrange(0, 200)} deletions(-)",
        lambda: f"commit {full}\nAuthor: {pick(NAMES)} <{pick(NAMES).lower()}@users.noreply.github.com>\nDate:   {pick(WEEKDAYS)[:3]} {MONTHS[rng.randrange(12)][:3]} {rng.randrange(1, 29)} {rng.randrange(0, 24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} 2024 +0100\n\n    {pick(COMMIT_MSGS)}",
        lambda: "\n".join(f"{short_sha()[:7]} {pick(COMMIT_MSGS)}" for _ in range(rng.randrange(3, 7))),
        lambda: f"https://github.com/{repo}/commit/{full}",
        lambda: f"https://github.com/{repo}/compare/{s}...{short_sha()}",
        lambda: f"See https://github.com/{repo}/blob/{full}/{pick(FILES)}#L{rng.randrange(1, 400)}",
        lambda: f"https://github.com/{repo}/pull/{rng.randrange(100, 90000)}/commits/{full}",
        lambda: f"diff --git a/{pick(FILES)} b/{pick(FILES)}\nindex {short_sha()[:7]}..{short_sha()[:7]} 100644",
        lambda: f"index {sha1_hex()[:12]}..{sha1_hex()[:12]} 100755",
        lambda: f"Cherry-picked from commit {full} (backport to release/{rng.randrange(1, 8)}.{rng.randrange(0, 20)})",
        lambda: f"CI failed on {s}: {pick(['flaky test', 'linker error', 'timeout after 60 min', 'lint'])} — rerunning",
        lambda: f"Deployed {s} to {pick(['staging', 'production', 'canary', 'eu-west-1'])} at {time_str()}",
        lambda: f"Build {rng.randrange(1000, 99999)} ({s}) passed ✅",
        lambda: f"Version {rng.randrange(0, 6)}.{rng.randrange(0, 30)}.{rng.randrange(0, 20)}+{s}",
        lambda: f"Bisected: good {short_sha()}, bad {short_sha()}",
        lambda: f"{pick(NAMES)} force-pushed the branch from {s} to {short_sha()}",
        lambda: f"Tag v{rng.randrange(1, 9)}.{rng.randrange(0, 20)}.{rng.randrange(0, 10)} points at {full}",
        lambda: f"Submodule path 'vendor/lib': checked out '{full}'",
        lambda: f"From https://github.com/{repo}\n   {s}..{short_sha()}  main       -> origin/main",
        lambda: f"error: could not apply {s}... {pick(COMMIT_MSGS)}",
        lambda: f"@@ -{rng.randrange(1, 300)},{rng.randrange(3, 12)} +{rng.randrange(1, 300)},{rng.randrange(3, 12)} @@ func {pick(['scan', 'parse', 'handle', 'render', 'validate'])}(",
        lambda: f"The blame points at {s} ({pick(NAMES)}, {rng.randrange(2, 30)} months ago)",
        lambda: f"go get github.com/{repo}@{full[:12]}",
        lambda: f"pip install git+https://github.com/{repo}.git@{full}",
        lambda: f"\"revision\" : \"{full}\",\n\"version\" : \"{rng.randrange(1, 5)}.{rng.randrange(0, 70)}.{rng.randrange(0, 10)}\"",
    ]
    return pick(templates)()


# ---------------------------------------------------------------------------------------------------------
# uuids
# ---------------------------------------------------------------------------------------------------------

def any_uuid():
    u = pick([uuid4, uuid4, uuid4, uuid7, uuid1])()
    r = rng.random()
    if r < 0.15:
        return u.upper()
    if r < 0.2:
        return "{" + u.upper() + "}"
    if r < 0.23:
        return "urn:uuid:" + u
    if r < 0.26:
        return u.replace("-", "")
    return u


def uuids_templated():
    u = any_uuid()
    templates = [
        lambda: f"Request id {u} failed with 502",
        lambda: f"Can you look up correlation id {u}?",
        lambda: f"Order {u} is stuck in 'processing'",
        lambda: f"https://app.example.com/projects/{uuid4()}/settings",
        lambda: f"GET /api/v2/users/{uuid4()}/preferences 404",
        lambda: f"Device ID: {u}",
        lambda: f"The CLSID is {u}",
        lambda: f"Idempotency-Key: {uuid4()}",
        lambda: f"X-Request-ID: {uuid4()}",
        lambda: f"trace {uuid7()} span {hexs(16)}",
        lambda: f"Duplicate key value violates unique constraint \"users_pkey\": id={uuid4()}",
        lambda: f"Error: document {u} not found",
        lambda: f"Job {u} finished in {rng.randrange(1, 900)}s",
        lambda: f"Both rows have {uuid4()} as tenant_id, that's the bug",
        lambda: f"Support case {u} — customer says the export is empty",
        lambda: f"Volume UUID: {u.upper() if '-' in u else uuid4().upper()}",
        lambda: f"Bluetooth service {u}",
        lambda: f"Meeting ID: {uuid4()} (use the link, not the id)",
        lambda: f"{{\"id\": \"{uuid4()}\", \"status\": \"queued\"}}",
        lambda: f"UPDATE jobs SET state = 'retry' WHERE id = '{uuid4()}';",
        lambda: f"Crash report {u.upper()} attached",
        lambda: f"Install id {uuid4()} / session {uuid4()}",
        lambda: f"Apple says the UDID is 00008{rng.randrange(10, 130):03d}-00{hexs(14).upper()}, add it to the provisioning profile",
        lambda: f"PARTUUID={uuid4()} / UUID={uuid4()}",
        lambda: f"Workspace {uuid4()} has {rng.randrange(2, 200)} members",
        lambda: f"Sorry, wrong id — it's {uuid7()} not {uuid7()}",
        lambda: f"EventBridge event {uuid4()} delivered twice",
        lambda: f"Azure subscription {uuid4()}, tenant {uuid4()}",
    ]
    return pick(templates)()


UUIDS_HAND = [
    "The nil UUID 00000000-0000-0000-0000-000000000000 means 'not set'",
    "Max UUID ffffffff-ffff-ffff-ffff-ffffffffffff is reserved too",
    "RFC 9562 example: 017f22e2-79b0-7cc3-98c4-dc0c0c07398f is a UUIDv7",
    "f81d4fae-7dec-11d0-a765-00a0c91e6bf6 is the example from RFC 4122, not a real record",
    "UUIDv4 has 122 random bits, collisions aren't a worry",
    "Why does the API return UUIDs in upper case on iOS and lower case on Android?",
]


# ---------------------------------------------------------------------------------------------------------
# hashes
# ---------------------------------------------------------------------------------------------------------

ARTIFACTS = ["gatehouse-1.4.2-linux-x86_64.tar.gz", "ubuntu-24.04-live-server-amd64.iso", "app-release.apk",
             "Gatehouse.dmg", "node-v20.12.2-darwin-arm64.tar.gz", "backup-2024-05-17.sql.gz", "firmware.bin",
             "setup.exe", "report.pdf", "model.onnx", "photos.zip", "swift-6.3.1-RELEASE-ubuntu24.04.tar.gz"]
IMAGES = ["nginx", "postgres", "redis", "python", "node", "swift", "alpine", "ghcr.io/acme/api", "busybox",
          "grafana/grafana", "mcr.microsoft.com/dotnet/aspnet", "public.ecr.aws/lambda/python"]


def sri(alg, n):
    return f"{alg}-" + base64.b64encode(rng.randbytes(n)).decode()


HASHES_HAND = [
    "The checksum doesn't match, can you re-download?",
    "SHA-1 is broken for collisions, please use SHA-256 for the manifest",
    "md5 is fine for cache keys, just don't use it for anything security related",
    "We store argon2id hashes, never plaintext, so we can't tell you your old password",
    "d41d8cd98f00b204e9800998ecf8427e is the MD5 of an empty file — the upload was empty",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 is sha256 of nothing, so the file is 0 bytes",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709 — sha1 of the empty string again, same bug",
    "Verify with: shasum -a 256 -c SHA256SUMS",
    "Certificate fingerprints changed after the renewal, that's expected",
    "The ETag is just the MD5 of the object unless it was a multipart upload",
]


def hashes_templated():
    a = pick(ARTIFACTS)
    templates = [
        lambda: f"sha256: {sha256_hex()}",
        lambda: f"{sha256_hex()}  {a}",
        lambda: f"SHA256 ({a}) = {sha256_hex()}",
        lambda: f"MD5 ({a}) = {md5_hex()}",
        lambda: f"{md5_hex()} *{a}",
        lambda: f"sha1sum says {sha1_hex()}, expected {sha1_hex()} 🤔",
        lambda: f"Checksum mismatch for {a}: expected {sha256_hex()}, got {sha256_hex()}",
        lambda: f"docker pull {pick(IMAGES)}@sha256:{sha256_hex()}",
        lambda: f"Digest: sha256:{sha256_hex()}\nStatus: Downloaded newer image for {pick(IMAGES)}:latest",
        lambda: f"FROM {pick(IMAGES)}:{rng.randrange(1, 20)}@sha256:{sha256_hex()}",
        lambda: f"\"integrity\": \"{sri('sha512', 64)}\"",
        lambda: f"<script src=\"https://cdn.example.net/lib.min.js\" integrity=\"{sri('sha384', 48)}\" crossorigin=\"anonymous\"></script>",
        lambda: f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256_hex()}\nsize {rng.randrange(1000, 90000000)}",
        lambda: f"github.com/{pick(REPOS)} v{rng.randrange(0, 3)}.{rng.randrange(0, 20)}.{rng.randrange(0, 9)} h1:{base64.b64encode(rng.randbytes(32)).decode()}",
        lambda: f"The server's host key fingerprint is SHA256:{base64.b64encode(rng.randbytes(32)).decode().rstrip('=')}",
        lambda: f"ED25519 key fingerprint is SHA256:{base64.b64encode(rng.randbytes(32)).decode().rstrip('=')}.\nAre you sure you want to continue connecting (yes/no)?",
        lambda: f"SHA-256 fingerprint: {':'.join(hexs(2).upper() for _ in range(32))}",
        lambda: f"SHA1 Fingerprint={':'.join(hexs(2).upper() for _ in range(20))}",
        lambda: f"GPG key fingerprint {' '.join(hexs(4).upper() for _ in range(10))}",
        lambda: f"Crash signature {md5_hex()} — same as ticket #{rng.randrange(1000, 9999)}",
        lambda: f"ETag: \"{md5_hex()}\"",
        lambda: f"ETag: W/\"{md5_hex()}-{rng.randrange(2, 40)}\"",
        lambda: f"cache key deps-{md5_hex()} restored",
        lambda: f"sha256 of the uploaded PDF: {sha256_hex()} — matches what the client sent",
        lambda: f"Bug: the file hash {sha1_hex()} appears twice in the index",
        lambda: f"blake3 {hashlib.blake2b(rng.randbytes(16), digest_size=32).hexdigest()}",
        lambda: f"sha512: {hashlib.sha512(rng.randbytes(16)).hexdigest()}",
        lambda: f"\"sha\": \"{sha1_hex()}\", \"size\": {rng.randrange(100, 90000)}",
        lambda: f"nix hash: sha256-{base64.b64encode(rng.randbytes(32)).decode()}",
        lambda: f"Content-MD5: {base64.b64encode(rng.randbytes(16)).decode()}",
        lambda: f"x-amz-checksum-crc32: {base64.b64encode(rng.randbytes(4)).decode()}",
        lambda: f"CRC32 {hexs(8).upper()} OK",
        lambda: f"torrent info hash {sha1_hex()}",
        lambda: f"IPFS says the block {sha256_hex()} is pinned",
        lambda: f"VirusTotal: 0/70 for sha256 {sha256_hex()}",
        lambda: f"Perceptual hash {hexs(16)} — close match to an existing product photo",
        lambda: f"pip: Hashes required. {pick(['requests', 'numpy', 'urllib3', 'idna'])}==2.{rng.randrange(0, 32)}.0 --hash=sha256:{sha256_hex()}",
        lambda: f"Cargo.lock checksum = \"{sha256_hex()}\"",
    ]
    return pick(templates)()


# ---------------------------------------------------------------------------------------------------------
# random-ids
# ---------------------------------------------------------------------------------------------------------

def stripe_public_id():
    prefix = pick(["pi_", "cus_", "ch_", "evt_", "prod_", "price_", "in_", "sub_", "pm_", "seti_", "txn_", "re_",
                   "acct_", "po_", "cs_live_", "cs_test_", "src_", "card_", "tok_"])
    return prefix + rs(BASE62, pick([14, 24, 24, 24]))


def stripe_publishable():
    return pick(["pk_live_", "pk_test_"]) + pick(["51", "51"]) + rs(BASE62, pick([22, 97]))


def slug():
    words = ["how", "to", "rotate", "keys", "in", "2024", "summer", "sale", "linen", "shirt", "best", "pasta",
             "recipe", "guide", "swift", "concurrency", "release", "notes", "why", "our", "team", "moved",
             "remote", "first", "day", "at", "the", "new", "office", "tips", "travel", "japan", "budget"]
    return "-".join(pick(words) for _ in range(rng.randrange(3, 7)))


def random_id_value():
    k = rng.randrange(30)
    return [
        lambda: "req_" + rs(BASE62, 14),
        lambda: f"00-{hexs(32)}-{hexs(16)}-01",
        lambda: f"Root=1-{hexs(8)}-{hexs(24)}",
        lambda: f"{hexs(16)}-{pick(['LHR', 'CDG', 'FRA', 'AMS', 'SJC', 'NRT', 'SIN', 'DFW'])}",
        lambda: rs(BASE62, 32),
        lambda: rs(BASE58, pick([22, 32, 44])),
        lambda: "Qm" + rs(BASE58, 44),
        lambda: "bafy" + rs("abcdefghijklmnopqrstuvwxyz234567", 55),
        lambda: rs(BASE64URL, 21),
        lambda: rs(BASE64URL, 11),
        lambda: ulid(),
        lambda: hexs(24),
        lambda: "-N" + rs(BASE64URL, 18),
        lambda: rs(BASE62, 20),
        lambda: rs(BASE62, 28),
        lambda: f"1:{rs(DIGITS, 12)}:{pick(['android', 'ios', 'web'])}:{hexs(pick([16, 22]))}",
        lambda: stripe_public_id(),
        lambda: stripe_public_id(),
        lambda: stripe_publishable(),
        lambda: f"i-0{hexs(16)}",
        lambda: f"{pick(['api', 'web', 'worker', 'scheduler'])}-{hexs(pick([9, 10]))}-{rs('bcdfghjklmnpqrstvwxz2456789', 5)}",
        lambda: hexs(12),
        lambda: f"{pick('CUDG')}{rs(UPPER + DIGITS, 10)}",
        lambda: f"gid://shopify/{pick(['Product', 'Order', 'Customer', 'Variant'])}/{digits(13, '7')}",
        lambda: f"G-{rs(UPPER + DIGITS, 10)}",
        lambda: f"GTM-{rs(UPPER + DIGITS, 7)}",
        lambda: f"{slug()}-{hexs(12)}",
        lambda: f"sess_{rs(BASE62, 24)}",
        lambda: f"{pick(['PROJ', 'OPS', 'WEB', 'IOS', 'DATA'])}-{rng.randrange(1, 9999)}",
        lambda: digits(19, "1"),
    ][k]()


RANDOM_IDS_HAND = [
    "Please send me the session id shown at the bottom of the error page, not your password",
    "The support bot asked for my 'reference number', is that the one starting with req_?",
    "Stripe publishable keys (pk_live_…) are meant to be in the browser, that's fine. The sk_live_ one is what must stay secret",
    "Discord user ids are snowflakes, they just encode a timestamp",
    "Firebase project id is acme-prod-4f21, app nickname 'Acme iOS'",
    "YouTube id is the bit after v= in the URL",
    "Nanoid is 21 chars by default, ~ same collision odds as UUIDv4",
    "My Sentry DSN is public anyway, it only allows sending events",
    "Use the trace id from the response header when you open a ticket",
    "ULIDs sort by time, UUIDv4s don't — that's why the index is fragmented",
]


def random_ids_templated():
    v = random_id_value()
    templates = [
        f"Request ID: {v}",
        f"Here's my session id from the error page: {v}",
        f"Support asked for the trace id, it's {v}",
        f"Reference: {v}",
        f"The id in the log is {v}, does that help?",
        f"traceparent: {v}" if v.startswith("00-") else f"id={v}",
        f"X-Amzn-Trace-Id: {v}" if v.startswith("Root=") else f"Object {v} not found",
        f"CF-Ray: {v}" if v[-4:-3] == "-" and v[-3:].isupper() else f"Looking at {v} now",
        f"Customer {v} says the export button does nothing",
        f"Can you refund {v}? Duplicate charge" if v.startswith(("pi_", "ch_")) else f"Linked to {v}",
        f"Publishable key for the checkout page: {v}" if v.startswith("pk_") else f"Sent you {v} on Slack",
        f"https://example.com/p/{v}",
        f"https://www.youtube.com/watch?v={rs(BASE64URL, 11)}&t={rng.randrange(10, 900)}s",
        f"https://youtu.be/{rs(BASE64URL, 11)}?si={rs(BASE64URL, 16)}",
        f"dd.trace_id={digits(19, '1')} dd.span_id={digits(pick([18, 19]), '1')}",
        f"Tweet: https://x.com/{pick(NAMES).lower()}/status/{digits(19, '1')}",
        f"Discord message link https://discord.com/channels/{digits(18, '1')}/{digits(19, '1')}/{digits(19, '1')}",
        f"Ticket {v} assigned to {pick(NAMES)}",
        f"Mongo _id: ObjectId(\"{hexs(24)}\")",
        f"Container {hexs(12)} exited with code {pick([0, 1, 137, 143])}",
        f"Pod {v} restarted {rng.randrange(2, 40)} times" if v.count("-") == 2 and not v.startswith("00") else f"ID {v}",
        f"Order ref {v.upper() if len(v) < 12 else v}",
        f"Blurhash: L{rs(BASE62 + '#$%*+,-.:;=?@[]^_{|}~', 27)}",
        f"Spotify track https://open.spotify.com/track/{rs(BASE62, 22)}?si={hexs(16)}",
        f"Google Doc https://docs.google.com/document/d/{rs(BASE64URL, 44)}/edit",
        f"Slack channel {pick('CG')}{rs(UPPER + DIGITS, 10)}, user U{rs(UPPER + DIGITS, 10)}",
        f"arn:aws:{pick(['lambda', 'sqs', 's3', 'sns'])}:{pick(['eu-west-1', 'us-east-1', 'ap-southeast-2'])}:{digits(12, '123456789')}:{pick(['function', 'queue', 'topic'])}:{slug()}",
    ]
    return pick(templates)


# ---------------------------------------------------------------------------------------------------------
# base64-thumbnails: real image bytes (PNG and baseline JPEG written here, classic GIFs), base64 of binary
# ---------------------------------------------------------------------------------------------------------

def png(width, height, kind):
    """A real PNG: colour type 2 (RGB), 6 (RGBA), 0 (grey) or 3 (palette); gradient, checker or blob."""
    base = [rng.randrange(256) for _ in range(3)]
    other = [rng.randrange(256) for _ in range(3)]
    pattern = rng.randrange(3)

    def pixel(x, y):
        if pattern == 0:
            t = (x + y) / max(1, width + height - 2)
            return [int(base[i] * (1 - t) + other[i] * t) for i in range(3)]
        if pattern == 1:
            return base if (x // 2 + y // 2) % 2 else other
        cx, cy = width / 2, height / 2
        return other if (x - cx) ** 2 + (y - cy) ** 2 < (min(width, height) / 2.5) ** 2 else base

    rows = []
    palette = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            r, g, b = pixel(x, y)
            if kind == 2:
                row += bytes([r, g, b])
            elif kind == 6:
                row += bytes([r, g, b, 255 if (x + y) % 5 else 128])
            elif kind == 0:
                row.append((r * 299 + g * 587 + b * 114) // 1000)
            else:
                if (r, g, b) not in palette:
                    palette.append((r, g, b))
                row.append(palette.index((r, g, b)))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, kind, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if kind == 3:
        out += chunk(b"PLTE", b"".join(bytes(p) for p in palette))
    return out + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


# JPEG: baseline, one DC Huffman table (the standard luminance DC table) and an AC table holding only
# end-of-block, so each 8x8 block is flat: a pixelated thumbnail, but real bytes any decoder opens.
DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_VALS = list(range(12))


def _huffman_codes(bits, vals):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


def jpeg(width, height, colour):
    dc = _huffman_codes(DC_BITS, DC_VALS)
    quality = rng.choice([50, 75, 85, 90, 95])
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    tables = [[max(1, min(255, (t * scale + 50) // 100)) for t in base] for base in (LUMA_Q, CHROMA_Q)]
    comps = 3 if colour else 1
    bw, bh = (width + 7) // 8, (height + 7) // 8
    c1 = [rng.randrange(256) for _ in range(3)]
    c2 = [rng.randrange(256) for _ in range(3)]

    def block_rgb(bx, by):
        t = (bx + by) / max(1, bw + bh - 2)
        return [c1[i] * (1 - t) + c2[i] * t for i in range(3)]

    bits = []

    def put(value, length):
        for i in range(length - 1, -1, -1):
            bits.append((value >> i) & 1)

    pred = [0] * comps
    for by in range(bh):
        for bx in range(bw):
            r, g, b = block_rgb(bx, by)
            ycc = [0.299 * r + 0.587 * g + 0.114 * b,
                   128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                   128 + 0.5 * r - 0.418688 * g - 0.081312 * b]
            for c in range(comps):
                q = tables[min(c, 1)][0]
                coeff = int(round(8 * (ycc[c] - 128) / q))
                diff = coeff - pred[c]
                pred[c] = coeff
                size = abs(diff).bit_length()
                code, length = dc[size]
                put(code, length)
                if size:
                    put(diff if diff > 0 else diff + (1 << size) - 1, size)
                put(0, 1)  # AC: end of block, the table's single 1-bit code
    while len(bits) % 8:
        bits.append(1)
    scan = bytearray()
    for i in range(0, len(bits), 8):
        byte = int("".join(map(str, bits[i:i + 8])), 2)
        scan.append(byte)
        if byte == 0xFF:
            scan.append(0)

    def segment(marker, data):
        return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data

    out = b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out += segment(0xDB, b"\x00" + bytes(tables[0]) + (b"\x01" + bytes(tables[1]) if colour else b""))
    sof = struct.pack(">BHHB", 8, height, width, comps)
    for c in range(comps):
        sof += bytes([c + 1, 0x11, min(c, 1)])
    out += segment(0xC0, sof)
    out += segment(0xC4, b"\x00" + bytes(DC_BITS) + bytes(DC_VALS))
    out += segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    sos = bytes([comps])
    for c in range(comps):
        sos += bytes([c + 1, 0x00])
    out += segment(0xDA, sos + b"\x00\x3f\x00")
    return out + bytes(scan) + b"\xff\xd9"


# JPEG Annex K tables (the DC entry is the only one a flat block uses; the rest make the header realistic).
LUMA_Q = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
          29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
          121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
CHROMA_Q = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99,
            99, 99, 99, 99, 99] + [99] * 32

GIF_1x1_TRANSPARENT = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
GIF_1x1_WHITE = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="


def image_b64():
    r = rng.random()
    if r < 0.5:
        w, h = rng.randrange(1, 33), rng.randrange(1, 33)
        return "image/png", base64.b64encode(png(w, h, pick([2, 6, 0, 3]))).decode()
    if r < 0.97:
        w, h = rng.randrange(8, 49), rng.randrange(8, 49)
        return "image/jpeg", base64.b64encode(jpeg(w, h, rng.random() < 0.7)).decode()
    return "image/gif", pick([GIF_1x1_TRANSPARENT, GIF_1x1_WHITE])


def mime_wrap(b64, width=76):
    return "\n".join(b64[i:i + width] for i in range(0, len(b64), width))


def svg_b64():
    c = "#" + hexs(6)
    svg = (f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{rng.randrange(8, 64)}\" height=\"{rng.randrange(8, 64)}\">"
           f"<circle cx=\"8\" cy=\"8\" r=\"{rng.randrange(2, 8)}\" fill=\"{c}\"/></svg>")
    return base64.b64encode(svg.encode()).decode()


def base64_templated():
    mime, b64 = image_b64()
    n = pick(NAMES)
    templates = [
        lambda: f"data:{mime};base64,{b64}",
        lambda: f"<img alt=\"thumbnail\" src=\"data:{mime};base64,{b64}\">",
        lambda: f".icon {{ background-image: url(data:{mime};base64,{b64}); }}",
        lambda: f"![preview](data:{mime};base64,{b64})",
        lambda: f"{{\"jpegThumbnail\": \"{base64.b64encode(jpeg(rng.randrange(8, 49), rng.randrange(8, 49), True)).decode()}\", \"width\": {rng.randrange(64, 1920)}, \"height\": {rng.randrange(64, 1920)}}}",
        lambda: f"{{\"type\": \"image\", \"mimetype\": \"{mime}\", \"thumbnail\": \"data:{mime};base64,{b64}\"}}",
        lambda: f"Here's the placeholder image the designer sent: data:{mime};base64,{b64}",
        lambda: f"Content-Type: {mime}; name=\"photo{rng.randrange(1, 99)}.{mime.split('/')[1]}\"\nContent-Transfer-Encoding: base64\n\n{mime_wrap(b64)}",
        lambda: f"{n}, the avatar field comes back as \"{b64}\" — is that expected?",
        lambda: f"const placeholder = \"data:{mime};base64,{b64}\";",
        lambda: f"data:image/svg+xml;base64,{svg_b64()}",
        lambda: f"Protobuf payload (base64): {base64.b64encode(bytes([0x0A, rng.randrange(5, 30)]) + rng.randbytes(rng.randrange(20, 120))).decode()}",
        lambda: f"zlib-compressed body: {base64.b64encode(zlib.compress(j({'events': [pick(COMMIT_MSGS) for _ in range(rng.randrange(2, 9))]}).encode())).decode()}",
        lambda: f"{base64.b64encode(gzip.compress(j({'user': rng.randrange(1, 99999), 'cart': [rng.randrange(1000, 9999) for _ in range(rng.randrange(1, 6))]}).encode(), mtime=0)).decode()} ← that's a gzip stream, decode it and gunzip",
        lambda: f"Signature (DER, base64): MEUCIQ{base64.b64encode(rng.randbytes(66)).decode()}",
        lambda: f"Attachment 'scan{rng.randrange(1, 50)}.pdf' (base64): JVBERi0xLjcK{base64.b64encode(rng.randbytes(rng.randrange(60, 300))).decode()}",
        lambda: f"The font is inlined: src: url(data:font/woff2;base64,d09GMgABAAAA{base64.b64encode(rng.randbytes(rng.randrange(80, 300))).decode()}) format(\"woff2\");",
        lambda: f"audio/ogg;base64,T2dnUwACAAAAAAAAAAA{base64.b64encode(rng.randbytes(rng.randrange(60, 200))).decode()}",
        lambda: f"msgpack (base64): {base64.b64encode(rng.randbytes(rng.randrange(16, 90))).decode()}",
        lambda: f"Random nonce for the test vector: {base64.b64encode(rng.randbytes(12)).decode()}",
        lambda: f"Encrypted blob from the backup file (ciphertext only, key is elsewhere): {base64.b64encode(rng.randbytes(rng.randrange(48, 256))).decode()}",
    ]
    return pick(templates)()


BASE64_HAND = [
    f"data:image/gif;base64,{GIF_1x1_TRANSPARENT}",
    f"The tracking pixel is literally data:image/gif;base64,{GIF_1x1_WHITE}",
    "Base64 makes images ~33% bigger, so only inline the tiny ones",
    "Why is the JSON 4 MB? Oh, the thumbnails are base64 inside it",
    "WhatsApp sends a small jpegThumbnail with every image message, it's just a blurry preview",
]


# ---------------------------------------------------------------------------------------------------------
# urls-tracking
# ---------------------------------------------------------------------------------------------------------

SHOPS = ["www.example-shop.com", "shop.acme.co.uk", "www.linenandco.de", "store.gatehouse.example", "boutique.example.fr",
         "www.bookworm.example", "tienda.example.es", "www.kitchenstuff.example.com"]
PATHS = ["/products/linen-shirt-white", "/p/4417-2290", "/collections/summer", "/blog/how-to-brew-coffee",
         "/de/damen/schuhe/sneaker", "/item/8841", "/en-gb/sale", "/checkout/thank-you", "/events/spring-meetup",
         "/articles/2024/05/17/city-council-budget", "/recipes/lemon-drizzle-cake", "/jobs/senior-ios-engineer"]


def gclid():
    return "Cj0KCQ" + rs(BASE64URL, rng.randrange(70, 90)) + "BwE"


def fbclid():
    return "IwAR" + rs(BASE64URL, rng.randrange(55, 62))


def pct(s):
    out = []
    for ch in s:
        if ch.isascii() and (ch.isalnum() or ch in "-._~"):
            out.append(ch)
        elif ch == " ":
            out.append(pick(["%20", "+"]))
        else:
            out.extend(f"%{b:02X}" for b in ch.encode())
    return "".join(out)


QUERIES = ["café near me", "best running shoes 2024", "wie lange kocht man eier", "recette crêpes facile",
           "東京 ラーメン おすすめ", "weather tomorrow", "how to fix a leaking tap", "flights to Lisbon in June",
           "müsli ohne zucker", "جدول مباريات اليوم", "погода в москве", "naïve bayes explained", "50% off sofas",
           "C++ vs Rust", "a/b testing tools", "size 10½ boots", "what's 20% of 85"]


def utm():
    params = [("utm_source", pick(["newsletter", "google", "facebook", "instagram", "twitter", "linkedin", "whatsapp", "tiktok"])),
              ("utm_medium", pick(["email", "cpc", "social", "referral", "paid_social", "affiliate"])),
              ("utm_campaign", pick(["spring_sale_2024", "black-friday", "launch_v2", "winback_q3", "brand_awareness", "summer24"]))]
    if rng.random() < 0.5:
        params.append(("utm_content", pick(["hero", "footer_link", "cta_button", "carousel_2", "variant_b"])))
    if rng.random() < 0.3:
        params.append(("utm_term", pct(pick(QUERIES))))
    return "&".join(f"{k}={v}" for k, v in params)


def urls_templated():
    shop, path = pick(SHOPS), pick(PATHS)
    templates = [
        lambda: f"https://{shop}{path}?{utm()}",
        lambda: f"Look at this 😍 https://{shop}{path}?{utm()}",
        lambda: f"https://{shop}{path}?gclid={gclid()}",
        lambda: f"https://{shop}{path}?{utm()}&gclid={gclid()}",
        lambda: f"https://{shop}{path}?fbclid={fbclid()}",
        lambda: f"Found it on Instagram: https://{shop}{path}?utm_source=ig&utm_medium=social&utm_content=link_in_bio&igshid={rs(BASE64URL, 16)}",
        lambda: f"https://{shop}{path}?msclkid={hexs(32)}&utm_source=bing&utm_medium=cpc",
        lambda: f"https://{shop}{path}?_ga=2.{rng.randrange(10**8, 10**9)}.{rng.randrange(10**8, 10**9)}-{rng.randrange(10**8, 10**9)}.{rng.randrange(1_700_000_000, 1_730_000_000)}",
        lambda: f"https://www.google.com/search?q={pct(pick(QUERIES))}&sca_esv={hexs(16)}&source=hp&ei={rs(BASE64URL, 22)}",
        lambda: f"https://www.amazon.co.uk/dp/B0{rs(UPPER + DIGITS, 8)}/ref=sr_1_{rng.randrange(1, 20)}?crid={rs(UPPER + DIGITS, 13)}&keywords={pct(pick(QUERIES))}&qid={rng.randrange(1_700_000_000, 1_730_000_000)}&sprefix={pct(pick(QUERIES)[:5])}%2Caps%2C{rng.randrange(60, 300)}&sr=8-{rng.randrange(1, 20)}",
        lambda: f"https://{shop}/search?q={pct(pick(QUERIES))}&page={rng.randrange(1, 9)}",
        lambda: f"https://maps.google.com/?q={pct(pick(PLACES))}&ll={rng.uniform(-60, 60):.6f},{rng.uniform(-120, 120):.6f}&z={rng.randrange(10, 19)}",
        lambda: f"https://images.example-cdn.net/photos/{hexs(12)}.jpg?w={pick([320, 640, 1280])}&h={pick([240, 480, 960])}&fit=crop&auto=format&s={hexs(32)}",
        lambda: f"https://res.cloudinary.com/demo/image/upload/s--{rs(BASE64URL, 8)}--/c_fill,w_{pick([150, 300, 600])}/v{rng.randrange(1_600_000_000, 1_730_000_000)}/{slug()}.jpg",
        lambda: f"https://scontent-{pick(['lhr8', 'fra3', 'cdg4', 'ams2'])}-1.cdninstagram.com/v/t51.2885-15/{rng.randrange(10**8, 10**9)}_{rng.randrange(10**8, 10**9)}_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.com&_nc_cat={rng.randrange(1, 110)}&_nc_ohc={rs(BASE64URL, 11)}&edm={rs(UPPER, 10)}&oh=00_{rs(BASE64URL, 43)}&oe={hexs(8).upper()}",
        lambda: f"https://{pick(['mailchi.mp', 'acme.us21.list-manage.com'])}/track/click?u={hexs(25)}&id={hexs(10)}&e={hexs(10)}",
        lambda: f"https://t.co/{rs(BASE62, 10)}",
        lambda: f"https://bit.ly/{rs(BASE62, 7)} (it redirects to the event page)",
        lambda: f"https://www.linkedin.com/jobs/view/{rng.randrange(10**9, 4 * 10**9)}/?trackingId={pct(base64.b64encode(rng.randbytes(16)).decode())}&refId={pct(base64.b64encode(rng.randbytes(16)).decode())}",
        lambda: f"https://{shop}/unsubscribe?email_hash={hexs(32)}&list=weekly",
        lambda: f"https://example.org/redirect?url={pct('https://' + shop + path + '?ref=partner')}&sig_version=2",
        lambda: f"https://{shop}{path}?ref=producthunt&{utm()}#reviews",
        lambda: f"https://{shop}{path}?srsltid={rs(BASE64URL, 52)}",
        lambda: f"https://news.example.com{path}?at_medium=RSS&at_campaign=KARANGA&mbid={hexs(8)}",
        lambda: f"https://{shop}{path}?mc_cid={hexs(10)}&mc_eid={hexs(10)}",
        lambda: f"https://www.tiktok.com/@{pick(NAMES).lower()}{rng.randrange(1, 99)}/video/{digits(19, '7')}?is_from_webapp=1&sender_device=pc",
        lambda: f"https://www.reddit.com/r/{pick(['swift', 'cooking', 'running', 'london', 'de'])}/comments/{rs(LOWER + DIGITS, 7)}/{slug().replace('-', '_')}/?utm_source=share&utm_medium=ios_app&utm_name=ioscss&utm_content=1&utm_term=1",
        lambda: f"https://open.spotify.com/playlist/{rs(BASE62, 22)}?si={hexs(16)}&pt={hexs(32)}",
        lambda: f"https://calendar.example.com/event?action=TEMPLATE&text={pct('Team lunch 🍕')}&dates=20240517T120000Z/20240517T130000Z&details={pct('Room 4.12 – bring your own drinks')}",
    ]
    return pick(templates)()


URLS_HAND = [
    "Just strip everything after the ? before you share links, it's all tracking junk",
    "50% off at the garden centre this weekend (no link, it's in the paper)",
    "The URL has %20 in it because of the space in the file name",
    "https://example.com/search?q=caf%C3%A9+cr%C3%A8me&lang=fr",
    "https://de.wikipedia.org/wiki/M%C3%BCnchen",
    "https://ja.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC%E9%83%BD",
    "https://en.wikipedia.org/wiki/Percent-encoding#Reserved_characters",
    "Why does my link end with ?fbclid=…? I didn't add that",
    "utm_source and utm_medium are just for analytics, you can delete them",
    "https://www.bbc.co.uk/news/articles/c0abc123xyzo?at_medium=RSS&at_campaign=rss",
    "https://www.example-shop.com/sk-SK/produkty?lang=sk-SK&utm_source=newsletter",
    "Accept-Language: sk-SK,sk;q=0.9,cs;q=0.8,en-US;q=0.7",
]


# ---------------------------------------------------------------------------------------------------------
# json-payloads: API responses, webhooks and configs, none holding a secret
# ---------------------------------------------------------------------------------------------------------

def j(obj, pretty=False):
    return json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None)


def json_templated():
    n = pick(NAMES)
    if rng.random() < 0.06:
        return pick(JSON_CURSORS)()
    k = rng.randrange(26)
    if k == 0:
        return j({"id": uuid4(), "status": pick(["shipped", "pending", "delivered"]), "items": rng.randrange(1, 9),
                  "total": {"amount": rng.randrange(100, 99999), "currency": pick(["EUR", "GBP", "USD"])},
                  "created_at": f"2024-0{rng.randrange(1, 10)}-1{rng.randrange(0, 10)}T0{rng.randrange(0, 10)}:12:44Z"})
    if k == 1:
        return j({"object": "whatsapp_business_account", "entry": [{"id": digits(15, "1"), "changes": [{"value": {
            "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550" + rs(DIGITS, 6),
                                                         "phone_number_id": digits(15, "1")},
            "statuses": [{"id": "wamid.HBgL" + rs(BASE64URL, 40), "status": pick(["sent", "delivered", "read"]),
                          "timestamp": str(rng.randrange(1_700_000_000, 1_730_000_000))}]}, "field": "messages"}]}]})
    if k == 2:
        return j({"ref": "refs/heads/main", "before": sha1_hex(), "after": sha1_hex(),
                  "repository": {"full_name": pick(REPOS), "private": False},
                  "pusher": {"name": n.lower()}, "head_commit": {"id": sha1_hex(), "message": pick(COMMIT_MSGS)}})
    if k == 3:
        return j({"id": "evt_" + rs(BASE62, 24), "object": "event", "type": pick(["charge.succeeded", "invoice.paid", "customer.created"]),
                  "livemode": False, "data": {"object": {"id": pick(["ch_", "in_", "cus_"]) + rs(BASE62, 24), "amount": rng.randrange(100, 50000),
                                                         "currency": "eur", "customer": "cus_" + rs(BASE62, 14)}}})
    if k == 4:
        return j({"name": slug()[:20], "version": f"{rng.randrange(0, 5)}.{rng.randrange(0, 20)}.{rng.randrange(0, 10)}",
                  "private": True, "scripts": {"build": "tsc -p .", "test": "vitest run", "lint": "eslint ."},
                  "dependencies": {"express": "^4.19.2", "zod": "^3.23.8"}, "devDependencies": {"typescript": "^5.4.5"}}, True)
    if k == 5:
        return j({"compilerOptions": {"target": "ES2022", "module": "NodeNext", "strict": True, "outDir": "dist"},
                  "include": ["src"]}, True)
    if k == 6:
        return j({"coord": {"lon": round(rng.uniform(-10, 30), 4), "lat": round(rng.uniform(35, 60), 4)},
                  "weather": [{"main": pick(["Rain", "Clouds", "Clear"]), "description": pick(["light rain", "overcast clouds", "clear sky"])}],
                  "main": {"temp": round(rng.uniform(-5, 32), 2), "humidity": rng.randrange(20, 99)}, "name": pick(["London", "Berlin", "Paris", "Madrid"])})
    if k == 7:
        return j({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": pick(PLACES)},
                  "geometry": {"type": "Point", "coordinates": [round(rng.uniform(-1, 1), 6), round(rng.uniform(50, 52), 6)]}}]})
    if k == 8:
        return j({"error": {"code": pick([400, 401, 403, 404, 409, 429, 500]), "message": pick(["Invalid API key provided.", "The password is incorrect.", "Rate limit exceeded, retry after 30s", "Resource not found", "Token expired"]),
                  "request_id": "req_" + rs(BASE62, 14)}})
    if k == 9:
        return j({"access_token_expires_in": 3600, "token_type": "Bearer", "scope": "read:orders write:orders", "refresh_token_expires_in": 1209600})
    if k == 10:
        return j({"user": {"id": rng.randrange(1000, 99999), "username": n.lower() + str(rng.randrange(1, 99)), "has_password": True, "mfa_enabled": rng.random() < 0.5,
                  "password_last_changed": f"2024-0{rng.randrange(1, 10)}-0{rng.randrange(1, 10)}", "locale": pick(["en-GB", "de-DE", "fr-FR"])}})
    if k == 11:
        return j({"password_policy": {"min_length": 12, "require_symbols": True, "max_age_days": 90, "history": 5},
                  "lockout": {"attempts": 5, "minutes": 15}}, True)
    if k == 12:
        return j({"version": "3.9", "services": {"db": {"image": "postgres:16", "environment": {"POSTGRES_PASSWORD_FILE": "/run/secrets/db_password", "POSTGRES_DB": "app"},
                                                        "secrets": ["db_password"]}}, "secrets": {"db_password": {"file": "./secrets/db_password.txt"}}}, True)
    if k == 13:
        return j({"projectId": "acme-" + pick(["prod", "staging", "dev"]) + "-" + hexs(4), "storageBucket": "acme-prod.appspot.com",
                  "messagingSenderId": digits(12, "1"), "appId": f"1:{digits(12, '1')}:web:{hexs(22)}"})
    if k == 14:
        return j({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "labels": {"app": "api"}},
                  "spec": {"replicas": rng.randrange(1, 6), "template": {"spec": {"containers": [{"name": "api", "image": f"ghcr.io/acme/api@sha256:{sha256_hex()}",
                           "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]}]}}}})
    if k == 15:
        return j({"jsonrpc": "2.0", "id": rng.randrange(1, 999), "method": "tools/call", "params": {"name": "wa_send", "arguments": {"to": "Alice", "text": pick(CHAT_EN)}}})
    if k == 16:
        return j({"jsonrpc": "2.0", "id": rng.randrange(1, 999), "result": {"content": [{"type": "text", "text": pick(["sent", "queued for confirmation", "blocked: recipient not allowlisted"])}], "isError": False}})
    if k == 17:
        return j({"login": n.lower(), "id": rng.randrange(10000, 9999999), "node_id": base64.b64encode(f"04:User{rng.randrange(10000, 9999999)}".encode()).decode(),
                  "avatar_url": f"https://avatars.githubusercontent.com/u/{rng.randrange(10000, 9999999)}?v=4", "type": "User", "site_admin": False})
    if k == 18:
        return j({"editor.fontSize": 14, "editor.formatOnSave": True, "files.exclude": {"**/.build": True}, "swift.path": "/usr/bin"}, True)
    if k == 19:
        return j({"level": pick(["info", "warn", "error"]), "ts": rng.randrange(1_700_000_000, 1_730_000_000) + rng.random(), "msg": pick(["login failed: wrong password", "password reset requested", "session expired", "token refreshed"]),
                  "user_id": rng.randrange(1, 99999), "ip": f"203.0.113.{rng.randrange(1, 255)}", "trace_id": hexs(32)})
    if k == 20:
        return j({"data": [{"id": uuid4(), "title": pick(["Team lunch", "1:1", "Sprint review"]), "start": f"2024-05-{rng.randrange(10, 29)}T{rng.randrange(8, 18):02d}:00:00+02:00", "attendees": rng.randrange(2, 12)}], "next_cursor": base64.b64encode(f"offset={rng.randrange(10, 500)}".encode()).decode()})
    if k == 21:
        return j({"secrets": {"provider": "vault", "path": "kv/data/app/prod", "rotation_days": 30}, "features": {"beta": False}}, True)
    if k == 22:
        return j({"orderId": amazon_order(), "shipment": {"carrier": "UPS", "tracking": ups().replace(" ", ""), "eta": f"2024-06-0{rng.randrange(1, 9)}"}})
    if k == 23:
        return j({"type": "service_status", "components": [{"name": c, "status": pick(["operational", "degraded_performance"])} for c in ["API", "Dashboard", "Webhooks"]]})
    if k == 24:
        return j({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"password": {"type": "string", "minLength": 12, "writeOnly": True}, "email": {"type": "string", "format": "email"}}, "required": ["password"]})
    return j({"rates": {"EUR": 1, "USD": round(rng.uniform(1.05, 1.12), 4), "GBP": round(rng.uniform(0.84, 0.88), 4), "JPY": round(rng.uniform(155, 172), 2)}, "base": "EUR", "date": f"2024-05-{rng.randrange(10, 29)}"})


JSON_HAND = [
    '{"ok": true}',
    '{"status": "error", "message": "Incorrect password. 2 attempts remaining."}',
    '{"password": null, "password_set": false}',
    '{"secret": "[REDACTED]", "note": "values are masked in logs"}',
    '{"apiKey": "${API_KEY}", "baseUrl": "https://api.example.com/v1"}',
    '{"mfa": {"totp": "enabled", "backup_codes_remaining": 7}}',
    '{"auth": {"type": "oauth2", "authorization_url": "https://auth.example.com/authorize", "token_url": "https://auth.example.com/token", "scopes": ["openid", "email"]}}',
    '{"lint": {"rules": {"no-hardcoded-secrets": "error"}}}',
    '{"message": "API key is missing. Pass it in the X-API-Key header."}',
    '{"client_id": "acme-web", "redirect_uris": ["https://app.example.com/callback"], "grant_types": ["authorization_code"]}',
    '{\n  "name": "gatehouse",\n  "scanner": {"on_detect": "block", "families": ["cloud", "saas", "credential"]}\n}',
    '[{"id": 1, "done": false, "title": "Buy milk"}, {"id": 2, "done": true, "title": "Call plumber"}]',
]


def cursor():
    """An opaque pagination cursor: base64url of a small JSON object, so it starts with eyJ like a JWT."""
    obj = {"offset": rng.randrange(10, 5000)} if rng.random() < 0.5 else {"id": rng.randrange(1000, 999999), "ts": rng.randrange(1_700_000_000, 1_730_000_000)}
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


JSON_CURSORS = [
    lambda: j({"data": [{"id": rng.randrange(1, 9999)}], "has_more": True, "next_cursor": cursor()}),
    lambda: f"GET /v1/orders?limit=50&cursor={cursor()}",
    lambda: j({"paging": {"cursors": {"before": cursor(), "after": cursor()}}}),
]


# ---------------------------------------------------------------------------------------------------------
# code: snippets without secrets, including the ones that read secrets from elsewhere
# ---------------------------------------------------------------------------------------------------------

CODE_HAND = [
    "import os\n\npassword = os.environ[\"DB_PASSWORD\"]\nconn = psycopg.connect(host=\"db\", user=\"app\", password=password)",
    "api_key = os.getenv(\"OPENAI_API_KEY\")\nif not api_key:\n    raise SystemExit(\"set OPENAI_API_KEY first\")",
    "api_key = getenv(\"WEATHER_API_KEY\")",
    "password = getpass.getpass(\"Password: \")",
    "secret = settings.SIGNING_SECRET",
    "token = request.headers.get(\"Authorization\", \"\").removeprefix(\"Bearer \")",
    "def check_password(user, password):\n    return bcrypt.checkpw(password.encode(), user.password_hash)",
    "if len(password) < 12:\n    errors.append(\"Password must be at least 12 characters\")",
    "const apiKey = process.env.STRIPE_SECRET_KEY;\nif (!apiKey) throw new Error('missing STRIPE_SECRET_KEY');",
    "const password = await prompt({ type: 'password', name: 'value', message: 'Password?' });",
    "fetch(url, { headers: { Authorization: `Bearer ${token}` } })",
    "headers: { 'X-API-Key': config.apiKey }",
    "const { data } = await axios.get('/api/me', { withCredentials: true });",
    "let password = try Keychain.read(account: \"db\")",
    "let apiKey = ProcessInfo.processInfo.environment[\"API_KEY\"] ?? \"\"",
    "guard let token = try? await tokenStore.current() else { return .unauthorized }",
    "request.setValue(\"Bearer \\(accessToken)\", forHTTPHeaderField: \"Authorization\")",
    "password := os.Getenv(\"DB_PASSWORD\")\ndsn := fmt.Sprintf(\"postgres://app:%s@db:5432/app\", url.QueryEscape(password))",
    "apiKey := viper.GetString(\"api_key\")",
    "type Config struct {\n    Password string `env:\"DB_PASSWORD,required\"`\n    APIKey   string `env:\"API_KEY\"`\n}",
    "let api_key = std::env::var(\"API_KEY\").expect(\"API_KEY not set\");",
    "val apiKey: String = BuildConfig.MAPS_API_KEY",
    "String password = System.getenv(\"DB_PASSWORD\");",
    "password = ENV.fetch(\"DB_PASSWORD\")",
    "$password = getenv('DB_PASSWORD');",
    "export PGPASSWORD=\"$DB_PASSWORD\"\npsql -h localhost -U app -d app -c 'select 1'",
    "read -rsp 'Password: ' PASSWORD && echo",
    "curl -H \"Authorization: Bearer $TOKEN\" https://api.example.com/v1/me",
    "curl -u \"$USER:$PASS\" https://registry.example.com/v2/_catalog",
    "aws s3 ls s3://acme-backups --profile prod",
    "gh auth login --with-token < token.txt",
    "kubectl create secret generic db --from-literal=password=\"$(openssl rand -base64 24)\"",
    "openssl rand -hex 32 > .session_secret && chmod 600 .session_secret",
    "ssh-keygen -t ed25519 -C \"laptop\" -f ~/.ssh/id_ed25519",
    "git config --global credential.helper osxkeychain",
    "docker login ghcr.io -u USERNAME --password-stdin < ~/.ghcr_token",
    "SELECT id, email FROM users WHERE last_login < now() - interval '90 days';",
    "UPDATE users SET password_hash = $1, password_changed_at = now() WHERE id = $2;",
    "CREATE TABLE api_keys (\n  id uuid PRIMARY KEY,\n  prefix text NOT NULL,\n  key_hash bytea NOT NULL,\n  created_at timestamptz DEFAULT now()\n);",
    "ALTER USER app WITH PASSWORD :'db_password';",
    "SELECT count(*) FROM sessions WHERE expires_at < now();",
    "- name: Log in to registry\n  uses: docker/login-action@v3\n  with:\n    registry: ghcr.io\n    username: ${{ github.actor }}\n    password: ${{ secrets.GITHUB_TOKEN }}",
    "env:\n  API_KEY: ${{ secrets.API_KEY }}\n  NODE_ENV: production",
    "database:\n  host: db.internal\n  port: 5432\n  password: ${DB_PASSWORD}",
    "spring.datasource.password=${DB_PASSWORD}",
    "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app",
    "REDIS_URL=redis://localhost:6379/0",
    "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]",
    "app.config[\"SECRET_KEY\"] = os.urandom(32)",
    "jwt.decode(token, key=public_key, algorithms=[\"RS256\"], audience=\"api\")",
    "hmac.compare_digest(expected_signature, received_signature)",
    "const hash = crypto.createHash('sha256').update(body).digest('hex');",
    "let digest = SHA256.hash(data: Data(message.utf8))",
    "func scan(_ text: String) -> [Finding] {\n    guard !text.isEmpty else { return [] }\n    return detectors.flatMap { $0.find(in: text) }\n}",
    "for (i, line) in lines.enumerated() where line.hasPrefix(\"#\") { continue }",
    "print(\"Hello, world!\")",
    "console.log(`Server listening on :${port}`);",
    "fmt.Println(\"ok\")",
    "#!/usr/bin/env bash\nset -euo pipefail\ncd \"$(dirname \"$0\")/..\"\nswift build -c release",
    "for f in *.jpg; do convert \"$f\" -resize 50% \"small/$f\"; done",
    "find . -name '*.log' -mtime +7 -delete",
    "grep -rn \"TODO\" Sources/ | wc -l",
    "python3 -m venv .venv && source .venv/bin/activate && pip install -r requirements.txt",
    "npm ci && npm run build",
    "swift test --filter ScannerQualityTests",
    "docker compose up -d db redis",
    "terraform plan -var-file=prod.tfvars -out=plan.out",
    "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}",
    "resource \"aws_secretsmanager_secret\" \"db\" {\n  name = \"prod/db\"\n}",
    "password = data.aws_secretsmanager_secret_version.db.secret_string",
    "// TODO: move the API key to the keychain instead of UserDefaults",
    "# never commit .env — it's in .gitignore",
    "if password == confirm_password:\n    save()",
    "assert not re.search(r\"(?i)password\\s*=\", source), \"hard-coded password in source\"",
    "@app.post(\"/login\")\nasync def login(form: OAuth2PasswordRequestForm = Depends()):\n    user = await authenticate(form.username, form.password)",
    "class User(Base):\n    __tablename__ = \"users\"\n    id = Column(Integer, primary_key=True)\n    password_hash = Column(String, nullable=False)",
    "interface Credentials {\n  username: string;\n  password: string;\n}",
    "<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required>",
    "<label for=\"api-key\">API key</label>\n<input id=\"api-key\" type=\"text\" placeholder=\"paste your key\">",
    "$ echo $SHELL\n/bin/zsh",
    "$ pwd\n/Users/sam/src/gatehouse",
    "$ ls -la ~/.ssh\ntotal 24\ndrwx------  5 sam staff  160 May 17 09:12 .\n-rw-------  1 sam staff  411 May 17 09:12 id_ed25519\n-rw-r--r--  1 sam staff  100 May 17 09:12 id_ed25519.pub",
    "Traceback (most recent call last):\n  File \"app.py\", line 42, in <module>\n    main()\nKeyError: 'DB_PASSWORD'",
    "Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)",
    "fatal: Authentication failed for 'https://github.com/acme/widgets.git/'",
    "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:14 +0x1d",
    "Fatal error: Unexpectedly found nil while unwrapping an Optional value",
    "warning: variable 'password' was never mutated; consider changing to 'let' constant",
    "error[E0382]: borrow of moved value: `config`",
    "WITH recent AS (\n  SELECT user_id, max(created_at) AS last\n  FROM orders GROUP BY user_id\n)\nSELECT * FROM recent WHERE last > now() - interval '30 days';",
    "regex = r\"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$\"",
    "const re = /^sk-[A-Za-z0-9]{48}$/;  // only used in the key-format validator",
    "let pattern = #\"ghp_[A-Za-z0-9]{36}\"#  // documentation of the format",
    "s3 = boto3.client(\"s3\")  # credentials come from the instance role",
    "client = OpenAI()  # reads OPENAI_API_KEY from the environment",
    "Stripe.apiKey = System.getenv(\"STRIPE_KEY\");",
    "auth = HTTPBasicAuth(user, getpass.getpass())",
    "mysql -u root -p",
    "psql \"host=db user=app dbname=app sslmode=require\"",
    "vault kv get -field=password secret/app/db",
    "op read \"op://Private/Database/password\"",
    "security find-generic-password -s gatehouse -w",
    "az keyvault secret show --vault-name acme-kv --name db-password --query value -o tsv",
    "gcloud secrets versions access latest --secret=db-password",
    "chmod 600 ~/.netrc",
    "pass show work/vpn",
    "const user = await User.create({ email, password: hashedPassword });",
    "user = User(email=form.email.data, password=hashed_password)",
    "conn = psycopg2.connect(host=db_host, user=db_user, password=db_password)",
    "body: JSON.stringify({ username, password: newPassword }),",
    "await auth.signIn(email: emailController.text, password: passwordController.text);",
    "const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });",
    "smtp.login(user, password)",
    "resp = requests.post(url, auth=(username, password), timeout=10)",
]


def code_templated():
    table = pick(["users", "orders", "invoices", "sessions", "products", "events", "payments", "audit_log"])
    col = pick(["created_at", "status", "email", "country", "total", "updated_at", "kind"])
    fn = pick(["fetch_orders", "sync_users", "render_invoice", "retry_webhook", "parse_config", "load_settings"])
    var = pick(["DB_PASSWORD", "API_KEY", "STRIPE_SECRET_KEY", "SLACK_BOT_TOKEN", "GITHUB_TOKEN", "SMTP_PASSWORD", "REDIS_PASSWORD", "JWT_SECRET"])
    low = var.lower()
    templates = [
        lambda: f"SELECT {col}, count(*) FROM {table} GROUP BY {col} ORDER BY 2 DESC LIMIT {rng.randrange(5, 100)};",
        lambda: f"DELETE FROM {table} WHERE {col} < now() - interval '{rng.randrange(7, 400)} days';",
        lambda: f"CREATE INDEX CONCURRENTLY idx_{table}_{col} ON {table} ({col});",
        lambda: f"EXPLAIN ANALYZE SELECT * FROM {table} WHERE id = {rng.randrange(1, 99999)};",
        lambda: f"{low} = os.environ[\"{var}\"]",
        lambda: f"{low} = os.environ.get(\"{var}\", \"\")",
        lambda: f"const {low.split('_')[0]}{var.split('_')[-1].title()} = process.env.{var};",
        lambda: f"let {low.split('_')[0]} = ProcessInfo.processInfo.environment[\"{var}\"]",
        lambda: f"{low.split('_')[0]}{var.split('_')[-1].title()} := os.Getenv(\"{var}\")",
        lambda: f"export {var}=\"$(op read 'op://Shared/{var}/credential')\"",
        lambda: f"- name: {fn}\n  run: ./scripts/{fn}.sh\n  env:\n    {var}: ${{{{ secrets.{var} }}}}",
        lambda: f"def {fn}(session, since):\n    return session.query({table.title()}).filter({table.title()}.{col} >= since).all()",
        lambda: f"async function {fn.split('_')[0]}{fn.split('_')[1].title()}() {{\n  const res = await fetch('/api/{table}');\n  if (!res.ok) throw new Error(res.statusText);\n  return res.json();\n}}",
        lambda: f"func {fn.split('_')[0]}{fn.split('_')[1].title()}() async throws -> [{table.title().rstrip('s')}] {{\n    try await client.get(\"/{table}\")\n}}",
        lambda: f"git log --oneline --since='{rng.randrange(1, 12)} weeks ago' -- Sources/{pick(['Scanner', 'Gate', 'Policy'])}/",
        lambda: f"curl -s https://api.example.com/v1/{table}?limit={rng.randrange(10, 200)} -H \"Authorization: Bearer ${var}\" | jq '.data | length'",
        lambda: f"kubectl -n {pick(['prod', 'staging'])} rollout restart deploy/{pick(['api', 'worker', 'web'])}",
        lambda: f"kubectl get secret {low.replace('_', '-')} -o jsonpath='{{.data}}' | jq 'keys'",
        lambda: f"docker run --rm -e {var} -p {rng.randrange(3000, 9000)}:8080 ghcr.io/acme/{pick(['api', 'worker'])}:{rng.randrange(1, 9)}.{rng.randrange(0, 30)}",
        lambda: f"{var}=${{{var}:?must be set}}",
        lambda: f"if [ -z \"${{{var}:-}}\" ]; then echo \"{var} is not set\" >&2; exit 1; fi",
        lambda: f"# {fn}: runs nightly at {rng.randrange(0, 6)}:{pick(['00', '15', '30'])} UTC\n{rng.randrange(0, 60)} {rng.randrange(0, 6)} * * * /usr/local/bin/{fn}",
        lambda: f"@Test func {fn.split('_')[0]}Handles{pick(['Empty', 'Unicode', 'Large', 'Duplicate'])}Input() async throws {{\n    #expect(try await {fn.split('_')[0]}(\"\").isEmpty)\n}}",
        lambda: f"for i in range({rng.randrange(2, 100)}):\n    print(i, i ** 2)",
        lambda: f"[{table}]\nretention_days = {rng.randrange(7, 400)}\nbatch_size = {pick([100, 500, 1000])}",
        lambda: f"ls -lh /var/log/{pick(['nginx', 'postgresql', 'syslog'])}/ | tail -{rng.randrange(3, 20)}",
        lambda: f"psql -c \"\\\\d {table}\"",
        lambda: f"tail -f logs/{pick(['app', 'worker', 'gate'])}.log | grep --line-buffered {pick(['ERROR', 'WARN', 'timeout'])}",
    ]
    return pick(templates)()


# ---------------------------------------------------------------------------------------------------------
# talk-about-secrets: people discussing passwords, keys and 2FA without revealing any
# ---------------------------------------------------------------------------------------------------------

TALK_HAND = [
    "The password is wrong, it keeps saying access denied",
    "I reset my password but the email never arrived",
    "Where do I put the API key? In the settings page or the .env file?",
    "Forgot my password again 🤦 can you send me the reset link?",
    "Don't send passwords over WhatsApp please, use the password manager share",
    "The wifi password is on the fridge, on the yellow post-it",
    "What's the wifi password? (whisper it to me when I'm there 😄)",
    "My password expired and now it won't let me reuse any of the last 5",
    "The password is in the vault under 'router admin'",
    "The password is correct, I checked twice. Maybe caps lock?",
    "Password: see 1Password, entry 'Office printer'",
    "Rotate the API keys every 90 days, it's in the security policy",
    "Someone committed an API key to the repo last year, that's why we have the scanner now",
    "Revoke the old key before you create the new one, otherwise the dashboard gets confused",
    "2FA code didn't arrive, can you resend?",
    "I lost my phone, so I can't get the 2FA codes. Help!",
    "Use the backup codes you printed when you set up two-factor",
    "Never share your verification code with anyone, not even us — the bank",
    "Is it safe to store API keys in environment variables?",
    "Better in a secrets manager than in env vars, but env vars beat hard-coding",
    "My password manager generated a 24 character monster, I'll never remember it",
    "Passwords should be long rather than complex, four random words is fine",
    "Did you change the default admin password on the router?",
    "The API key goes in the X-API-Key header, not in the URL",
    "Our API key got rate-limited, we need a higher tier",
    "The secret is to add a pinch of salt to the caramel 😉",
    "Can you keep a secret? We're engaged!! 💍",
    "Top secret: it's a surprise party for Mum, don't tell her!!",
    "It's no secret that the Monday meeting is pointless",
    "The secret ingredient is love. And butter.",
    "I keep all my passwords in a notebook, is that bad?",
    "Yes that's bad 😂 get a password manager",
    "Password reset link: it's valid for 30 minutes only",
    "They're forcing everyone to enable passkeys next month",
    "Passkeys are nice, no password to type at all",
    "The token expired, you need to log in again",
    "Access token expires after an hour, the refresh token after 14 days",
    "Token is invalid — did you copy it with a trailing space?",
    "Bearer tokens are just passwords with extra steps",
    "I'm the bearer of bad news: the server is down again",
    "Who has the admin password for the Instagram account?",
    "Ask Sam, he has the keys to everything (the physical ones too)",
    "The locksmith said the keys will be ready on Thursday",
    "Lost my car keys, found them in the fridge 🙄",
    "My API key doesn't work on the staging server, is it a different one?",
    "Yes staging has its own keys, ask in #platform",
    "Make sure the private key never leaves the server",
    "Do we need to rotate the SSH keys after Dave left?",
    "Done, his key is removed from authorized_keys on all boxes",
    "The PIN for the garage door changed, I'll tell you in person",
    "Bank asked for my PIN on the phone. That's a scam, right?",
    "Yes, hang up. Your bank will never ask for your PIN",
    "I got an email saying my password was found in a data breach 😨",
    "Change it everywhere you reused it, and turn on 2FA",
    "Passwort vergessen 😅 kannst du mir den Link schicken?",
    "Das Passwort ist falsch, sagt die App die ganze Zeit",
    "Das Passwort ist abgelaufen, ich muss ein neues setzen",
    "La contraseña es incorrecta, ya lo intenté tres veces",
    "Olvidé mi contraseña del banco, qué rollo",
    "¿Dónde pongo la clave de la API?",
    "Le mot de passe est expiré, il faut le changer",
    "J'ai réinitialisé mon mot de passe mais ça ne marche toujours pas",
    "A senha é muito curta, precisa de pelo menos 12 caracteres",
    "Esqueci a senha do wifi, você lembra?",
    "La password è sbagliata, riprovo dopo",
    "Ho cambiato la password ieri e già non me la ricordo",
    "Het wachtwoord is verlopen, ik moet een nieuwe aanmaken",
    "Wachtwoord vergeten… weer 🙈",
    "Zapomniałem hasła do konta, jak je zresetować?",
    "Jag har glömt mitt lösenord igen",
    "Unohdin salasanani, voitko lähettää uuden linkin?",
    "Şifremi unuttum, sıfırlama linki gelmedi",
    "Я забыл пароль от почты, помоги восстановить",
    "نسيت كلمة المرور، كيف أعيد تعيينها؟",
    "मैं अपना पासवर्ड भूल गया, रीसेट कैसे करूँ?",
    "我忘记密码了，怎么重置？",
    "パスワードを忘れました。リセット方法を教えてください",
    "비밀번호를 잊어버렸어요, 재설정 링크 보내주세요",
    "API key: ask Priya, she manages the billing account",
    "Secret: tomorrow 😉",
    "Password: still the same one, you know which",
    "pwd: the one we use for the shared drive",
    "The API key: check the onboarding doc, section 3",
    "Your password must contain at least 12 characters, one number and one symbol",
    "Password strength: weak. Try adding more words.",
    "The password field is greyed out, is that a bug?",
    "Incorrect password. You have 2 attempts remaining.",
    "Your verification code is on its way. It expires in 10 minutes.",
    "Security tip: we'll never ask for your password or one-time code",
    "How often should we rotate database passwords? Is 90 days overkill?",
    "Client secret goes in the backend config, never in the mobile app",
    "Our secrets are in AWS Secrets Manager, the app reads them at boot",
    "Rotating the Stripe key now, expect 2 minutes of failed webhooks",
    "The OpenAI key on the team account hit its monthly limit",
    "GitHub revoked the token automatically after it showed up in a public gist. Good.",
    "Secret scanning flagged a test fixture, I marked it as a false positive",
    "Who has access to the prod secrets? Only the on-call rota",
    "The recovery key is printed and in the safe",
    "The safe combination is known only to Mum",
    "Enter your password to confirm the transfer",
    "Password-protected zip is on the shared drive, I'll call you with the password",
    "Let me call you, I don't want to type the password here",
    "I'll put the API key in the vault and share the vault item with you",
    "Revoked. Please generate a new one from the dashboard and don't paste it here 😅",
    "How do I know if my API key leaked?",
    "Check the usage graph for requests you didn't make",
    "The keys are under the mat (the house keys, not the API keys 😂)",
    "Password manager recommendations? Bitwarden or 1Password?",
    "2FA via SMS is better than nothing but use an authenticator app if you can",
    "TOTP codes are 6 digits and change every 30 seconds",
    "My authenticator app got wiped when I changed phones 😭",
    "Recovery codes are in the envelope marked 'boring stuff'",
    "We switched SSO providers so everyone needs to reset their password on Monday",
    "Reminder: password rotation for shared accounts is due this Friday",
    "Is 'correct horse battery staple' still good advice?",
    "Don't use your pet's name as a password, everyone knows Biscuit 🐶",
    "The Netflix password changed, ask Dad",
    "Password protected PDF: the password is your date of birth in DDMMYYYY format",
    "Le code du portail a changé, je te le dis demain",
    "Der WLAN-Schlüssel steht auf der Rückseite des Routers",
    "La clave del wifi está en la parte de atrás del router",
    "Kan je me het wachtwoord van de wifi sturen? Of beter: ik kom even langs",
]


def talk_templated():
    who = pick(["I", "My mum", "Dad", "Sam", "The intern", "My neighbour", "Our client", "Grandma", "The new hire", "Everyone in finance"])
    thing = pick(["password", "Netflix password", "wifi password", "PIN", "API key", "bank password", "email password",
                  "Instagram password", "admin password", "VPN password", "Apple ID password", "door code", "2FA code"])
    templates = [
        f"{who} forgot the {thing} again 🙄",
        f"{who} can't remember the {thing}, can you help?",
        f"Has anyone changed the {thing}? It stopped working this morning",
        f"The {thing} doesn't work anymore",
        f"Never send the {thing} in the group chat please",
        f"{who} wrote the {thing} on a sticky note on the monitor 🤦",
        f"Where do we keep the {thing}? Asking for the third time",
        f"Reset the {thing} and let me know when it's done",
        f"The {thing} is the same as last year's, I think",
        f"{who} asked me for the {thing}, should I share it?",
        f"Please don't reuse the {thing} anywhere else",
        f"Is the {thing} case-sensitive?",
        f"The {thing} has been changed for security reasons",
        f"Who set the {thing}? It's way too easy to guess",
        f"I'll read you the {thing} on the phone",
    ]
    return pick(templates)


# ---------------------------------------------------------------------------------------------------------
# placeholders: documentation stand-ins. Decisions:
# - `password=changeme`, `secret: changeme`: a stand-in, not a secret (the word says "replace me"), benign.
# - AWS's documentation keys (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY): benign.
# - `user:password@`, `<user>:<password>@`: placeholders, benign. `username:password` in base64 after
#   `Basic` (dXNlcm5hbWU6cGFzc3dvcmQ=): a documentation placeholder, benign.
# - Left out as not clearly benign: weak-but-real-looking values (`password=password123`, `P@ssw0rd!`,
#   `hunter2`): a real account could use them, so a gate flagging them is not wrong.
# ---------------------------------------------------------------------------------------------------------

PLACEHOLDERS_HAND = [
    "OPENAI_API_KEY=sk-...",
    "Set OPENAI_API_KEY to your key (it starts with sk-...)",
    "export OPENAI_API_KEY=\"sk-your-key-here\"",
    "api_key = \"<your key>\"",
    "API_KEY=<your-api-key>",
    "Authorization: Bearer <token>",
    "Authorization: Bearer YOUR_ACCESS_TOKEN",
    "Authorization: Bearer $ACCESS_TOKEN",
    "-H 'Authorization: Bearer {{token}}'",
    "YOUR_API_KEY",
    "Replace YOUR_API_KEY with the key from the dashboard",
    "const API_KEY = 'YOUR_API_KEY';",
    "client = Client(api_key=\"YOUR_API_KEY\")",
    "AKIAXXXXXXXXXXXXXXXX",
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\nAWS_SECRET_ACCESS_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "password=changeme",
    "DB_PASSWORD=changeme",
    "secret: changeme",
    "admin / changeme — the default login, change it on first boot",
    "password: ********",
    "Password: ••••••••",
    "token: ****************************",
    "api_key: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "SLACK_BOT_TOKEN=xoxb-your-bot-token",
    "SLACK_WEBHOOK_URL=https://hooks.slack.com/services/XXX/YYY/ZZZ",
    "STRIPE_SECRET_KEY=sk_live_...",
    "STRIPE_SECRET_KEY=sk_test_XXXXXXXXXXXXXXXXXXXXXXXX",
    "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx",
    "NPM_TOKEN=npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "ANTHROPIC_API_KEY=sk-ant-...",
    "GOOGLE_API_KEY=AIza...",
    "TELEGRAM_BOT_TOKEN=<bot id>:<token from @BotFather>",
    "DATABASE_URL=postgres://user:password@localhost:5432/mydb",
    "mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/?retryWrites=true",
    "mysql://root:<password>@127.0.0.1:3306/app",
    "redis://:<password>@localhost:6379/0",
    "amqp://guest:guest@localhost:5672/ is RabbitMQ's default, only works from localhost",
    "Server=localhost;Database=app;User Id=sa;Password=<YourStrong@Passw0rd>;",
    "MSSQL_SA_PASSWORD=<YourStrong@Passw0rd>",
    "Authorization: Basic dXNlcm5hbWU6cGFzc3dvcmQ=   (that's just username:password in base64, from the docs)",
    "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY-----\n<paste your key here>\n-----END OPENSSH PRIVATE KEY-----",
    "Paste your key between -----BEGIN RSA PRIVATE KEY----- and -----END RSA PRIVATE KEY-----",
    "token=eyJhbGciOi...",
    "JWTs look like eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.<signature>",
    "api_key=${API_KEY}",
    "password: {{ vault_db_password }}",
    "password = \"%(db_password)s\"",
    "secret_key = \"{{ secret_key }}\"",
    "SECRET_KEY=<generate with: openssl rand -hex 32>",
    "JWT_SECRET=replace-with-a-long-random-string",
    "SESSION_SECRET=your_session_secret_here",
    "client_secret: <client-secret-from-azure-portal>",
    "\"client_secret\": \"YOUR_CLIENT_SECRET\"",
    "\"api_key\": \"<API_KEY>\"",
    "\"password\": \"\"",
    "apiKey: 'your-api-key'",
    "API key: [paste here]",
    "Your API key: ____________________",
    "Key: <redacted>",
    "password=<redacted>",
    "access_token=REDACTED",
    "secret=***",
    "Bearer token: (hidden)",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "Use the sk_test_… key from your own dashboard for local runs, never the sk_live_… one",
    "AIzaSy... goes in google-services.json, but that one is restricted to our app",
    "Replace <YOUR_TOKEN> and <CHAT_ID> in the URL",
    "https://api.telegram.org/bot<token>/sendMessage?chat_id=<chat_id>",
    "https://example.com/callback?code=AUTH_CODE&state=STATE",
    "curl https://api.example.com -H \"x-api-key: $API_KEY\"",
    "Set the secret in Settings → Secrets → Actions, name it DEPLOY_KEY",
    "DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}",
    "username: admin\npassword: admin",
    "Default credentials are admin/admin, you'll be asked to change them",
    "wifi: GuestNetwork / password: printed on the router",
    "PIN: 0000 (default, change it!)",
    "sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "xoxp-0000000000-0000000000-0000000000-00000000000000000000000000000000",
    "ghp_0000000000000000000000000000000000000",
    "AKIA0000000000000000",
    "Card number: use the test card from the Stripe docs, in test mode only",
    "Card number: XXXX XXXX XXXX 1234",
    "IBAN: DE00 0000 0000 0000 0000 00 (fill in yours)",
    "The template says: Dear {first_name}, your code is {code}",
    "Hi %s, your order %d has shipped",
    "password_hash = '$2b$12$...'",
    "Your one-time code is ######",
    "Enter the 6-digit code: _ _ _ _ _ _",
    "<insert API key>",
    "[YOUR-PERSONAL-ACCESS-TOKEN]",
    "{YOUR_SECRET}",
    "$TOKEN",
    "%API_KEY%",
    "process.env.API_KEY",
    "TODO: add API key",
    "api_key: TODO",
    "password: null",
    "password: ~",
    "password: \"\"  # leave empty for local dev",
    "PASSWORD=          # set in .env.local, never commit",
    "POSTGRES_PASSWORD=postgres  # local docker only",
    "user: postgres / pass: postgres (default in the compose file)",
    "the key looks like sk-xxxx…xxxx, 51 characters",
    "OpenAI keys start with sk- and Anthropic keys with sk-ant-",
    "A GitHub token starts with ghp_ followed by 36 characters",
    "Slack bot tokens begin with xoxb-",
    "AWS access key IDs start with AKIA (long-term) or ASIA (temporary)",
    "Stripe secret keys start with sk_live_ or sk_test_; publishable ones with pk_",
    "API_KEY=REPLACE_ME",
    "api_key: INSERT_API_KEY_HERE",
    "SECRET_KEY=CHANGE_THIS_IN_PRODUCTION",
    "docker run -e POSTGRES_PASSWORD=mysecretpassword -d postgres",
    "docker run -e MYSQL_ROOT_PASSWORD=my-secret-pw -d mysql:8",
]


def placeholders_templated():
    name = pick(["API_KEY", "OPENAI_API_KEY", "DB_PASSWORD", "SECRET_KEY", "ACCESS_TOKEN", "CLIENT_SECRET", "STRIPE_KEY",
                 "SMTP_PASSWORD", "AUTH_TOKEN", "GITHUB_TOKEN", "PRIVATE_KEY", "WEBHOOK_SECRET", "REDIS_PASSWORD", "MAPS_API_KEY"])
    value = pick(["<your-key>", "<YOUR_KEY_HERE>", "your-key-here", "YOUR_" + name, "${" + name + "}", "$" + name,
                  "xxxxxxxxxxxxxxxx", "********", "{{ " + name.lower() + " }}", "<" + name.lower().replace("_", "-") + ">",
                  "changeme", "your_" + name.lower(), "example-" + name.lower().replace("_", "-"), "...", "dummy-value", "placeholder",
                  "<redacted>", "[" + name + "]", "%(" + name.lower() + ")s", "REDACTED"])
    templates = [
        lambda: f"{name}={value}",
        lambda: f"export {name}=\"{value}\"",
        lambda: f"{name.lower()}: {value}",
        lambda: f"\"{name.lower()}\": \"{value}\"",
        lambda: f"{name} = \"{value}\"  # set this before running",
        lambda: f"In .env: {name}={value}",
        lambda: f"docker run -e {name}={value} acme/app",
        lambda: f"- name: {name}\n  value: \"{value}\"",
        lambda: f"<add key=\"{name}\" value=\"{value}\" />",
        lambda: f"{name.lower().replace('_', '-')}: {value}  # see docs",
    ]
    return pick(templates)()


# ---------------------------------------------------------------------------------------------------------
# numbers-misc
# ---------------------------------------------------------------------------------------------------------

def isbn13():
    body = pick(["978", "979"]) + rs(DIGITS, 9)
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    s = body + str(check)
    return s if rng.random() < 0.5 else f"{s[:3]}-{s[3]}-{s[4:7]}-{s[7:12]}-{s[12]}"


def isbn10():
    body = rs(DIGITS, 9)
    check = (11 - sum(int(c) * (10 - i) for i, c in enumerate(body)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def ean13():
    body = pick(["400", "401", "402", "500", "501", "300", "301", "340", "800", "841", "871", "890", "690", "730"]) + rs(DIGITS, 9)
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
    return body + str(check)


def upc():
    body = rs(DIGITS, 11)
    check = (10 - sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(body)) % 10) % 10
    return body + str(check)


def imei():
    return luhn_complete(pick(["35", "86", "01"]) + rs(DIGITS, 12))


def mac():
    sep = pick([":", "-", ""])
    octets = [hexs(2) for _ in range(6)]
    m = sep.join(octets) if sep else ".".join("".join(octets[i:i + 2]) for i in (0, 2, 4))
    return m.upper() if rng.random() < 0.5 else m


def ipv4():
    return pick([f"192.168.{rng.randrange(0, 3)}.{rng.randrange(2, 254)}", f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                 f"203.0.113.{rng.randrange(1, 255)}", f"198.51.100.{rng.randrange(1, 255)}", f"192.0.2.{rng.randrange(1, 255)}",
                 f"172.{rng.randrange(16, 32)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"])


def postcode():
    return pick([f"{pick(['SW1A', 'EC1A', 'W1A', 'M1', 'B33', 'LS1', 'G2', 'CR2', 'DN55', 'EH1'])} {rng.randrange(1, 10)}{rs('ABDEFGHJLNPQRSTUWXYZ', 2)}",
                 f"{rng.randrange(10000, 99999)}", f"{rng.randrange(10000, 99999)}-{rng.randrange(1000, 9999)}",
                 f"{rng.randrange(1000, 9999)} {rs('ABCDEFGHJKLMNPRSTVWXZ', 2)}", f"{pick('KMVHT')}{rng.randrange(1, 9)}{pick('ABCEGHJ')} {rng.randrange(0, 9)}{pick('ABCEGHJ')}{rng.randrange(0, 9)}",
                 f"{rng.randrange(10000, 99999)}-{rng.randrange(100, 999)}", f"〒{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
                 f"{rng.randrange(110001, 855126)}", f"{rng.randrange(10, 99)}-{rng.randrange(100, 999)}"])


NUMBERS_HAND = [
    "Update to iOS 17.4.1, it fixes the battery drain",
    "We're on Swift 6.3.1, Xcode 16.3",
    "Version 2.14.0-rc.2+build.5114 is on TestFlight",
    "Python 3.11.7 / pip 24.0 / setuptools 69.5.1",
    "Kernel 6.8.0-31-generic #31-Ubuntu SMP PREEMPT_DYNAMIC",
    "Chrome 124.0.6367.207 (Official Build) (arm64)",
    "The router is at 192.168.1.1, the printer at 192.168.1.23",
    "Block 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 at the edge",
    "IPv6: 2001:db8:85a3::8a2e:370:7334",
    "localhost:8080 works but 127.0.0.1:8080 doesn't, weird",
    "The office postcode is SW1A 2AA",
    "PLZ 10115 Berlin",
    "CEP 01310-100, São Paulo",
    "〒100-0001 東京都千代田区",
    "Code postal 75001 Paris",
    "Postcode 3000 (Melbourne)",
    "Sort code 20-00-00 is Barclays, the account number I'll send separately",
    "Sort code 40-47-84",
    "Lottery numbers: 7 14 23 31 38 45, bonus 9",
    "EuroMillions 04 17 22 35 48 ⭐ 03 11",
    "Final score 3–1, Kane scored twice",
    "2-2 after extra time, lost 4-5 on penalties 😩",
    "Sets: 6-4 3-6 7-6(5)",
    "We won the quiz 47 to 44!",
    "Chess: 1. e4 e5 2. Nf3 Nc6 3. Bb5 a6 — the Ruy Lopez",
    "Room 4.12, building B, third floor",
    "Gate B34, boarding 14:05, seat 23C",
    "Platform 9¾ is between 9 and 10, obviously",
    "Flat 3, 27 Acacia Avenue",
    "Serial number C02XL0GHJG5J on the bottom of the laptop",
    "Model SM-S918B, firmware S918BXXU2AWL1",
    "Colour #1E90FF, or rgb(30, 144, 255)",
    "U+1F600 is 😀, U+200B is the zero-width space",
    "Pi to 15 places: 3.141592653589793",
    "e ≈ 2.718281828459045",
    "Avogadro: 6.02214076 × 10^23 per mol",
    "Speed of light 299 792 458 m/s",
    "The answer is 42",
    "Coordinates 51.5007° N, 0.1246° W",
    "51.50735, -0.12776",
    "Elevation 1,344 m, 4,409 ft",
    "Height 1.82 m, weight 78 kg",
    "Blood pressure 118/76, resting HR 58",
    "Size EU 42 / UK 8 / US 9",
    "Dress size 38 (FR) = 10 (UK)",
    "Tyres 205/55 R16 91V",
    "Bike frame 56 cm, 700x28c tyres",
    "HDMI 2.1, 4K@120Hz, 48 Gbps",
    "USB-C PD 3.1, up to 240 W",
    "Resolution 2560×1440 @ 144 Hz",
    "Port 5432 is Postgres, 6379 Redis, 27017 Mongo",
    "HTTP 418 I'm a teapot",
    "Error code 0x80070005 (access denied) on Windows Update",
    "Exit status 137 = killed by SIGKILL (OOM)",
    "ISO 8601, RFC 3339, ISO 3166-1 alpha-2",
    "ISO 9001:2015 certified",
    "Patent US 6,368,227 B1",
    "Case no. 2:24-cv-01234",
    "Section 4.2.1(b)(iii) of the contract",
    "VAT number GB 123 4567 89 (company, not personal)",
    "Company number 01234567 (Companies House)",
    "Bus 73, 390 or 38",
    "Route 66",
    "Apollo 11 launched on 16 July 1969",
    "Boeing 787-9, registration G-ZBKA",
    "Train ICE 597 / TGV 9576 / Eurostar 9014",
    "Channel 4, 101 on Freeview",
    "FM 97.6 MHz",
    "ASCII 65 = 'A', 97 = 'a'",
    "0xDEADBEEF, 0xCAFEBABE, 0xFEEDFACE",
    "2^32 = 4,294,967,296",
    "Fibonacci: 1 1 2 3 5 8 13 21 34 55 89 144",
    "Primes under 30: 2 3 5 7 11 13 17 19 23 29",
    "Dewey decimal 641.5 for cookbooks",
    "Ring size N½ / 7",
    "Shoe size 10½",
    "Page 217, paragraph 3",
    "Chapter 11, verse 35",
    "Track 7 on the album, 4:32 long",
    "Opus 27 No. 2, the Moonlight Sonata",
    "BWV 1007",
    "K. 525 (Eine kleine Nachtmusik)",
    # IMEIs are Luhn-valid by design; TAC prefixes 35 and 86 with 15 digits match no card network's length.
    "My IMEI is 352099001761481, the shop needs it to unlock the phone",
    "IMEI 1: 86 781403 527791 8 / IMEI 2: 867814035277934 (dual SIM)",
]


def numbers_templated():
    templates = [
        lambda: f"ISBN {isbn13()}",
        lambda: f"ISBN-10 {isbn10()}",
        lambda: f"Barcode {ean13()} on the back of the box",
        lambda: f"EAN {ean13()}, UPC {upc()}",
        lambda: f"IMEI {imei()} (from *#06#), needed for the insurance claim",
        lambda: f"MAC address {mac()}",
        lambda: f"Wi-Fi MAC {mac()} / Bluetooth {mac()}",
        lambda: f"Server {ipv4()} port {pick([22, 80, 443, 8080, 8443, 5432, 3306, 6379])}",
        lambda: f"ping {ipv4()} — {rng.randrange(1, 200)} ms",
        lambda: f"Postcode {postcode()}",
        lambda: f"v{rng.randrange(0, 30)}.{rng.randrange(0, 50)}.{rng.randrange(0, 30)}",
        lambda: f"Build {rng.randrange(1, 30)}{pick(UPPER)}{rng.randrange(1, 999)}{pick(['', 'a', 'b'])}",
        lambda: f"Version {rng.randrange(1, 9)}.{rng.randrange(0, 99)}.{rng.randrange(0, 9999)}.{rng.randrange(0, 999)}",
        lambda: f"Score {rng.randrange(0, 7)}-{rng.randrange(0, 7)}",
        lambda: f"Lottery: {' '.join(str(x) for x in sorted(rng.sample(range(1, 60), 6)))}",
        lambda: f"Sort code {rng.randrange(10, 99)}-{rng.randrange(10, 99)}-{rng.randrange(10, 99)}",
        lambda: f"Room {rng.randrange(1, 9)}.{rng.randrange(1, 40):02d}",
        lambda: f"Seat {rng.randrange(1, 60)}{pick('ABCDEFGHJK')}, row {rng.randrange(1, 60)}",
        lambda: f"Temperature {rng.randrange(-30, 45)}.{rng.randrange(10)}°C",
        lambda: f"{rng.randrange(1, 999)} km, {rng.randrange(1, 99)} h {rng.randrange(60)} min",
        lambda: f"Subnet {ipv4().rsplit('.', 1)[0]}.0/{pick([24, 25, 26, 28])}",
        lambda: f"GPS {rng.uniform(-80, 80):.5f}, {rng.uniform(-170, 170):.5f}",
        lambda: f"Firmware {rng.randrange(1, 9)}.{rng.randrange(0, 40)}.{rng.randrange(0, 400)} (build {rng.randrange(1000, 99999)})",
        lambda: f"Part no. {rs(UPPER, 2)}-{rng.randrange(1000, 9999)}-{rs(UPPER + DIGITS, 2)}",
        lambda: f"Odometer {rng.randrange(1000, 250000):,} km",
    ]
    return pick(templates)()


# ---------------------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------------------

CATEGORIES = [
    ("chat-en", CHAT_EN, chat_en_templated, 220),
    ("chat-multilingual", CHAT_MULTI, chat_multi_templated, 240),
    ("orders-tracking", ORDERS_HAND, orders_templated, 200),
    ("phones", PHONES_HAND, phones_templated, 200),
    ("dates-amounts", DATES_HAND, dates_templated, 200),
    ("git-shas", GIT_HAND, git_templated, 200),
    ("uuids", UUIDS_HAND, uuids_templated, 180),
    ("hashes", HASHES_HAND, hashes_templated, 200),
    ("random-ids", RANDOM_IDS_HAND, random_ids_templated, 200),
    ("base64-thumbnails", BASE64_HAND, base64_templated, 170),
    ("urls-tracking", URLS_HAND, urls_templated, 200),
    ("json-payloads", JSON_HAND, json_templated, 180),
    ("code", CODE_HAND, code_templated, 200),
    ("talk-about-secrets", TALK_HAND, talk_templated, 200),
    ("placeholders", PLACEHOLDERS_HAND, placeholders_templated, 180),
    ("numbers-misc", NUMBERS_HAND, numbers_templated, 200),
]


def build():
    corpus, errors, redrawn = {}, [], {}
    seen = set()
    for name, hand, generate, target in CATEGORIES:
        lines = []
        for text in hand:
            reasons = risk(text)
            if reasons:
                errors.append(f"{name}: hand-written line is a valid instance of {sorted(set(reasons))}: {text!r}")
            elif text in seen:
                errors.append(f"{name}: duplicate hand-written line {text!r}")
            else:
                seen.add(text)
                lines.append(text)
        tries = 0
        while len(lines) < target:
            tries += 1
            if tries > target * 50:
                errors.append(f"{name}: could not reach {target} distinct safe messages")
                break
            text = generate()
            if text in seen:
                continue
            reasons = risk(text)
            if reasons:
                for r in set(reasons):
                    redrawn[(name, r)] = redrawn.get((name, r), 0) + 1
                continue
            seen.add(text)
            lines.append(text)
        rng.shuffle(lines)
        corpus[name] = lines
    return corpus, errors, redrawn


def main():
    check_only = "--check" in sys.argv
    corpus, errors, redrawn = build()
    for (name, reason), count in sorted(redrawn.items()):
        print(f"redrawn {count:4d} x {name}: {reason}", file=sys.stderr)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    total = 0
    for name, lines in corpus.items():
        total += len(lines)
        print(f"{name:20s} {len(lines):5d}")
        if not check_only:
            os.makedirs(OUT, exist_ok=True)
            with open(os.path.join(OUT, name + ".jsonl"), "w", encoding="utf-8", newline="\n") as f:
                for text in lines:
                    f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    print(f"{'total':20s} {total:5d}")


if __name__ == "__main__":
    main()
