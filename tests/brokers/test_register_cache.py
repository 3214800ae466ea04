"""The register's answers are cached until a write changes the register: a suspension, a
lifted sanction, a new broker or agent, a renamed broker show on the very next request,
whatever the cache's time-to-live."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.models import Organization
from brokers.services import (
    agent_create,
    broker_create,
    broker_search_text_refresh,
    broker_update,
)
from customs.services import sanction_impose, sanction_lift
from tests.factories import BrokerFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/brokers/"
PAGE = "/brokers/"
# Longer than any test: an answer that outlived a write would be served stale.
FOREVER = 24 * 3600


@pytest.fixture(autouse=True)
def _long_lived_answers(settings: Any) -> None:
    settings.REGISTER_CACHE_SECONDS = FOREVER


def _broker(name: str = "Công ty TNHH Đại lý Sao Mai", **kwargs: Any):
    organization = OrganizationFactory.create(kind=Organization.Kind.BROKER, name=name)
    return BrokerFactory.create(organization=organization, **kwargs)


def _licensed(name: str, license_number: str):
    """A broker licensed through the register's service (which marks the register changed)."""
    return broker_create(
        organization=OrganizationFactory.create(kind=Organization.Kind.BROKER, name=name),
        license_number=license_number,
        issued_on=date(2026, 1, 5),
        valid_until=date(2029, 1, 5),
    )


def _status(client: Client, q: str) -> list[str]:
    return [row["status"] for row in client.get(LIST, {"q": q}).json()["results"]]


def _suspend(broker, starts_on: date | None = None):
    return sanction_impose(
        broker=broker,
        kind="suspension",
        reason="Không nộp báo cáo định kỳ",
        decision_number="12/QĐ-HQ",
        starts_on=starts_on or timezone.localdate(),
        by=UserFactory.create(organization__kind=Organization.Kind.CUSTOMS),
        notify=False,
    )


def test_a_repeated_search_is_answered_without_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    _broker()
    first = client.get(LIST, {"q": "sao mai"}).json()
    client.get(PAGE, {"q": "sao mai"})

    with django_assert_num_queries(0):
        again = client.get(LIST, {"q": "sao mai"}).json()
        page = client.get(PAGE, {"q": "sao mai"})

    assert again == first and again["count"] == 1
    assert "Đại lý Sao Mai" in page.content.decode()


