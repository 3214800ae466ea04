"""Every public look-up is rate limited per client address, the letter check on its page
as on its API (one count for both), and the address is the one ``accounts.client`` reads:
a forged X-Forwarded-For does not buy more guesses."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from accounts.adapter import AccountAdapter
from tests.factories import BrokerFactory, LetterOfAuthorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    rates = {"anon": "6/minute", "user": "6/minute", "letter_check": "4/minute"}
    for scope, rate in rates.items():
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)
    yield


def test_guessing_letter_codes_on_the_page_is_stopped(client: Client, low_rates: None) -> None:
    statuses = [client.get(f"/letters/verify/GUESS{n:07d}/").status_code for n in range(6)]
    assert statuses == [404, 404, 404, 404, 429, 429]
    refused = client.get("/letters/verify/GUESS0000099/", HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Quá nhiều yêu cầu" in refused.content.decode()  # the 429 page, in Vietnamese


def test_the_page_and_the_api_share_one_count(client: Client, low_rates: None) -> None:
    letter = LetterOfAuthorityFactory.create()
    code = letter.verification_code
    assert client.get(f"/letters/verify/{code}/").status_code == 200
    assert client.get(f"/api/v1/letters/{code}/verify/").status_code == 200
    assert client.get(f"/letters/verify/{code}/").status_code == 200
    assert client.get(f"/api/v1/letters/{code}/verify/").status_code == 200
    assert client.get(f"/letters/verify/{code}/").status_code == 429
    api = client.get(f"/api/v1/letters/{code}/verify/")
    assert api.status_code == 429 and "detail" in api.json()


def test_a_forged_forwarded_for_header_does_not_reset_the_count(
    client: Client, low_rates: None
) -> None:
    statuses = [
        client.get(
            f"/letters/verify/GUESS{n:07d}/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429
    api = client.get("/api/v1/brokers/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert api.status_code == 200  # the register has its own count, not yet spent
    for n in range(5):
        client.get("/api/v1/brokers/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert client.get("/api/v1/brokers/", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429


def test_another_address_has_its_own_count(low_rates: None) -> None:
    first, second = Client(REMOTE_ADDR="192.0.2.10"), Client(REMOTE_ADDR="192.0.2.20")
    for n in range(4):
        first.get(f"/letters/verify/GUESS{n:07d}/")
    assert first.get("/letters/verify/GUESS0000009/").status_code == 429
    assert second.get("/letters/verify/GUESS0000009/").status_code == 404


@pytest.mark.parametrize("path", ["/brokers/", "/brokers/DL-7/", "/brokers/export.csv"])
def test_the_register_pages_are_limited_like_the_api(
    client: Client, low_rates: None, path: str
) -> None:
    BrokerFactory.create(license_number="DL-7")
    statuses = [client.get(path).status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]


def test_sign_in_limits_count_per_the_same_client_address() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert AccountAdapter(request).get_client_ip(request) == "192.0.2.7"


def test_the_count_slides_across_a_windows_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    # 6 requests a minute: 6 at the end of one minute, then at the start of the next the
    # previous minute still weighs almost fully, so a 7th is refused, not a fresh 6 allowed.
    from accounts.api import throttling

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "letter_check", "6/minute")
    clock = [60 * 1000 + 59.0]
    monkeypatch.setattr(throttling.time, "time", lambda: clock[0])
    request = RequestFactory().get("/api/v1/letters/X/verify/", REMOTE_ADDR="192.0.2.9")

    def allowed() -> bool:
        return throttling.LetterCheckRateThrottle().allow_request(request, None)

    assert [allowed() for _ in range(7)] == [True] * 6 + [False]
    clock[0] += 2  # one second into the next minute
    assert allowed() is False
    clock[0] += 58  # the previous minute now weighs 1/60 of its 7
    assert allowed() is True


@pytest.mark.skipif(
    "RedisCache" not in __import__("django.conf").conf.settings.CACHES["default"]["BACKEND"],
    reason="counts round trips to Redis (REDIS_URL=redis://…)",
)
def test_a_throttled_request_costs_one_round_trip_to_redis_whatever_the_rate(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import redis.connection

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "letter_check", "100000/minute")
    sent: list[int] = []
    original = redis.connection.Connection.send_packed_command

    def counting(self: object, command: object, check_health: bool = True) -> None:
        sent.append(1)
        original(self, command, check_health)  # type: ignore[arg-type]

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting)
    from accounts.api.throttling import LetterCheckRateThrottle

    request = RequestFactory().get("/letters/verify/X/", REMOTE_ADDR="192.0.2.10")
    # The first request may open the connection (its handshake is not the throttle's cost).
    assert LetterCheckRateThrottle().allow_request(request, None)
    before = len(sent)
    assert LetterCheckRateThrottle().allow_request(request, None)
    assert len(sent) - before == 1
    for _ in range(500):
        assert LetterCheckRateThrottle().allow_request(request, None)
    # The 502nd request costs what the first did: one send, however many came before.
    before = len(sent)
    assert LetterCheckRateThrottle().allow_request(request, None)
    assert len(sent) - before == 1


@pytest.mark.skipif(
    "RedisCache" not in __import__("django.conf").conf.settings.CACHES["default"]["BACKEND"],
    reason="counts round trips to Redis (REDIS_URL=redis://…)",
)
def test_a_cached_register_answer_costs_one_round_trip_to_redis(
    client: Client, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    import redis.connection

    BrokerFactory.create()
    sent: list[int] = []
    original = redis.connection.Connection.send_packed_command

    def counting(self: object, command: object, check_health: bool = True) -> None:
        sent.append(1)
        original(self, command, check_health)  # type: ignore[arg-type]

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting)
    assert client.get("/api/v1/brokers/", {"q": "cong ty"}).status_code == 200
    before = len(sent)
    with django_assert_num_queries(0):
        assert client.get("/api/v1/brokers/", {"q": "cong ty"}).status_code == 200
    # The anonymous client's count, the register's version and the answer, together.
    assert len(sent) - before == 1
    # The page too: its results and the whole page are read with the count.
    assert client.get("/brokers/", {"q": "cong ty"}).status_code == 200
    before = len(sent)
    with django_assert_num_queries(0):
        page = client.get("/brokers/", {"q": "cong ty"})
    assert page.status_code == 200 and "cong ty" in page.content.decode()
    assert len(sent) - before == 1
