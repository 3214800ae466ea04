"""Reading X.509 signing certificates from uploaded `.cer`/`.crt`/`.pem` files."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
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


# Vietnamese CAs write the organisation's tax code in the subject, usually as
# ``UID=MST:0101234567`` (a branch ``MST:0101234567-001``); some put it in another attribute.
_TAX_CODE_IN_SUBJECT = re.compile(r"MST[:=\s]*([0-9]{10}(?:-[0-9]{3})?)", re.IGNORECASE)


def certificate_tax_code(certificate: x509.Certificate) -> str:
    """The organisation's tax code written in the certificate's subject, or ``""``."""
    for attribute in certificate.subject:
        match = _TAX_CODE_IN_SUBJECT.search(str(attribute.value))
        if match:
            return match.group(1)
    return ""


def certificate_name(certificate: x509.Certificate) -> str:
    """Whom the certificate names: its organisation or common name."""
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        values = certificate.subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return certificate.subject.rfc4514_string()


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def certificate_issue(
    *,
    common_name: str,
    tax_code: str = "",
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    authority: bool = False,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A new key and its certificate, signed by ``issuer`` (or by itself): the demo CA, the
    development seal and the tests' certificates are made with it, never a real one."""
    key = ec.generate_private_key(ec.SECP256R1())
    # A common name has at most 64 units as cryptography counts them (UTF-8 bytes here).
    common_name = common_name.encode("utf-8")[:64].decode("utf-8", errors="ignore")
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if tax_code:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, f"MST:{tax_code}"))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"))
    subject = x509.Name(attributes)
    signer_certificate, signer_key = issuer if issuer is not None else (None, key)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(signer_certificate.subject if signer_certificate else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=authority, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not authority,
                content_commitment=not authority,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=authority,
                crl_sign=authority,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if signer_certificate is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
            critical=False,
        )
    return builder.sign(signer_key, hashes.SHA256()), key


def private_key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
