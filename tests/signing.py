"""A test CA, its certificates and PDFs signed with them by pyHanko, made in the tests."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from accounts.certificates import certificate_issue
from contracts.seal import pdf_sign


@dataclass(frozen=True)
class Identity:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def authority(name: str = "Test CA Việt Nam") -> Identity:
    certificate, key = certificate_issue(common_name=name, authority=True)
    return Identity(certificate, key)


def person(
    ca: Identity,
    *,
    name: str,
    tax_code: str = "",
    expired: bool = False,
) -> Identity:
    """A signing certificate issued by ``ca``; ``expired`` ended yesterday."""
    now = datetime.now(UTC)
    if expired:
        not_before, not_after = now - timedelta(days=400), now - timedelta(days=1)
    else:
        not_before, not_after = now - timedelta(days=1), now + timedelta(days=365)
    certificate, key = certificate_issue(
        common_name=name,
        tax_code=tax_code,
        issuer=(ca.certificate, ca.key),
        not_before=not_before,
        not_after=not_after,
    )
    return Identity(certificate, key, (ca.certificate,))


def signed(content: bytes, identity: Identity, *, field_name: str = "Signature1") -> bytes:
    """``content`` with one more signature by ``identity``."""
    return pdf_sign(
        content,
        certificate=identity.certificate,
        key=identity.key,
        chain=identity.chain,
        field_name=field_name,
        reason="Ký hợp đồng",
    )


def page_changed(content: bytes) -> bytes:
    """``content`` with its first page's content replaced in an incremental update, as a
    forger would do after the signatures."""
    writer = PdfWriter(BytesIO(content), incremental=True)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 24 Tf 100 700 Td (Changed after signing) Tj ET")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
