from datetime import date

import pytest

from licensing.deadlines import decision_due, working_days_left

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("complete_on", "due"),
    [
        (MONDAY, date(2026, 3, 9)),  # the next Monday
        (date(2026, 3, 4), date(2026, 3, 11)),  # Wednesday to Wednesday
        (date(2026, 3, 7), date(2026, 3, 13)),  # filed on a Saturday: Friday
    ],
)
def test_the_decision_is_due_five_working_days_after_the_file_is_complete(
    complete_on: date, due: date
) -> None:
    assert decision_due(complete_on) == due


def test_the_days_left_count_only_working_days_and_go_negative_when_late() -> None:
    assert working_days_left(MONDAY, MONDAY) == 5
    assert working_days_left(MONDAY, date(2026, 3, 6)) == 1  # Friday
    assert working_days_left(MONDAY, date(2026, 3, 7)) == 1  # Saturday
    assert working_days_left(MONDAY, date(2026, 3, 9)) == 0
    assert working_days_left(MONDAY, date(2026, 3, 11)) == -2
