"""What an authenticator app needs to be set up: the otpauth:// URI as a QR code (inline SVG
drawn by segno) and the same secret in base32 for typing in by hand."""

from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import segno

ISSUER = "Customs broker registry"


@dataclass(frozen=True)
class TotpProvisioning:
    secret: str  # base32 in groups of four, as apps show it
    qr_svg: str


def totp_provisioning(*, key: str, email: str, qr_title: str) -> TotpProvisioning:
    """The QR code and the readable secret for a hexadecimal TOTP key."""
    secret = b32encode(unhexlify(key)).decode()
    uri = f"otpauth://totp/{quote(f'{ISSUER}:{email}')}?" + urlencode(
        {"secret": secret, "issuer": ISSUER, "digits": 6, "period": 30}
    )
    return TotpProvisioning(
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_svg=segno.make(uri, error="m").svg_inline(scale=4, title=qr_title),
    )
