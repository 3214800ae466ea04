"""The registry's own seal: a PAdES signature on every letter-of-authority PDF.

The certificate and key are PEM files named by ``REGISTRY_SEAL_CERT`` and
``REGISTRY_SEAL_KEY`` (production requires them; a development seal is made under ``var/``
by the settings). A PDF reader shows who issued the letter and that it is unchanged, offline.
The same signing serves the demo data set and the tests, with their own certificates.
"""

from collections.abc import Sequence
from functools import cache
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from accounts.certificates import certificate_fingerprint
from contracts.event_loop import outside_any_event_loop

SEAL_FIELD = "RegistrySeal"


def pdf_sign(
    content: bytes,
    *,
    certificate: x509.Certificate,
    key: PrivateKeyTypes,
    chain: Sequence[x509.Certificate] = (),
    field_name: str,
    reason: str = "",
    name: str | None = None,
    location: str | None = None,
    certify: bool = False,
    bytes_reserved: int | None = None,
) -> bytes:
    """``content`` with one more PAdES signature (an incremental update), made with ``key``;
    ``bytes_reserved`` is the room left for it, which pyHanko otherwise estimates by making
    a dummy signature first."""
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(
            [
                asn1_x509.Certificate.load(link.public_bytes(serialization.Encoding.DER))
                for link in chain
            ]
        ),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        name=name,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES if certify else fields.MDPPerm.FILL_FORMS,
    )
    writer = IncrementalPdfFileWriter(BytesIO(content), strict=False)

    def sign() -> BytesIO:
        result: BytesIO = signers.sign_pdf(
            writer, metadata, signer=signer, bytes_reserved=bytes_reserved
        )
        return result

    return bytes(outside_any_event_loop(sign).getvalue())


@cache
def _seal() -> tuple[x509.Certificate, PrivateKeyTypes, tuple[x509.Certificate, ...]]:
    """The seal's certificate (the first of the file; the others are its chain) and key."""
    certificates = x509.load_pem_x509_certificates(Path(settings.REGISTRY_SEAL_CERT).read_bytes())
    key = serialization.load_pem_private_key(
        Path(settings.REGISTRY_SEAL_KEY).read_bytes(), password=None
    )
    return certificates[0], key, tuple(certificates[1:])


def seal_certificate() -> x509.Certificate:
    return _seal()[0]


def seal_fingerprint() -> str:
    return certificate_fingerprint(seal_certificate())


def letter_seal_reason(number: str) -> str:
    """What the seal says it is for; the public check reads the letter's number back."""
    return f"Letter of authority {number}"


# The room the seal's signature takes in a PDF, as pyHanko estimated it for the first letter
# sealed in this process: one certificate, one key and no timestamp make every seal the same
# size, so later letters skip the dummy signature that estimate costs (half of a seal's time).
_seal_room: dict[str, int] = {}


def _signature_room(content: bytes) -> int:
    """The room (in hexadecimal digits, as ``bytes_reserved`` counts it) of the last
    signature of ``content``."""
    reader = PdfFileReader(BytesIO(content), strict=False)
    return 2 * len(reader.embedded_signatures[-1].sig_object.raw_get("/Contents"))


def pdf_seal(content: bytes, *, number: str) -> bytes:
    """The letter's PDF, certified by the registry's seal: any later change shows."""
    certificate, key, chain = _seal()
    sealed = pdf_sign(
        content,
        certificate=certificate,
        key=key,
        chain=chain,
        field_name=SEAL_FIELD,
        reason=letter_seal_reason(number),
        name="Customs broker registry",
        location=settings.SITE_URL,
        certify=True,
        bytes_reserved=_seal_room.get("bytes"),
    )
    if "bytes" not in _seal_room:
        _seal_room["bytes"] = _signature_room(sealed)
    return sealed
