"""Checks on an uploaded signed contract: a real, readable, unencrypted PDF within the limits,
holding no active content.

The file is judged by its content (pypdf must parse it), never by its name or the MIME type
the browser sent. Every object of the file is inspected, those inside object streams too:
a contract is refused when it carries JavaScript, an action run on opening or on an event
(``/OpenAction``, ``/AA``), a program to launch, embedded files, multimedia or an XFA form.
Limits keep a hostile file from costing the server: the page count, the size of the
decompressed streams (measured by inflating into a small buffer that is thrown away, so a
flate bomb is never held in memory), the number of objects and their nesting.
"""

import hashlib
import logging
import re
import zlib
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pypdf import PdfReader, apply_configuration
from pypdf.errors import PyPdfError
from pypdf.filters import ASCII85Decode, ASCIIHexDecode, LZWDecode, RunLengthDecode
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

CONTRACT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
CONTRACT_DOCUMENT_MAX_PAGES = 500
# All streams together, decompressed: text and scanned pages stay far below it.
CONTRACT_DOCUMENT_MAX_INFLATED_BYTES = 100 * 1024 * 1024
CONTRACT_DOCUMENT_MAX_OBJECTS = 100_000
CONTRACT_DOCUMENT_MAX_NESTING = 64

# What pypdf itself may decode (cross-reference and object streams, the page tree): far
# below its own defaults, so that a hostile stream costs at most a few megabytes.
_PYPDF_LIMITS: dict[str, Any] = {
    "zlib_maximum_output_length": 8 * 1024 * 1024,
    "lzw_maximum_output_length": 8 * 1024 * 1024,
    "run_length_maximum_output_length": 8 * 1024 * 1024,
    "array_based_stream_maximum_output_length": 8 * 1024 * 1024,
    "maximum_declared_stream_length": CONTRACT_DOCUMENT_MAX_BYTES,
    "page_tree_maximum_depth": 32,
    "page_tree_maximum_entries": 10_000,
}
_INFLATE_CHUNK = 1024 * 1024

# Actions a contract may hold: moving inside the document, opening a web link.
_HARMLESS_ACTIONS = {
    "/GoTo",
    "/GoToDp",
    "/URI",
    "/Named",
    "/Thread",
    "/SetOCGState",
    "/Trans",
    "/Hide",
    "/ResetForm",
}
_MULTIMEDIA_SUBTYPES = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
_MULTIMEDIA_ACTIONS = {"/Rendition", "/Movie", "/Sound", "/RichMediaExecute", "/GoTo3DView"}
# Long names looked for in the raw bytes too, where no parser goes (objects outside the
# cross-reference table, which a viewer repairing the file may still find).
_RAW_FORBIDDEN_NAMES = {
    b"JavaScript": "javascript",
    b"Launch": "launch",
    b"EmbeddedFile": "embedded",
    b"EmbeddedFiles": "embedded",
    b"RichMedia": "multimedia",
    b"RichMediaContent": "multimedia",
    b"XFA": "xfa",
}
_RAW_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]{3,48})")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

logger = logging.getLogger(__name__)


def _refusal(finding: str, detail: str = "") -> ValidationError:
    advice = _("Upload a plain copy of the signed contract (for example, print it to a new PDF).")
    messages = {
        "javascript": _("The PDF contains JavaScript."),
        "open_action": _("The PDF runs an action when it is opened or used (OpenAction, AA)."),
        "launch": _("The PDF can launch a program or open another file (Launch)."),
        "embedded": _("The PDF carries embedded files."),
        "multimedia": _("The PDF carries multimedia content (RichMedia)."),
        "xfa": _("The PDF is an XFA form."),
        "action": _("The PDF contains an action that is not allowed (%(action)s).")
        % {"action": detail.lstrip("/")},
    }
    return ValidationError(f"{messages[finding]} {advice}", code=f"active_content_{finding}")


def _too_deeply_nested() -> ValidationError:
    return ValidationError(
        _("The PDF is nested too deeply to be read safely."), code="too_deeply_nested"
    )


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _action_finding(action: Any, chain: int = 0) -> tuple[str, str] | None:
    """What is wrong with an action (``/A``, ``/OpenAction``, an ``/AA`` entry) or with an
    action it chains to (``/Next``)."""
    action = _resolved(action)
    if chain > CONTRACT_DOCUMENT_MAX_NESTING:
        raise _too_deeply_nested()
    if isinstance(action, ArrayObject):  # /Next may list several actions
        for item in action:
            finding = _action_finding(item, chain + 1)
            if finding:
                return finding
        return None
    if not isinstance(action, DictionaryObject):
        return None
    kind = str(_resolved(action.get("/S", "")))
    if kind == "/JavaScript" or "/JS" in action:
        return "javascript", kind
    if kind == "/URI":
        # A link is harmless, unless it runs script or opens a file on the reader's machine.
        target = str(_resolved(action.get("/URI", ""))).strip().lower()
        if target.startswith(("javascript:", "vbscript:")):
            return "javascript", kind
        if target.startswith(("file:", "\\\\", "smb:")):
            return "launch", kind
    if kind in {"/Launch", "/GoToR", "/ImportData", "/SubmitForm"}:
        return "launch", kind
    if kind == "/GoToE":
        return "embedded", kind
    if kind in _MULTIMEDIA_ACTIONS:
        return "multimedia", kind
    if kind and kind not in _HARMLESS_ACTIONS:
        return "action", kind
    return _action_finding(action["/Next"], chain + 1) if "/Next" in action else None


