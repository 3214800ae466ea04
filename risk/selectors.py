"""Reads of the risk analysis: the last run, the ranked certificates, brokers and traders
with their reasons, the charts of each signal, one finding and the declarations behind it.
Every read is a fixed number of queries over the stored results."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.provinces import Province
from brokers.models import CustomsOffice
from compliance.charts import BarChart, daily_bar_chart
from compliance.models import Declaration, Flag, FlagStatus
from risk.models import (
    BrokerRisk,
    PeerBasis,
    PeerGroup,
    RiskDay,
    RiskFlag,
    RiskRun,
    SignerRisk,
    Subject,
    TraderRisk,
)
from risk.signals import Reason, reasons_of, volume_band_label
from risk.window import RiskWindow

# Flags an officer still has to work: a finding with one of these is already in the queue.
FLAG_IN_QUEUE = [FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED]


def latest_run() -> RiskRun | None:
    """The last refresh that finished, whose results the tables hold."""
    return (
        RiskRun.objects.filter(finished_at__isnull=False)
        .select_related("requested_by")
        .order_by("-started_at", "-id")
        .first()
    )


def window_of(run: RiskRun) -> RiskWindow:
    return RiskWindow(run.window_from, run.window_to, run.recent_from)


def risk_ranking(subject: str) -> QuerySet[Any]:
    """The stored rows of ``subject``, highest score first (the order of their index)."""
    if subject == Subject.SIGNER:
        return SignerRisk.objects.select_related("peer_group", "owner").order_by(
            "-score", "signer_serial"
        )
    if subject == Subject.BROKER:
        return BrokerRisk.objects.select_related("peer_group", "broker__organization").order_by(
            "-score", "broker"
        )
    return TraderRisk.objects.select_related("peer_group", "organization").order_by(
        "-score", "trader_tax_code"
    )


@dataclass(frozen=True)
class Finding:
    """A ranked row as the pages show it: who, where, its score and why."""

    subject: str
    key: str
    name: str
    province: str
    score: int
    declarations: int
    reasons: list[Reason]
    peers: PeerGroup | None
    row: Any

    @property
    def peers_label(self) -> str:
        """Whom the row is compared with, e.g. "same province and similar volume, 100-299
        declarations (12)"."""
        if self.peers is None:
            return ""
        label = str(PeerBasis(self.peers.basis).label)
        if self.peers.basis == PeerBasis.PROVINCE_AND_VOLUME:
            label = f"{label}, {volume_band_label(self.peers.band)}"
        return f"{label} ({self.peers.members})"


_NOT_REGISTERED = _("not registered here")


def finding_of(subject: str, row: Any, *, every_signal: bool = False) -> Finding:
    """The ``Finding`` of a row of ``risk_ranking`` (no query)."""
    if subject == Subject.SIGNER:
        key, name = row.signer_serial, row.owner.name if row.owner_id else _NOT_REGISTERED
    elif subject == Subject.BROKER:
        key, name = row.broker.license_number, row.broker.organization.name
    else:
        key = row.trader_tax_code
        name = row.organization.name if row.organization_id else _NOT_REGISTERED
    return Finding(
        subject=subject,
        key=key,
        name=str(name),
        province=Province(row.province).label if row.province in Province.values else "",
        score=row.score,
        declarations=row.declarations,
        reasons=reasons_of(subject, row, every_signal=every_signal),
        peers=row.peer_group if row.peer_group_id else None,
        row=row,
    )


def finding_get(subject: str, key: str) -> Finding:
    """One finding with every signal, or 404."""
    lookups: dict[str, str] = {
        Subject.SIGNER: "signer_serial",
        Subject.BROKER: "broker__license_number",
        Subject.TRADER: "trader_tax_code",
    }
    if subject not in lookups:
        raise Http404
    row = risk_ranking(subject).filter(**{lookups[subject]: key}).first()
    if row is None:
        raise Http404
    return finding_of(subject, row, every_signal=True)


def declarations_behind(finding: Finding, window: RiskWindow) -> QuerySet[Declaration]:
    """The declarations of the window that made the finding, newest first, with flags."""
    row = finding.row
    if finding.subject == Subject.SIGNER:
        declarations = Declaration.objects.filter(signer_serial=row.signer_serial)
    elif finding.subject == Subject.BROKER:
        declarations = Declaration.objects.filter(
            declarant_tax_code=row.broker.organization.tax_code
        )
    else:
        declarations = Declaration.objects.filter(trader_tax_code=row.trader_tax_code)
    return (
        declarations.filter(registered_at__gte=window.starts_at, registered_at__lt=window.ends_at)
        .order_by("-registered_at", "-id")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.order_by("kind")))
    )


def finding_flag(finding: Finding) -> RiskFlag | None:
    """The flag opened from this finding that is still in the work queue, if any."""
    return (
        RiskFlag.objects.filter(
            subject=finding.subject, key=finding.key, flag__status__in=FLAG_IN_QUEUE
        )
        .select_related("flag")
        .first()
    )


@dataclass(frozen=True)
class SignalChart:
    """One signal's chart over the window: its name, what it counts, and the bars."""

    signal: str
    title: Promise
    chart: BarChart


CHARTED: list[tuple[str, Promise]] = [
    ("shared_signer", _("Declarations signed with a lent certificate")),
    ("declarant_switch", _("Declarations from a declarant or signer new to the trader")),
    ("agent_without_authority", _("Declarations naming an agent without a letter")),
    ("green_share", _("Share of declarations on the green channel (%)")),
    ("flagged", _("Declarations the scan flagged")),
]


def risk_charts(
    run: RiskRun, *, province: str | None = None, office: str | None = None
) -> list[SignalChart]:
    """A bar chart per signal and day of the run's window, in one query; only the customs
    offices of ``province``, or only ``office``, when given."""
    days = RiskDay.objects.filter(day__gte=run.window_from, day__lte=run.window_to)
    if office:
        days = days.filter(office_code=office)
    if province:
        days = days.filter(
            office_code__in=CustomsOffice.objects.filter(province=province).values("code")
        )
    totals: dict[Any, dict[str, Any]] = {
        row["day"]: dict(row)
        for row in days.order_by()
        .values("day")
        .annotate(
            all_declarations=Sum("declarations"),
            green_declarations=Sum("green"),
            shared_signer_declarations=Sum("shared_signer"),
            declarant_switch_declarations=Sum("declarant_switch"),
            agent_without_authority_declarations=Sum("agent_without_authority"),
            flagged_declarations=Sum("flagged"),
        )
    }

    def value(day: Any, signal: str) -> int:
        row = totals.get(day)
        if row is None:
            return 0
        if signal == "green_share":
            whole = row["all_declarations"] or 0
            return round(100 * row["green_declarations"] / whole) if whole else 0
        return int(row[f"{signal}_declarations"] or 0)

    window = window_of(run)
    return [
        SignalChart(
            signal=signal,
            title=title,
            chart=daily_bar_chart([(day, value(day, signal)) for day in window.days]),
        )
        for signal, title in CHARTED
    ]
