"""Writes of the compliance app: declaration ingest, the declaration alert, flag work, scan
requests."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from audit.models import AuditAction
from audit.services import audit_record
from compliance.forms import DeclarationRowForm
from compliance.models import Declaration, DeclarationAlert, Flag, FlagEvent, FlagStatus
from compliance.tasks import declarations_alert_notify, declarations_scan

# The largest batch one call may ingest (the API's documented limit).
INGEST_BATCH_LIMIT = 10_000
# Numbers looked up per query when checking for duplicates (SQLite's parameter limit).
_LOOKUP_CHUNK = 900


@dataclass(frozen=True)
class IngestError:
    index: int
    field: str
    message: str


@dataclass
class IngestResult:
    created: int = 0
    duplicates: int = 0
    errors: list[IngestError] = field(default_factory=list)


def _row_declaration(row: Any, index: int) -> tuple[Declaration | None, list[IngestError]]:
    if not isinstance(row, Mapping):
        return None, [IngestError(index, "non_field_errors", _("A declaration is an object."))]
    form = DeclarationRowForm(data=row)
    if not form.is_valid():
        errors = [
            IngestError(index, name, str(message))
            for name, messages in form.errors.items()
            for message in messages
        ]
        return None, errors
    data = form.cleaned_data
    declaration = Declaration(
        number=data["number"],
        registered_at=data["registered_at"],
        customs_office_code=data["customs_office"],
        trader_tax_code=data["trader_tax_code"],
        declarant_tax_code=data["declarant_tax_code"],
        agent_code=data["agent_code"],
        signer_serial=data["signer_serial"],
        channel=data["channel"],
    )
    # Uniqueness is settled for the whole batch below, in a few queries.
    declaration.full_clean(validate_unique=False, validate_constraints=False)
    return declaration, []


def _existing_numbers(numbers: list[str]) -> set[str]:
    existing: set[str] = set()
    for start in range(0, len(numbers), _LOOKUP_CHUNK):
        chunk = numbers[start : start + _LOOKUP_CHUNK]
        existing.update(
            Declaration.objects.filter(number__in=chunk).values_list("number", flat=True)
        )
    return existing


def declarations_ingest(*, rows: Sequence[Any], by: User | None = None) -> IngestResult:
    """Store a batch of declarations from the clearance feed. Broken rows are reported by
    index, field and message and the good ones stored; a number already on file (or
    repeated in the batch) is a duplicate, so that resending a batch creates nothing."""
    if len(rows) > INGEST_BATCH_LIMIT:
        raise ValidationError(
            _("A batch holds at most %(limit)d declarations; this one has %(count)d."),
            params={"limit": INGEST_BATCH_LIMIT, "count": len(rows)},
        )
    result = IngestResult()
    valid: dict[str, Declaration] = {}
    for index, row in enumerate(rows):
        declaration, errors = _row_declaration(row, index)
        if declaration is None:
            result.errors.extend(errors)
        elif declaration.number in valid:
            result.duplicates += 1
        else:
            valid[declaration.number] = declaration
    existing = _existing_numbers(list(valid))
    new = [d for number, d in valid.items() if number not in existing]
    result.duplicates += len(existing)
    now = timezone.now()
    for declaration in new:
        declaration.changed_at = declaration.created_at = now
    with transaction.atomic():
        # A concurrent resend of the same batch may win the race for some numbers: those
        # rows are skipped by the database, never stored twice.
        Declaration.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        numbers = [d.number for d in new]
        transaction.on_commit(partial(declarations_alert_notify.delay, numbers))
    result.created = len(new)
    return result


@transaction.atomic
def declaration_alert_set(*, organization: Organization, enabled: bool, by: User) -> None:
    """Turn the trader's e-mail for every declaration filed in its name on or off."""
    alert, _created = DeclarationAlert.objects.select_for_update().get_or_create(
        organization=organization
    )
    before = {"email_every_declaration": alert.email_every_declaration}
    alert.email_every_declaration = enabled
    alert.changed_at = timezone.now()
    alert.full_clean()
    alert.save()
    audit_record(
        action=AuditAction.DECLARATION_ALERT_CHANGE,
        obj=alert,
        actor=by,
        organization=organization,
        before=before,
        after={"email_every_declaration": enabled},
    )


# How the audit log names the move to each status.
FLAG_TRANSITION_ACTIONS: dict[str, AuditAction] = {
    FlagStatus.ACKNOWLEDGED: AuditAction.FLAG_ACKNOWLEDGED,
    FlagStatus.RESOLVED: AuditAction.FLAG_RESOLVED,
    FlagStatus.DISMISSED: AuditAction.FLAG_DISMISSED,
}


@transaction.atomic
def flag_transition(*, flag: Flag, to_status: str, note: str, by: User) -> Flag:
    """Acknowledge, resolve or dismiss a flag with a note; on the flag's history and the
    audit record."""
    flag = Flag.objects.select_for_update(of=("self",)).select_related("trader").get(pk=flag.pk)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write a note: say what was checked or decided.")})
    if to_status not in flag.allowed_transitions():
        raise ValidationError(
            _("A flag that is %(status)s cannot be changed to %(target)s.")
            % {"status": flag.get_status_display(), "target": FlagStatus(to_status).label}
        )
    before = {"status": flag.status, "note": flag.note}
    event = FlagEvent(flag=flag, actor=by, from_status=flag.status, to_status=to_status, note=note)
    flag.status = to_status
    flag.note = note
    if to_status in (FlagStatus.RESOLVED, FlagStatus.DISMISSED):
        flag.resolved_by = by
        flag.resolved_at = timezone.now()
    flag.full_clean()
    flag.save(update_fields=["status", "note", "resolved_by", "resolved_at"])
    event.full_clean()
    event.save()
    audit_record(
        action=FLAG_TRANSITION_ACTIONS[to_status],
        obj=flag,
        actor=by,
        organization=flag.trader,
        before=before,
        after={"status": flag.status, "note": flag.note},
    )
    return flag


@transaction.atomic
def flag_note_add(*, flag: Flag, note: str, by: User) -> FlagEvent:
    """A note on a flag (a trader's or a broker's explanation, or customs' remark); the
    status stays."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("The note is empty.")})
    event = FlagEvent(flag=flag, actor=by, note=note)
    event.full_clean()
    event.save()
    return event


def declarations_scan_request(*, full: bool = False, by: User | None = None) -> None:
    """Queue a scan (the customs "scan now" button): the task runs once the request's
    transaction has committed."""
    requested_by_id = by.pk if by is not None else None
    transaction.on_commit(
        lambda: declarations_scan.delay(full=full, requested_by_id=requested_by_id)
    )
