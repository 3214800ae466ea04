"""Abuse reports: a trader's account or signature misused, and customs' answer."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import (
    AbuseReport,
    User,
)
from audit.models import AuditAction
from audit.services import audit_record


@transaction.atomic
def abuse_report_create(
    *,
    reporter: User,
    kind: str,
    description: str,
    happened_from: date,
    happened_until: date | None = None,
    declarations: str = "",
) -> AbuseReport:
    """A trader's report to customs that its account or signature was misused."""
    assert reporter.organization is not None
    report = AbuseReport(
        organization=reporter.organization,
        reporter=reporter,
        kind=kind,
        description=description.strip(),
        happened_from=happened_from,
        happened_until=happened_until,
        declarations="\n".join(line.strip() for line in declarations.splitlines() if line.strip()),
    )
    report.full_clean()
    report.save()
    audit_record(
        action=AuditAction.ABUSE_REPORT_CREATE,
        obj=report,
        actor=reporter,
        organization=report.organization,
        after={"kind": kind},
    )
    return report


@transaction.atomic
def abuse_report_answer(*, report: AbuseReport, status: str, answer: str, by: User) -> AbuseReport:
    """Customs answers a report and sets where the case stands."""
    report = AbuseReport.objects.select_for_update().get(pk=report.pk)
    before = {"status": report.status}
    report.status = status
    report.answer = answer.strip()
    report.answered_by = by
    report.answered_at = timezone.now()
    report.full_clean()
    report.save()
    audit_record(
        action=AuditAction.ABUSE_REPORT_ANSWER,
        obj=report,
        actor=by,
        organization=report.organization,
        before=before,
        after={"status": status},
    )
    return report
