"""The error pages: the site's layout in the reader's language, no trace, and the request's
id, which the log line of the failure carries too; JSON under /api/."""

import logging

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Organization
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _request_id(response) -> str:  # type: ignore[no-untyped-def]
    request_id = response["X-Request-ID"]
    assert len(request_id) == 16
    return str(request_id)


def test_a_missing_page_is_shown_in_the_layout_with_its_request_id(client: Client) -> None:
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<nav class="navbar' in html and "Page not found" in html
    assert "No page has this address." in html
    assert _request_id(response) in html


def test_the_error_pages_speak_vietnamese(client: Client) -> None:
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'lang="vi"' in html and "Không tìm thấy trang" in html
    assert "Mã yêu cầu" in html and _request_id(response) in html


@pytest.mark.urls("tests.config.urls_failing")
def test_a_failure_shows_no_trace_and_its_id_is_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/failing/", HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    request_id = _request_id(response)
    assert response.status_code == 500
    assert "Lỗi máy chủ" in html and request_id in html
    assert "secret detail" not in html and "Traceback" not in html and "RuntimeError" not in html
    # The console handler writes the request's id on the failure's line.
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    record = next(r for r in caplog.records if r.getMessage().startswith("Internal Server Error"))
    assert console.filter(record)
    line = console.format(record)
    assert f"[{request_id}]" in line and "/failing/" in line


@pytest.mark.urls("tests.config.urls_failing")
def test_an_api_failure_answers_json_with_its_request_id() -> None:
    response = Client(raise_request_exception=False).get("/api/v1/failing/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["request_id"] == _request_id(response)
    assert "secret detail" not in body["detail"]


def test_an_unknown_api_address_answers_json(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "No page has this address.",
        "request_id": _request_id(response),
    }


def test_a_refused_page_is_shown_in_the_layout(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.TRADER))
    response = client.get("/customs/dashboard/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Access refused" in html and "You are not allowed to see this page." in html
    assert _request_id(response) in html


def test_a_form_from_a_stale_page_is_refused_with_the_layout() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    response = client.post("/flags/scan/", {"full": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "The form has expired" in html and '<nav class="navbar' in html


def test_a_bad_request_is_shown_in_the_layout(client: Client) -> None:
    response = client.get("/brokers/", {"q": "hai\x00phong"}, HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in html and _request_id(response) in html


def test_the_error_pages_exist_for_every_status() -> None:
    for status in (400, 403, 404, 429, 500):
        assert (settings.BASE_DIR / "templates" / f"{status}.html").exists()