def _triggered_actions_finding(dictionary: DictionaryObject) -> tuple[str, str] | None:
    """Actions run without the reader asking: on opening the document (``/OpenAction``,
    unless it only shows a page) and on events (``/AA``). The worst one is named."""
    triggers = _resolved(dictionary.get("/AA"))
    actions = list(triggers.values()) if isinstance(triggers, DictionaryObject) else []
    opening = _resolved(dictionary.get("/OpenAction"))
    if isinstance(opening, DictionaryObject):
        actions.append(opening)
    for action in actions:
        finding = _action_finding(action)
        if finding:
            return finding
    plain_page = not isinstance(opening, DictionaryObject) or (
        str(_resolved(opening.get("/S", ""))) == "/GoTo" and "/Next" not in opening
    )
    if triggers or not plain_page:
        return "open_action", ""
    return None


def _dictionary_finding(dictionary: DictionaryObject) -> tuple[str, str] | None:
    """What active content one dictionary of the file carries, if any."""
    keys = set(dictionary.keys())
    if keys & {"/AA", "/OpenAction"}:
        finding = _triggered_actions_finding(dictionary)
        if finding:
            return finding
    if keys & {"/JS", "/JavaScript"}:
        return "javascript", ""
    if "/XFA" in keys:
        return "xfa", ""
    if keys & {"/EmbeddedFiles", "/EF", "/EmbeddedFile"}:
        return "embedded", ""
    if keys & {"/RichMediaContent", "/RichMediaSettings", "/RichMedia"}:
        return "multimedia", ""
    kind = str(_resolved(dictionary.get("/Type", "")))
    subtype = str(_resolved(dictionary.get("/Subtype", "")))
    if kind == "/EmbeddedFile" or subtype == "/FileAttachment":
        return "embedded", ""
    if subtype in _MULTIMEDIA_SUBTYPES:
        return "multimedia", ""
    if "/A" in keys:
        finding = _action_finding(dictionary["/A"])
        if finding:
            return finding
    if kind == "/Action" or "/Next" in keys:
        return _action_finding(dictionary)
    return None


