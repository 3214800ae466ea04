"""Compliance: selectors."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from brokers.models import Broker, BrokerStatus
from brokers.status import broker_status_expression
from compliance.models import Flag, FlagKind, FlagStatus, ScanRun

# --- declarations, scan, flags (issue 6) ---


# --- customs dashboard (issue 7) ---


@dataclass(frozen=True)
class DashboardCount:
    """One row of a dashboard table: a value, its label and how many."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class TopParty:
    """A broker or trader with the most open flags; ``key`` is what the work queue filters on."""

    key: str
    name: str
    count: int


@dataclass(frozen=True)
class CustomsDashboard:
    on: date
    brokers_by_status: list[DashboardCount]
    open_flags_by_kind: list[DashboardCount]
    flags_per_day: list[tuple[date, int]]
    top_brokers: list[TopParty]
    top_traders: list[TopParty]
    last_scan: ScanRun | None


def _brokers_by_status(on: date) -> list[DashboardCount]:
    rows = dict(
        Broker.objects.annotate(current_status=broker_status_expression(on))
        .values("current_status")
        .annotate(brokers=Count("id"))
        .values_list("current_status", "brokers")
    )
    return [
        DashboardCount(status, str(label), rows.get(status, 0))
        for status, label in BrokerStatus.choices
    ]


def _open_flags_by_kind() -> list[DashboardCount]:
    rows = dict(
        Flag.objects.filter(status=FlagStatus.OPEN)
        .values("kind")
        .annotate(flags=Count("id"))
        .values_list("kind", "flags")
    )
    return [DashboardCount(kind, str(label), rows.get(kind, 0)) for kind, label in FlagKind.choices]


def _flags_per_day(on: date, days: int) -> list[tuple[date, int]]:
    first = on - timedelta(days=days - 1)
    zone = timezone.get_current_timezone()
    since = datetime.combine(first, time.min, tzinfo=zone)
    rows = dict(
        Flag.objects.filter(raised_at__gte=since)
        .annotate(day=TruncDate("raised_at", tzinfo=zone))
        .values("day")
        .annotate(flags=Count("id"))
        .values_list("day", "flags")
    )
    return [
        (first + timedelta(days=n), rows.get(first + timedelta(days=n), 0)) for n in range(days)
    ]


def _top_brokers(limit: int) -> list[TopParty]:
    rows = (
        Flag.objects.filter(status=FlagStatus.OPEN, broker__isnull=False)
        .values("broker__license_number", "broker__organization__name")
        .annotate(flags=Count("id"))
        .order_by("-flags", "broker__license_number")[:limit]
    )
    return [
        TopParty(row["broker__license_number"], row["broker__organization__name"], row["flags"])
        for row in rows
    ]


def _top_traders(limit: int) -> list[TopParty]:
    rows = (
        Flag.objects.filter(status=FlagStatus.OPEN, trader__isnull=False)
        .values("trader__tax_code", "trader__name")
        .annotate(flags=Count("id"))
        .order_by("-flags", "trader__tax_code")[:limit]
    )
    return [TopParty(row["trader__tax_code"], row["trader__name"], row["flags"]) for row in rows]


def customs_dashboard(*, on: date | None = None, days: int = 90, top: int = 10) -> CustomsDashboard:
    """Every figure of the customs dashboard, in six aggregate queries whatever the data size."""
    on = on or timezone.localdate()
    return CustomsDashboard(
        on=on,
        brokers_by_status=_brokers_by_status(on),
        open_flags_by_kind=_open_flags_by_kind(),
        flags_per_day=_flags_per_day(on, days),
        top_brokers=_top_brokers(top),
        top_traders=_top_traders(top),
        last_scan=ScanRun.objects.select_related("requested_by").first(),
    )
