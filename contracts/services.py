"""Writes for service contracts and letters of authority.

Every state change is validated, stored and written to the audit log in one transaction,
and announced to both parties by a task once it commits; nothing is ever hard-deleted.
"""

import secrets
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organization, SigningCertificate, User
from accounts.selectors import signing_certificates_registered
from accounts.taxcode import tax_code_normalize
from audit.models import AuditAction
from audit.services import audit_record
from brokers.models import Broker, BrokerAgent, CustomsOffice
from contracts.documents import contract_document_check
from contracts.emails import ContractEmail
from contracts.models import (
    ContractRefusal,
    ContractSignature,
    ContractStatus,
    LetterNumberCounter,
    LetterOfAuthority,
    Service,
    ServiceContract,
    SignatureParty,
)
from contracts.pdf import letter_pdf
from contracts.signatures import LENT, NOT_REGISTERED, SignatureCheck, pdf_signatures_check
from contracts.status import contract_status, letter_document_shows
from contracts.tasks import contract_notify

# No 0/O/1/I/L: a code read aloud or typed from paper is not mistaken.
VERIFICATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
VERIFICATION_CODE_LENGTH = 12


def _contract_snapshot(contract: ServiceContract) -> dict[str, Any]:
    return {
        "status": contract_status(contract=contract, on=timezone.localdate()),
        "reference": contract.reference,
        "valid_from": contract.valid_from,
        "valid_until": contract.valid_until,
        "document_sha256": contract.document_sha256,
        "terminated_on": contract.terminated_on,
    }


def _letter_snapshot(letter: LetterOfAuthority) -> dict[str, Any]:
    return {
        "status": letter.status,
        "number": letter.number,
        "agent": letter.agent.agent_code,
        "valid_from": letter.valid_from,
        "valid_until": letter.valid_until,
    }


def _audit_contract(
    *, action: AuditAction, contract: ServiceContract, by: User, before: dict[str, Any] | None
) -> None:
    audit_record(
        action=action,
        obj=contract,
        actor=by,
        organization=contract.trader,
        counterparty=contract.broker.organization,
        before=before,
        after=_contract_snapshot(contract),
    )


def _audit_letter(
    *, action: AuditAction, letter: LetterOfAuthority, by: User, before: dict[str, Any] | None
) -> None:
    audit_record(
        action=action,
        obj=letter,
        actor=by,
        organization=letter.contract.trader,
        counterparty=letter.contract.broker.organization,
        before=before,
        after=_letter_snapshot(letter),
    )


@transaction.atomic
def contracts_history_record(
    *, contracts: Iterable[ServiceContract], letters: Iterable[LetterOfAuthority]
) -> int:
    """Put on the audit log the steps of contracts and letters created in bulk with their
    history (the demo data set), as the services record each step; returns the entries."""
    written = 0
    for contract in contracts:
        uploaded = {**_contract_snapshot(contract), "status": ContractStatus.PENDING}
        audit_record(
            action=AuditAction.CONTRACT_UPLOAD,
            obj=contract,
            actor=contract.uploaded_by,
            organization=contract.trader,
            counterparty=contract.broker.organization,
            after=uploaded,
        )
        steps = [
            (AuditAction.CONTRACT_CONFIRM, contract.confirmed_by, contract.confirmed_at),
            (AuditAction.CONTRACT_REJECT, contract.rejected_by, contract.rejected_at),
            (AuditAction.CONTRACT_TERMINATE, contract.terminated_by, contract.terminated_at),
        ]
        written += 1
        for action, actor, happened in steps:
            if happened is not None and actor is not None:
                _audit_contract(action=action, contract=contract, by=actor, before=uploaded)
                written += 1
    for letter in letters:
        issued = {**_letter_snapshot(letter), "status": LetterOfAuthority.Status.ISSUED}
        contract = letter.contract
        audit_record(
            action=AuditAction.LETTER_ISSUE,
            obj=letter,
            actor=letter.issued_by,
            organization=contract.trader,
            counterparty=contract.broker.organization,
            after=issued,
        )
        written += 1
        if letter.status == LetterOfAuthority.Status.REVOKED:
            audit_record(
                action=AuditAction.LETTER_REVOKE,
                obj=letter,
                actor=letter.revoked_by,
                organization=contract.trader,
                counterparty=contract.broker.organization,
                before=issued,
                after=_letter_snapshot(letter),
            )
            written += 1
    return written


