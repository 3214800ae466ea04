"""GET /api/v1/brokers/ and /api/v1/brokers/{license_number}/: public, read-only, throttled."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from accounts.models import Organization
from accounts.provinces import Province
from tests.factories import (
    BrokerAgentFactory,
    BrokerFactory,
    CustomsOfficeFactory,
    OrganizationFactory,
    SanctionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/brokers/"
# The throttle keeps its counters in the cache; an in-memory one keeps them out of the
# query counts, which pin the register's own queries.
IN_MEMORY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _broker(name: str, province: str = Province.HA_NOI, **kwargs):
    organization = OrganizationFactory.create(
        kind=Organization.Kind.BROKER, name=name, province=province
    )
    return BrokerFactory.create(organization=organization, **kwargs)


def test_anonymous_list_has_the_contract_fields(client) -> None:
    broker = _broker("Công ty Đại lý Hải Phòng", province=Province.HAI_PHONG, license_number="HP-1")

    response = client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert body["results"] == [
        {
            "license_number": "HP-1",
            "name": "Công ty Đại lý Hải Phòng",
            "tax_code": broker.organization.tax_code,
            "province": "hai-phong",
            "status": "active",
            "license_issued_on": broker.issued_on.isoformat(),
            "license_valid_until": broker.valid_until.isoformat(),
        }
    ]


def test_q_ignores_case_and_diacritics(client) -> None:
    _broker("Công ty Đại lý Hải Phòng", license_number="HP-1")
    _broker("Công ty Đại lý Hà Nội", license_number="HN-1")

    for query in ("hai phong", "HẢI PHÒNG", "HP-1", "hp-1"):
        results = client.get(LIST, {"q": query}).json()["results"]
        assert [r["license_number"] for r in results] == ["HP-1"], query


def test_province_and_status_filters(client) -> None:
    _broker("Công ty Huế", province=Province.HUE, license_number="H-1")
    revoked = _broker("Công ty Huế Hai", province=Province.HUE, license_number="H-2")
    SanctionFactory.create(broker=revoked, kind="revocation")
    _broker("Công ty Cần Thơ", province=Province.CAN_THO, license_number="C-1")

    hue = client.get(LIST, {"province": "hue"}).json()
    revoked_in_hue = client.get(LIST, {"province": "hue", "status": "revoked"}).json()

    assert sorted(r["license_number"] for r in hue["results"]) == ["H-1", "H-2"]
    assert [r["license_number"] for r in revoked_in_hue["results"]] == ["H-2"]
    assert revoked_in_hue["results"][0]["status"] == "revoked"


def test_bad_filter_values_answer_400_with_the_field(client) -> None:
    body = client.get(LIST, {"province": "atlantis", "status": "sleeping"}).json()

    assert set(body) == {"province", "status"}
    assert "atlantis" in body["province"][0]


def test_pagination_and_out_of_range_page(client) -> None:
    for number in range(25):
        _broker(f"Công ty {number:02d}", license_number=f"DL-{number:02d}")

    first = client.get(LIST).json()
    second = client.get(LIST, {"page": 2}).json()

    assert first["count"] == 25 and len(first["results"]) == 20
    assert first["next"].endswith("page=2")
    assert [r["license_number"] for r in second["results"]] == [f"DL-{n}" for n in range(20, 25)]
    assert client.get(LIST, {"page": 3}).status_code == 404
    assert client.get(LIST, {"page": "abc"}).status_code == 404


def test_detail_has_agents_sanctions_and_offices(client) -> None:
    broker = _broker("Công ty Sao Mai", license_number="DL-42")
    broker.customs_offices.set(
        [CustomsOfficeFactory.create(code="03CE", name="Hải quan Hải Phòng")]
    )
    BrokerAgentFactory.create(broker=broker, full_name="Nguyễn Thị Lan", agent_code="NV01")
    yesterday = timezone.localdate() - timedelta(days=1)
    BrokerAgentFactory.create(
        broker=broker, agent_code="NV02", status="withdrawn", withdrawn_on=yesterday
    )
    SanctionFactory.create(
        broker=broker,
        decision_number="12/QĐ-HQ",
        reason="Không nộp báo cáo",
        starts_on=timezone.localdate() - timedelta(days=100),
        ends_on=timezone.localdate() - timedelta(days=50),
    )

    body = client.get("/api/v1/brokers/DL-42/").json()

    assert body["license_number"] == "DL-42" and body["name"] == "Công ty Sao Mai"
    assert body["status"] == "active"
    assert body["customs_offices"] == [
        {"code": "03CE", "name": "Hải quan Hải Phòng", "province": "hai-phong"}
    ]
    assert [(a["agent_code"], a["status"]) for a in body["agents"]] == [
        ("NV01", "active"),
        ("NV02", "withdrawn"),
    ] or [(a["agent_code"], a["status"]) for a in body["agents"]] == [
        ("NV02", "withdrawn"),
        ("NV01", "active"),
    ]
    assert body["sanctions"] == [
        {
            "kind": "suspension",
            "reason": "Không nộp báo cáo",
            "decision_number": "12/QĐ-HQ",
            "starts_on": (timezone.localdate() - timedelta(days=100)).isoformat(),
            "ends_on": (timezone.localdate() - timedelta(days=50)).isoformat(),
            "lifted_on": None,
            "lift_reason": "",
            "in_force": False,
        }
    ]


def test_unknown_licence_number_is_a_404(client) -> None:
    _broker("Công ty Một", license_number="DL-1")

    assert client.get("/api/v1/brokers/DL-404/").status_code == 404


def test_the_api_is_read_only(client) -> None:
    _broker("Công ty Một", license_number="DL-1")
    customs = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    client.force_login(customs)

    assert client.post(LIST, {}).status_code == 405
    assert client.delete("/api/v1/brokers/DL-1/").status_code == 405
    assert client.put("/api/v1/brokers/DL-1/", {}).status_code == 405


@override_settings(CACHES=IN_MEMORY_CACHE)
@pytest.mark.parametrize("count", [2, 20])
def test_query_count_does_not_grow_with_the_page_size(
    client, django_assert_max_num_queries, count: int
) -> None:
    for number in range(count):
        SanctionFactory.create(broker=_broker(f"Công ty {number}"))

    # count + page rows, with the status of each row computed in the same query
    with django_assert_max_num_queries(2):
        body = client.get(LIST, {"q": "cong"}).json()
    assert len(body["results"]) == count


@override_settings(CACHES=IN_MEMORY_CACHE)
def test_detail_query_count_does_not_grow_with_agents(client, django_assert_max_num_queries):
    broker = _broker("Công ty Một", license_number="DL-1")
    BrokerAgentFactory.create_batch(15, broker=broker)
    SanctionFactory.create_batch(4, broker=broker)

    # broker + offices + sanctions + agents + current agents
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/brokers/DL-1/").json()
    assert len(body["agents"]) == 15


def test_anonymous_clients_are_throttled(client, monkeypatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    cache.clear()

    statuses = [client.get(LIST).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    classes: list[Any] = list(api_settings.DEFAULT_THROTTLE_CLASSES)
    assert any(issubclass(c, AnonRateThrottle) for c in classes)


def test_api_docs_are_served_from_our_static_files(client) -> None:
    page = client.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()


@pytest.mark.parametrize(
    ("asked", "given"), [("5", 5), ("100", 30), ("1000", 30), ("0", 20), ("-3", 20), ("x", 20)]
)
def test_page_size_is_honoured_up_to_a_maximum(client, asked: str, given: int) -> None:
    for number in range(30):
        _broker(f"Công ty Đại lý {number}")
    body = client.get(LIST, {"page_size": asked}).json()  # 20 by default
    assert len(body["results"]) == given and body["count"] == 30


def test_page_size_has_a_maximum_of_100(client) -> None:
    for number in range(120):
        _broker(f"Công ty Đại lý {number}")
    body = client.get(LIST, {"page_size": "500"}).json()
    assert len(body["results"]) == 100


def test_a_broker_without_an_e_mail_address_gets_an_empty_one(client) -> None:
    broker = _broker("Công ty TNHH Mộc Bài", license_number="DL-2026-90003")
    Organization.objects.filter(pk=broker.organization_id).update(email="")

    body = client.get(f"{LIST}DL-2026-90003/").json()

    assert body["email"] == ""


def _counting_drf_dispatches(monkeypatch) -> list[int]:
    from rest_framework.views import APIView

    calls: list[int] = []
    original = APIView.initial

    def initial(self, request, *args, **kwargs):
        calls.append(1)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "initial", initial)
    return calls


def test_a_cached_answer_is_sent_as_drf_sent_it(client, monkeypatch) -> None:
    _broker("Công ty TNHH Đại lý Hải Phòng")
    drf = _counting_drf_dispatches(monkeypatch)
    first = client.get(LIST, {"q": "hai phong"})
    assert drf == [1]  # computed by DRF
    second = client.get(LIST, {"q": "hai phong"})
    assert drf == [1]  # sent from the cache before DRF
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    assert second.json()["results"][0]["name"] == "Công ty TNHH Đại lý Hải Phòng"
    for header in ("Content-Type", "Allow", "Vary", "Content-Security-Policy"):
        assert second[header] == first[header], header


def test_signed_in_and_other_formats_are_answered_by_drf(client, monkeypatch) -> None:
    _broker("Công ty TNHH Đại lý Hải Phòng")
    client.get(LIST)
    drf = _counting_drf_dispatches(monkeypatch)
    assert client.get(LIST, {"format": "json"}).status_code == 200
    assert client.get(LIST, HTTP_ACCEPT="application/json; indent=2").status_code == 200
    # A bad token is refused (403, the session scheme first), not answered from the cache.
    assert client.get(LIST, HTTP_AUTHORIZATION="Token not-a-token").status_code == 403
    client.force_login(UserFactory.create())
    assert client.get(LIST).status_code == 200
    assert drf == [1, 1, 1, 1]


def test_a_refused_anonymous_client_gets_drfs_answer(client, monkeypatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    cache.clear()
    assert [client.get(LIST).status_code for _ in range(2)] == [200, 200]
    refused = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"].lower()
