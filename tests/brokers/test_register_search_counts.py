"""The counts of searches made of the register's common terms (``brokers.terms``): each
broker's bits are the search's own ``LIKE``, and on PostgreSQL the counts kept by the
triggers answer such a search's ``count`` exactly, through every write, without reading a
broker."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from accounts.provinces import Province
from brokers.filters import BrokerFilter
from brokers.models import Broker, BrokerSearchCount
from brokers.pagination import RegisterPaginator, common_terms_count
from brokers.selectors import broker_register
from brokers.services import broker_firm_update
from brokers.terms import COMMON_TERMS, TERM_BITS, terms_mask
from tests.factories import BrokerFactory, OrganizationFactory, SanctionFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the counts by common terms are kept by PostgreSQL triggers only",
)

NAMES = [
    "Công ty TNHH Đại lý Hải quan Sao Việt",
    "Công ty Cổ phần Giao nhận Vận tải Hải Phòng",
    "CTY TNHH MTV Logistics Đông Á",
    "Công ty TNHH Thương mại Dịch vụ Xuất nhập khẩu Bình Minh",
    "Doanh nghiệp tư nhân Tiếp vận Quốc tế",
    "Chi nhánh Thành phố Hồ Chí Minh - Công ty CP Hải quan Miền Nam",
    "Hợp tác xã Vận tải Lý Sơn",
]
SEARCHES = [
    "",
    "cong ty",
    "cty",
    "CÔNG TY TNHH",
    "dai ly hai quan",
    "van tai",
    "co phan",
    "cp hai quan",
    "tp",
    "logistics",
    "ly",
    # Words that are not all common terms: counted by reading the brokers.
    "hai phong",
    "cong ty sao viet",
    "%",
    "_",
]


def _broker(name: str, province: str = Province.HA_NOI) -> Broker:
    organization = OrganizationFactory.create(
        kind=Organization.Kind.BROKER, name=name, province=province
    )
    return BrokerFactory.create(organization=organization)


def _matches(query: dict[str, str]):
    return BrokerFilter(query, queryset=broker_register()).qs


def _counted(query: dict[str, str]) -> int:
    """The number of matches the register's paginator gives (the API's ``count``). The
    writes below bypass the services that move the register's version on: nothing cached."""
    cache.clear()
    return RegisterPaginator(_matches(query), 25).count


def _read(query: dict[str, str]) -> int:
    """The number of matches, read from the brokers themselves."""
    return len(list(_matches(query)))


def test_common_terms_fit_a_positive_bigint_and_have_a_bit_each() -> None:
    assert len(COMMON_TERMS) == len(set(COMMON_TERMS)) <= 62
    assert {"cong ty", "cty", "tnhh", "dai", "ly", "hai", "quan"} <= set(COMMON_TERMS)
    assert terms_mask(("cong ty", "cty")) == TERM_BITS["cong ty"] | TERM_BITS["cty"]
    assert terms_mask(("cong ty", "sao")) is None


def test_a_brokers_flags_are_the_common_terms_its_search_text_contains() -> None:
    for name in NAMES:
        _broker(name)

    for search_text, flags in Broker.objects.values_list("search_text", "search_flags"):
        expected = sum(bit for term, bit in TERM_BITS.items() if term in search_text)
        assert flags == expected, search_text


@on_postgresql
@pytest.mark.parametrize("search", SEARCHES)
def test_the_count_of_a_search_is_the_number_of_brokers_it_lists(search: str) -> None:
    for name in NAMES:
        _broker(name)

    assert _counted({"q": search}) == _read({"q": search})


@on_postgresql
def test_a_search_of_common_terms_is_counted_without_reading_a_broker() -> None:
    for name in NAMES:
        _broker(name)

    with CaptureQueriesContext(connection) as captured:
        count = _counted({"q": "cong ty tnhh"})

    assert count == _read({"q": "cong ty tnhh"}) == 3
    (query,) = captured.captured_queries
    assert "brokers_brokersearchcount" in query["sql"]
    assert 'brokers_broker"' not in query["sql"]


@on_postgresql
@pytest.mark.parametrize(
    "query",
    [{"q": "cong ty", "province": Province.HAI_PHONG}, {"q": "cong ty", "status": "suspended"}],
)
def test_a_search_with_a_filter_is_counted_from_the_brokers(query: dict[str, str]) -> None:
    suspended = _broker("Công ty TNHH Hải Phòng Xanh", province=Province.HAI_PHONG)
    SanctionFactory.create(broker=suspended)
    _broker("Công ty TNHH Hà Nội Xanh")

    assert common_terms_count(_matches(query)) is None
    assert _counted(query) == _read(query) == 1


@on_postgresql
def test_the_counts_follow_every_write_to_the_brokers() -> None:
    renamed = _broker("Công ty TNHH Đại lý Hải quan Sao Việt")
    BrokerFactory.create_batch(3)  # "Công ty TNHH Thử nghiệm N"
    Broker.objects.bulk_create(
        [
            Broker(
                organization=OrganizationFactory.create(kind=Organization.Kind.BROKER),
                license_number=f"DL-9000{number}",
                issued_on=renamed.issued_on,
                valid_until=renamed.valid_until,
                search_text=f" cong ty co phan dai ly hai quan {number} ",
            )
            for number in range(2)
        ]
    )
    assert _counted({"q": "cong ty"}) == 6
    assert _counted({"q": "dai ly hai quan"}) == 3

    broker_firm_update(broker=renamed, name="Doanh nghiệp tư nhân Sao Việt")
    assert _counted({"q": "cong ty"}) == _read({"q": "cong ty"}) == 5
    assert _counted({"q": "dai ly hai quan"}) == 2

    Broker.objects.filter(license_number="DL-90000").delete()
    assert _counted({"q": "dai ly hai quan"}) == _read({"q": "dai ly hai quan"}) == 1
    assert _counted({}) == Broker.objects.count() == 5


@on_postgresql
def test_the_counts_are_the_brokers_by_their_flags() -> None:
    for name in NAMES:
        _broker(name)
    Broker.objects.filter(search_text__contains="hai quan").update(search_text=" renamed ")

    kept = dict(BrokerSearchCount.objects.values_list("flags", "brokers"))
    by_flags: dict[int, int] = {}
    for flags in Broker.objects.values_list("search_flags", flat=True):
        by_flags[flags] = by_flags.get(flags, 0) + 1
    assert kept == by_flags

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE brokers_broker CASCADE")
    assert not BrokerSearchCount.objects.exists()
