from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from contracts.models import ContractStatus, ServiceContract
from contracts.status import contract_status
from tests.factories import ServiceContractFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending() -> ServiceContract:
    contract = ServiceContractFactory.create(
        confirmed_at=None, confirmed_by=None, trader__email="trader@example.test"
    )
    contract.broker.organization.email = "broker@example.test"
    contract.broker.organization.save()
    return contract


def _trader_admin(contract: ServiceContract) -> User:
    return UserFactory.create(organization=contract.trader, role=User.Role.ADMIN)


def _status(contract: ServiceContract) -> str:
    contract.refresh_from_db()
    return contract_status(contract=contract, on=date.today())


def _recipients(mailoutbox) -> set[str]:  # type: ignore[no-untyped-def]
    return {address for message in mailoutbox for address in message.to}


def test_the_trader_admin_confirms_and_both_parties_are_told(
    client: Client, pending: ServiceContract, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    admin = _trader_admin(pending)
    admin.language = "en"
    admin.save(update_fields=["language"])
    client.force_login(admin)
    page = client.get(f"/contracts/{pending.pk}/").content.decode()
    assert "Confirm the contract" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/contracts/{pending.pk}/confirm/", follow=True)
    assert "Contract confirmed." in response.content.decode()
    assert _status(pending) == ContractStatus.ACTIVE
    assert pending.confirmed_by == admin and pending.confirmed_at is not None
    entry = AuditEntry.objects.get(action="contract.confirm")
    assert entry.before["status"] == "pending" and entry.after["status"] == "active"
    assert {"trader@example.test", "broker@example.test"} <= _recipients(mailoutbox)
    # The admin reads English; the organisations' own addresses have no user: Vietnamese.
    subjects = {address: message.subject for message in mailoutbox for address in message.to}
    assert subjects[admin.email] == f"Contract {pending.reference} confirmed"
    assert subjects["trader@example.test"] == f"Hợp đồng {pending.reference} đã được xác nhận"
    assert subjects["broker@example.test"] == f"Hợp đồng {pending.reference} đã được xác nhận"


def test_the_trader_admin_rejects_with_a_reason(
    client: Client, pending: ServiceContract, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client.force_login(_trader_admin(pending))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/contracts/{pending.pk}/reject/", {"reason": "Sai phạm vi dịch vụ"})
    assert _status(pending) == ContractStatus.REJECTED
    assert pending.rejection_reason == "Sai phạm vi dịch vụ"
    assert ServiceContract.objects.filter(pk=pending.pk).exists()  # kept, not deleted
    assert AuditEntry.objects.filter(action="contract.reject").count() == 1
    assert {"trader@example.test", "broker@example.test"} <= _recipients(mailoutbox)
    assert any("Sai phạm vi dịch vụ" in message.body for message in mailoutbox)


def test_a_rejection_without_a_reason_changes_nothing(
    client: Client, pending: ServiceContract
) -> None:
    client.force_login(_trader_admin(pending))
    response = client.post(f"/contracts/{pending.pk}/reject/", {"reason": "   "}, follow=True)
    assert "Give a reason for the rejection." in response.content.decode()
    assert _status(pending) == ContractStatus.PENDING
    assert not AuditEntry.objects.filter(action="contract.reject").exists()


def test_a_reviewed_contract_cannot_be_confirmed_again(
    client: Client, pending: ServiceContract
) -> None:
    client.force_login(_trader_admin(pending))
    client.post(f"/contracts/{pending.pk}/reject/", {"reason": "Không đúng"})
    response = client.post(f"/contracts/{pending.pk}/confirm/", follow=True)
    assert "already been reviewed" in response.content.decode()
    assert _status(pending) == ContractStatus.REJECTED


@pytest.mark.parametrize("who", ["broker-admin", "trader-staff"])
def test_only_the_trader_admin_may_review(
    client: Client, pending: ServiceContract, who: str
) -> None:
    if who == "broker-admin":
        user = UserFactory.create(organization=pending.broker.organization, role=User.Role.ADMIN)
    else:
        user = UserFactory.create(organization=pending.trader, role=User.Role.STAFF)
    client.force_login(user)
    assert client.post(f"/contracts/{pending.pk}/confirm/").status_code == 403
    assert client.post(f"/contracts/{pending.pk}/reject/", {"reason": "x"}).status_code == 403
    assert _status(pending) == ContractStatus.PENDING


def test_another_organisation_gets_404_and_get_is_refused(
    client: Client, pending: ServiceContract
) -> None:
    client.force_login(UserFactory.create(role=User.Role.ADMIN))
    assert client.post(f"/contracts/{pending.pk}/confirm/").status_code == 404
    client.force_login(_trader_admin(pending))
    assert client.get(f"/contracts/{pending.pk}/confirm/").status_code == 405
    assert _status(pending) == ContractStatus.PENDING


def test_anonymous_is_sent_to_sign_in(client: Client, pending: ServiceContract) -> None:
    response = client.post(f"/contracts/{pending.pk}/confirm/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("party", ["trader", "broker"])
def test_either_party_terminates_an_active_contract_with_a_reason(
    client: Client, party: str, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    contract = ServiceContractFactory.create(trader__email="t@example.test")
    organization = contract.trader if party == "trader" else contract.broker.organization
    client.force_login(UserFactory.create(organization=organization, role=User.Role.ADMIN))
    response = client.post(f"/contracts/{contract.pk}/terminate/", {"reason": ""}, follow=True)
    assert "Give a reason for the termination." in response.content.decode()
    assert _status(contract) == ContractStatus.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/contracts/{contract.pk}/terminate/", {"reason": "Chấm dứt hợp tác"})
    assert _status(contract) == ContractStatus.TERMINATED
    assert contract.terminated_on == timezone.localdate()
    assert contract.termination_reason == "Chấm dứt hợp tác"
    assert AuditEntry.objects.filter(action="contract.terminate").count() == 1
    assert "t@example.test" in _recipients(mailoutbox)


def test_a_pending_contract_cannot_be_terminated(client: Client, pending: ServiceContract) -> None:
    client.force_login(_trader_admin(pending))
    response = client.post(f"/contracts/{pending.pk}/terminate/", {"reason": "x"}, follow=True)
    assert "Only an active contract can be terminated." in response.content.decode()
    assert _status(pending) == ContractStatus.PENDING


def test_an_ended_contract_cannot_be_confirmed(client: Client) -> None:
    contract = ServiceContractFactory.create(
        confirmed_at=None,
        confirmed_by=None,
        valid_from=date.today() - timedelta(days=400),
        valid_until=date.today() - timedelta(days=1),
    )
    client.force_login(_trader_admin(contract))
    response = client.post(f"/contracts/{contract.pk}/confirm/", follow=True)
    assert "already ended" in response.content.decode()
    contract.refresh_from_db()
    assert contract.confirmed_at is None
