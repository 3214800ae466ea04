"""When a broker's periodic activity report is due, and what follows when it is missing.

A broker reports on each calendar year it held its licence by ``ACTIVITY_REPORT_DUE``
(month, day) of the next year. Reminders go out 30 and 7 days before. After the grace
period (``ACTIVITY_REPORT_GRACE_DAYS``) a suspension is proposed to customs; six months
after the suspension took effect without the report, a revocation. Only the latest year
due counts, so that loading an old register does not propose a sanction per past year."""

import calendar
from datetime import date, timedelta

from django.conf import settings

REMINDER_DAYS_BEFORE = (30, 7)
REVOCATION_AFTER_MONTHS = 6


def report_due_on(year: int) -> date:
    """The day the report on ``year`` is due."""
    month, day = settings.ACTIVITY_REPORT_DUE
    return date(year + 1, month, day)


def upcoming_report_year(today: date) -> int:
    """The year whose report is due next (on or after ``today``)."""
    return today.year - 1 if today <= report_due_on(today.year - 1) else today.year


def latest_report_year_due(today: date) -> int:
    """The latest year whose report's due date has passed."""
    return today.year - 1 if today > report_due_on(today.year - 1) else today.year - 2


def grace_ends_on(year: int) -> date:
    return report_due_on(year) + timedelta(days=settings.ACTIVITY_REPORT_GRACE_DAYS)


def months_after(start: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
