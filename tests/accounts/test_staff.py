import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import Invitation, User
from accounts.services.staff import user_active_set
from accounts.services.two_factor import backup_codes_regenerate
from audit.models import AuditEntry
from tests.accounts.passkey_authenticator import ORIGIN, RP_ID, with_passkey
from tests.accounts.test_sign_in import PASSWORD, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ghe thuyen tren song Han"


@pytest.fixture
def admin() -> User:
    return UserFactory.create(role=User.Role.ADMIN)


def _invite(client: Client, admin: User, capture: Any, email: str = "moi@example.test") -> str:
    client.force_login(admin)
    with capture(execute=True):
        response = client.post(
            reverse("accounts:staff_invite"),
            {"email": email, "role": User.Role.STAFF},
            follow=True,
        )
    assert f"An invitation was sent to {email}." in response.content.decode()
    message = mail.outbox[-1]
    assert message.to == [email]
    found = re.search(r"http://\S+/accounts/invitation/(\S+)/", str(message.body))
    assert found is not None
    return found.group(1)


def test_an_invited_person_creates_an_account_in_the_organisation(
    client: Client, admin: User, django_capture_on_commit_callbacks
) -> None:
    key = _invite(client, admin, django_capture_on_commit_callbacks)
    client.logout()
    url = reverse("accounts:invitation_accept", args=[key])
    assert admin.organization is not None
    assert admin.organization.name in client.get(url).content.decode()
    response = client.post(
        url, {"full_name": "Lê Văn Mới", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("account_login")
    user = User.objects.get(email="moi@example.test")
    assert (user.organization, user.role, user.full_name) == (
        admin.organization,
        User.Role.STAFF,
        "Lê Văn Mới",
    )
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(url).status_code == 410, "the link works once"


def test_an_invitation_link_expires(
    client: Client, admin: User, django_capture_on_commit_callbacks
) -> None:
    key = _invite(client, admin, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.logout()
    url = reverse("accounts:invitation_accept", args=[key])
    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation link has expired or was already used." in response.content.decode()
    client.post(url, {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert not User.objects.filter(email="moi@example.test").exists()


def test_accepting_checks_the_password_rules(
    client: Client, admin: User, django_capture_on_commit_callbacks
) -> None:
    key = _invite(client, admin, django_capture_on_commit_callbacks, "hoang.nam@example.test")
    client.logout()
    url = reverse("accounts:invitation_accept", args=[key])
    response = client.post(
        url, {"full_name": "X", "password1": "hoangnam-2026-abc", "password2": "hoangnam-2026-abc"}
    )
    assert "The password must not contain your e-mail address." in response.content.decode()
    assert not User.objects.filter(email="hoang.nam@example.test").exists()


def test_inviting_a_colleague_already_in_the_organisation_or_a_bad_address_changes_nothing(
    client: Client, admin: User
) -> None:
    client.force_login(admin)
    colleague = UserFactory.create(organization=admin.organization).email
    response = client.post(
        reverse("accounts:staff_invite"), {"email": colleague, "role": "staff"}, follow=True
    )
    assert "This person is already a user of your organisation." in response.content.decode()
    response = client.post(
        reverse("accounts:staff_invite"), {"email": "not-an-address", "role": "staff"}, follow=True
    )
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_admin_sets_a_role_on_the_record(client: Client, admin: User) -> None:
    staff = UserFactory.create(organization=admin.organization)
    client.force_login(admin)
    client.post(reverse("accounts:staff_role", args=[staff.pk]), {"role": User.Role.ADMIN})
    staff.refresh_from_db()
    assert staff.role == User.Role.ADMIN
    entry = AuditEntry.objects.get(action="user.role")
    assert (entry.before, entry.after, entry.actor) == ({"role": "staff"}, {"role": "admin"}, admin)


def test_an_admin_cannot_demote_or_deactivate_themselves(client: Client, admin: User) -> None:
    client.force_login(admin)
    response = client.post(
        reverse("accounts:staff_role", args=[admin.pk]), {"role": User.Role.STAFF}, follow=True
    )
    assert "You cannot remove your own administrator role" in response.content.decode()
    response = client.post(
        reverse("accounts:staff_active", args=[admin.pk]), {"active": "0"}, follow=True
    )
    assert "You cannot deactivate your own account." in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == User.Role.ADMIN and admin.is_active


def test_deactivation_ends_the_users_sessions_at_once(admin: User) -> None:
    staff = UserFactory.create(organization=admin.organization)
    staff_browser, admin_browser = Client(), Client()
    sign_in(staff_browser, staff.email)
    assert staff_browser.get(reverse("accounts:overview")).status_code == 200
    session_key = staff_browser.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()

    sign_in(admin_browser, admin.email)
    response = admin_browser.post(
        reverse("accounts:staff_active", args=[staff.pk]), {"active": "0"}, follow=True
    )
    assert "is deactivated and signed out everywhere" in response.content.decode()
    assert not Session.objects.filter(session_key=session_key).exists()
    response = staff_browser.get(reverse("accounts:overview"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    staff.refresh_from_db()
    assert not staff.is_active
    assert AuditEntry.objects.filter(action="user.deactivate", actor=admin).count() == 1


def test_deactivation_ends_a_session_whose_key_rotated_after_sign_in_for_good(
    admin: User,
) -> None:
    staff = UserFactory.create(organization=admin.organization)
    staff_browser = Client()
    sign_in(staff_browser, staff.email)
    # The key changes after sign-in (as on a privilege change): the recorded one is stale.
    session = staff_browser.session
    session.cycle_key()
    session.save()
    assert session.session_key is not None
    staff_browser.cookies["sessionid"] = session.session_key
    assert staff_browser.get(reverse("accounts:overview")).status_code == 200
    assert Session.objects.filter(session_key=session.session_key).exists()

    user_active_set(user=staff, active=False, by=admin)
    response = staff_browser.get(reverse("accounts:overview"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]

    user_active_set(user=staff, active=True, by=admin)  # coming back does not revive it
    response = staff_browser.get(reverse("accounts:overview"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    staff.refresh_from_db()
    assert staff.session_epoch == 1


def test_a_reactivated_user_can_sign_in_again(client: Client, admin: User) -> None:
    staff = UserFactory.create(organization=admin.organization, is_active=False)
    client.force_login(admin)
    client.post(reverse("accounts:staff_active", args=[staff.pk]), {"active": "1"})
    other = Client()
    sign_in(other, staff.email, PASSWORD)
    assert other.get(reverse("accounts:overview")).status_code == 200


def test_the_admin_resets_a_users_2fa_on_the_record_and_the_user_is_told(
    client: Client, admin: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OTP_WEBAUTHN_RP_ID = RP_ID
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]
    staff = UserFactory.create(organization=admin.organization, language="vi")
    TOTPDevice.objects.create(user=staff, name="Lost phone", confirmed=True)
    backup_codes_regenerate(user=staff)
    with_passkey(staff)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:staff_2fa_reset", args=[staff.pk]), follow=True)
    assert f"The two-factor authentication of {staff.email} is reset." in (
        response.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    assert not WebAuthnCredential.objects.filter(user=staff).exists()
    entry = AuditEntry.objects.get(action="user.2fa_reset", object_id=str(staff.pk))
    assert entry.actor == admin
    assert entry.before == {"authenticators": 1, "passkeys": 1, "backup_codes": 10}
    assert entry.after == {"authenticators": 0, "passkeys": 0, "backup_codes": 0}
    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert message.subject == "Xác thực hai yếu tố của bạn đã được đặt lại"
    assert admin.email in str(message.body) and "/accounts/history/" in str(message.body)


def test_a_2fa_reset_of_another_organisations_user_is_not_found(
    client: Client, admin: User
) -> None:
    stranger = UserFactory.create()
    TOTPDevice.objects.create(user=stranger, name="Phone", confirmed=True)
    client.force_login(admin)
    response = client.post(reverse("accounts:staff_2fa_reset", args=[stranger.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=stranger).exists()
    assert client.get(reverse("accounts:staff_2fa_reset", args=[stranger.pk])).status_code == 405
    assert not mail.outbox


def test_staff_pages_are_for_the_admin_only(client: Client, admin: User) -> None:
    staff = UserFactory.create(organization=admin.organization)
    client.force_login(staff)
    assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert (
        client.post(reverse("accounts:staff_active", args=[admin.pk]), {"active": "0"}).status_code
        == 403
    )
    admin.refresh_from_db()
    assert admin.is_active


def test_actions_refuse_get(client: Client, admin: User) -> None:
    client.force_login(admin)
    assert client.get(reverse("accounts:staff_active", args=[admin.pk])).status_code == 405


def test_the_staff_list_shows_users_with_their_2fa(client: Client, admin: User) -> None:
    staff = UserFactory.create(organization=admin.organization, email="nv@example.test")
    TOTPDevice.objects.create(user=staff, name="Phone", confirmed=True)
    client.force_login(admin)
    html = client.get(reverse("accounts:staff_list")).content.decode()
    assert "nv@example.test" in html and admin.email in html
    assert "Reset two-factor" in html


def test_customs_invites_the_admin_of_a_new_broker_organisation(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from accounts.models import Organization
    from accounts.services.staff import invitation_accept, invitation_create, invitation_find
    from tests.factories import OrganizationFactory

    officer = UserFactory.create(organization=OrganizationFactory.create(customs=True))
    broker = OrganizationFactory.create(broker=True)
    with django_capture_on_commit_callbacks(execute=True):
        key = invitation_create(
            organization=broker, email="giamdoc@daily.vn", role=User.Role.ADMIN, by=officer
        )
    assert mail.outbox[-1].to == ["giamdoc@daily.vn"]
    invitation = invitation_find(raw_key=key)
    assert invitation is not None
    user = invitation_accept(invitation=invitation, full_name="Giám đốc", password=NEW_PASSWORD)
    assert (user.organization, user.role) == (broker, User.Role.ADMIN)
    assert Organization.objects.get(pk=broker.pk).kind == Organization.Kind.BROKER
    entry = AuditEntry.objects.get(action="user.invite")
    assert (entry.actor, entry.organization) == (officer, broker)


def test_inviting_an_address_with_an_account_elsewhere_reveals_nothing_to_the_inviter(
    client: Client, admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory.create(email="taken@example.test", language="en")  # another organisation's
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(
            reverse("accounts:staff_invite"),
            {"email": "taken@example.test", "role": "staff"},
            follow=True,
        ).content.decode()
        fresh = client.post(
            reverse("accounts:staff_invite"),
            {"email": "fresh@example.test", "role": "staff"},
            follow=True,
        ).content.decode()
    assert "An invitation was sent to taken@example.test." in taken
    assert "An invitation was sent to fresh@example.test." in fresh
    assert "already" not in taken
    (to_owner,) = [m for m in mail.outbox if m.to == ["taken@example.test"]]
    assert "You already have an account with this e-mail address" in to_owner.body
    (to_new,) = [m for m in mail.outbox if m.to == ["fresh@example.test"]]
    assert "already" not in to_new.body


def test_the_invitation_asks_for_the_phone_and_the_password_may_not_contain_it(
    client: Client, admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    key = _invite(client, admin, django_capture_on_commit_callbacks, "phone@example.test")
    client.logout()
    page = client.get(reverse("accounts:invitation_accept", args=[key])).content.decode()
    assert 'name="phone"' in page
    response = client.post(
        reverse("accounts:invitation_accept", args=[key]),
        {
            "full_name": "Trần Thị Mai",
            "phone": "0912 345 678",
            "password1": "my number 0912345678",
            "password2": "my number 0912345678",
        },
    )
    assert "phone" in response.content.decode().lower()
    assert not User.objects.filter(email="phone@example.test").exists()
    client.post(
        reverse("accounts:invitation_accept", args=[key]),
        {
            "full_name": "Trần Thị Mai",
            "phone": "0912 345 678",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert User.objects.get(email="phone@example.test").phone == "0912 345 678"


def test_an_address_taken_after_the_invitation_gets_a_clear_message(
    client: Client, admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    key = _invite(client, admin, django_capture_on_commit_callbacks, "late@example.test")
    UserFactory.create(email="late@example.test")
    client.logout()
    response = client.post(
        reverse("accounts:invitation_accept", args=[key]),
        {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert "You already have an account with this address" in response.content.decode()
    assert User.objects.filter(email="late@example.test").count() == 1
