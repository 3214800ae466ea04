"""The digital signatures embedded in a PDF, validated with pyHanko, offline.

For each signature: whether the signed bytes are intact, whether only permitted changes
follow it (a later signature, form filling), the signer's certificate and its chain up to
the customs trust list (``accounts.TrustedCertificate``), the signing time the signer gave
and whether the certificate was valid then. Nothing is fetched: no OCSP, no CRL, no AIA.
"""

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError

from accounts.certificates import (
    certificate_fingerprint,
    certificate_name,
    certificate_tax_code,
    serial_number_format,
)
from accounts.models import TrustedCertificate
from contracts.event_loop import outside_any_event_loop

logger = logging.getLogger(__name__)

# Problems a signature may have, as stored (``ContractSignature.problems``) and answered by
# the API; their wording is ``contracts.templatetags.contracts_tags.SIGNATURE_PROBLEMS``.
ALTERED = "altered"
BAD_SIGNATURE = "bad_signature"
CHANGED_AFTER = "changed_after"
UNTRUSTED = "untrusted"
CHAIN_INVALID = "chain_invalid"
REVOKED = "revoked"
NOT_VALID_WHEN_SIGNED = "not_valid_when_signed"
NO_SIGNING_TIME = "no_signing_time"
UNREADABLE = "unreadable"
NOT_REGISTERED = "not_registered"
LENT = "lent"

# What may follow a signature without it ceasing to cover the document.
_PERMITTED = ModificationLevel.FORM_FILLING


@dataclass
class SignatureCheck:
    """What one embedded signature says and how it fared."""

    field: str
    signer: str = ""
    tax_code: str = ""
    issuer: str = ""
    serial_number: str = ""
    fingerprint_sha256: str = ""
    signed_at: datetime | None = None
    intact: bool = False
    covers_document: bool = False
    trusted: bool = False
    valid_at_signing: bool = False
    reason: str = ""
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def verdict(self) -> str:
        """``valid``; ``untrusted`` when only the chain falls outside the trust list;
        ``invalid`` otherwise."""
        sound = self.intact and self.covers_document and self.valid_at_signing
        if sound and self.trusted:
            return "valid"
        if sound and set(self.problems) <= {UNTRUSTED, NOT_REGISTERED}:
            return "untrusted"
        return "invalid"


def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates on the customs trust list, today."""
    return [
        asn1_x509.Certificate.load(bytes(der))
        for der in TrustedCertificate.objects.filter(removed_at__isnull=True).values_list(
            "der", flat=True
        )
    ]


def _validation_context(
    roots: list[asn1_x509.Certificate], moment: datetime | None
) -> ValidationContext:
    # trust_roots=[] trusts nothing (None would mean the operating system's store).
    return ValidationContext(
        trust_roots=roots, moment=moment, allow_fetching=False, revocation_mode="soft-fail"
    )


def _describe(check: SignatureCheck, certificate: x509.Certificate) -> None:
    check.signer = certificate_name(certificate)[:500]
    check.tax_code = certificate_tax_code(certificate)
    issuer_names = certificate.issuer.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    check.issuer = (
        str(issuer_names[0].value) if issuer_names else certificate.issuer.rfc4514_string()
    )[:500]
    check.serial_number = serial_number_format(certificate.serial_number)
    check.fingerprint_sha256 = certificate_fingerprint(certificate)


def _judge(
    check: SignatureCheck, status: PdfSignatureStatus, certificate: x509.Certificate
) -> None:
    check.intact = bool(status.intact)
    if not status.intact:
        check.problems.append(ALTERED)
    elif not status.valid:
        check.problems.append(BAD_SIGNATURE)
    level = status.modification_level
    check.covers_document = (
        check.intact
        and status.valid
        and status.coverage is not None
        and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
        and level is not None
        and level <= _PERMITTED
        and status.docmdp_ok is not False
    )
    if check.intact and not check.covers_document:
        check.problems.append(CHANGED_AFTER)
    check.signed_at = status.signer_reported_dt
    if check.signed_at is None:
        check.problems.append(NO_SIGNING_TIME)
    else:
        check.valid_at_signing = (
            certificate.not_valid_before_utc <= check.signed_at <= certificate.not_valid_after_utc
        )
        if not check.valid_at_signing:
            check.problems.append(NOT_VALID_WHEN_SIGNED)
    check.trusted = bool(status.trusted) and check.valid_at_signing
    if status.revoked:
        check.problems.append(REVOKED)
    elif not status.trusted and status.valid and status.intact and check.valid_at_signing:
        check.problems.append(UNTRUSTED if status.validation_path is None else CHAIN_INVALID)


def _signature_check(
    embedded: EmbeddedPdfSignature, position: int, roots: list[asn1_x509.Certificate]
) -> SignatureCheck:
    check = SignatureCheck(field=str(embedded.field_name or f"Signature{position}")[:255])
    try:
        certificate = x509.load_der_x509_certificate(embedded.signer_cert.dump())
        _describe(check, certificate)
        check.reason = str(embedded.sig_object.get("/Reason", ""))[:500]
        # Validated at the signing time the signer states, when there is one: a contract is
        # checked on upload, and an expired certificate is reported in its own words.
        context = _validation_context(roots, embedded.self_reported_timestamp)
        status = outside_any_event_loop(
            partial(validate_pdf_signature, embedded, signer_validation_context=context)
        )
        _judge(check, status, certificate)
    except PathBuildingError:
        check.problems.append(UNTRUSTED)
    except Exception as error:  # hostile input: any failure is a finding
        logger.info("signature %s unreadable: %s", check.field, error)
        check.problems.append(UNREADABLE)
    return check


def pdf_signatures_check(
    content: bytes, *, roots: list[asn1_x509.Certificate] | None = None
) -> list[SignatureCheck]:
    """Every embedded signature of a PDF (already checked by ``contract_document_check``),
    in the order they were made; ``roots`` defaults to the trust list."""
    roots = trust_roots() if roots is None else roots
    try:
        reader = PdfFileReader(BytesIO(content), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:  # a file pypdf read but pyHanko cannot
        logger.info("signatures unreadable: %s", error)
        return []
    return [
        _signature_check(signature, position, roots)
        for position, signature in enumerate(embedded, start=1)
    ]
