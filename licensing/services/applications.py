"""Applications to customs: recognition as a broker, licence renewals and agent codes.
Each step is on the audit record and, once committed, e-mailed to whom it concerns
(customs for a new file or an answer, the applicant for a request or a decision)."""

from datetime import date, timedelta
from functools import partial
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.text import one_line_text_validate
from audit.models import AuditAction
from audit.services import audit_record
from brokers.models import Broker, BrokerAgent, BrokerStatus
from brokers.services import agent_create, agent_update, broker_recognize, broker_update
from brokers.status import broker_status
from contracts.documents import contract_document_check
from contracts.models import ServiceContract
from licensing.kinds import AnyApplication, application_kind
from licensing.models import (
    OPEN_STATUSES,
    AgentCodeApplication,
    ApplicationStatus,
    LicenceRenewal,
    RecognitionApplication,
)
from licensing.tasks import application_notify

Submitted = TypeVar("Submitted", RecognitionApplication, LicenceRenewal, AgentCodeApplication)

# A licence may be renewed from this many days before its end (and at any time after it).
RENEWAL_WINDOW_DAYS = 90


def _locked(application: AnyApplication) -> AnyApplication:
    return type(application).objects.select_for_update().get(pk=application.pk)


def _snapshot(application: AnyApplication) -> dict[str, object]:
    return {
        "kind": application_kind(application),
        "status": application.status,
        "info_request": application.info_request,
        "info_answer": application.info_answer,
        "refusal_reason": application.refusal_reason,
    }


def _record(
    application: AnyApplication,
    *,
    action: AuditAction,
    by: User | None,
    event: str,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
) -> None:
    audit_record(
        action=action,
        obj=application,
        actor=by,
        organization=application.applicant,
        before=before,
        after={**_snapshot(application), **(after or {})},
    )
    transaction.on_commit(
        partial(application_notify.delay, application_kind(application), application.pk, event)
    )


def _submitted(application: Submitted, *, by: User) -> Submitted:
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_by = by
    application.submitted_at = timezone.now()
    application.complete_on = timezone.localdate()
    application.full_clean()
    application.save()
    _record(application, action=AuditAction.APPLICATION_SUBMIT, by=by, event="submitted")
    return application


def licence_renewable(broker: Broker, *, on: date) -> bool:
    """A licence can be renewed from ``RENEWAL_WINDOW_DAYS`` before its end, and after it
    has expired, unless it is revoked."""
    return (
        broker.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS) <= on
        and broker_status(broker=broker, on=on) != BrokerStatus.REVOKED
    )


@transaction.atomic
def licence_renewal_apply(*, broker: Broker, note: str, by: User) -> LicenceRenewal:
    """A broker applies to renew its licence near (or after) its ``valid until``."""
    broker = Broker.objects.select_for_update().get(pk=broker.pk)
    if not licence_renewable(broker, on=timezone.localdate()):
        raise ValidationError(
            _(
                "A licence can be renewed from %(days)s days before it ends, and not once it "
                "is revoked."
            )
            % {"days": RENEWAL_WINDOW_DAYS}
        )
    renewal = LicenceRenewal(
        broker=broker, note=note.strip(), previous_valid_until=broker.valid_until
    )
    return _submitted(renewal, by=by)


def _proof_checked(proof: UploadedFile) -> str:
    try:
        return contract_document_check(proof)
    except ValidationError as error:
        raise ValidationError({"proof": error.error_list}) from error


@transaction.atomic
def agent_code_apply(
    *,
    broker: Broker,
    full_name: str,
    id_number: str,
    certificate_number: str,
    certificate_date: date,
    proof: UploadedFile,
    by: User,
    agent: BrokerAgent | None = None,
) -> AgentCodeApplication:
    """A broker applies for the agent code of a qualified employee, or (``agent``) to renew
    the code of one of its agents. The proof must be a clean PDF, checked like a contract."""
    if certificate_date > timezone.localdate():
        raise ValidationError(
            {"certificate_date": _("The certificate cannot be issued in the future.")}
        )
    if agent is not None:
        if agent.broker_id != broker.pk:
            raise ValidationError(_("This agent is not one of your agents."))
        if agent.status != BrokerAgent.Status.ACTIVE:
            raise ValidationError(_("A withdrawn agent code cannot be renewed."))
    sha256 = _proof_checked(proof)
    application = AgentCodeApplication(
        broker=broker,
        kind=AgentCodeApplication.Kind.RENEWAL if agent else AgentCodeApplication.Kind.NEW,
        agent=agent,
        full_name=agent.full_name if agent else " ".join(full_name.split()),
        id_number=id_number.strip(),
        certificate_number=certificate_number.strip(),
        certificate_date=certificate_date,
        proof=proof,
        proof_sha256=sha256,
    )
    return _submitted(application, by=by)


