"""The customs dashboard's flag figures: open flags by kind, flags raised per day, the
brokers and traders with the most open flags; counted in four aggregate queries and cached,
by the page within the minute or ahead of it by beat (``customs_dashboard_figures_refresh``)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from compliance.models import Flag, FlagStatus


@dataclass(frozen=True)
class TopParty:
    """A broker or trader with the most open flags; ``key`` is what the work queue filters on."""

    key: str
    name: str
    count: int


# The flag figures aggregate every open flag and 90 days of flags: at a year of declarations
# (780,000 flags) that takes about 300 ms (docs/scaling.md), so they are shared for a minute.
# Broker statuses and the last scan are cheap and always fresh, so a sanction shows at once.
DASHBOARD_FLAGS_CACHE_SECONDS = 60
# Beat recounts the default view every minute (``customs_dashboard_figures_refresh``) and
# keeps the result this long, past a late beat, so that no officer's page pays the recount.
DASHBOARD_FLAGS_REFRESHED_KEEP_SECONDS = 5 * 60
DASHBOARD_DAYS = 90
DASHBOARD_TOP = 10


@dataclass(frozen=True)
class FlagFigures:
    open_by_kind: dict[str, int]
    per_day: list[tuple[date, int]]
    top_brokers: list[TopParty]
    top_traders: list[TopParty]
    computed_at: datetime


def open_flags_by_kind() -> dict[str, int]:
    return dict(
        Flag.objects.filter(status=FlagStatus.OPEN)
        .values("kind")
        .annotate(flags=Count("*"))
        .values_list("kind", "flags")
    )


def flags_per_day(on: date, days: int) -> list[tuple[date, int]]:
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


def top_brokers(limit: int) -> list[TopParty]:
    rows = (
        Flag.objects.filter(status=FlagStatus.OPEN, broker__isnull=False)
        .values_list("broker__license_number", "broker__organization__name")
        .annotate(flags=Count("*"))
        .order_by("-flags", "broker__license_number")[:limit]
    )
    return [TopParty(*row) for row in rows]


def top_traders(limit: int) -> list[TopParty]:
    rows = (
        Flag.objects.filter(status=FlagStatus.OPEN, trader__isnull=False)
        .values_list("trader__tax_code", "trader__name")
        .annotate(flags=Count("*"))
        .order_by("-flags", "trader__tax_code")[:limit]
    )
    return [TopParty(*row) for row in rows]


def flag_figures_key(on: date, days: int, top: int) -> str:
    return f"customs-dashboard:flags:{on.isoformat()}:{days}:{top}"


def flag_figures_cached(
    on: date, days: int = DASHBOARD_DAYS, top: int = DASHBOARD_TOP
) -> FlagFigures | None:
    """The figures as last counted (by beat or by a page within the minute), if any."""
    figures = cache.get(flag_figures_key(on, days, top))
    return figures if isinstance(figures, FlagFigures) else None


def flag_figures(on: date, days: int, top: int) -> FlagFigures:
    return FlagFigures(
        open_by_kind=open_flags_by_kind(),
        per_day=flags_per_day(on, days),
        top_brokers=top_brokers(top),
        top_traders=top_traders(top),
        computed_at=timezone.now(),
    )


def customs_dashboard_figures_refresh(*, on: date | None = None) -> datetime:
    """Recount the dashboard's flag figures ahead of the officers (Celery beat, every
    ``DASHBOARD_FLAGS_CACHE_SECONDS``), so that no page pays the recount; returns when they
    were counted. They are kept for ``DASHBOARD_FLAGS_REFRESHED_KEEP_SECONDS``, past a late
    beat; after that a page recounts them itself."""
    on = on or timezone.localdate()
    figures = flag_figures(on, DASHBOARD_DAYS, DASHBOARD_TOP)
    cache.set(
        flag_figures_key(on, DASHBOARD_DAYS, DASHBOARD_TOP),
        figures,
        DASHBOARD_FLAGS_REFRESHED_KEEP_SECONDS,
    )
    return figures.computed_at
