import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from brokers.models import Sanction
from customs.services import agent_withdraw, sanction_impose, sanction_lift
from customs.tasks import sanction_notify
from tests.customs.conftest import BrokerWithClients

pytestmark = pytest.mark.django_db


def _reads_english(user: User) -> None:
    user.language = "en"
    user.save(update_fields=["language"])


def _suspend(broker_with_clients: BrokerWithClients) -> Sanction:
    return sanction_impose(
        broker=broker_with_clients.broker,
        kind=Sanction.Kind.SUSPENSION,
        reason="Missed two quarterly reports",
        decision_number="77/QĐ-HQ",
        starts_on=timezone.localdate(),
        by=None,
    )


def test_suspension_emails_the_broker_admins_and_each_trader_with_a_contract_in_force(
    broker_with_clients: BrokerWithClients, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://dangky.example.vn"
    _reads_english(broker_with_clients.broker_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _suspend(broker_with_clients)
    # One message per organisation, to its admins and its own address; the broker's staff
    # user and the trader whose contract ended get nothing.
    assert len(mail.outbox) == 3
    everybody = {address for message in mail.outbox for address in message.to}
    assert "admin@broker.test" in everybody
    assert {"trader0@org.test", "trader1@org.test"} <= everybody
    assert "staff@broker.test" not in everybody and "trader2@org.test" not in everybody
    confirmed_by = broker_with_clients.letters[0].contract.confirmed_by
    assert confirmed_by is not None
    trader_admin = confirmed_by.email
    broker_message = next(m for m in mail.outbox if m.to == ["admin@broker.test"])
    trader_message = next(m for m in mail.outbox if "trader0@org.test" in m.to)
    assert trader_admin in trader_message.to
    for message in (broker_message, trader_message):
        assert "77/QĐ-HQ" in message.body
        assert "Missed two quarterly reports" in message.body
        assert "https://dangky.example.vn/brokers/DL-0042/" in message.body
    # Each reader in their own language only: the broker's admin chose English; the trader's
    # admin kept the default and the trader's own address has no user, so both read Vietnamese.
    assert broker_message.subject == "Customs broker Đại lý Hải Phòng (DL-0042) suspended"
    assert "the 3 letters of authority issued to your agents do not verify" in broker_message.body
    assert "Lý do:" not in broker_message.body
    assert trader_message.subject == (
        "Tạm dừng hoạt động đại lý làm thủ tục hải quan Đại lý Hải Phòng (DL-0042)"
    )
    assert "Hãy sử dụng một đại lý được cấp phép khác" in trader_message.body
    assert "Use another licensed broker" not in trader_message.body


def test_lifting_emails_the_same_people(
    broker_with_clients: BrokerWithClients, django_capture_on_commit_callbacks
) -> None:
    _reads_english(broker_with_clients.broker_admin)
    sanction = _suspend(broker_with_clients)
    with django_capture_on_commit_callbacks(execute=True):
        sanction_lift(sanction=sanction, reason="Reports filed", by=None)
    assert len(mail.outbox) == 3
    broker_message = next(m for m in mail.outbox if m.to == ["admin@broker.test"])
    assert "lifted" in broker_message.subject
    assert all("Reports filed" in message.body for message in mail.outbox)


def test_nothing_is_sent_when_the_sanction_is_refused(
    broker_with_clients: BrokerWithClients, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        sanction_impose(
            broker=broker_with_clients.broker,
            kind=Sanction.Kind.SUSPENSION,
            reason="",
            decision_number="1",
            starts_on=timezone.localdate(),
            by=None,
        )
    assert mail.outbox == []


def test_withdrawing_an_agent_emails_the_broker_and_the_traders_with_letters_to_it(
    broker_with_clients: BrokerWithClients, django_capture_on_commit_callbacks
) -> None:
    _reads_english(broker_with_clients.broker_admin)
    with django_capture_on_commit_callbacks(execute=True):
        agent_withdraw(agent=broker_with_clients.agent, reason="Certificate forged", by=None)
    # The agent holds letters from traders 0 and 1; trader 2 has none.
    assert len(mail.outbox) == 3
    everybody = {address for message in mail.outbox for address in message.to}
    assert {"admin@broker.test", "trader0@org.test", "trader1@org.test"} <= everybody
    assert "trader2@org.test" not in everybody
    broker_message = next(m for m in mail.outbox if m.to == ["admin@broker.test"])
    assert "Customs withdrew the agent code of Agent One (NV-A1)" in broker_message.subject
    assert "Certificate forged" in broker_message.body
    assert "The 2 letters of authority issued to this agent no longer verify" in (
        broker_message.body
    )


def test_the_service_only_queues_the_task(
    broker_with_clients: BrokerWithClients, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        sanction = _suspend(broker_with_clients)
    assert mail.outbox == []
    # The other callback moves the register's cached answers on (brokers.cache).
    [callback] = [c for c in callbacks if getattr(c, "func", None) == sanction_notify.delay]
    assert callback.func == sanction_notify.delay
    assert callback.args == (sanction.pk,)
