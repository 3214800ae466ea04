import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, Organization, User
from accounts.services.api_tokens import api_token_create
from accounts.services.staff import user_2fa_reset, user_active_set
from audit.models import AuditEntry
from tests.accounts.passkey_authenticator import verified_with
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin() -> User:
    return UserFactory.create(role=User.Role.ADMIN)


def _verified(client: Client, user: User) -> Client:
    """Sign ``user`` in with a session that passed the second factor."""
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client.force_login(user)
    verified_with(client, device)
    return client


def _token(user: User, scope: str = "read", days: int = 90) -> tuple[ApiToken, str]:
    return api_token_create(
        user=user, purpose="Script", scope=scope, by=user, second_factor_passed=True, days=days
    )


def _me(client: Client, raw_key: str) -> tuple[int, dict]:
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw_key}")
    return response.status_code, response.json()


def _create(client: Client, user: User, **fields: object) -> str:
    data = {"user": user.pk, "purpose": "Clearance feed", "scope": "read", "days": 90, **fields}
    return client.post(reverse("accounts:api_token_list"), data).content.decode()


def test_the_admin_creates_a_token_shown_once_and_it_authenticates(
    client: Client, admin: User
) -> None:
    feed = UserFactory.create(organization=admin.organization, email="feed@example.test")
    _verified(client, admin)
    page = _create(client, feed, scope="read", days=30)
    found = re.search(r'id="new-token">([^<]+)<', page)
    assert found is not None
    raw_key = found.group(1)
    token = ApiToken.objects.get()
    assert (token.user, token.purpose, token.created_by, token.scope) == (
        feed,
        "Clearance feed",
        admin,
        "read",
    )
    assert token.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    assert raw_key not in token.key_hash and token.prefix == raw_key[:8]
    assert raw_key not in client.get(reverse("accounts:api_token_list")).content.decode()
    assert AuditEntry.objects.filter(action="api_token.create").count() == 1

    response = Client().get(
        "/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw_key}", REMOTE_ADDR="198.51.100.23"
    )
    assert response.status_code == 200 and response.json()["email"] == "feed@example.test"
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_ip == "198.51.100.23"
    listing = client.get(reverse("accounts:api_token_list")).content.decode()
    assert "from 198.51.100.23" in listing  # the owner sees where it was used


def test_a_token_is_not_made_from_a_session_without_the_second_factor(
    client: Client, admin: User
) -> None:
    client.force_login(admin)
    page = client.get(reverse("accounts:api_token_list")).content.decode()
    assert 'id="token-needs-2fa"' in page
    page = _create(client, admin)
    assert "only from a session that passed two-factor authentication" in page
    assert not ApiToken.objects.exists()


def test_no_token_for_a_user_who_lacks_the_2fa_their_organisation_requires(
    client: Client,
) -> None:
    organization = OrganizationFactory.create(require_2fa=True)
    admin = UserFactory.create(organization=organization, role=User.Role.ADMIN)
    feed = UserFactory.create(organization=organization, email="nofactor@example.test")
    _verified(client, admin)
    page = _create(client, feed)
    assert "nofactor@example.test has no second factor" in page
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [0, 366, -5])
def test_the_lifetime_is_bounded(client: Client, admin: User, days: int) -> None:
    _verified(client, admin)
    page = _create(client, admin, days=days)
    assert "Ensure this value is" in page
    assert not ApiToken.objects.exists()


def test_an_unknown_scope_is_refused(client: Client, admin: User) -> None:
    _verified(client, admin)
    assert "Select a valid choice" in _create(client, admin, scope="admin")
    assert not ApiToken.objects.exists()


