"""The public document check: the signatures of any uploaded PDF and, on a letter of
authority, the registry's seal. Nothing uploaded is stored."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.selectors import signing_certificates_registered
from contracts.documents import contract_document_check
from contracts.models import LetterOfAuthority
from contracts.seal import seal_fingerprint
from contracts.signatures import SignatureCheck, pdf_signatures_check
from contracts.status import letter_is_valid

_LETTER_NUMBER = re.compile(r"\bLOA-[0-9]{4}-[0-9]{6}\b")


@dataclass(frozen=True)
class SealReport:
    valid: bool
    letter: LetterOfAuthority | None
    letter_valid_today: bool


@dataclass(frozen=True)
class DocumentReport:
    signatures: list[SignatureCheck]
    registered_to: dict[str, str]  # fingerprint → tax code of the registering organisation
    seal: SealReport | None
    checked_on: date


def _seal_report(checks: list[SignatureCheck], today: date) -> SealReport | None:
    fingerprint = seal_fingerprint()
    seals = [check for check in checks if check.fingerprint_sha256 == fingerprint]
    if not seals:
        return None
    seal = seals[-1]
    # The seal certifies the letter: nothing may follow it (the last signature of the file).
    valid = seal.intact and seal.covers_document and seal is checks[-1]
    number = _LETTER_NUMBER.search(seal.reason)
    letter = None
    if valid and number:
        letter = (
            LetterOfAuthority.objects.select_related(
                "agent", "contract__trader", "contract__broker__organization"
            )
            .filter(number=number.group(0))
            .first()
        )
    return SealReport(
        valid=valid and letter is not None,
        letter=letter,
        letter_valid_today=letter is not None and letter_is_valid(letter=letter, on=today),
    )


def document_verify(document: UploadedFile) -> DocumentReport:
    """Check an uploaded PDF (refused as the contract upload refuses a bad file)."""
    contract_document_check(document)
    document.seek(0)
    checks = pdf_signatures_check(document.read())
    registered_to = {
        fingerprint: certificate.organization.tax_code
        for fingerprint, certificate in signing_certificates_registered(
            check.fingerprint_sha256 for check in checks
        ).items()
    }
    today = timezone.localdate()
    return DocumentReport(
        signatures=checks,
        registered_to=registered_to,
        seal=_seal_report(checks, today),
        checked_on=today,
    )


def document_report_data(report: DocumentReport) -> dict[str, Any]:
    """The report as ``POST /api/v1/documents/verify/`` answers it (SPEC.md)."""
    seal = None
    if report.seal is not None:
        letter = report.seal.letter
        seal = {
            "valid": report.seal.valid,
            "letter": None
            if letter is None
            else {
                "number": letter.number,
                "status": letter.status,
                "valid_today": report.seal.letter_valid_today,
                "valid_from": letter.valid_from,
                "valid_until": letter.valid_until,
            },
        }
    return {
        "signatures": [
            {
                "field": check.field,
                "signer": check.signer,
                "tax_code": check.tax_code,
                "issuer": check.issuer,
                "signed_at": check.signed_at,
                "intact": check.intact,
                "covers_document": check.covers_document,
                "trusted": check.trusted,
                "registered_to": report.registered_to.get(check.fingerprint_sha256),
                "problems": check.problems,
            }
            for check in report.signatures
        ],
        "seal": seal,
    }
