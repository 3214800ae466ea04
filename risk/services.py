"""Writes of the risk analysis: a flag opened from a finding, and a refresh asked for."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organization, User
from audit.models import AuditAction
from audit.services import audit_record
from brokers.models import Broker
from compliance.models import Declaration, Flag, FlagEvent, FlagKind, FlagStatus
from risk.models import BrokerRisk, RiskFlag, SignerRisk, Subject, TraderRisk
from risk.selectors import Finding, declarations_behind, finding_flag, latest_run, window_of
from risk.tasks import risk_refresh


def finding_summary(finding: Finding) -> str:
    """The finding in a few lines for the flag's note, in the officer's language."""
    lines = [
        _("Risk pattern of %(subject)s %(key)s (%(name)s): score %(score)d.")
        % {
            "subject": Subject(finding.subject).label,
            "key": finding.key,
            "name": finding.name,
            "score": finding.score,
        }
    ]
    lines += [
        ngettext(
            "%(signal)s: %(value)s (peers: %(median)s), %(points)d point.",
            "%(signal)s: %(value)s (peers: %(median)s), %(points)d points.",
            reason.points,
        )
        % {
            "signal": str(reason.label).capitalize(),
            "value": reason.value_shown,
            "median": reason.peer_median_shown,
            "points": reason.points,
        }
        for reason in finding.reasons
        if reason.points
    ]
    return "\n".join(lines)


_LOCKABLE: dict[str, tuple[type[models.Model], str]] = {
    Subject.SIGNER: (SignerRisk, "signer_serial"),
    Subject.BROKER: (BrokerRisk, "broker__license_number"),
    Subject.TRADER: (TraderRisk, "trader_tax_code"),
}


def _finding_declaration(finding: Finding) -> Declaration:
    """Lock the finding's row and return the newest declaration behind it without a risk flag;
    refused when the finding is gone, already flagged, or has no such declaration."""
    model, lookup = _LOCKABLE[finding.subject]
    # Two officers opening the same finding at once: the second waits here, then finds the
    # first one's flag. A refresh replacing the row makes it wait too.
    locked = model._default_manager.select_for_update(of=("self",)).filter(**{lookup: finding.key})
    if not list(locked.values_list("pk", flat=True)):
        raise ValidationError(_("The risk analysis was refreshed meanwhile: reload the page."))
    if finding_flag(finding) is not None:
        raise ValidationError(_("A flag from this finding is already in the work queue."))
    run = latest_run()
    declaration = (
        declarations_behind(finding, window_of(run))
        .exclude(flags__kind=FlagKind.RISK_PATTERN)
        .first()
        if run is not None
        else None
    )
    if declaration is None:
        raise ValidationError(
            _("No declaration behind this finding can take a flag: each already has one.")
        )
    return declaration


def _flag_parties(
    finding: Finding, declaration: Declaration
) -> tuple[Organization | None, Broker | None]:
    """The trader and the broker the flag concerns, as the scan's flags name them."""
    trader = Organization.objects.filter(tax_code=declaration.trader_tax_code).first()
    broker = (
        finding.row.broker
        if finding.subject == Subject.BROKER
        else Broker.objects.filter(organization__tax_code=declaration.declarant_tax_code)
        .select_related("organization")
        .first()
    )
    return trader, broker


def _risk_flag_record(*, flag: Flag, finding: Finding, text: str, by: User) -> None:
    """The flag's first history event, the finding it came from, and the audit entry."""
    event = FlagEvent(flag=flag, actor=by, to_status=FlagStatus.OPEN, note=text)
    event.full_clean()
    event.save()
    RiskFlag.objects.create(
        flag=flag,
        subject=finding.subject,
        key=finding.key,
        score=finding.score,
        reasons=[
            {
                "signal": reason.signal,
                "value": reason.value,
                "peer_median": reason.peer_median,
                "points": reason.points,
            }
            for reason in finding.reasons
        ],
        opened_by=by,
    )
    audit_record(
        action=AuditAction.FLAG_OPEN_FROM_RISK,
        obj=flag,
        actor=by,
        organization=flag.trader,
        counterparty=flag.broker.organization if flag.broker is not None else None,
        after={
            "kind": flag.kind,
            "declaration": flag.declaration.number if flag.declaration else "",
            "finding": f"{finding.subject}:{finding.key}",
            "score": finding.score,
        },
    )


@transaction.atomic
def risk_flag_open(*, finding: Finding, note: str, by: User) -> Flag:
    """Put a finding in the work queue: a ``risk_pattern`` flag on the newest declaration
    behind it that has none, with the finding's reasons as its note; on the flag's history
    and the audit record. Refused while a flag from the same finding is still open."""
    declaration = _finding_declaration(finding)
    text = finding_summary(finding)
    if note.strip():
        text = f"{text}\n\n{note.strip()}"
    trader, broker = _flag_parties(finding, declaration)
    flag = Flag(
        declaration=declaration,
        kind=FlagKind.RISK_PATTERN,
        status=FlagStatus.OPEN,
        trader=trader,
        broker=broker,
        note=text,
        raised_at=timezone.now(),
    )
    flag.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Another officer flagged the same declaration just now; try again.")
        ) from error
    _risk_flag_record(flag=flag, finding=finding, text=text, by=by)
    return flag


def risk_refresh_request(*, by: User) -> None:
    """Queue a refresh (the risk page's button): the task runs once the request's
    transaction has committed."""
    transaction.on_commit(lambda: risk_refresh.delay(requested_by_id=by.pk))
