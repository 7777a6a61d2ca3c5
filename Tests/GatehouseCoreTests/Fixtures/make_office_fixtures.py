#!/usr/bin/env python3
"""Writes the fixtures for the FileTextExtractor tests, next to this script.

Standard library only: `zipfile` for the valid Office files (minimal but openable .docx, .xlsx and
.pptx, deflated and stored), `zlib` for raw-deflate streams the inflater must reproduce, and `struct`
for hostile archives no honest tool would write. Output is deterministic (fixed dates, seeded data),
so re-running it changes nothing unless the script changed.

Planted strings are marker words (HEADERMARK, SPLIT+TOKEN, ...) and the well-known Visa test number
4111 1111 1111 1111; no credential-shaped token is committed.

    python3 make_office_fixtures.py                  # rewrite the committed fixtures
    python3 make_office_fixtures.py --benchmark OUT  # also write a ~5 MB text-heavy .docx to OUT (not committed)
"""
import os
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OFFICE = os.path.join(HERE, "office")
INFLATE = os.path.join(HERE, "inflate")
DATE = (2024, 1, 2, 3, 4, 6)

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' \
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument."


def content_types(overrides):
    rows = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides)
    return (DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + rows + '</Types>')


def relationships(rels):
    rows = "".join(f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{target}"/>' for rid, kind, target in rels)
    return DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rows + \
        '</Relationships>'


def package_rels(main):
    return relationships([("rId1", "officeDocument", main),
                          ("rId2", "../package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
                          ("rId3", "extended-properties", "docProps/app.xml")])


CORE = (DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:title>TITLEMARK quarterly</dc:title><dc:creator>AUTHORMARK Jane Doe</dc:creator>'
        '<cp:lastModifiedBy>EDITORMARK</cp:lastModifiedBy>'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z</dcterms:created></cp:coreProperties>')
APP = (DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
       '<Application>Fixture</Application><Company>COMPANYMARK Ltd</Company></Properties>')


def wp(*runs, props=""):
    """A Word paragraph of runs; each run is text or (text, run-properties)."""
    body = ""
    for run in runs:
        text, rpr = (run, "") if isinstance(run, str) else run
        body += f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:p>{props}{body}</w:p>"


def docx_parts():
    document = (DECL + f'<w:document {W}><w:body>'
                + wp("Alpha paragraph ends with WORDONE")
                + wp("WORDTWO starts the second paragraph")
                # One token split over two runs with different formatting: must come out joined.
                + wp(("SPLIT", "<w:rPr><w:b/></w:rPr>"), "TOKEN and more")
                + wp("Fish &amp; Chips &lt;tag&gt; &quot;q&quot; &apos;a&apos; &#x41;&#66; caf&#233; &#128512;")
                # A card number split over runs, as Word does when the cursor stopped mid-number.
                + wp("Card 4111 1111", " 1111 1111 on file")
                + '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>CELLA</w:t></w:r></w:p></w:tc>'
                  '<w:tc><w:p><w:r><w:t>CELLB</w:t></w:r></w:p></w:tc></w:tr>'
                  '<w:tr><w:tc><w:p><w:r><w:t>CELLC</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
                + '<w:p><w:r><w:t>BEFORETAB</w:t><w:tab/><w:t>AFTERTAB</w:t><w:br/><w:t>AFTERBREAK</w:t></w:r></w:p>'
                + '<w:p><w:r><w:t><![CDATA[CDATAMARK <kept> & raw]]></w:t></w:r></w:p>'
                + '<w:p><w:r><w:rPr><w:rFonts w:ascii="ATTRIBUTEMARK"/></w:rPr><w:t>Unicode ünïcödé 日本語</w:t></w:r></w:p>'
                + '<w:p><w:del w:id="1" w:author="x"><w:r><w:delText>DELETEDMARK</w:delText></w:r></w:del></w:p>'
                + '<!-- COMMENTEDOUTMARK -->'
                + '<w:sectPr><w:headerReference w:type="default" r:id="rId2"/>'
                  '<w:footerReference w:type="default" r:id="rId3"/></w:sectPr>'
                + '</w:body></w:document>')
    header = DECL + f'<w:hdr {W}>' + wp("HEADERMARK") + '</w:hdr>'
    footer = DECL + f'<w:ftr {W}>' + wp("FOOTERMARK") + '</w:ftr>'
    footnotes = DECL + f'<w:footnotes {W}><w:footnote w:id="1">' + wp("FOOTNOTEMARK") + '</w:footnote></w:footnotes>'
    endnotes = DECL + f'<w:endnotes {W}><w:endnote w:id="1">' + wp("ENDNOTEMARK") + '</w:endnote></w:endnotes>'
    comments = (DECL + f'<w:comments {W}><w:comment w:id="0" w:author="x">'
                + wp("COMMENTMARK password: Xk9mQ2vL7pRt") + '</w:comment></w:comments>')
    styles = DECL + f'<w:styles {W}><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>'
    return [
        ("[Content_Types].xml", content_types([
            ("word/document.xml", CT + "wordprocessingml.document.main+xml"),
            ("word/header1.xml", CT + "wordprocessingml.header+xml"),
            ("word/footer1.xml", CT + "wordprocessingml.footer+xml"),
            ("word/footnotes.xml", CT + "wordprocessingml.footnotes+xml"),
            ("word/endnotes.xml", CT + "wordprocessingml.endnotes+xml"),
            ("word/comments.xml", CT + "wordprocessingml.comments+xml"),
            ("word/styles.xml", CT + "wordprocessingml.styles+xml"),
            ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("docProps/app.xml", CT + "extended-properties+xml")])),
        ("_rels/.rels", package_rels("word/document.xml")),
        ("word/_rels/document.xml.rels", relationships([
            ("rId1", "styles", "styles.xml"), ("rId2", "header", "header1.xml"), ("rId3", "footer", "footer1.xml"),
            ("rId4", "footnotes", "footnotes.xml"), ("rId5", "endnotes", "endnotes.xml"),
            ("rId6", "comments", "comments.xml")])),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
        ("word/header1.xml", header),
        ("word/footer1.xml", footer),
        ("word/footnotes.xml", footnotes),
        ("word/endnotes.xml", endnotes),
        ("word/comments.xml", comments),
        ("docProps/core.xml", CORE),
        ("docProps/app.xml", APP),
    ]


def sheet(rows):
    return DECL + f'<worksheet {S}><sheetData>' + "".join(rows) + '</sheetData></worksheet>'


def xlsx_parts():
    shared = (DECL + f'<sst {S} count="3" uniqueCount="3">'
              '<si><t>SHAREDMARK</t></si><si><r><t>RICH</t></r><r><rPr><b/></rPr><t>RUN</t></r></si>'
              '<si><t xml:space="preserve">Tom &amp; Jerry</t></si></sst>')
    sheet1 = sheet([
        # A1 is shared string 0 (its <v> is an index), B1 a number that is a card, C1 an inline string,
        # D1 a formula with its cached value.
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>4111111111111111</v></c>'
        '<c r="C1" t="inlineStr"><is><t>INLINEMARK</t></is></c>'
        '<c r="D1" t="str"><f>CONCAT("FORMULA","PART")</f><v>FORMULAPART</v></c></row>',
        '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>12345.5</v></c><c r="C2" t="s"><v>2</v></c></row>',
    ])
    sheet2 = sheet(['<row r="1"><c r="A1" t="inlineStr"><is><t>SHEETTWOMARK</t></is></c></row>'])
    sheet10 = sheet(['<row r="1"><c r="A1" t="inlineStr"><is><t>SHEETTENMARK</t></is></c></row>'])
    workbook = (DECL + f'<workbook {S}><sheets><sheet name="One" sheetId="1" r:id="rId1"/>'
                '<sheet name="Two" sheetId="2" r:id="rId2"/><sheet name="Ten" sheetId="10" r:id="rId3"/></sheets></workbook>')
    ws = CT + "spreadsheetml.worksheet+xml"
    return [
        ("[Content_Types].xml", content_types([
            ("xl/workbook.xml", CT + "spreadsheetml.sheet.main+xml"), ("xl/worksheets/sheet1.xml", ws),
            ("xl/worksheets/sheet2.xml", ws), ("xl/worksheets/sheet10.xml", ws),
            ("xl/sharedStrings.xml", CT + "spreadsheetml.sharedStrings+xml"),
            ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("docProps/app.xml", CT + "extended-properties+xml")])),
        ("_rels/.rels", package_rels("xl/workbook.xml")),
        ("xl/_rels/workbook.xml.rels", relationships([
            ("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "worksheet", "worksheets/sheet2.xml"),
            ("rId3", "worksheet", "worksheets/sheet10.xml"), ("rId4", "sharedStrings", "sharedStrings.xml")])),
        ("xl/workbook.xml", workbook),
        # Written out of order on purpose: reading order must not depend on archive order.
        ("xl/worksheets/sheet10.xml", sheet10),
        ("xl/worksheets/sheet2.xml", sheet2),
        ("xl/worksheets/sheet1.xml", sheet1),
        ("xl/sharedStrings.xml", shared),
        ("docProps/core.xml", CORE),
        ("docProps/app.xml", APP),
    ]


def slide(paragraphs):
    body = "".join(paragraphs)
    return (DECL + f'<p:sld {A}><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>' + body +
            '</p:txBody></p:sp></p:spTree></p:cSld></p:sld>')


def ap(*runs):
    return "<a:p>" + "".join(f"<a:r><a:t>{t}</a:t></a:r>" for t in runs) + "</a:p>"


def pptx_parts():
    slide1 = slide([ap("SLIDEONEMARK title"), ap("second line ends SLIDEWORD")])
    slide2 = slide([ap("NEXTPARA begins"), ap("SPLIT", "TOKEN on a slide")])
    slide10 = slide([ap("SLIDETENMARK")])
    notes = (DECL + f'<p:notes {A}><p:cSld><p:spTree><p:sp><p:txBody>' + ap("NOTESMARK speaker notes") +
             '</p:txBody></p:sp></p:spTree></p:cSld></p:notes>')
    presentation = DECL + f'<p:presentation {A}><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>'
    sl = CT + "presentationml.slide+xml"
    return [
        ("[Content_Types].xml", content_types([
            ("ppt/presentation.xml", CT + "presentationml.presentation.main+xml"),
            ("ppt/slides/slide1.xml", sl), ("ppt/slides/slide2.xml", sl), ("ppt/slides/slide10.xml", sl),
            ("ppt/notesSlides/notesSlide1.xml", CT + "presentationml.notesSlide+xml"),
            ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("docProps/app.xml", CT + "extended-properties+xml")])),
        ("_rels/.rels", package_rels("ppt/presentation.xml")),
        ("ppt/_rels/presentation.xml.rels", relationships([
            ("rId2", "slide", "slides/slide1.xml"), ("rId3", "slide", "slides/slide2.xml"),
            ("rId4", "slide", "slides/slide10.xml")])),
        ("ppt/presentation.xml", presentation),
        ("ppt/slides/slide10.xml", slide10),
        ("ppt/slides/slide2.xml", slide2),
        ("ppt/slides/slide1.xml", slide1),
        ("ppt/notesSlides/notesSlide1.xml", notes),
        ("docProps/core.xml", CORE),
        ("docProps/app.xml", APP),
    ]


def write_zipfile(path, parts, compression):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)


# --- Hostile archives, written field by field (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16) ---

def deflate_raw(data, level=9):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def entry(name, data, method=8, **override):
    """One entry: stored or deflated `data`, with any header field overridable to lie."""
    payload = deflate_raw(data) if method == 8 else data
    e = dict(name=name.encode(), local_name=name.encode(), payload=payload, method=method, local_method=method,
             flags=0, crc=zlib.crc32(data), csize=len(payload), usize=len(data))
    e.update(override)
    return e


def raw_zip(entries, count=None):
    out = bytearray()
    central = bytearray()
    for e in entries:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, e["flags"], e["local_method"], 0, 0x5822,
                           e["crc"], e["csize"], e["usize"], len(e["local_name"]), 0)
        out += e["local_name"] + e["payload"]
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, e["flags"], e["method"], 0, 0x5822,
                               e["crc"], e["csize"], e["usize"], len(e["name"]), 0, 0, 0, 0, 0, offset)
        central += e["name"]
    n = len(entries) if count is None else count
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), len(out), 0)
    return bytes(out + central + end)


