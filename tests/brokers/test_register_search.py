"""broker_search: folding of case and diacritics, each filter, sorting."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Organization
from accounts.provinces import Province
from accounts.text import text_fold
from brokers.selectors import broker_search
from tests.factories import (
    BrokerFactory,
    CustomsOfficeFactory,
    OrganizationFactory,
    SanctionFactory,
)

pytestmark = pytest.mark.django_db

API_MINH = "/api/v1/brokers/?q=minh"


def _broker(name: str, tax_code: str = "", province: str = Province.HA_NOI, **kwargs):
    fields = {"kind": Organization.Kind.BROKER, "name": name, "province": province}
    if tax_code:
        fields["tax_code"] = tax_code
    return BrokerFactory.create(organization=OrganizationFactory.create(**fields), **kwargs)


def _numbers(brokers) -> list[str]:
    return [broker.license_number for broker in brokers]


def test_normalize_folds_case_and_vietnamese_diacritics() -> None:
    assert text_fold("Công ty  Cổ phần ĐẠI LÝ Hải Phòng") == "cong ty co phan dai ly hai phong"
    assert text_fold("Đà Nẵng") == "da nang"


@pytest.mark.parametrize(
    "query", ["hai phong", "HẢI PHÒNG", "Hai Phòng", "hải phòng", "  hai   phong "]
)
def test_search_ignores_case_and_diacritics(query: str) -> None:
    hai_phong = _broker("Công ty TNHH Đại lý Hải Phòng", license_number="HP-1")
    _broker("Công ty TNHH Đại lý Hà Nội", license_number="HN-1")

    assert _numbers(broker_search(q=query)) == [hai_phong.license_number]


def test_search_matches_cong_ty_and_dai_ly_without_diacritics() -> None:
    company = _broker("Công ty Cổ phần Đại lý Sài Gòn", license_number="SG-1")
    _broker("Doanh nghiệp tư nhân Bình Minh", license_number="BM-1")

    assert _numbers(broker_search(q="cong ty")) == [company.license_number]
    assert _numbers(broker_search(q="dai ly")) == [company.license_number]


def test_search_matches_the_tax_code_and_the_licence_number() -> None:
    by_tax_code = _broker("Công ty A", tax_code="0100109106", license_number="DL-00777")
    by_licence = _broker("Công ty B", license_number="DL-12345")

    assert _numbers(broker_search(q="0100109106")) == [by_tax_code.license_number]
    assert _numbers(broker_search(q="dl-12345")) == [by_licence.license_number]


def test_every_word_must_match() -> None:
    _broker("Công ty Hải Phòng Xanh", license_number="X-1")
    wanted = _broker("Công ty Hải Phòng Đỏ", license_number="X-2")

    assert _numbers(broker_search(q="hai phong do")) == [wanted.license_number]
    assert _numbers(broker_search(q="hai phong tim")) == []


def test_filter_by_province() -> None:
    in_hue = _broker("Công ty Huế", province=Province.HUE)
    _broker("Công ty Cần Thơ", province=Province.CAN_THO)

    assert _numbers(broker_search(province=Province.HUE)) == [in_hue.license_number]


def test_filter_by_status_uses_the_derived_status() -> None:
    active = _broker("Công ty Một")
    suspended = _broker("Công ty Hai")
    SanctionFactory.create(broker=suspended, starts_on=timezone.localdate() - timedelta(days=3))
    revoked = _broker("Công ty Ba")
    SanctionFactory.create(broker=revoked, kind="revocation", starts_on=timezone.localdate())
    expired = _broker(
        "Công ty Bốn",
        issued_on=timezone.localdate() - timedelta(days=800),
        valid_until=timezone.localdate() - timedelta(days=1),
    )

    assert _numbers(broker_search(status="active")) == [active.license_number]
    assert _numbers(broker_search(status="suspended")) == [suspended.license_number]
    assert _numbers(broker_search(status="revoked")) == [revoked.license_number]
    assert _numbers(broker_search(status="expired")) == [expired.license_number]
    assert {b.license_number: b.status for b in broker_search()} == {  # type: ignore[attr-defined]
        active.license_number: "active",
        suspended.license_number: "suspended",
        revoked.license_number: "revoked",
        expired.license_number: "expired",
    }


def test_filter_by_customs_office() -> None:
    office = CustomsOfficeFactory.create(code="03CE")
    other = CustomsOfficeFactory.create(code="02IK")
    serving = _broker("Công ty Cảng")
    serving.customs_offices.set([office, other])
    _broker("Công ty Khác").customs_offices.set([other])

    assert _numbers(broker_search(office="03CE")) == [serving.license_number]


def test_sort_by_name_and_by_licence_date() -> None:
    today = timezone.localdate()
    old = _broker("Công ty Bình", issued_on=today - timedelta(days=900))
    new = _broker("Công ty An", issued_on=today - timedelta(days=10))
    middle = _broker("Công ty Cường", issued_on=today - timedelta(days=300))

    assert _numbers(broker_search(sort="name")) == _numbers([new, old, middle])
    assert _numbers(broker_search(sort="-issued_on")) == _numbers([new, middle, old])
    assert _numbers(broker_search(sort="issued_on")) == _numbers([old, middle, new])


def test_the_exact_licence_or_tax_code_comes_first_then_whole_words_then_parts() -> None:
    partial = _broker("Công ty TNHH Minhtam Logistics", license_number="DL-00003")
    whole = _broker("Công ty TNHH Tiếp vận Minh", license_number="DL-00002")
    earlier_name = _broker("Công ty TNHH An Minh", license_number="DL-00004")
    exact = _broker(
        "Công ty TNHH Xuất nhập khẩu Zeta", tax_code="0100109106", license_number="DL-00001"
    )

    assert _numbers(broker_search(q="minh")) == [
        earlier_name.license_number,
        whole.license_number,
        partial.license_number,
    ]
    assert _numbers(broker_search(q="dl-00001"))[0] == exact.license_number
    assert _numbers(broker_search(q="0100109106")) == [exact.license_number]
    # Another sort than by name keeps its own order.
    by_date = broker_search(q="minh", sort="issued_on")
    assert [b.issued_on for b in by_date] == sorted(b.issued_on for b in by_date)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("cty sao viet", "Công ty Cổ phần Sao Việt"),
        ("cong ty cp sao viet", "Công ty Cổ phần Sao Việt"),
        ("tnhh hoa mai", "Công ty Trách nhiệm hữu hạn Hoa Mai"),
        ("trach nhiem huu han hoa mai", "Công ty TNHH Hoa Mai"),
        ("cty co phan sao viet", "CTY CP Sao Việt"),
    ],
)
def test_common_abbreviations_are_understood_either_way(query: str, name: str) -> None:
    wanted = _broker(name, license_number="DL-00010")
    _broker("Công ty TNHH Đại lý Hải Phòng", license_number="DL-00011")

    assert _numbers(broker_search(q=query)) == [wanted.license_number]


def test_a_broad_search_is_listed_by_name_rather_than_ranked(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brokers import pagination

    _broker("Công ty TNHH Minhtam", license_number="DL-00001")
    _broker("Công ty TNHH Tiếp vận Minh", license_number="DL-00002")
    ranked = [
        row["license_number"] for row in client.get("/api/v1/brokers/?q=minh").json()["results"]
    ]
    monkeypatch.setattr(pagination, "RANKED_MATCHES_LIMIT", 1)
    cache.clear()
    by_name = [
        row["license_number"] for row in client.get("/api/v1/brokers/?q=minh").json()["results"]
    ]

    assert ranked == ["DL-00002", "DL-00001"]
    assert by_name == ["DL-00001", "DL-00002"]


def test_the_early_pages_of_a_broad_search_list_what_its_later_pages_would(
    client, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries
) -> None:
    from brokers import pagination

    monkeypatch.setattr(pagination, "RANKED_MATCHES_LIMIT", 1)
    for n in range(12):
        _broker(f"Công ty Đại lý Hải quan Số {n:02d}", license_number=f"DL-{n + 1:05d}")
    for n in range(8):
        _broker(f"Công ty Hải quan 50_50 Số {n}", license_number=f"DL-{n + 201:05d}")
    # Left out by both searches, though "50-50" would pass a LIKE reading "_" as a wildcard
    # (and would come first by name).
    _broker("Công ty Hải quan 50-50", license_number="DL-00100")
    _broker("Công ty Vận tải Miền Bắc", license_number="DL-00101")

    def listed(page: int, query: str = "dai ly hai quan") -> list[str]:
        cache.clear()
        body = client.get(f"/api/v1/brokers/?q={query}&page_size=2&page={page}").json()
        return [row["license_number"] for row in body["results"]]

    # Page 1 ends within the first quarter of the 12 matches: it walks the brokers by name;
    # the later pages read the matches through the search index. Both keep the same order.
    with django_assert_max_num_queries(2):
        assert listed(1) == ["DL-00001", "DL-00002"]
    assert [number for page in range(1, 7) for number in listed(page)] == [
        f"DL-{n + 1:05d}" for n in range(12)
    ]
    assert listed(1, "50_50") == ["DL-00201", "DL-00202"]
