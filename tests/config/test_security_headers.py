"""Every response carries a Content-Security-Policy without inline scripts; no signed-in
page and no document download may be kept by a cache."""

from typing import cast

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from tests.factories import BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/brokers/", "/accounts/login/", "/api/v1/brokers/"])
def test_every_response_has_a_policy_that_refuses_inline_scripts(client: Client, path: str) -> None:
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_the_api_documentation_loads_its_start_up_script_from_a_file(client: Client) -> None:
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")
    assert "/api/docs/?script" in page or "script=" in page


def test_signed_in_pages_are_not_stored(client: Client) -> None:
    assert "no-store" not in client.get("/brokers/").get("Cache-Control", "")
    client.force_login(UserFactory.create())
    for path in ("/brokers/", reverse("accounts:overview"), "/api/v1/me/"):
        cache_control = client.get(path)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


def test_document_downloads_are_not_stored(client: Client) -> None:
    BrokerFactory.create()
    response = client.get("/brokers/export.csv")
    assert "no-store" in response["Cache-Control"]


def test_a_changed_policy_setting_shows_on_the_next_response(client: Client) -> None:
    # The policy is built once per process (config.middleware.CSPMiddleware), not for ever.
    assert "report-uri" not in client.get("/brokers/")["Content-Security-Policy"]
    changed = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": ["/csp-reports/"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert client.get("/brokers/")["Content-Security-Policy"] == (
            "default-src 'self'; report-uri /csp-reports/"
        )
    assert "report-uri" not in client.get("/brokers/")["Content-Security-Policy"]


def test_a_response_whose_page_used_a_nonce_names_that_nonce(rf: RequestFactory) -> None:
    from config.middleware import CSPMiddleware

    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f'<script nonce="{request.csp_nonce}" src="/s.js"></script>')  # type: ignore[attr-defined]

    middleware = CSPMiddleware(page)
    first, second = (cast(HttpResponse, middleware(rf.get("/"))) for _ in range(2))
    for response in (first, second):
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]