def minimal_docx(document):
    return [entry("[Content_Types].xml", b'<Types/>'), entry("word/document.xml", document)]


DOC = (DECL + f'<w:document {W}><w:body>' + wp("HOSTILE but well-formed") + '</w:body></w:document>').encode()


class Bits:
    """DEFLATE's bit order: fields LSB first, Huffman codes MSB first."""

    def __init__(self):
        self.value, self.count = 0, 0

    def field(self, value, n):
        self.value |= value << self.count
        self.count += n

    def code(self, code, n):
        for i in reversed(range(n)):
            self.field((code >> i) & 1, 1)

    def bytes(self):
        return self.value.to_bytes((self.count + 7) // 8, "little")


def bad_huffman_stream():
    b = Bits()
    b.field(1, 1); b.field(2, 2)  # final, dynamic
    b.field(0, 5); b.field(0, 5); b.field(15, 4)  # 257 literal codes, 1 distance, 19 code-length codes
    for _ in range(19):
        b.field(1, 3)  # nineteen 1-bit codes: over-subscribed
    return b.bytes()


def far_distance_stream():
    b = Bits()
    b.field(1, 1); b.field(1, 2)  # final, fixed
    b.code(0x30 + 0x41, 8)  # literal 'A'
    b.code(1, 7)  # length symbol 257: length 3
    b.code(4, 5); b.field(0, 1)  # distance symbol 4 + 1 extra bit: distance 5, but only 1 byte written
    b.code(0, 7)  # end of block
    return b.bytes()


def hostile():
    doc_payload = deflate_raw(DOC)
    cases = {}
    valid = raw_zip(minimal_docx(DOC))
    cases["hostile-baseline.docx"] = valid  # the same writer, untampered: must extract
    cases["truncated.docx"] = valid[: len(valid) // 2]
    cases["crc-mismatch.docx"] = raw_zip([entry("[Content_Types].xml", b'<Types/>'),
                                          entry("word/document.xml", DOC, crc=zlib.crc32(DOC) ^ 1)])
    cases["corrupt-deflate.docx"] = raw_zip([entry("word/document.xml", DOC, payload=b"\x07", csize=1)])
    cases["bad-huffman.docx"] = raw_zip([entry("word/document.xml", DOC, payload=bad_huffman_stream(),
                                               csize=len(bad_huffman_stream()))])
    cases["distance-too-far.docx"] = raw_zip([entry("word/document.xml", b"AAAA", payload=far_distance_stream(),
                                                    csize=len(far_distance_stream()))])
    cut = doc_payload[: len(doc_payload) // 2]
    cases["truncated-deflate.docx"] = raw_zip([entry("word/document.xml", DOC, payload=cut, csize=len(cut))])
    bomb = b"<w:document>" + b" " * (20 << 20) + b"</w:document>"
    cases["bomb.docx"] = raw_zip([entry("word/document.xml", bomb)])
    # The same bomb declaring a modest size: refused when the stream passes what it declared.
    cases["bomb-understated.docx"] = raw_zip([entry("word/document.xml", bomb, usize=4096)])
    cases["encrypted.docx"] = raw_zip(minimal_docx(DOC) + [entry("word/secret.xml", b"x", flags=1)])
    cases["dotdot.docx"] = raw_zip(minimal_docx(DOC) + [entry("word/../../evil.xml", b"x")])
    cases["absolute.docx"] = raw_zip(minimal_docx(DOC) + [entry("/etc/evil.xml", b"x")])
    cases["duplicate.docx"] = raw_zip(minimal_docx(DOC) + [entry("word/document.xml", DOC)])
    cases["duplicate-case.docx"] = raw_zip(minimal_docx(DOC) + [entry("Word/Document.XML", DOC)])
    cases["name-mismatch.docx"] = raw_zip([entry("word/document.xml", DOC, local_name=b"word/documenx.xml")])
    cases["method-mismatch.docx"] = raw_zip([entry("word/document.xml", DOC, local_method=0)])
    cases["unsupported-method.docx"] = raw_zip(minimal_docx(DOC) + [entry("word/media/a.bin", b"x", method=12)])
    cases["stored-size-mismatch.docx"] = raw_zip([entry("word/document.xml", DOC, method=0, usize=len(DOC) + 1)])
    cases["data-out-of-bounds.docx"] = raw_zip([entry("word/document.xml", DOC, csize=len(doc_payload) + 10_000)])
    cases["too-many-entries.docx"] = raw_zip(minimal_docx(DOC), count=60_000)
    zip64 = bytearray(valid)
    zip64[-12:-2] = b"\xff" * 10  # entry counts, directory size and offset all say "see the ZIP64 record"
    cases["zip64.docx"] = bytes(zip64)
    cases["missing-main.docx"] = raw_zip([entry("word/other.xml", DOC)])
    cases["malformed-xml.docx"] = raw_zip([entry("word/document.xml", DOC[:-20] + b"<w:p attr='unterminated")])
    cases["not-office.zip"] = raw_zip([entry("notes.txt", b"HELLO from a plain zip")])
    for name, data in cases.items():
        with open(os.path.join(OFFICE, name), "wb") as f:
            f.write(data)


# --- Raw deflate streams for the inflater, from zlib itself ---

def lcg(seed):
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        yield state >> 33


def words(size, seed=7):
    """Seeded prose: sentences drawn from a small set, with the odd number, so zlib finds long matches
    at every distance and emits dynamic blocks with a realistic mix of literals and back-references."""
    vocabulary = [b"the", b"gate", b"scans", b"every", b"file", b"token", b"before", b"it", b"leaves",
                  b"agent", b"message", b"policy", b"deny", b"allow", b"audit", b"card"]
    g = lcg(seed)
    sentences = [b" ".join(vocabulary[next(g) % 16] for _ in range(4 + next(g) % 9)) for _ in range(48)]
    out = bytearray()
    while len(out) < size:
        r = next(g)
        out += sentences[r % 48]
        out += b".\n" if r % 7 == 0 else b". "
        if r % 29 == 0:
            out += str(r % 100000).encode() + b" "
    return bytes(out[:size])


def skewed(size, seed=11):
    """Bytes with a steep, long-tailed distribution, so zlib assigns codes longer than 9 bits."""
    g = lcg(seed)
    out = bytearray()
    while len(out) < size:
        r = next(g)
        k = 0
        while r & 1 and k < 255:
            k += 1
            r >>= 1
            if r == 0:
                r = next(g)
        out.append((k * 37 + (next(g) % 3 if k > 6 else 0)) & 0xFF)
    return bytes(out)


def inflate_cases():
    g = lcg(3)
    random_bytes = bytes(next(g) & 0xFF for _ in range(8 << 10))
    sources = {"empty": b"", "words-1m": words(1 << 20), "words-70k": words(70_000, seed=5), "words-256k": words(256 << 10, seed=9),
               "random-8k": random_bytes, "skewed-64k": skewed(64 << 10)}
    plan = [("empty", 0), ("empty", 1), ("empty", 9), ("words-70k", 0), ("words-256k", 1), ("words-1m", 9),
            ("random-8k", 9), ("skewed-64k", 9)]
    lines = []
    for name, level in plan:
        data = sources[name]
        file = f"{name}.l{level}.deflate"
        with open(os.path.join(INFLATE, file), "wb") as f:
            f.write(deflate_raw(data, level))
        lines.append(f"{file} {len(data)} {zlib.crc32(data):08x}")
    with open(os.path.join(INFLATE, "manifest.txt"), "w") as f:
        f.write("# file original-size original-crc32 (raw deflate, zlib.compressobj(level, DEFLATED, -15))\n")
        f.write("\n".join(lines) + "\n")


def benchmark_docx(path, target=5 << 20):
    """Many paragraphs of seeded words in 3-run paragraphs: a text-heavy ~5 MB .docx."""
    parts = docx_parts()
    g = lcg(99)
    vocabulary = "the gate scans every file token before it leaves agent message policy deny allow audit".split()
    paragraphs = []
    size = 0
    while size < target * 7.4:
        runs = [" ".join(vocabulary[next(g) % len(vocabulary)] for _ in range(6)) + f" {next(g) % 1000000} " for _ in range(3)]
        paragraphs.append(wp(*runs))
        size += len(paragraphs[-1])
    document = DECL + f'<w:document {W}><w:body>' + "".join(paragraphs) + '</w:body></w:document>'
    parts = [(n, document if n == "word/document.xml" else t) for n, t in parts]
    write_zipfile(path, parts, zipfile.ZIP_DEFLATED)


def main():
    os.makedirs(OFFICE, exist_ok=True)
    os.makedirs(INFLATE, exist_ok=True)
    for stem, parts in (("sample", docx_parts()), ("sample", xlsx_parts()), ("sample", pptx_parts())):
        ext = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
        kind = next(ext[n] for n, _ in parts if n in ext)
        write_zipfile(os.path.join(OFFICE, f"{stem}.{kind}"), parts, zipfile.ZIP_DEFLATED)
        write_zipfile(os.path.join(OFFICE, f"{stem}-stored.{kind}"), parts, zipfile.ZIP_STORED)
    hostile()
    inflate_cases()
    if len(sys.argv) == 3 and sys.argv[1] == "--benchmark":
        benchmark_docx(sys.argv[2])


if __name__ == "__main__":
    main()