def _check_services(services: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(services))
    unknown = [value for value in chosen if value not in Service.values]
    if unknown:
        raise ValidationError({"services": _("Unknown service: %s.") % ", ".join(unknown)})
    if not chosen:
        raise ValidationError({"services": _("Choose at least one service.")})
    return chosen


def _trader_by_tax_code(trader_tax_code: str) -> Organization:
    """The registered trader with that tax code, as typed by the broker's staff."""
    try:
        normalised = tax_code_normalize(trader_tax_code)
    except ValidationError as error:
        raise ValidationError({"trader_tax_code": error.messages}) from error
    trader = Organization.objects.filter(tax_code=normalised, kind=Organization.Kind.TRADER).first()
    if trader is None:
        raise ValidationError(
            {
                "trader_tax_code": _("No trader with tax code %(code)s is registered.")
                % {"code": normalised}
            }
        )
    return trader


def _contract_save(contract: ServiceContract) -> None:
    """Insert the new contract; the same reference uploaded twice at once is refused as
    the constraint words it, and the loser's document is removed."""
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:
        if contract.document.name:
            contract.document.storage.delete(contract.document.name)
        # The upload that won is committed by now: the constraint reports the clash.
        contract.validate_constraints()
        raise


def _registered_certificates(checks: list[SignatureCheck]) -> dict[str, SigningCertificate]:
    return signing_certificates_registered(check.fingerprint_sha256 for check in checks)


def _other_party(party: str) -> str:
    return SignatureParty.BROKER if party == SignatureParty.TRADER else SignatureParty.TRADER


def _counts_for(
    check: SignatureCheck,
    certificate: SigningCertificate | None,
    *,
    trader: Organization,
    broker: Organization,
) -> str:
    """Which party a sound signature counts for: a certificate the party registered, or one
    naming its tax code that chains to the trust list."""
    if not (check.intact and check.covers_document and check.valid_at_signing):
        return SignatureParty.NONE
    for party, organization in ((SignatureParty.TRADER, trader), (SignatureParty.BROKER, broker)):
        if certificate is not None and certificate.organization_id == organization.pk:
            return party
        if certificate is None and check.trusted and check.tax_code == organization.tax_code:
            return party
    return SignatureParty.NONE


def _lent_signature(
    checks: list[SignatureCheck],
    registered: dict[str, SigningCertificate],
    *,
    trader: Organization,
    broker: Organization,
) -> tuple[SignatureCheck, SigningCertificate, str] | None:
    """A signature made with one party's registered certificate in the other's place: its
    certificate names the other party's tax code, or that party's certificates made a
    second signature while the other party made none."""
    parties = {trader.pk: SignatureParty.TRADER, broker.pk: SignatureParty.BROKER}
    other: dict[str, Organization] = {SignatureParty.TRADER: broker, SignatureParty.BROKER: trader}
    made: dict[str, list[tuple[SignatureCheck, SigningCertificate]]] = {
        SignatureParty.TRADER: [],
        SignatureParty.BROKER: [],
    }
    for check in checks:
        certificate = registered.get(check.fingerprint_sha256)
        if not check.intact or certificate is None or certificate.organization_id not in parties:
            continue
        owner: str = parties[certificate.organization_id]
        if check.tax_code and check.tax_code == other[owner].tax_code:
            return check, certificate, owner
        made[owner].append((check, certificate))
    for party, signatures in made.items():
        if len(signatures) > 1 and not made[_other_party(party)]:
            check, certificate = signatures[-1]
            return check, certificate, party
    return None


def _lent_message(
    check: SignatureCheck,
    certificate: SigningCertificate,
    *,
    owner: str,
) -> str:
    if owner == SignatureParty.TRADER:
        text = _(
            "Refused: the signature “%(field)s” was made with the certificate %(subject)s "
            "(serial %(serial)s), which is registered to the trader %(owner)s, not the "
            "broker's own. Each party must sign with its own certificate; customs has been "
            "told."
        )
    else:
        text = _(
            "Refused: the signature “%(field)s” was made with the certificate %(subject)s "
            "(serial %(serial)s), which is registered to the broker %(owner)s, not the "
            "trader's own. Each party must sign with its own certificate; customs has been "
            "told."
        )
    return text % {
        "field": check.field,
        "subject": certificate.subject,
        "serial": certificate.serial_number,
        "owner": certificate.organization.name,
    }


