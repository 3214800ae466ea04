import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import LoginEvent, User
from tests.factories import LoginEventFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> dict[str, User]:
    organization = OrganizationFactory.create()
    admin = UserFactory.create(organization=organization, role=User.Role.ADMIN, email="a@x.test")
    staff = UserFactory.create(organization=organization, email="staff.one@x.test")
    outsider = UserFactory.create(email="outsider@y.test")
    LoginEventFactory.create(user=admin, ip_address="192.0.2.1")
    LoginEventFactory.create(user=staff, ip_address="192.0.2.2")
    LoginEventFactory.create(
        user=staff, kind=LoginEvent.Kind.SIGN_IN_FAILED, ip_address="192.0.2.3"
    )
    LoginEventFactory.create(user=outsider, ip_address="198.51.100.99")
    return {"admin": admin, "staff": staff, "outsider": outsider}


def test_a_user_sees_only_their_own_events(client: Client, team: dict[str, User]) -> None:
    client.force_login(team["staff"])
    html = client.get(reverse("accounts:login_history")).content.decode()
    assert "192.0.2.2" in html and "192.0.2.3" in html
    assert "192.0.2.1" not in html and "198.51.100.99" not in html
    assert "Failed sign-in" in html


def test_the_admin_sees_every_account_of_the_organisation_and_filters(
    client: Client, team: dict[str, User]
) -> None:
    client.force_login(team["admin"])
    html = client.get(reverse("accounts:login_history")).content.decode()
    assert all(ip in html for ip in ("192.0.2.1", "192.0.2.2", "192.0.2.3"))
    assert "198.51.100.99" not in html

    html = client.get(
        reverse("accounts:login_history"),
        {"user": str(team["staff"].pk), "kind": str(LoginEvent.Kind.SIGN_IN_FAILED)},
    ).content.decode()
    assert "192.0.2.3" in html
    assert "192.0.2.1" not in html and "192.0.2.2" not in html


def test_the_admin_cannot_filter_on_a_user_of_another_organisation(
    client: Client, team: dict[str, User]
) -> None:
    client.force_login(team["admin"])
    response = client.get(reverse("accounts:login_history"), {"user": team["outsider"].pk})
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "198.51.100.99" not in html


def test_a_staff_user_cannot_see_a_colleague_by_adding_a_filter(
    client: Client, team: dict[str, User]
) -> None:
    client.force_login(team["staff"])
    html = client.get(
        reverse("accounts:login_history"), {"user": team["admin"].pk}
    ).content.decode()
    assert "192.0.2.1" not in html


def test_the_history_needs_a_signed_in_user_and_get(client: Client, team: dict[str, User]) -> None:
    response = client.get(reverse("accounts:login_history"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(team["staff"])
    assert client.post(reverse("accounts:login_history")).status_code == 405


def test_the_history_page_runs_a_fixed_number_of_queries(
    client: Client, team: dict[str, User], django_assert_max_num_queries
) -> None:
    LoginEventFactory.create_batch(30, user=team["staff"])
    client.force_login(team["admin"])
    with django_assert_max_num_queries(8):
        client.get(reverse("accounts:login_history"))
