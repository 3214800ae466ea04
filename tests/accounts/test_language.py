"""The language switcher keeps a signed-in user's language for their e-mails."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/i18n/setlang/"


def test_the_switcher_is_mounted_where_djangos_was() -> None:
    assert reverse("set_language") == URL


def test_switching_stores_the_language_on_the_user(client: Client) -> None:
    user = UserFactory.create()
    assert user.language == "vi"
    client.force_login(user)
    response = client.post(URL, {"language": "en", "next": "/accounts/me/"})
    assert response["Location"] == "/accounts/me/"
    user.refresh_from_db()
    assert user.language == "en"
    # The site itself switched too.
    assert "My account" in client.get("/accounts/me/").content.decode()


def test_an_anonymous_visitor_switches_the_site_only(client: Client) -> None:
    response = client.post(URL, {"language": "vi", "next": "/"})
    assert response.status_code == 302
    assert "Tra cứu đại lý hải quan" in client.get("/").content.decode()
    assert not User.objects.exists()


def test_a_language_the_site_does_not_offer_changes_nothing(client: Client) -> None:
    user = UserFactory.create(language="en")
    client.force_login(user)
    response = client.post(URL, {"language": "fr", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"


def test_the_switcher_refuses_get(client: Client) -> None:
    assert client.get(URL, {"language": "en"}).status_code == 405


def test_the_account_page_shows_and_changes_the_e_mail_language(client: Client) -> None:
    user = UserFactory.create(language="en")
    client.force_login(user)
    html = client.get(reverse("accounts:overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Language of the site and of your e-mails" in html
    assert '<option value="en" lang="en" selected>English</option>' in html
    client.post(URL, {"language": "vi", "next": reverse("accounts:overview")})
    user.refresh_from_db()
    assert user.language == "vi"
    html = client.get(reverse("accounts:overview")).content.decode()
    assert "Ngôn ngữ của trang web và của e-mail gửi cho bạn" in html
    assert '<option value="vi" lang="vi" selected>' in html