def _contract_refusal_record(
    *,
    broker: Broker,
    trader: Organization,
    reference: str,
    document: UploadedFile,
    sha256: str,
    certificate: SigningCertificate,
    owner: str,
    message: str,
    by: User,
) -> ContractRefusal:
    """Keep the refused upload as evidence, committed even though the upload fails."""
    with transaction.atomic():
        refusal = ContractRefusal(
            broker=broker,
            trader=trader,
            reference=reference[:64],
            document_sha256=sha256,
            certificate=certificate,
            signed_for=_other_party(owner),
            message=message,
            attempted_by=by,
        )
        refusal.document = document
        refusal.save()
        audit_record(
            action=AuditAction.CONTRACT_SIGNATURE_MISUSE,
            obj=refusal,
            actor=by,
            organization=trader,
            counterparty=broker.organization,
            after={
                "reference": refusal.reference,
                "document_sha256": sha256,
                "certificate": certificate.serial_number,
                "registered_to": certificate.organization.tax_code,
            },
        )
    return refusal


def _signatures_record(
    *,
    contract: ServiceContract,
    checks: list[SignatureCheck],
    registered: dict[str, SigningCertificate],
) -> bool:
    """Store the checked signatures of a contract; True when both parties signed validly."""
    trader = contract.trader
    broker = contract.broker.organization
    rows = []
    for position, check in enumerate(checks, start=1):
        certificate = registered.get(check.fingerprint_sha256)
        counts_for = _counts_for(check, certificate, trader=trader, broker=broker)
        problems = list(check.problems)
        if not counts_for:
            problems.append(NOT_REGISTERED)
        rows.append(
            ContractSignature(
                contract=contract,
                position=position,
                field_name=check.field,
                signer_name=check.signer,
                signer_tax_code=check.tax_code,
                issuer_name=check.issuer,
                serial_number=check.serial_number,
                fingerprint_sha256=check.fingerprint_sha256,
                signed_at=check.signed_at,
                intact=check.intact,
                covers_document=check.covers_document,
                trusted=check.trusted,
                valid_at_signing=check.valid_at_signing,
                verdict=check.verdict,
                registered_to=certificate.organization if certificate else None,
                counts_for=counts_for,
                problems=problems,
            )
        )
    ContractSignature.objects.bulk_create(rows)
    parties = {row.counts_for for row in rows}
    return {SignatureParty.TRADER, SignatureParty.BROKER} <= parties


@transaction.atomic
def contract_signatures_check(*, contract: ServiceContract) -> ServiceContract:
    """Validate the stored document's signatures again (against today's trust list and
    registered certificates) and record the result in place of the previous one."""
    contract = _locked(contract)
    with contract.document.open("rb") as stored:
        checks = pdf_signatures_check(stored.read())
    registered = _registered_certificates(checks)
    contract.signatures.all().delete()
    contract.signatures_verified = _signatures_record(
        contract=contract, checks=checks, registered=registered
    )
    contract.save(update_fields=["signatures_verified"])
    return contract


def contract_upload(
    *,
    broker: Broker,
    trader_tax_code: str,
    reference: str,
    signed_on: date,
    valid_from: date,
    valid_until: date,
    services: Iterable[str],
    customs_offices: Iterable[CustomsOffice],
    document: UploadedFile,
    by: User,
) -> ServiceContract:
    """Store a signed contract uploaded by the broker's staff, with its checked digital
    signatures; it waits for the trader. A lent signature (one party's registered
    certificate in the other's place) is refused and kept as evidence for customs."""
    sha256 = contract_document_check(document)  # before anything is written
    trader = _trader_by_tax_code(trader_tax_code)
    document.seek(0)
    checks = pdf_signatures_check(document.read())
    document.seek(0)
    registered = _registered_certificates(checks)
    lent = _lent_signature(checks, registered, trader=trader, broker=broker.organization)
    if lent is not None:
        check, certificate, owner = lent
        check.problems.append(LENT)
        message = _lent_message(check, certificate, owner=owner)
        _contract_refusal_record(
            broker=broker,
            trader=trader,
            reference=reference.strip(),
            document=document,
            sha256=sha256,
            certificate=certificate,
            owner=owner,
            message=message,
            by=by,
        )
        raise ValidationError({"document": message}, code="lent_signature")
    with transaction.atomic():
        reference = reference.strip()
        offices = list(customs_offices)
        contract = ServiceContract(
            trader=trader,
            broker=broker,
            reference=reference,
            signed_on=signed_on,
            valid_from=valid_from,
            valid_until=valid_until,
            services=_check_services(services),
            document_sha256=sha256,
            uploaded_by=by,
            uploaded_at=timezone.now(),
        )
        contract.document = document  # written to private storage by save(), once valid
        contract.full_clean()
        _contract_save(contract)
        contract.customs_offices.set(offices)
        verified = _signatures_record(contract=contract, checks=checks, registered=registered)
        if verified:
            contract.signatures_verified = True
            contract.save(update_fields=["signatures_verified"])
        _audit_contract(action=AuditAction.CONTRACT_UPLOAD, contract=contract, by=by, before=None)
        transaction.on_commit(
            partial(contract_notify.delay, contract.pk, ContractEmail.UPLOADED.value)
        )
    return contract


