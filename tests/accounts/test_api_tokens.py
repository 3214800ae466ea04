import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken, User
from accounts.services.api_tokens import api_token_create
from accounts.services.staff import user_active_set
from audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> User:
    return UserFactory.create(role=User.Role.ADMIN)


def _me(client: Client, raw_key: str) -> tuple[int, dict]:
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw_key}")
    return response.status_code, response.json()


def test_the_admin_creates_a_token_shown_once_and_it_authenticates(
    client: Client, admin: User
) -> None:
    feed = UserFactory.create(organization=admin.organization, email="feed@example.test")
    client.force_login(admin)
    response = client.post(
        reverse("accounts:api_token_list"), {"user": feed.pk, "purpose": "Clearance feed"}
    )
    found = re.search(r'id="new-token">([^<]+)<', response.content.decode())
    assert found is not None
    raw_key = found.group(1)
    token = ApiToken.objects.get()
    assert (token.user, token.purpose, token.created_by) == (feed, "Clearance feed", admin)
    assert raw_key not in token.key_hash and token.prefix == raw_key[:8]
    assert raw_key not in client.get(reverse("accounts:api_token_list")).content.decode()
    assert AuditEntry.objects.filter(action="api_token.create").count() == 1

    status, body = _me(Client(), raw_key)
    assert status == 200 and body["email"] == "feed@example.test"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(client: Client, admin: User) -> None:
    token, raw_key = api_token_create(user=admin, purpose="Script", by=admin)
    client.force_login(admin)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    status, body = _me(Client(), raw_key)
    assert status == 403 and body["detail"] == "Invalid or revoked token."


def test_a_deactivated_users_token_is_refused(admin: User) -> None:
    feed = UserFactory.create(organization=admin.organization)
    _token, raw_key = api_token_create(user=feed, purpose="Feed", by=admin)
    user_active_set(user=feed, active=False, by=admin)
    status, body = _me(Client(), raw_key)
    assert status == 403 and body["detail"] == "The user of this token is deactivated."


def test_a_made_up_token_is_refused() -> None:
    status, body = _me(Client(), "not-a-real-key")
    assert status == 403 and body["detail"] == "Invalid or revoked token."


def test_a_token_cannot_be_made_for_a_user_of_another_organisation(
    client: Client, admin: User
) -> None:
    stranger = UserFactory.create()
    client.force_login(admin)
    response = client.post(
        reverse("accounts:api_token_list"), {"user": stranger.pk, "purpose": "Sneaky"}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_staff_cannot_manage_tokens(client: Client, admin: User) -> None:
    token, _raw_key = api_token_create(user=admin, purpose="Script", by=admin)
    client.force_login(UserFactory.create(organization=admin.organization))
    assert client.get(reverse("accounts:api_token_list")).status_code == 403
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