def test_a_read_token_cannot_push_declarations_and_an_ingest_token_cannot_read() -> None:
    officer = UserFactory.create(organization=OrganizationFactory.create(customs=True))
    TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)
    _read, read_key = _token(officer, "read")
    _ingest, ingest_key = _token(officer, "ingest")

    refused = Client().post(
        "/api/v1/declarations/",
        [],
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {read_key}",
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This token's scope (read) does not allow this request."
    status, body = _me(Client(), ingest_key)
    assert status == 403 and "scope (ingest)" in body["detail"]
    status, _body = _me(Client(), read_key)
    assert status == 200
    accepted = Client().post(
        "/api/v1/declarations/",
        [],
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {ingest_key}",
    )
    assert accepted.status_code == 400  # reached the feed: an empty batch is bad input


def test_an_expired_token_is_refused(admin: User) -> None:
    token, raw_key = _token(admin, days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    status, body = _me(Client(), raw_key)
    assert status == 403 and body["detail"] == "This token has expired."


def test_a_revoked_token_is_refused(client: Client, admin: User) -> None:
    token, raw_key = _token(admin)
    client.force_login(admin)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    status, body = _me(Client(), raw_key)
    assert status == 403 and body["detail"] == "Invalid or revoked token."


def test_deactivation_revokes_the_users_tokens_and_reactivation_does_not_restore_them(
    admin: User,
) -> None:
    feed = UserFactory.create(organization=admin.organization)
    token, raw_key = _token(feed)
    user_active_set(user=feed, active=False, by=admin)
    user_active_set(user=feed, active=True, by=admin)
    token.refresh_from_db()
    assert token.revoked_at is not None
    status, body = _me(Client(), raw_key)
    assert status == 403 and body["detail"] == "Invalid or revoked token."


def test_a_2fa_reset_revokes_the_users_tokens(admin: User) -> None:
    feed = UserFactory.create(organization=admin.organization)
    TOTPDevice.objects.create(user=feed, name="Phone", confirmed=True)
    token, raw_key = _token(feed)
    user_2fa_reset(user=feed, by=admin)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()
    assert _me(Client(), raw_key)[0] == 403


def test_a_password_change_revokes_the_users_tokens(client: Client, admin: User) -> None:
    token, raw_key = _token(admin)
    client.force_login(admin)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a brand new passphrase 2026",
            "password2": "a brand new passphrase 2026",
        },
    )
    assert response.status_code == 302, response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _me(Client(), raw_key)[0] == 403


def test_a_policy_turned_on_later_stops_tokens_of_users_without_2fa(admin: User) -> None:
    _token_row, raw_key = _token(admin)
    assert _me(Client(), raw_key)[0] == 200
    assert admin.organization is not None
    Organization.objects.filter(pk=admin.organization.pk).update(require_2fa=True)
    status, body = _me(Client(), raw_key)
    assert status == 403 and "no second factor" in body["detail"]


def test_a_made_up_token_is_refused() -> None:
    status, body = _me(Client(), "not-a-real-key")
    assert status == 403 and body["detail"] == "Invalid or revoked token."


def test_a_token_cannot_be_made_for_a_user_of_another_organisation(
    client: Client, admin: User
) -> None:
    stranger = UserFactory.create()
    _verified(client, admin)
    assert "Select a valid choice" in _create(client, stranger)
    assert not ApiToken.objects.exists()


def test_staff_cannot_manage_tokens(client: Client, admin: User) -> None:
    token, _raw_key = _token(admin)
    client.force_login(UserFactory.create(organization=admin.organization))
    assert client.get(reverse("accounts:api_token_list")).status_code == 403
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_post(client: Client, admin: User) -> None:
    token, _raw_key = _token(admin)
    client.force_login(admin)
    assert client.get(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 405


def test_the_command_issues_a_token_and_prints_the_key_alone_last() -> None:
    officer = UserFactory.create(
        email="feed@customs.test", organization=OrganizationFactory.create(customs=True)
    )
    TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)
    out = StringIO()
    call_command(
        "create_api_token", "feed@customs.test", "--scope", "ingest", "--days", "30", stdout=out
    )
    raw_key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.scope == "ingest" and token.user == officer
    assert token.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    accepted = Client().post(
        "/api/v1/declarations/",
        [],
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {raw_key}",
    )
    assert accepted.status_code == 400  # authenticated; the empty batch is refused


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nobody@example.test", "--scope", "read"], "No user has the e-mail address"),
        (["feed@customs.test", "--scope", "read", "--days", "400"], "from 1 to 365 days"),
        (["nofactor@customs.test", "--scope", "read"], "two-factor authentication"),
    ],
)
def test_the_command_refuses_what_the_page_refuses(arguments: list[str], message: str) -> None:
    customs = OrganizationFactory.create(customs=True)
    officer = UserFactory.create(email="feed@customs.test", organization=customs)
    TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)
    UserFactory.create(email="nofactor@customs.test", organization=customs)
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *arguments, stdout=StringIO())
    assert not ApiToken.objects.exists()
