"""Reading X.509 signing certificates from uploaded `.cer`/`.crt`/`.pem` files."""

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_CERTIFICATE_BYTES = 64 * 1024


@dataclass(frozen=True)
class CertificateDetails:
    serial_number: str
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    fingerprint_sha256: str
    der: bytes


def serial_number_format(serial: int) -> str:
    """Upper-case hexadecimal without leading zeros, the form clearance records."""
    return format(serial, "X")


def certificate_read(content: bytes) -> CertificateDetails:
    """Parse a DER or PEM certificate; anything else is refused with a clear message."""
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > MAX_CERTIFICATE_BYTES:
        raise ValidationError(
            _("The file is too large to be a certificate (at most 64 KB)."), code="too_large"
        )
    try:
        if b"-----BEGIN" in content:
            certificate = x509.load_pem_x509_certificate(content)
        else:
            certificate = x509.load_der_x509_certificate(content)
        details = CertificateDetails(
            serial_number=serial_number_format(certificate.serial_number),
            subject=certificate.subject.rfc4514_string(),
            issuer=certificate.issuer.rfc4514_string(),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
            der=certificate.public_bytes(serialization.Encoding.DER),
        )
    except ValueError as error:
        raise ValidationError(
            _(
                "This file is not an X.509 certificate. Upload the certificate itself as a "
                ".cer or .crt file, in DER or PEM form (not a key, a PDF or a signed document)."
            ),
            code="not_a_certificate",
        ) from error
    return details
