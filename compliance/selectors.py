"""Compliance: selectors."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
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
    flags_as_of: datetime


# The flag figures aggregate every open flag and 90 days of flags: at a million flags that
# takes seconds (docs/performance.md), so they are shared for a minute. Broker statuses and
# the last scan are cheap and always fresh, so a sanction shows at once.
DASHBOARD_FLAGS_CACHE_SECONDS = 60


@dataclass(frozen=True)
class _FlagFigures:
    open_by_kind: dict[str, int]
    per_day: list[tuple[date, int]]
    top_brokers: list[TopParty]
    top_traders: list[TopParty]
    computed_at: datetime


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


def _open_flags_by_kind() -> dict[str, int]:
    return dict(
        Flag.objects.filter(status=FlagStatus.OPEN)
        .values("kind")
        .annotate(flags=Count("*"))
        .values_list("kind", "flags")
    )


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
        .values_list("broker__license_number", "broker__organization__name")
        .annotate(flags=Count("*"))
        .order_by("-flags", "broker__license_number")[:limit]
    )
    return [TopParty(*row) for row in rows]


def _top_traders(limit: int) -> list[TopParty]:
    rows = (
        Flag.objects.filter(status=FlagStatus.OPEN, trader__isnull=False)
        .values_list("trader__tax_code", "trader__name")
        .annotate(flags=Count("*"))
        .order_by("-flags", "trader__tax_code")[:limit]
    )
    return [TopParty(*row) for row in rows]


def customs_dashboard(*, on: date | None = None, days: int = 90, top: int = 10) -> CustomsDashboard:
    """Every figure of the customs dashboard in at most six aggregate queries (two when the
    flag figures of the last minute are cached), whatever the data size."""
    on = on or timezone.localdate()
    key = f"customs-dashboard:flags:{on.isoformat()}:{days}:{top}"
    figures = cache.get(key)
    if not isinstance(figures, _FlagFigures):
        figures = _FlagFigures(
            open_by_kind=_open_flags_by_kind(),
            per_day=_flags_per_day(on, days),
            top_brokers=_top_brokers(top),
            top_traders=_top_traders(top),
            computed_at=timezone.now(),
        )
        cache.set(key, figures, DASHBOARD_FLAGS_CACHE_SECONDS)
    return CustomsDashboard(
        on=on,
        brokers_by_status=_brokers_by_status(on),
        # Labels are added here, in the reader's language, not stored in the cache.
        open_flags_by_kind=[
            DashboardCount(kind, str(label), figures.open_by_kind.get(kind, 0))
            for kind, label in FlagKind.choices
        ],
        flags_per_day=figures.per_day,
        top_brokers=figures.top_brokers,
        top_traders=figures.top_traders,
        last_scan=ScanRun.objects.select_related("requested_by").first(),
        flags_as_of=figures.computed_at,
    )
