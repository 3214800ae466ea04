from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from contracts.models import ServiceContract
from tests.factories import ServiceContractFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRM = "Confirm the contract"
TERMINATE = "Terminate the contract"
ISSUE = "Issue a letter"


def _buttons(client: Client, contract: ServiceContract, user: User) -> set[str]:
    client.force_login(user)
    html = client.get(f"/contracts/{contract.pk}/").content.decode()
    return {label for label in (CONFIRM, TERMINATE, ISSUE) if label in html}


def _admin(organization: object) -> User:
    return UserFactory.create(organization=organization, role=User.Role.ADMIN)


def test_a_pending_contract_offers_review_to_the_trader_s_admin_only(client: Client) -> None:
    contract = ServiceContractFactory.create(confirmed_at=None, confirmed_by=None)
    assert _buttons(client, contract, _admin(contract.trader)) == {CONFIRM}
    assert _buttons(client, contract, _admin(contract.broker.organization)) == set()
    staff = UserFactory.create(organization=contract.trader, role=User.Role.STAFF)
    assert _buttons(client, contract, staff) == set()


def test_an_active_contract_offers_termination_and_letters(client: Client) -> None:
    contract = ServiceContractFactory.create()
    assert _buttons(client, contract, _admin(contract.trader)) == {TERMINATE, ISSUE}
    assert _buttons(client, contract, _admin(contract.broker.organization)) == {TERMINATE}


def test_an_ended_contract_offers_nothing(client: Client) -> None:
    today = timezone.localdate()
    contract = ServiceContractFactory.create(
        valid_from=today - timedelta(days=400), valid_until=today - timedelta(days=1)
    )
    assert _buttons(client, contract, _admin(contract.trader)) == set()