def _locked(contract: ServiceContract) -> ServiceContract:
    return (
        ServiceContract.objects.select_for_update()
        .select_related("trader", "broker__organization")
        .get(pk=contract.pk)
    )


@transaction.atomic
def contract_confirm(*, contract: ServiceContract, by: User) -> ServiceContract:
    """The trader's admin confirms a pending contract: it is active from its start date."""
    contract = _locked(contract)
    if contract.confirmed_at is not None or contract.rejected_at is not None:
        raise ValidationError(_("This contract has already been reviewed."))
    if contract.terminated_on is not None:
        raise ValidationError(_("This contract has been terminated."))
    if contract.valid_until < timezone.localdate():
        raise ValidationError(_("This contract has already ended; it cannot be confirmed."))
    if contract.trader.require_verified_contract_signatures and not contract.signatures_verified:
        raise ValidationError(
            _(
                "Your organisation accepts only contracts whose PDF carries verified digital "
                "signatures of both parties; this one does not. Reject it and ask the broker "
                "for a properly signed copy."
            )
        )
    before = _contract_snapshot(contract)
    contract.confirmed_by = by
    contract.confirmed_at = timezone.now()
    contract.full_clean()
    contract.save(update_fields=["confirmed_by", "confirmed_at"])
    _audit_contract(action=AuditAction.CONTRACT_CONFIRM, contract=contract, by=by, before=before)
    transaction.on_commit(
        partial(contract_notify.delay, contract.pk, ContractEmail.CONFIRMED.value)
    )
    return contract


@transaction.atomic
def contract_reject(*, contract: ServiceContract, by: User, reason: str) -> ServiceContract:
    """The trader's admin rejects a pending contract with a reason; the record stays."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    contract = _locked(contract)
    if contract.confirmed_at is not None or contract.rejected_at is not None:
        raise ValidationError(_("This contract has already been reviewed."))
    before = _contract_snapshot(contract)
    contract.rejected_by = by
    contract.rejected_at = timezone.now()
    contract.rejection_reason = reason
    contract.full_clean()
    contract.save(update_fields=["rejected_by", "rejected_at", "rejection_reason"])
    _audit_contract(action=AuditAction.CONTRACT_REJECT, contract=contract, by=by, before=before)
    transaction.on_commit(partial(contract_notify.delay, contract.pk, ContractEmail.REJECTED.value))
    return contract


@transaction.atomic
def contract_terminate(*, contract: ServiceContract, by: User, reason: str) -> ServiceContract:
    """Either party ends an active contract today, with a reason; the record stays."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the termination.")})
    contract = _locked(contract)
    today = timezone.localdate()
    if contract_status(contract=contract, on=today) != ContractStatus.ACTIVE:
        raise ValidationError(_("Only an active contract can be terminated."))
    before = _contract_snapshot(contract)
    contract.terminated_by = by
    contract.terminated_at = timezone.now()
    contract.terminated_on = today
    contract.termination_reason = reason
    contract.full_clean()
    contract.save(
        update_fields=["terminated_by", "terminated_at", "terminated_on", "termination_reason"]
    )
    _audit_contract(action=AuditAction.CONTRACT_TERMINATE, contract=contract, by=by, before=before)
    transaction.on_commit(
        partial(contract_notify.delay, contract.pk, ContractEmail.TERMINATED.value)
    )
    return contract


LETTER_LIMIT_MAX = 50


