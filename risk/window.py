"""The days a risk analysis covers: one definition for the refresh and the pages."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


@dataclass(frozen=True)
class RiskWindow:
    """The days analysed (``window_from`` to ``window_to``, local dates) and the recent
    period at their end, where a trader's switch of declarant shows."""

    window_from: date
    window_to: date
    recent_from: date

    @classmethod
    def ending(cls, today: date) -> "RiskWindow":
        """The window of ``RISK_WINDOW_DAYS`` days ending ``today``."""
        return cls(
            window_from=today - timedelta(days=settings.RISK_WINDOW_DAYS - 1),
            window_to=today,
            recent_from=today - timedelta(days=settings.RISK_SWITCH_RECENT_DAYS - 1),
        )

    @property
    def starts_at(self) -> datetime:
        return local_midnight(self.window_from)

    @property
    def ends_at(self) -> datetime:
        return local_midnight(self.window_to + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        count = (self.window_to - self.window_from).days + 1
        return [self.window_from + timedelta(days=n) for n in range(count)]
