"""/brokers/: the public register page, its htmx partial, filters, pagination, query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from accounts.provinces import Province
from tests.factories import BrokerFactory, OrganizationFactory, SanctionFactory

pytestmark = pytest.mark.django_db

URL = "/brokers/"


def _broker(name: str, **kwargs):
    organization = OrganizationFactory.create(
        kind=Organization.Kind.BROKER, name=name, province=kwargs.pop("province", Province.HA_NOI)
    )
    return BrokerFactory.create(organization=organization, **kwargs)


def test_anonymous_visitor_sees_the_register_with_links_to_each_broker(client) -> None:
    broker = _broker("Công ty Đại lý Hải Phòng", license_number="HP-0001")

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Công ty Đại lý Hải Phòng" in page
    assert reverse("brokers:detail", args=["HP-0001"]) in page
    assert broker.organization.tax_code in page
    assert 'hx-get="/brokers/"' in page  # typing updates the results in place
    assert "1 broker found" in page


def test_search_without_diacritics_in_the_url_finds_the_broker(client) -> None:
    _broker("Công ty Đại lý Hải Phòng")
    _broker("Công ty Đại lý Hà Nội")

    page = client.get(URL, {"q": "hai phong"}).content.decode()

    assert "Công ty Đại lý Hải Phòng" in page
    assert "Công ty Đại lý Hà Nội" not in page


def test_htmx_request_gets_only_the_results(client) -> None:
    _broker("Công ty Đại lý Hải Phòng")

    response = client.get(URL, {"q": "hai"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "Công ty Đại lý Hải Phòng" in page
    assert "<html" not in page and "<form" not in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client) -> None:
    _broker("Công ty Đại lý Hải Phòng")

    response = client.get(
        URL,
        {"q": "hai"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    page = response.content.decode()
    assert "<html" in page and 'id="register-results"' in page


def test_filters_by_province_and_status(client) -> None:
    _broker("Công ty Huế Một", province=Province.HUE)
    suspended = _broker("Công ty Huế Hai", province=Province.HUE)
    SanctionFactory.create(broker=suspended, reason="Không nộp báo cáo")
    _broker("Công ty Cần Thơ", province=Province.CAN_THO)

    page = client.get(URL, {"province": "hue", "status": "suspended"}).content.decode()

    assert "Công ty Huế Hai" in page
    assert "Công ty Huế Một" not in page
    assert "Công ty Cần Thơ" not in page
    assert 'data-status="suspended"' in page


def test_unknown_filter_value_shows_a_message_and_ignores_that_filter(client) -> None:
    _broker("Công ty Một")

    response = client.get(URL, {"province": "atlantis", "office": "NOPE"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page
    assert "Công ty Một" in page


def test_pagination_pages_and_out_of_range_page_numbers(client) -> None:
    for number in range(30):
        _broker(f"Công ty {number:02d}", license_number=f"DL-{number:03d}")

    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    beyond = client.get(URL, {"page": 99}).content.decode()
    garbage = client.get(URL, {"page": "abc"}).content.decode()

    assert "Công ty 00" in first and "Công ty 25" not in first
    assert "Page 1 of 2" in first
    assert "Công ty 25" in second and "Công ty 00" not in second
    assert "Page 2 of 2" in beyond  # clamped to the last page, not an error
    assert "Page 1 of 2" in garbage
    filtered = client.get(URL, {"q": "cong ty"}).content.decode()
    assert 'href="?q=cong+ty&amp;page=2"' in filtered  # the next link keeps the search


def test_sort_by_licence_date(client) -> None:
    _broker("Công ty Cũ", issued_on=timezone.localdate() - timedelta(days=900))
    _broker("Công ty Mới", issued_on=timezone.localdate() - timedelta(days=5))

    page = client.get(URL, {"sort": "-issued_on"}).content.decode()

    assert page.index("Công ty Mới") < page.index("Công ty Cũ")


def test_post_is_not_allowed(client) -> None:
    assert client.post(URL).status_code == 405


def test_vietnamese_page(client) -> None:
    _broker("Công ty Một")

    page = client.get(URL, headers={"Accept-Language": "vi"}).content.decode()

    assert "Sổ đăng ký đại lý làm thủ tục hải quan" in page


@pytest.mark.parametrize("count", [3, 25])
def test_query_count_does_not_grow_with_the_page_size(
    client, django_assert_max_num_queries, count: int
) -> None:
    for number in range(count):
        broker = _broker(f"Công ty {number}")
        SanctionFactory.create(broker=broker)

    # count + page rows + the customs offices of the filter
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"q": "cong ty"})
    assert response.status_code == 200


def test_the_register_has_numbered_pages(client) -> None:
    for number in range(25 * 12 + 1):
        BrokerFactory.create(license_number=f"DL-2026-{number:05d}")

    html = client.get("/brokers/", {"page": "3"}).content.decode()

    assert 'aria-current="page"><span class="page-link">3</span>' in html
    for number in (1, 2, 4, 5):
        assert f'page={number}"' in html
    # Pages far from the current one are left out, an ellipsis in their place.
    assert 'page=8"' not in html and "…" in html
    assert 'page=13"' in html and "Page 3 of 13" in html
