"""Loading the official list of brokers."""

import hashlib
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.services import organization_create
from audit.models import AuditAction
from audit.services import audit_record
from brokers.models import Broker
from brokers.services import broker_create, broker_firm_update, broker_update
from licensing.models import RegisterImport
from licensing.register_file import RegisterRow
from licensing.register_plan import LinePlan, Outcome, RegisterPlan, register_plan

Progress = Callable[[int, int], None]


def register_import_rows(register_import: RegisterImport) -> list[RegisterRow]:
    return [RegisterRow(line=line, values=values) for line, values in register_import.rows]


@transaction.atomic
def register_import_create(
    *, file_name: str, content: bytes, rows: list[RegisterRow], by: User | None
) -> RegisterImport:
    """Keep an uploaded file's lines until customs confirms them (nothing on the register
    changes yet)."""
    register_import = RegisterImport(
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=[[row.line, row.values] for row in rows],
        uploaded_by=by,
    )
    register_import.full_clean()
    register_import.save()
    return register_import


def _line_apply(line: LinePlan) -> None:
    assert line.issued_on is not None and line.valid_until is not None
    if line.outcome == Outcome.CREATED:
        if line.organization_id is None:
            organization = organization_create(
                kind=Organization.Kind.BROKER,
                name=line.name,
                tax_code=line.tax_code,
                province=line.province,
            )
        else:
            organization = Organization.objects.get(pk=line.organization_id)
        broker = broker_create(
            organization=organization,
            license_number=line.license_number,
            issued_on=line.issued_on,
            valid_until=line.valid_until,
        )
        if organization.name != line.name or organization.province != line.province:
            broker_firm_update(broker=broker, name=line.name, province=line.province)
        line.broker_id = broker.pk
        return
    assert line.broker_id is not None
    broker = Broker.objects.select_related("organization").get(pk=line.broker_id)
    if "name" in line.changes or "province" in line.changes:
        broker_firm_update(broker=broker, name=line.name, province=line.province)
    if line.changes.keys() & {"license_number", "issued_on", "valid_until"}:
        broker_update(
            broker=broker,
            license_number=line.license_number,
            issued_on=line.issued_on,
            valid_until=line.valid_until,
        )


@transaction.atomic
def register_import_apply(
    *, register_import: RegisterImport, by: User | None, progress: Progress | None = None
) -> RegisterPlan:
    """Bring the register in line with the file through the register's services, in one
    transaction: firms created or updated, the rest untouched. Running it again on the same
    file changes nothing (every line is then unchanged). A line the register refuses at the
    last moment is counted as an error and leaves nothing behind."""
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if register_import.applied_at is not None:
        raise ValidationError(_("This file has already been loaded."))
    plan = register_plan(register_import_rows(register_import))
    to_write = [line for line in plan.lines if line.outcome in (Outcome.CREATED, Outcome.UPDATED)]
    for done, line in enumerate(to_write, start=1):
        try:
            with transaction.atomic():
                _line_apply(line)
        except ValidationError as error:
            line.outcome = Outcome.ERROR
            line.errors.extend(error.messages)
        if progress is not None:
            progress(done, len(to_write))
    register_import.applied_at = timezone.now()
    register_import.applied_by = by
    register_import.summary = {
        "created": plan.created,
        "updated": plan.updated,
        "unchanged": plan.unchanged,
        "errors": plan.errors,
    }
    register_import.save(update_fields=["applied_at", "applied_by", "summary"])
    if plan.changes_anything:
        audit_record(
            action=AuditAction.REGISTER_IMPORT,
            obj=register_import,
            actor=by,
            after={
                **register_import.summary,
                "file": register_import.file_name,
                "sha256": register_import.sha256,
                "created_licences": [
                    line.license_number for line in plan.lines if line.outcome == Outcome.CREATED
                ],
                "updated": {
                    line.license_number: sorted(line.changes)
                    for line in plan.lines
                    if line.outcome == Outcome.UPDATED
                },
            },
        )
    return plan