def _open(application: AnyApplication) -> None:
    if application.status not in OPEN_STATUSES:
        raise ValidationError(_("This application has already been decided."))


@transaction.atomic
def application_info_request(
    *, application: AnyApplication, message: str, by: User
) -> AnyApplication:
    """Customs asks the applicant for more information; the five-day clock stops."""
    application = _locked(application)
    _open(application)
    before = _snapshot(application)
    application.status = ApplicationStatus.INFO_REQUESTED
    application.info_request = message.strip()
    application.info_answer = ""
    application.complete_on = None
    application.full_clean()
    application.save()
    _record(
        application,
        action=AuditAction.APPLICATION_INFO_REQUEST,
        by=by,
        event="info_requested",
        before=before,
    )
    return application


@transaction.atomic
def application_info_answer(
    *, application: AnyApplication, answer: str, by: User
) -> AnyApplication:
    """The applicant answers a request for information; the five-day clock starts again."""
    application = _locked(application)
    if application.status != ApplicationStatus.INFO_REQUESTED:
        raise ValidationError(_("Customs has asked for no information on this application."))
    before = _snapshot(application)
    application.status = ApplicationStatus.SUBMITTED
    application.info_answer = answer.strip()
    application.complete_on = timezone.localdate()
    application.full_clean()
    application.save()
    _record(
        application,
        action=AuditAction.APPLICATION_INFO_ANSWER,
        by=by,
        event="answered",
        before=before,
    )
    return application


def _decided(application: AnyApplication, status: str, by: User) -> None:
    application.status = status
    application.decided_at = timezone.now()
    application.decided_by = by


def _approved(
    application: AnyApplication,
    by: User,
    *,
    before: dict[str, object],
    after: dict[str, object],
) -> None:
    """Record the approval of an application whose decision is made: stored, on the audit
    log and e-mailed."""
    _decided(application, ApplicationStatus.APPROVED, by)
    application.full_clean()
    application.save()
    _record(
        application,
        action=AuditAction.APPLICATION_APPROVE,
        by=by,
        event="approved",
        before=before,
        after=after,
    )


@transaction.atomic
def application_refuse(*, application: AnyApplication, reason: str, by: User) -> AnyApplication:
    """Customs refuses an application, with its reason."""
    application = _locked(application)
    _open(application)
    before = _snapshot(application)
    _decided(application, ApplicationStatus.REFUSED, by)
    application.refusal_reason = reason.strip()
    if not application.refusal_reason:
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    application.full_clean()
    application.save()
    _record(
        application, action=AuditAction.APPLICATION_REFUSE, by=by, event="refused", before=before
    )
    return application


@transaction.atomic
def licence_renewal_approve(
    *, renewal: LicenceRenewal, valid_until: date, by: User
) -> LicenceRenewal:
    """Customs renews the licence until ``valid_until``: the register shows it at once, and
    an expired licence is active again (letters of authority verify again)."""
    renewal = _locked(renewal)  # type: ignore[assignment]
    _open(renewal)
    broker = Broker.objects.select_for_update().get(pk=renewal.broker_id)
    if valid_until <= max(broker.valid_until, timezone.localdate()):
        raise ValidationError(
            {"valid_until": _("The renewed licence must end after its current end and today.")}
        )
    before = {**_snapshot(renewal), "licence_valid_until": broker.valid_until}
    broker_update(broker=broker, valid_until=valid_until)
    renewal.valid_until = valid_until
    _approved(renewal, by, before=before, after={"licence_valid_until": valid_until})
    return renewal


