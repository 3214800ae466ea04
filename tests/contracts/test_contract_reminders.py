from datetime import date, timedelta

import pytest
from django.conf import settings

from contracts.emails import contract_reminders_send
from contracts.models import ContractReminder
from contracts.tasks import contract_reminders
from tests.factories import ServiceContractFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def _contract_ending_in(days: int, **extra):  # type: ignore[no-untyped-def]
    return ServiceContractFactory.create(
        valid_from=TODAY - timedelta(days=200),
        signed_on=TODAY - timedelta(days=200),
        valid_until=TODAY + timedelta(days=days),
        trader__email=f"trader-{days}@example.test",
        **extra,
    )


def test_each_threshold_is_sent_once_whatever_the_number_of_runs(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    contract = _contract_ending_in(30)
    _contract_ending_in(60)  # not yet due
    with django_capture_on_commit_callbacks(execute=True):
        assert contract_reminders_send(today=TODAY) == 1
        assert contract_reminders_send(today=TODAY) == 0
        assert contract_reminders_send(today=TODAY + timedelta(days=1)) == 0
    assert len(mailoutbox) == 2  # one to each party
    assert {address for message in mailoutbox for address in message.to} >= {
        "trader-30@example.test",
        contract.broker.organization.email,
    }
    # Nobody here chose English: the trader's admin kept the default, the addresses have no user.
    assert "hết hạn sau 30 ngày" in mailoutbox[0].subject

    mailoutbox.clear()
    seven_days_before = contract.valid_until - timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert contract_reminders_send(today=seven_days_before) == 1
        assert contract_reminders_send(today=seven_days_before) == 0
        assert contract_reminders_send(today=seven_days_before + timedelta(days=3)) == 0
    assert len(mailoutbox) == 2
    assert "hết hạn sau 7 ngày" in mailoutbox[0].subject
    assert sorted(contract.reminders.values_list("days_before", flat=True)) == [7, 30]


def test_a_contract_already_inside_seven_days_gets_only_the_seven_day_reminder() -> None:
    contract = _contract_ending_in(5)
    assert contract_reminders_send(today=TODAY) == 1
    assert list(contract.reminders.values_list("days_before", flat=True)) == [7]


def test_pending_terminated_and_ended_contracts_get_no_reminder() -> None:
    _contract_ending_in(20, confirmed_at=None, confirmed_by=None)
    _contract_ending_in(
        20, terminated_on=TODAY - timedelta(days=1), termination_reason="Đã chấm dứt"
    )
    _contract_ending_in(-1)
    assert contract_reminders_send(today=TODAY) == 0
    assert ContractReminder.objects.count() == 0


def test_the_daily_task_is_scheduled_and_runs() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["contracts-expiry-reminders-daily"]
    assert entry["task"] == contract_reminders.name
    _contract_ending_in(7 - (TODAY - date.today()).days)  # ends in 7 days from today
    assert contract_reminders.apply().get() == 1
    assert contract_reminders.apply().get() == 0
