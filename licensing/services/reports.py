"""Periodic activity reports: filing, reminders, and the sanctions proposed when one is
missing, which customs confirms in one step through ``customs.services.sanction_impose``."""

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from brokers.models import Broker, BrokerStatus, Sanction
from brokers.status import broker_status, broker_status_expression
from customs.services import sanction_impose
from licensing.emails import report_reminder_send, sanction_proposal_notify
from licensing.models import ActivityReport, ActivityReportReminder, SanctionProposal
from licensing.reports import (
    REMINDER_DAYS_BEFORE,
    REVOCATION_AFTER_MONTHS,
    grace_ends_on,
    latest_report_year_due,
    months_after,
    report_due_on,
    upcoming_report_year,
)


@transaction.atomic
def activity_report_file(
    *,
    broker: Broker,
    year: int,
    declarations_filed: int,
    traders_served: int,
    staff_count: int,
    changes: str,
    by: User,
) -> ActivityReport:
    """A broker files its report on a past year (at most two years back)."""
    today = timezone.localdate()
    if not (today.year - 2 <= year < today.year) or year < broker.issued_on.year:
        raise ValidationError({"year": _("Reports are filed for one of the last two years.")})
    report = ActivityReport(
        broker=broker,
        year=year,
        declarations_filed=declarations_filed,
        traders_served=traders_served,
        staff_count=staff_count,
        changes=changes.strip(),
        submitted_by=by,
    )
    report.full_clean()
    report.save()
    audit_record(
        action=AuditAction.ACTIVITY_REPORT_FILE,
        obj=report,
        actor=by,
        organization=broker.organization,
        after={"year": year, "declarations_filed": declarations_filed},
    )
    return report


def _without_report(year: int, today: date) -> QuerySet[Broker]:
    """Brokers active today, licensed during ``year``, that have not reported on it."""
    return (
        Broker.objects.select_related("organization")
        .filter(issued_on__lte=date(year, 12, 31))
        .exclude(activity_reports__year=year)
        .annotate(status_today=broker_status_expression(today))
    )


def activity_report_reminders_send(*, today: date | None = None) -> int:
    """E-mail brokers 30 and 7 days before their report is due, once per threshold."""
    today = today or timezone.localdate()
    year = upcoming_report_year(today)
    days_left = (report_due_on(year) - today).days
    sent = 0
    for days_before in REMINDER_DAYS_BEFORE:
        if days_left > days_before:
            continue
        due = (
            _without_report(year, today)
            .filter(status_today=BrokerStatus.ACTIVE)  # type: ignore[misc]
            .exclude(report_reminders__year=year, report_reminders__days_before__lte=days_before)
        )
        for broker in due:
            with transaction.atomic():
                _reminder, created = ActivityReportReminder.objects.get_or_create(
                    broker=broker, year=year, days_before=days_before
                )
                if created:
                    transaction.on_commit(
                        partial(report_reminder_send, broker_id=broker.pk, year=year)
                    )
                    sent += 1
    return sent


def _propose(broker: Broker, year: int, kind: str) -> bool:
    with transaction.atomic():
        proposal, created = SanctionProposal.objects.get_or_create(
            broker=broker, year=year, kind=kind
        )
        if created:
            audit_record(
                action=AuditAction.SANCTION_PROPOSE,
                obj=proposal,
                actor=None,
                organization=broker.organization,
                after={"year": year, "kind": kind},
            )
            transaction.on_commit(partial(sanction_proposal_notify, proposal_id=proposal.pk))
    return created


def sanction_proposals_make(*, today: date | None = None) -> int:
    """Propose a suspension for each broker without its latest report once the grace period
    has passed, and a revocation six months after a suspension for it took effect. Safe to
    run any number of times (one proposal per broker, year and kind)."""
    today = today or timezone.localdate()
    year = latest_report_year_due(today)
    made = 0
    if today > grace_ends_on(year):
        active = _without_report(year, today).filter(
            status_today=BrokerStatus.ACTIVE  # type: ignore[misc]
        )
        for broker in active:
            made += _propose(broker, year, Sanction.Kind.SUSPENSION)
    confirmed = SanctionProposal.objects.filter(
        kind=Sanction.Kind.SUSPENSION, status=SanctionProposal.Status.CONFIRMED
    ).select_related("sanction", "broker__organization")
    for suspension in confirmed:
        assert suspension.sanction is not None
        if (
            today >= months_after(suspension.sanction.starts_on, REVOCATION_AFTER_MONTHS)
            and not ActivityReport.objects.filter(
                broker=suspension.broker, year=suspension.year
            ).exists()
            and broker_status(broker=suspension.broker, on=today) != BrokerStatus.REVOKED
        ):
            made += _propose(suspension.broker, suspension.year, Sanction.Kind.REVOCATION)
    return made


def sanction_proposal_reason(proposal: SanctionProposal) -> str:
    """The reason pre-filled for customs, in the reader's language."""
    due = report_due_on(proposal.year).isoformat()
    if proposal.kind == Sanction.Kind.REVOCATION:
        return _(
            "Periodic activity report for %(year)s not filed within six months of the "
            "suspension for it (due on %(due)s)."
        ) % {"year": proposal.year, "due": due}
    return _("Periodic activity report for %(year)s overdue (due on %(due)s).") % {
        "year": proposal.year,
        "due": due,
    }


@transaction.atomic
def sanction_proposal_confirm(
    *, proposal: SanctionProposal, reason: str, decision_number: str, by: User
) -> Sanction:
    """Customs confirms a proposal: the sanction is imposed from today through the existing
    service (audit, e-mails to the broker and its traders)."""
    proposal = SanctionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != SanctionProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    if ActivityReport.objects.filter(broker=proposal.broker, year=proposal.year).exists():
        raise ValidationError(_("The broker has filed the report meanwhile: dismiss the proposal."))
    sanction = sanction_impose(
        broker=proposal.broker,
        kind=proposal.kind,
        reason=reason,
        decision_number=decision_number,
        starts_on=timezone.localdate(),
        by=by,
    )
    proposal.status = SanctionProposal.Status.CONFIRMED
    proposal.sanction = sanction
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save()
    return sanction


@transaction.atomic
def sanction_proposal_dismiss(*, proposal: SanctionProposal, by: User) -> SanctionProposal:
    """Customs dismisses a proposal (the report came, or another reason)."""
    proposal = SanctionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != SanctionProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    proposal.status = SanctionProposal.Status.DISMISSED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save()
    return proposal
