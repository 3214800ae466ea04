import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_explains_the_site_in_english_and_links_to_the_register(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Look up any customs broker in the public register" in html
    assert 'href="/brokers/"' in html
    assert '<html lang="en">' in html


def test_home_in_vietnamese(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Tra cứu đại lý hải quan" in html


def test_language_switcher_sets_the_language(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert response.status_code == 302
    assert "Tra cứu đại lý hải quan" in client.get("/").content.decode()


def test_home_refuses_post(client: Client) -> None:
    assert client.post("/").status_code == 405


def test_static_assets_are_served_locally(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "cdn" not in html.lower()