def _values_within(value: Any) -> Iterator[tuple[Any, int]]:
    """Every dictionary and array inside one object, with its depth; references are not
    followed (each object of the file is inspected on its own)."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > CONTRACT_DOCUMENT_MAX_NESTING:
            raise _too_deeply_nested()
        yield current, depth
        children = current.values() if isinstance(current, DictionaryObject) else current
        stack.extend(
            (child, depth + 1)
            for child in children
            if isinstance(child, DictionaryObject | ArrayObject)
        )


def _object_check(value: Any) -> None:
    if not isinstance(value, DictionaryObject | ArrayObject):
        return
    for item, _depth in _values_within(value):
        if isinstance(item, DictionaryObject):
            finding = _dictionary_finding(item)
            if finding:
                raise _refusal(*finding)


def _filters(stream: StreamObject) -> list[str]:
    filters = _resolved(stream.get("/Filter"))
    if filters is None:
        return []
    if isinstance(filters, ArrayObject):
        return [str(_resolved(name)) for name in filters]
    return [str(filters)]


def _inflated_size(data: bytes, budget: int) -> int:
    """How many bytes zlib data inflates to, counted up to ``budget`` + 1 without keeping
    them; a damaged stream counts what it gave before the damage."""
    inflater = zlib.decompressobj()
    size = 0
    pending = data
    try:
        while pending and size <= budget:
            size += len(inflater.decompress(pending, _INFLATE_CHUNK))
            pending = inflater.unconsumed_tail
        if size <= budget:
            size += len(inflater.flush())
    except zlib.error:
        pass
    return size


_FLATE_FILTERS = {"/FlateDecode", "/Fl"}
_COMPRESSION_FILTERS = _FLATE_FILTERS | {"/LZWDecode", "/LZW", "/RunLengthDecode", "/RL"}


def _decoded_size(stream: StreamObject, budget: int) -> int:
    """The size of a stream once its compression is undone, counted within ``budget``;
    image codecs are not decoded (they are not inflated here, nor needed)."""
    filters = _filters(stream)
    if sum(name in _COMPRESSION_FILTERS for name in filters) > 1:
        raise ValidationError(
            _("The PDF compresses a stream twice; it cannot be checked safely."),
            code="compressed_twice",
        )
    data: bytes = stream._data
    for name in filters:
        if name in {"/ASCIIHexDecode", "/AHx"}:
            data = ASCIIHexDecode.decode(data)
        elif name in {"/ASCII85Decode", "/A85"}:
            data = ASCII85Decode.decode(data)
        elif name in _FLATE_FILTERS:
            return _inflated_size(data, budget)
        elif name in {"/LZWDecode", "/LZW"}:
            data = LZWDecode.decode(data)  # within pypdf's limits set above
        elif name in {"/RunLengthDecode", "/RL"}:
            data = RunLengthDecode.decode(data)
        else:
            break  # an image codec: its bytes are counted as they are
    return len(data)


def _raw_names_check(content: bytes) -> None:
    for match in _RAW_NAME.finditer(content):
        name = match.group(1)
        if b"#" in name:
            name = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        finding = _RAW_FORBIDDEN_NAMES.get(name)
        if finding:
            raise _refusal(finding)


def _objects_check(reader: PdfReader) -> None:
    top_level = [
        IndirectObject(number, generation, reader)
        for generation, numbers in reader.xref.items()
        for number in numbers
    ]
    in_streams = [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    if len(top_level) + len(in_streams) > CONTRACT_DOCUMENT_MAX_OBJECTS:
        raise ValidationError(
            _("The PDF has too many objects to be read safely."), code="too_many_objects"
        )
    # Every stream's decompressed size is measured before pypdf decodes any of them (the
    # objects inside object streams are read after).
    inflated = 0
    for reference in top_level:
        value = reference.get_object()
        if isinstance(value, StreamObject) and hasattr(value, "_data"):
            budget = CONTRACT_DOCUMENT_MAX_INFLATED_BYTES - inflated
            inflated += _decoded_size(value, budget)
            if inflated > CONTRACT_DOCUMENT_MAX_INFLATED_BYTES:
                raise ValidationError(
                    _(
                        "The PDF expands to more than %(limit)d MB once decompressed; a "
                        "signed contract is far smaller."
                    )
                    % {"limit": CONTRACT_DOCUMENT_MAX_INFLATED_BYTES // (1024 * 1024)},
                    code="too_large_inflated",
                )
        _object_check(value)
    for reference in in_streams:
        _object_check(reference.get_object())
    _object_check(reader.trailer)


def _pdf_check(content: bytes) -> None:
    _raw_names_check(content)
    with apply_configuration(None, **_PYPDF_LIMITS):
        reader = PdfReader(BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is encrypted or password-protected; upload an unprotected copy."),
                code="encrypted",
            )
        _objects_check(reader)
        pages = len(reader.pages)
    if pages == 0:
        raise ValidationError(_("The PDF has no pages."), code="no_pages")
    if pages > CONTRACT_DOCUMENT_MAX_PAGES:
        raise ValidationError(
            _("The PDF has %(pages)d pages; a signed contract may have at most %(limit)d.")
            % {"pages": pages, "limit": CONTRACT_DOCUMENT_MAX_PAGES},
            code="too_many_pages",
        )


def contract_document_check(document: UploadedFile) -> str:
    """Raise ``ValidationError`` unless ``document`` is an acceptable PDF; return its SHA-256."""
    size = document.size or 0
    if size > CONTRACT_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; a signed contract may be at most 10 MB.")
            % {"size": f"{size / 1024 / 1024:.1f}"},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    document.seek(0)
    content = document.read(CONTRACT_DOCUMENT_MAX_BYTES + 1)
    document.seek(0)
    if not content.startswith(b"%PDF-"):
        raise ValidationError(
            _("The file is not a PDF document (whatever its name says)."), code="not_pdf"
        )
    try:
        _pdf_check(content)
    except ValidationError as refusal:
        logger.info("contract upload refused: %s", refusal.code)
        raise
    except (
        RecursionError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
    ) as error:
        # pypdf reports a structure nested past Python's recursion limit as a read error.
        if isinstance(error, RecursionError) or isinstance(error.__cause__, RecursionError):
            raise _too_deeply_nested() from error
        logger.info("contract upload refused, unreadable PDF: %s", error)
        raise ValidationError(
            _("The file is not a readable PDF document."), code="not_pdf"
        ) from error
    return hashlib.sha256(content).hexdigest()