def test_a_search_is_counted_once_whichever_page_is_asked_for(
    client: Client, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for number in range(3):
        _broker(f"Công ty TNHH Đại lý Sao Mai {number}")
    first = client.get(LIST, {"q": "sao mai", "page_size": "2"}).json()
    assert first["count"] == 3
    # The second page is not cached, but the count of its search is: one query, its rows.
    with django_assert_num_queries(1):
        second = client.get(LIST, {"q": "sao mai", "page_size": "2", "page": "2"}).json()
    assert second["count"] == 3 and len(second["results"]) == 1

    # A new broker is counted on the very next request.
    with django_capture_on_commit_callbacks(execute=True):
        _licensed("Công ty TNHH Đại lý Sao Mai 3", "DL-2026-00033")
    assert client.get(LIST, {"q": "sao mai", "page_size": "2", "page": "2"}).json()["count"] == 4


def test_a_suspension_shows_on_the_very_next_request(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    broker = _broker()
    assert _status(client, "sao mai") == ["active"]
    assert 'data-status="suspended"' not in client.get(PAGE, {"q": "sao mai"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        _suspend(broker)

    assert _status(client, "sao mai") == ["suspended"]
    assert 'data-status="suspended"' in client.get(PAGE, {"q": "sao mai"}).content.decode()


def test_a_lifted_sanction_shows_on_the_very_next_request(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    broker = _broker()
    with django_capture_on_commit_callbacks(execute=True):
        sanction = _suspend(broker)
    assert _status(client, "sao mai") == ["suspended"]

    with django_capture_on_commit_callbacks(execute=True):
        sanction_lift(sanction=sanction, reason="Đã khắc phục", by=None, notify=False)

    assert _status(client, "sao mai") == ["active"]


def test_a_new_broker_and_a_renamed_one_are_found_at_once(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    broker = _broker()
    assert client.get(LIST, {"q": "minh khang"}).json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        _licensed("Công ty CP Minh Khang", "DL-2026-00077")
    assert client.get(LIST, {"q": "minh khang"}).json()["count"] == 1

    organization = broker.organization
    organization.name = "Công ty TNHH Đại lý Bình Minh"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        organization.save()
        broker_search_text_refresh(organization=organization)
    assert client.get(LIST, {"q": "sao mai"}).json()["count"] == 0
    assert client.get(LIST, {"q": "binh minh"}).json()["results"][0]["name"] == (
        "Công ty TNHH Đại lý Bình Minh"
    )


def test_a_changed_licence_and_a_new_agent_show_at_once(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    broker = _broker()
    listed = client.get(LIST, {"q": "sao mai"}).json()["results"][0]
    new_end = broker.valid_until + timedelta(days=365)

    with django_capture_on_commit_callbacks(execute=True):
        broker_update(broker=broker, valid_until=new_end)
        agent_create(
            broker=broker, full_name="Trần Văn Khoa", agent_code="NV-77", valid_until=new_end
        )

    again = client.get(LIST, {"q": "sao mai"}).json()["results"][0]
    assert listed["license_valid_until"] != again["license_valid_until"] == new_end.isoformat()
    detail = client.get(f"{LIST}{broker.license_number}/").json()
    assert "Trần Văn Khoa" in [agent["full_name"] for agent in detail["agents"]]


def test_a_write_that_rolls_back_leaves_the_answers(
    client: Client, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    broker = _broker()
    client.get(LIST, {"q": "sao mai"})

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        broker_update(broker=broker, valid_until=broker.valid_until + timedelta(days=1))
        raise RuntimeError

    assert callbacks == []
    with django_assert_num_queries(0):
        client.get(LIST, {"q": "sao mai"})


def test_a_sanction_that_starts_tomorrow_shows_tomorrow(
    client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = _broker()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        _suspend(broker, starts_on=today + timedelta(days=1))
    assert _status(client, "sao mai") == ["active"]

    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=1))

    assert _status(client, "sao mai") == ["suspended"]


def test_answers_name_the_address_and_the_language_they_were_asked_in(
    client: Client, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["registry.example.test", "other.example.test", "testserver"]
    for number in range(30):
        _broker(f"Công ty Đại lý Sao Mai {number}", license_number=f"DL-2026-{number:05d}")

    on_one = client.get(LIST, {"q": "sao mai"}, HTTP_HOST="registry.example.test").json()
    on_other = client.get(LIST, {"q": "sao mai"}, HTTP_HOST="other.example.test").json()
    english = client.get(PAGE, {"q": "sao mai"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    vietnamese = client.get(PAGE, {"q": "sao mai"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert on_one["next"].startswith("http://registry.example.test/")
    assert on_other["next"].startswith("http://other.example.test/")
    assert "30 brokers found" in english and "30 brokers found" not in vietnamese


def test_a_cached_page_carries_each_readers_own_csrf_token(
    client: Client, django_assert_num_queries: Any
) -> None:
    _broker()
    client.get(PAGE, {"q": "sao mai"})
    other = Client()

    with django_assert_num_queries(0):
        mine = client.get(PAGE, {"q": "sao mai"})
        theirs = other.get(PAGE, {"q": "sao mai"})

    for response, reader in ((mine, client), (theirs, other)):
        html = response.content.decode()
        assert "csrfTokenSlot" not in html
        token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        cookie = response.cookies.get("csrftoken") or reader.cookies["csrftoken"]
        # The page's token is the reader's: it unmasks to the secret in their cookie.
        from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]

        assert _unmask_cipher_token(token) == cookie.value
    assert mine.cookies["csrftoken"].value != theirs.cookies["csrftoken"].value