@transaction.atomic
def letter_limit_set(*, trader: Organization, limit: int, by: User) -> Organization:
    """Set the trader's limit of active letters per contract (1 to 50)."""
    if not 1 <= limit <= LETTER_LIMIT_MAX:
        raise ValidationError(
            {"limit": _("The limit must be between 1 and %(max)s.") % {"max": LETTER_LIMIT_MAX}}
        )
    trader = Organization.objects.select_for_update().get(pk=trader.pk)
    before = {"letters_per_contract_limit": trader.letters_per_contract_limit}
    # Only this field changes: validate it alone, not the organisation's other fields.
    trader.letters_per_contract_limit = Organization._meta.get_field(
        "letters_per_contract_limit"
    ).clean(limit, trader)
    trader.save(update_fields=["letters_per_contract_limit"])
    audit_record(
        action=AuditAction.LETTER_LIMIT_SET,
        obj=trader,
        actor=by,
        organization=trader,
        before=before,
        after={"letters_per_contract_limit": limit},
    )
    return trader


def _letter_number(today: date) -> str:
    counter, _created = LetterNumberCounter.objects.select_for_update().get_or_create(
        year=today.year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"LOA-{today.year}-{counter.last_number:06d}"


def _verification_code() -> str:
    while True:
        code = "".join(
            secrets.choice(VERIFICATION_ALPHABET) for _position in range(VERIFICATION_CODE_LENGTH)
        )
        if not LetterOfAuthority.objects.filter(verification_code=code).exists():
            return code


def letters_active_count(*, contract: ServiceContract, on: date) -> int:
    """Letters of the contract that are issued and not yet ended on ``on``."""
    return contract.letters.filter(
        status=LetterOfAuthority.Status.ISSUED, valid_until__gte=on
    ).count()


def _letter_agent_check(*, contract: ServiceContract, agent: BrokerAgent, today: date) -> None:
    """The agent works for the contract's broker and may act today."""
    if agent.broker_id != contract.broker_id:
        raise ValidationError(
            {"agent": _("This agent does not work for the broker of this contract.")}
        )
    if not agent.is_valid_on(today):
        raise ValidationError(
            {"agent": _("This agent has been withdrawn or their agent code has expired.")}
        )


def _letter_period_check(
    *, contract: ServiceContract, valid_from: date, valid_until: date, today: date
) -> None:
    """The letter's period lies inside the contract's and has not ended yet."""
    if valid_from < contract.valid_from or valid_until > contract.valid_until:
        raise ValidationError(
            {
                "valid_until": _(
                    "The letter's period must lie inside the contract's, %(start)s to %(end)s."
                )
                % {
                    "start": date_format(contract.valid_from, "SHORT_DATE_FORMAT"),
                    "end": date_format(contract.valid_until, "SHORT_DATE_FORMAT"),
                }
            }
        )
    if valid_until < today:
        raise ValidationError({"valid_until": _("The letter's period has already ended.")})


def _letter_procedures_check(*, contract: ServiceContract, procedures: Iterable[str]) -> list[str]:
    """The chosen procedures, each once, all of them services of the contract."""
    chosen_procedures = list(dict.fromkeys(procedures))
    if not chosen_procedures:
        raise ValidationError({"procedures": _("Choose at least one procedure.")})
    outside = [value for value in chosen_procedures if value not in contract.services]
    if outside:
        raise ValidationError(
            {
                "procedures": _("The contract does not cover these services: %s.")
                % ", ".join(outside)
            }
        )
    return chosen_procedures


def _letter_offices_check(*, contract: ServiceContract, offices: list[CustomsOffice]) -> None:
    """The offices are among the contract's, when the contract names any."""
    contract_offices = set(contract.customs_offices.values_list("pk", flat=True))
    if contract_offices and any(office.pk not in contract_offices for office in offices):
        raise ValidationError(
            {"customs_offices": _("The contract does not cover some of these customs offices.")}
        )


def _letter_limit_check(*, contract: ServiceContract, today: date) -> None:
    """The contract is under the trader's limit of active letters."""
    limit = contract.trader.letters_per_contract_limit
    if letters_active_count(contract=contract, on=today) >= limit:
        raise ValidationError(
            _(
                "This contract already has %(limit)s active letters, your limit. Revoke one "
                "that is no longer needed before issuing another."
            )
            % {"limit": limit}
        )


def _letter_document_store(letter: LetterOfAuthority, *, on: date) -> None:
    """Render and seal the letter as it stands on ``on`` and keep that PDF in place of the
    one before, which is deleted once the change commits."""
    previous = letter.document.name
    shows = letter_document_shows(letter=letter, on=on)
    letter.document.save("letter.pdf", ContentFile(letter_pdf(letter, on=on)), save=False)
    letter.document_shows = shows
    letter.save(update_fields=["document", "document_shows"])
    if previous:
        transaction.on_commit(partial(letter.document.storage.delete, previous))


def _letter_document_is_current(letter: LetterOfAuthority, *, on: date) -> bool:
    """The letter has a stored PDF, still on disk, that says what it must on ``on``."""
    name = letter.document.name
    return (
        bool(name)
        and letter.document_shows == letter_document_shows(letter=letter, on=on)
        and letter.document.storage.exists(str(name))
    )


def letter_document_refresh(*, letter: LetterOfAuthority) -> LetterOfAuthority:
    """The letter with a stored PDF that says what it must today. Issuing and revoking store
    one; it is rendered again only for a letter that has expired since, or has none (made in
    bulk, or before PDFs were stored)."""
    today = timezone.localdate()
    if _letter_document_is_current(letter, on=today):
        return letter
    with transaction.atomic():
        # Two downloads at once render it once: the second finds the first one's PDF.
        letter = (
            LetterOfAuthority.objects.select_for_update(of=("self",))
            .select_related("agent", "contract__trader", "contract__broker__organization")
            .get(pk=letter.pk)
        )
        if not _letter_document_is_current(letter, on=today):
            _letter_document_store(letter, on=today)
    return letter


@transaction.atomic
def letter_issue(
    *,
    contract: ServiceContract,
    agent: BrokerAgent,
    procedures: Iterable[str],
    customs_offices: Iterable[CustomsOffice],
    shipment_references: str = "",
    valid_from: date,
    valid_until: date,
    by: User,
) -> LetterOfAuthority:
    """The trader's admin names one agent of the contract's broker for a scope and a period
    inside the contract; refused over the trader's limit of active letters per contract."""
    contract = _locked(contract)  # serialises issues under one contract: the limit holds
    today = timezone.localdate()
    if contract_status(contract=contract, on=today) != ContractStatus.ACTIVE:
        raise ValidationError(_("Letters can only be issued under an active contract."))
    _letter_agent_check(contract=contract, agent=agent, today=today)
    _letter_period_check(
        contract=contract, valid_from=valid_from, valid_until=valid_until, today=today
    )
    chosen_procedures = _letter_procedures_check(contract=contract, procedures=procedures)
    offices = list(customs_offices)
    _letter_offices_check(contract=contract, offices=offices)
    _letter_limit_check(contract=contract, today=today)
    letter = LetterOfAuthority(
        contract=contract,
        agent=agent,
        number=_letter_number(today),
        verification_code=_verification_code(),
        procedures=chosen_procedures,
        shipment_references=shipment_references.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by=by,
        issued_at=timezone.now(),
    )
    letter.full_clean()
    letter.save()
    letter.customs_offices.set(offices)
    _letter_document_store(letter, on=today)
    _audit_letter(action=AuditAction.LETTER_ISSUE, letter=letter, by=by, before=None)
    transaction.on_commit(
        partial(
            contract_notify.delay,
            contract.pk,
            ContractEmail.LETTER_ISSUED.value,
            letter_id=letter.pk,
        )
    )
    return letter


@transaction.atomic
def letter_revoke(*, letter: LetterOfAuthority, by: User, reason: str) -> LetterOfAuthority:
    """The trader's admin revokes a letter with a reason; it stops verifying at once."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the revocation.")})
    letter = (
        LetterOfAuthority.objects.select_for_update()
        .select_related("contract__trader", "contract__broker__organization", "agent")
        .get(pk=letter.pk)
    )
    if letter.status == LetterOfAuthority.Status.REVOKED:
        raise ValidationError(_("This letter has already been revoked."))
    before = _letter_snapshot(letter)
    letter.status = LetterOfAuthority.Status.REVOKED
    letter.revoked_by = by
    letter.revoked_at = timezone.now()
    letter.revocation_reason = reason
    letter.full_clean()
    letter.save(update_fields=["status", "revoked_by", "revoked_at", "revocation_reason"])
    _letter_document_store(letter, on=timezone.localdate())
    contract = letter.contract
    audit_record(
        action=AuditAction.LETTER_REVOKE,
        obj=letter,
        actor=by,
        organization=contract.trader,
        counterparty=contract.broker.organization,
        before=before,
        after=_letter_snapshot(letter),
    )
    transaction.on_commit(
        partial(
            contract_notify.delay,
            contract.pk,
            ContractEmail.LETTER_REVOKED.value,
            letter_id=letter.pk,
        )
    )
    return letter
