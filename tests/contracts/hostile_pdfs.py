"""Hostile PDF files, each built here byte by byte: active content in every place a viewer
looks for it (catalog, pages, annotations, name trees, object streams, objects outside the
cross-reference table), and files past the limits (a flate bomb, too many pages or objects,
deep nesting). Each entry names the file and what the refusal must say."""

import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pypdf import PdfWriter

_PAGE_TREE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>"


def pdf_from_objects(
    objects: Sequence[bytes], *, trailer: bytes = b"", after_xref: bytes = b""
) -> bytes:
    """A PDF whose object n is ``objects[n - 1]`` (a body, or a complete ``stream`` object),
    with a classic cross-reference table; object 1 is the catalog."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    out.write(after_xref)
    return out.getvalue()


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def simple_pdf(
    *, catalog: bytes = b"", page: bytes = b"", extra: Sequence[bytes] = (), **kwargs: bytes
) -> bytes:
    """Catalog (1), page tree (2), one page (3), then ``extra`` objects from 4 on."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R %s >>" % catalog,
        _PAGE_TREE,
        _PAGE % page,
        *extra,
    ]
    return pdf_from_objects(objects, **kwargs)


def _object_stream_pdf(hidden: bytes) -> bytes:
    """A PDF 1.5 file whose annotation (object 4) sits compressed in an object stream (5),
    reached through a cross-reference stream (6)."""
    header = b"4 0 "
    objstm = stream(
        b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(header),
        zlib.compress(header + hidden),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: _PAGE_TREE,
        3: _PAGE % b"/Annots [4 0 R]",
        5: objstm,
    }
    for number, body in bodies.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    offsets[6] = out.tell()
    rows = [b"\x00\x00\x00\x00"]  # object 0: free
    for number in range(1, 7):
        if number == 4:
            rows.append(b"\x02" + (5).to_bytes(2, "big") + b"\x00")  # in stream 5, index 0
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(2, "big") + b"\x00")
    xref_stream = stream(b"/Type /XRef /Size 7 /W [1 2 1] /Root 1 0 R", b"".join(rows))
    out.write(b"6 0 obj\n" + xref_stream + b"\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[6])
    return out.getvalue()


def flate_bomb(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A page whose content stream inflates to ``inflated`` bytes (200 MB in about 200 KB),
    compressed chunk by chunk so that the test never holds it either."""
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(inflated // len(chunk))]
    parts.append(compressor.flush())
    data = b"".join(parts)
    return simple_pdf(page=b"/Contents 4 0 R", extra=[stream(b"/Filter /FlateDecode", data)])


def _many_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _many_objects(count: int) -> bytes:
    return simple_pdf(extra=[b"<< >>"] * count)


def _deeply_nested(depth: int) -> bytes:
    return simple_pdf(page=b"/Nested " + b"[" * depth + b"]" * depth)


def _encrypted(*, user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _orphan_javascript() -> bytes:
    # A JavaScript action appended after the end of the file, in no cross-reference table:
    # a viewer repairing the file may still find it.
    orphan = b"9 0 obj\n<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    return simple_pdf(after_xref=orphan)


@dataclass(frozen=True)
class HostilePdf:
    name: str
    build: Callable[[], bytes]
    message: str


_JS = b"<< /S /JavaScript /JS (app.alert('x')) >>"

HOSTILE_PDFS = [
    HostilePdf(
        "open-action-javascript", lambda: simple_pdf(catalog=b"/OpenAction " + _JS), "JavaScript"
    ),
    HostilePdf(
        "open-action-indirect-javascript",
        lambda: simple_pdf(catalog=b"/OpenAction 4 0 R", extra=[_JS]),
        "JavaScript",
    ),
    HostilePdf(
        "names-tree-javascript",
        lambda: simple_pdf(
            catalog=b"/Names << /JavaScript << /Names [(x) 4 0 R] >> >>", extra=[_JS]
        ),
        "JavaScript",
    ),
    HostilePdf(
        "hex-escaped-javascript",
        lambda: simple_pdf(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        "JavaScript",
    ),
    HostilePdf(
        "page-additional-action",
        lambda: simple_pdf(page=b"/AA << /O " + _JS + b" >>"),
        "JavaScript",
    ),
    HostilePdf(
        "page-additional-action-goto",
        lambda: simple_pdf(page=b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>"),
        "OpenAction, AA",
    ),
    HostilePdf(
        "catalog-additional-action",
        lambda: simple_pdf(catalog=b"/AA << /WC << /S /Named /N /Print >> >>"),
        "OpenAction, AA",
    ),
    HostilePdf(
        "open-action-uri",
        lambda: simple_pdf(catalog=b"/OpenAction << /S /URI /URI (http://example.test/) >>"),
        "OpenAction, AA",
    ),
    HostilePdf(
        "open-action-goto-then-javascript",
        lambda: simple_pdf(
            catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 4 0 R >>", extra=[_JS]
        ),
        "JavaScript",
    ),
    HostilePdf(
        "link-javascript",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A " + _JS + b" >>"],
        ),
        "JavaScript",
    ),
    HostilePdf(
        "link-launch",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
                b"/A << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) >> >> >>"
            ],
        ),
        "Launch",
    ),
    HostilePdf(
        "link-remote-file",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[
                b"<< /Subtype /Link /A << /S /GoToR /F (\\\\\\\\attacker\\\\share\\\\x.pdf) >> >>"
            ],
        ),
        "Launch",
    ),
    HostilePdf(
        "submit-form",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Subtype /Widget /A << /S /SubmitForm /F (http://example.test/) >> >>"],
        ),
        "Launch",
    ),
    HostilePdf(
        "import-data",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Subtype /Link /A << /S /ImportData /F (data.fdf) >> >>"],
        ),
        "Launch",
    ),
    HostilePdf(
        "standalone-launch-action",
        lambda: simple_pdf(extra=[b"<< /Type /Action /S /Launch /F (calc.exe) >>"]),
        "Launch",
    ),
    HostilePdf(
        "unknown-action",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Subtype /Link /A << /S /SomethingNew >> >>"],
        ),
        "not allowed",
    ),
    HostilePdf(
        "embedded-files-name-tree",
        lambda: simple_pdf(
            catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
            extra=[
                b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
                stream(b"/Type /EmbeddedFile", b"MZ\x90\x00"),
            ],
        ),
        "embedded files",
    ),
    HostilePdf(
        "embedded-file-stream-alone",
        lambda: simple_pdf(extra=[stream(b"/Type /EmbeddedFile", b"MZ\x90\x00")]),
        "embedded files",
    ),
    HostilePdf(
        "file-attachment-annotation",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS (a.exe) >>"],
        ),
        "embedded files",
    ),
    HostilePdf(
        "go-to-embedded",
        lambda: simple_pdf(catalog=b"/OpenAction << /S /GoToE /T << /R /C /N (a) >> >>"),
        "embedded files",
    ),
    HostilePdf(
        "link-go-to-embedded",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Subtype /Link /A << /S /GoToE /T << /R /C /N (a) >> >> >>"],
        ),
        "embedded files",
    ),
    HostilePdf(
        "rich-media-annotation",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Type /Annot /Subtype /RichMedia /RichMediaContent << >> >>"],
        ),
        "RichMedia",
    ),
    HostilePdf(
        "screen-rendition",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Type /Annot /Subtype /Screen /A << /S /Rendition /OP 0 >> >>"],
        ),
        "RichMedia",
    ),
    HostilePdf(
        "three-d-annotation",
        lambda: simple_pdf(page=b"/Annots [4 0 R]", extra=[b"<< /Type /Annot /Subtype /3D >>"]),
        "RichMedia",
    ),
    HostilePdf(
        "xfa-form",
        lambda: simple_pdf(
            catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >>",
            extra=[stream(b"", b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")],
        ),
        "XFA",
    ),
    HostilePdf(
        "javascript-in-object-stream",
        lambda: _object_stream_pdf(
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A " + _JS + b" >>"
        ),
        "JavaScript",
    ),
    HostilePdf(
        "launch-in-object-stream",
        lambda: _object_stream_pdf(b"<< /Subtype /Link /A << /S /Launch /F (x.exe) >> >>"),
        "Launch",
    ),
    HostilePdf("javascript-outside-the-xref", _orphan_javascript, "JavaScript"),
    HostilePdf(
        "form-field-keystroke-javascript",
        lambda: simple_pdf(
            catalog=b"/AcroForm << /Fields [4 0 R] >>",
            page=b"/Annots [4 0 R]",
            extra=[
                b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (amount) /Rect [0 0 9 9] "
                b"/AA << /K " + _JS + b" >> >>"
            ],
        ),
        "JavaScript",
    ),
    HostilePdf(
        "link-javascript-uri",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Subtype /Link /A << /S /URI /URI (JavaScript:app.alert(1)) >> >>"],
        ),
        "JavaScript",
    ),
    HostilePdf(
        "link-to-a-network-file",
        lambda: simple_pdf(
            page=b"/Annots [4 0 R]",
            extra=[b"<< /Subtype /Link /A << /S /URI /URI (file://attacker/share/x.exe) >> >>"],
        ),
        "Launch",
    ),
    HostilePdf(
        "bookmark-launch",
        lambda: simple_pdf(
            catalog=b"/Outlines 4 0 R",
            extra=[
                b"<< /Type /Outlines /First 5 0 R /Last 5 0 R /Count 1 >>",
                b"<< /Title (Open) /Parent 4 0 R /A << /S /Launch /F (cmd.exe) >> >>",
            ],
        ),
        "Launch",
    ),
    HostilePdf(
        "encrypted-with-an-owner-password-only",
        lambda: _encrypted(user_password=""),
        "encrypted",
    ),
    HostilePdf("truncated", lambda: _many_pages(2)[:300], "not a readable PDF"),
    HostilePdf(
        "html-holding-a-pdf",
        lambda: b"<html><script>alert(1)</script></html>\n" + simple_pdf(),
        "not a PDF",
    ),
    HostilePdf("flate-bomb-200-mb", flate_bomb, "once decompressed"),
    HostilePdf(
        "ascii85-wrapped-flate-bomb",
        lambda: simple_pdf(
            page=b"/Contents 4 0 R",
            extra=[
                stream(
                    b"/Filter [/ASCII85Decode /FlateDecode]",
                    __import__("base64").a85encode(zlib.compress(b"\0" * (120 * 1024 * 1024), 9))
                    + b"~>",
                )
            ],
        ),
        "once decompressed",
    ),
    HostilePdf(
        "compressed-twice",
        lambda: simple_pdf(
            page=b"/Contents 4 0 R",
            extra=[
                stream(
                    b"/Filter [/FlateDecode /FlateDecode]",
                    zlib.compress(zlib.compress(b"0 0 m\n")),
                )
            ],
        ),
        "compresses a stream twice",
    ),
    HostilePdf("501-pages", lambda: _many_pages(501), "at most 500"),
    HostilePdf("100001-objects", lambda: _many_objects(100_001), "too many objects"),
    HostilePdf("nested-100-deep", lambda: _deeply_nested(100), "nested too deeply"),
    HostilePdf("nested-50000-deep", lambda: _deeply_nested(50_000), "nested too deeply"),
]
