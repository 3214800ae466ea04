"""Checks on an uploaded signed contract: a real, readable, unencrypted PDF within the limit.

The file is judged by its content (pypdf must parse it), never by its name or the
MIME type the browser sent.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

CONTRACT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

logger = logging.getLogger(__name__)


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
    if document.read(5) != b"%PDF-":
        raise ValidationError(
            _("The file is not a PDF document (whatever its name says)."), code="not_pdf"
        )
    document.seek(0)
    try:
        reader = PdfReader(document, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is encrypted or password-protected; upload an unprotected copy."),
                code="encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        logger.info("contract upload refused, unreadable PDF: %s", error)
        raise ValidationError(
            _("The file is not a readable PDF document."), code="not_pdf"
        ) from error
    if pages == 0:
        raise ValidationError(_("The PDF has no pages."), code="no_pages")
    document.seek(0)
    digest = hashlib.sha256()
    for chunk in document.chunks():
        digest.update(chunk)
    document.seek(0)
    return digest.hexdigest()
