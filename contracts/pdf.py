"""The letter of authority as a PDF: an HTML template rendered by WeasyPrint.

The font ships with the project (``static/fonts``, DejaVu Sans) so that Vietnamese
diacritics render the same on every server, whatever fonts it has installed.
"""

from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.emails import absolute_url
from contracts.models import LetterOfAuthority
from contracts.seal import pdf_seal

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def letter_verification_url(letter: LetterOfAuthority) -> str:
    """The absolute public URL where anyone checks the letter."""
    return absolute_url("contracts:letter_verify", letter.verification_code)


def letter_pdf(letter: LetterOfAuthority) -> bytes:
    """Render the letter with both parties, the agent, scope, period and a QR code, sealed
    by the registry; a revoked letter says so across its top."""
    from weasyprint import HTML  # heavy: loaded on the first letter, not with the URLs

    verification_url = letter_verification_url(letter)
    qr_code = segno.make(verification_url, error="m")
    html = render_to_string(
        "contracts/letter_pdf.html",
        {
            "letter": letter,
            "contract": letter.contract,
            "trader": letter.contract.trader,
            "broker": letter.contract.broker,
            "offices": list(letter.customs_offices.all()),
            "procedures": letter.procedures,
            "verification_url": verification_url,
            "qr_svg_uri": qr_code.svg_data_uri(scale=4, border=2),
            "font_regular": (FONTS_DIR / "DejaVuSans.ttf").as_uri(),
            "font_bold": (FONTS_DIR / "DejaVuSans-Bold.ttf").as_uri(),
            "issue_date": timezone.localtime(letter.issued_at).date(),
        },
    )
    rendered = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf_seal(rendered, number=letter.number)
