import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from brokers.models import BrokerAgent
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.services import letter_issue, letter_revoke
from tests.factories import (
    BrokerAgentFactory,
    CustomsOfficeFactory,
    LetterOfAuthorityFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def contract() -> ServiceContract:
    return ServiceContractFactory.create(services=["declaration", "documents"])


@pytest.fixture
def admin(contract: ServiceContract) -> User:
    return UserFactory.create(organization=contract.trader, role=User.Role.ADMIN)


@pytest.fixture
def agent(contract: ServiceContract) -> BrokerAgent:
    return BrokerAgentFactory.create(broker=contract.broker, full_name="Đỗ Thị Hằng")


def _issue(contract: ServiceContract, agent: BrokerAgent, by: User, **changes) -> LetterOfAuthority:  # type: ignore[no-untyped-def]
    arguments = {
        "contract": contract,
        "agent": agent,
        "procedures": ["declaration"],
        "customs_offices": [],
        "shipment_references": "INV-2026-0042",
        "valid_from": TODAY,
        "valid_until": TODAY + timedelta(days=30),
        "by": by,
    }
    return letter_issue(**{**arguments, **changes})


def test_a_letter_gets_a_number_and_an_unguessable_code(
    contract: ServiceContract, agent: BrokerAgent, admin: User
) -> None:
    first = _issue(contract, agent, admin)
    second = _issue(contract, agent, admin)
    assert re.fullmatch(rf"LOA-{timezone.localdate().year}-\d{{6}}", first.number)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    assert (
        len(first.verification_code) >= 10 and first.verification_code != second.verification_code
    )
    assert first.status == LetterOfAuthority.Status.ISSUED
    entry = AuditEntry.objects.filter(action="letter.issue").first()
    assert entry is not None and entry.organization == contract.trader
    assert entry.counterparty == contract.broker.organization


def test_an_agent_of_another_broker_is_refused(contract: ServiceContract, admin: User) -> None:
    stranger = BrokerAgentFactory.create()
    with pytest.raises(ValidationError, match="does not work for the broker"):
        _issue(contract, stranger, admin)
    assert LetterOfAuthority.objects.count() == 0


def test_a_withdrawn_agent_is_refused(
    contract: ServiceContract, agent: BrokerAgent, admin: User
) -> None:
    agent.status = BrokerAgent.Status.WITHDRAWN
    agent.withdrawn_on = TODAY - timedelta(days=1)
    agent.withdrawal_reason = "Nghỉ việc"
    agent.save()
    with pytest.raises(ValidationError, match="withdrawn"):
        _issue(contract, agent, admin)
    assert LetterOfAuthority.objects.count() == 0


@pytest.mark.parametrize(
    ("start_shift", "end_shift"),
    [(-31, 10), (0, 336), (10, 5)],
    ids=["starts-before-contract", "ends-after-contract", "ends-before-start"],
)
def test_a_period_outside_the_contract_is_refused(
    contract: ServiceContract, agent: BrokerAgent, admin: User, start_shift: int, end_shift: int
) -> None:
    with pytest.raises(ValidationError):
        _issue(
            contract,
            agent,
            admin,
            valid_from=TODAY + timedelta(days=start_shift),
            valid_until=TODAY + timedelta(days=end_shift),
        )
    assert LetterOfAuthority.objects.count() == 0


def test_a_pending_or_terminated_contract_takes_no_letters(agent: BrokerAgent, admin: User) -> None:
    contract = agent.broker.contracts.get()
    contract.confirmed_at = None
    contract.save()
    with pytest.raises(ValidationError, match="active contract"):
        _issue(contract, agent, admin)


def test_procedures_and_offices_must_be_covered_by_the_contract(
    contract: ServiceContract, agent: BrokerAgent, admin: User
) -> None:
    with pytest.raises(ValidationError, match="does not cover these services"):
        _issue(contract, agent, admin, procedures=["duties"])
    covered, other = CustomsOfficeFactory.create(), CustomsOfficeFactory.create()
    contract.customs_offices.set([covered])
    with pytest.raises(ValidationError, match="customs offices"):
        _issue(contract, agent, admin, customs_offices=[other])
    letter = _issue(contract, agent, admin, customs_offices=[covered])
    assert list(letter.customs_offices.all()) == [covered]


def test_the_trader_limit_of_active_letters_per_contract_holds(
    contract: ServiceContract, agent: BrokerAgent, admin: User
) -> None:
    contract.trader.letters_per_contract_limit = 2
    contract.trader.save()
    first = _issue(contract, agent, admin)
    _issue(contract, agent, admin)
    with pytest.raises(ValidationError, match="already has 2 active letters"):
        _issue(contract, agent, admin)
    letter_revoke(letter=first, by=admin, reason="Không còn cần")
    assert _issue(contract, agent, admin).status == LetterOfAuthority.Status.ISSUED
    assert contract.letters.count() == 3


def test_the_default_limit_is_five(
    contract: ServiceContract, agent: BrokerAgent, admin: User
) -> None:
    for _index in range(5):
        _issue(contract, agent, admin)
    with pytest.raises(ValidationError, match="5 active letters"):
        _issue(contract, agent, admin)


def test_revoking_needs_a_reason_and_keeps_the_letter(
    contract: ServiceContract, agent: BrokerAgent, admin: User
) -> None:
    letter = _issue(contract, agent, admin)
    with pytest.raises(ValidationError):
        letter_revoke(letter=letter, by=admin, reason=" ")
    letter = letter_revoke(letter=letter, by=admin, reason="Hết việc")
    assert letter.status == LetterOfAuthority.Status.REVOKED
    assert letter.revoked_at is not None and letter.revocation_reason == "Hết việc"
    assert AuditEntry.objects.filter(action="letter.revoke").count() == 1
    with pytest.raises(ValidationError, match="already been revoked"):
        letter_revoke(letter=letter, by=admin, reason="again")


# The pages


def test_the_trader_admin_issues_a_letter_through_the_form(
    client: Client, contract: ServiceContract, agent: BrokerAgent, admin: User
) -> None:
    client.force_login(admin)
    url = f"/contracts/{contract.pk}/letters/new/"
    page = client.get(url).content.decode()
    assert "Đỗ Thị Hằng" in page
    response = client.post(
        url,
        {
            "agent": agent.pk,
            "procedures": ["declaration"],
            "valid_from": TODAY.isoformat(),
            "valid_until": (TODAY + timedelta(days=10)).isoformat(),
        },
        follow=True,
    )
    letter = LetterOfAuthority.objects.get()
    assert f"Letter {letter.number} issued." in response.content.decode()
    assert letter.agent == agent and letter.issued_by == admin


def test_the_form_shows_the_refusal_and_stores_nothing(
    client: Client, contract: ServiceContract, admin: User
) -> None:
    client.force_login(admin)
    stranger = BrokerAgentFactory.create()
    response = client.post(
        f"/contracts/{contract.pk}/letters/new/",
        {
            "agent": stranger.pk,
            "procedures": ["declaration"],
            "valid_from": TODAY.isoformat(),
            "valid_until": (TODAY + timedelta(days=1000)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert LetterOfAuthority.objects.count() == 0


def test_a_letter_ending_before_it_starts_is_refused_on_the_page(
    client: Client, contract: ServiceContract, agent: BrokerAgent, admin: User
) -> None:
    client.force_login(admin)
    response = client.post(
        f"/contracts/{contract.pk}/letters/new/",
        {
            "agent": agent.pk,
            "procedures": ["declaration"],
            "valid_from": (TODAY + timedelta(days=10)).isoformat(),
            "valid_until": (TODAY + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "The letter must end on or after its start." in response.content.decode()
    assert LetterOfAuthority.objects.count() == 0
    assert not AuditEntry.objects.filter(action="letter.issue").exists()


def test_only_the_trader_admin_issues_and_others_get_404(
    client: Client, contract: ServiceContract, agent: BrokerAgent
) -> None:
    url = f"/contracts/{contract.pk}/letters/new/"
    client.force_login(
        UserFactory.create(organization=contract.broker.organization, role=User.Role.ADMIN)
    )
    assert client.get(url).status_code == 403
    client.force_login(UserFactory.create(organization=contract.trader, role=User.Role.STAFF))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory.create(role=User.Role.ADMIN))
    assert client.get(url).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]


def test_the_trader_admin_revokes_through_the_page_and_others_cannot(client: Client) -> None:
    letter = LetterOfAuthorityFactory.create()
    url = f"/letters/{letter.pk}/revoke/"
    client.force_login(
        UserFactory.create(organization=letter.contract.broker.organization, role=User.Role.ADMIN)
    )
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(UserFactory.create(role=User.Role.ADMIN))
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(
        UserFactory.create(organization=letter.contract.trader, role=User.Role.ADMIN)
    )
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Give a reason for the revocation." in response.content.decode()
    response = client.post(url, {"reason": "Đổi người"}, follow=True)
    assert "Letter revoked." in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterOfAuthority.Status.REVOKED
