"""Customs decides an application within five working days of a complete file (Circular
12/2015/TT-BTC). Working days are Monday to Friday; public holidays are not counted out."""

from datetime import date, timedelta

DECISION_WORKING_DAYS = 5


def working_days_after(start: date, days: int) -> date:
    """The date ``days`` working days after ``start``."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is
    before ``start``."""
    if end < start:
        return -working_days_between(end, start)
    whole_weeks, rest = divmod((end - start).days, 7)
    count = whole_weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=offset + whole_weeks * 7)).weekday() < 5:
            count += 1
    return count


def decision_due(complete_on: date) -> date:
    return working_days_after(complete_on, DECISION_WORKING_DAYS)


def working_days_left(complete_on: date, today: date) -> int:
    """Working days left to the decision's deadline: 0 on the day it is due, negative once
    it has passed."""
    return working_days_between(today, decision_due(complete_on))
