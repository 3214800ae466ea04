"""/brokers/export.csv: the filtered list as UTF-8 CSV with a byte-order mark."""

import csv
import io

import pytest

from accounts.models import Organization
from accounts.provinces import Province
from tests.factories import BrokerFactory, OrganizationFactory, SanctionFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    body = b"".join(response) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_export_has_a_bom_a_header_and_the_filtered_rows(client) -> None:
    organization = OrganizationFactory.create(
        kind=Organization.Kind.BROKER,
        name="Công ty Đại lý Hải Phòng",
        tax_code="0100109106",
        province=Province.HAI_PHONG,
    )
    broker = BrokerFactory.create(organization=organization, license_number="HP-01")
    SanctionFactory.create(broker=broker)
    BrokerFactory.create(organization__name="Công ty Hà Nội", license_number="HN-01")

    response = client.get("/brokers/export.csv", {"q": "hai phong"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:3] == ["Licence number", "Name", "Tax code"]
    assert rows[1:] == [
        [
            "HP-01",
            "Công ty Đại lý Hải Phòng",
            "0100109106",
            "Hải Phòng",
            "Suspended",
            broker.issued_on.isoformat(),
            broker.valid_until.isoformat(),
        ]
    ]


def test_export_of_an_empty_result_has_only_the_header(client) -> None:
    BrokerFactory.create()

    rows = _rows(client.get("/brokers/export.csv", {"q": "no such broker"}))

    assert len(rows) == 1


def test_export_in_vietnamese_has_vietnamese_headers(client) -> None:
    BrokerFactory.create()

    rows = _rows(client.get("/brokers/export.csv", headers={"Accept-Language": "vi"}))

    assert rows[0][0] == "Số giấy phép"


def test_register_page_links_to_the_export_with_the_same_filters(client) -> None:
    BrokerFactory.create()

    page = client.get("/brokers/", {"q": "cong", "status": "active", "page": "1"}).content.decode()

    assert "/brokers/export.csv?q=cong&amp;status=active" in page


def test_post_is_not_allowed(client) -> None:
    assert client.post("/brokers/export.csv").status_code == 405
