"""The letter of authority as a PDF: an HTML template rendered by WeasyPrint.

The font ships with the project (``static/fonts``, DejaVu Sans) so that Vietnamese
diacritics render the same on every server, whatever fonts it has installed. The stylesheet
(``static/css/letter-pdf.css``) and the font configuration that holds its fonts are loaded
once per process: parsing them again for every letter cost as much as laying it out.
"""

import atexit
import threading
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.emails import absolute_url
from contracts.models import LetterOfAuthority
from contracts.seal import pdf_seal
from contracts.status import letter_document_shows

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "letter-pdf.css"

# Pango's font map behind a FontConfiguration is not safe to share between threads at once
# (the development server and a threaded worker render in threads): one render at a time.
_render_lock = threading.Lock()


@cache
def _stylesheet() -> tuple["CSS", "FontConfiguration"]:
    """The letter's stylesheet, parsed once, with the font configuration holding its fonts."""
    from weasyprint import CSS  # heavy: loaded on the first letter, not with the URLs
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    # Let it go before the interpreter tears WeasyPrint down, which its clean-up needs.
    atexit.register(_stylesheet.cache_clear)
    return CSS(filename=str(STYLESHEET), font_config=font_config), font_config


def letter_verification_url(letter: LetterOfAuthority) -> str:
    """The absolute public URL where anyone checks the letter."""
    return absolute_url("contracts:letter_verify", letter.verification_code)


def letter_pdf(letter: LetterOfAuthority, *, on: date | None = None) -> bytes:
    """Render the letter with both parties, the agent, scope, period and a QR code, sealed
    by the registry; a letter revoked, or expired by ``on`` (today), says so across its top."""
    from weasyprint import HTML

    verification_url = letter_verification_url(letter)
    qr_code = segno.make(verification_url, error="m")
    html = render_to_string(
        "contracts/letter_pdf.html",
        {
            "letter": letter,
            "shows": letter_document_shows(letter=letter, on=on or timezone.localdate()),
            "contract": letter.contract,
            "trader": letter.contract.trader,
            "broker": letter.contract.broker,
            "offices": list(letter.customs_offices.all()),
            "procedures": letter.procedures,
            "verification_url": verification_url,
            "qr_svg_uri": qr_code.svg_data_uri(scale=4, border=2),
            "issue_date": timezone.localtime(letter.issued_at).date(),
        },
    )
    stylesheet, font_config = _stylesheet()
    with _render_lock:
        rendered = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[stylesheet], font_config=font_config
        )
    return pdf_seal(rendered, number=letter.number)