@transaction.atomic
def agent_code_approve(
    *, application: AgentCodeApplication, agent_code: str, valid_until: date, by: User
) -> AgentCodeApplication:
    """Customs issues the agent code (or renews it until ``valid_until``): the agent is on
    the broker's public page at once."""
    application = _locked(application)  # type: ignore[assignment]
    _open(application)
    if valid_until <= timezone.localdate():
        raise ValidationError({"valid_until": _("The code must be valid after today.")})
    before = _snapshot(application)
    if application.kind == AgentCodeApplication.Kind.RENEWAL:
        assert application.agent_id is not None
        agent = BrokerAgent.objects.select_for_update().get(pk=application.agent_id)
        if agent.status != BrokerAgent.Status.ACTIVE:
            raise ValidationError(_("This agent's code has been withdrawn meanwhile."))
        if valid_until <= agent.valid_until:
            raise ValidationError(
                {"valid_until": _("The renewed code must end after its current end.")}
            )
        agent_update(agent=agent, full_name=agent.full_name, valid_until=valid_until)
    else:
        try:
            agent = agent_create(
                broker=application.broker,
                full_name=application.full_name,
                agent_code=agent_code,
                valid_until=valid_until,
            )
        except ValidationError as error:
            messages = (
                error.message_dict.get("agent_code", error.messages)
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise ValidationError({"agent_code": messages}) from error
        application.agent = agent
    application.agent_code = agent.agent_code
    application.valid_until = valid_until
    after = {"agent_code": agent.agent_code, "valid_until": valid_until}
    _approved(application, by, before=before, after=after)
    return application


def _staff_checked(staff: list[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for person in staff:
        full_name = " ".join(str(person.get("full_name", "")).split())
        number = str(person.get("certificate_number", "")).strip()
        if not full_name or not number:
            raise ValidationError(
                {"staff": _("Give each employee's full name and certificate number.")}
            )
        for value in (full_name, number):
            one_line_text_validate(value)
        cleaned.append({"full_name": full_name[:255], "certificate_number": number[:32]})
    if not cleaned:
        raise ValidationError(
            {"staff": _("Name at least one employee holding the customs professional certificate.")}
        )
    numbers = [person["certificate_number"] for person in cleaned]
    if len(set(numbers)) != len(numbers):
        raise ValidationError({"staff": _("A certificate number is given twice.")})
    return cleaned


@transaction.atomic
def recognition_apply(
    *,
    organization: Organization,
    name: str,
    address: str,
    province: str,
    phone: str,
    email: str,
    business_registration: UploadedFile,
    staff: list[dict[str, str]],
    by: User,
) -> RecognitionApplication:
    """A company applies to be recognised as a customs broker, with its business
    registration (a PDF checked like a contract) and its qualified staff."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.kind != Organization.Kind.TRADER:
        raise ValidationError(_("Only a company that is not yet a broker can apply."))
    if ServiceContract.objects.filter(trader=organization).exists():
        raise ValidationError(
            _(
                "Your company holds service contracts as a trader: a company recognised as a "
                "broker cannot keep them. Apply from the company that will act as the broker."
            )
        )
    cleaned_staff = _staff_checked(staff)
    try:
        sha256 = contract_document_check(business_registration)
    except ValidationError as error:
        raise ValidationError({"business_registration": error.error_list}) from error
    application = RecognitionApplication(
        organization=organization,
        name=" ".join(name.split()),
        address=address.strip(),
        province=province,
        phone=phone.strip(),
        email=email.strip().lower(),
        business_registration=business_registration,
        business_registration_sha256=sha256,
        staff=cleaned_staff,
    )
    return _submitted(application, by=by)


@transaction.atomic
def recognition_approve(
    *,
    application: RecognitionApplication,
    license_number: str,
    valid_until: date,
    by: User,
) -> RecognitionApplication:
    """Customs recognises the company: it is on the register with its licence at once."""
    application = _locked(application)  # type: ignore[assignment]
    _open(application)
    before = _snapshot(application)
    try:
        broker = broker_recognize(
            organization=application.organization,
            license_number=license_number,
            issued_on=timezone.localdate(),
            valid_until=valid_until,
            name=application.name,
            address=application.address,
            province=application.province,
            phone=application.phone,
            email=application.email,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "valid_until" in error.error_dict:
            raise ValidationError({"valid_until": error.messages}) from error
        raise
    application.broker = broker
    after = {"license_number": broker.license_number, "valid_until": valid_until}
    _approved(application, by, before=before, after=after)
    return application
