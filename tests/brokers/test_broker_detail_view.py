"""/brokers/<license_number>/: details, status badge, agents, sanctions history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BrokerAgentFactory, BrokerFactory, CustomsOfficeFactory, SanctionFactory

pytestmark = pytest.mark.django_db


def test_page_shows_details_active_agents_and_advice(client) -> None:
    broker = BrokerFactory.create(
        license_number="DL-00042", organization__name="Công ty Đại lý Sao Mai"
    )
    broker.customs_offices.set([CustomsOfficeFactory.create(name="Chi cục Hải quan Đình Vũ")])
    BrokerAgentFactory.create(broker=broker, full_name="Nguyễn Thị Lan", agent_code="NV000101")
    BrokerAgentFactory.create(
        broker=broker,
        full_name="Trần Văn Cũ",
        status="withdrawn",
        withdrawn_on=timezone.localdate() - timedelta(days=1),
    )
    BrokerAgentFactory.create(
        broker=broker, full_name="Lê Hết Hạn", valid_until=timezone.localdate() - timedelta(days=1)
    )

    response = client.get("/brokers/DL-00042/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Công ty Đại lý Sao Mai" in page
    assert broker.organization.tax_code in page
    assert "Chi cục Hải quan Đình Vũ" in page
    assert 'data-status="active"' in page
    assert "Nguyễn Thị Lan" in page and "NV000101" in page
    assert "Trần Văn Cũ" not in page
    assert "Lê Hết Hạn" not in page
    assert "Before you sign a contract with a broker" in page
    assert "No sanction on record." in page


def test_suspended_broker_stands_out_with_reason_and_decision_number(client) -> None:
    broker = BrokerFactory.create(license_number="DL-00099")
    SanctionFactory.create(
        broker=broker,
        reason="Không nộp báo cáo định kỳ",
        decision_number="123/QĐ-HQ",
        starts_on=timezone.localdate() - timedelta(days=2),
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    SanctionFactory.create(
        broker=broker,
        reason="Vi phạm cũ",
        decision_number="7/QĐ-HQ",
        starts_on=timezone.localdate() - timedelta(days=400),
        ends_on=timezone.localdate() - timedelta(days=300),
    )

    page = client.get("/brokers/DL-00099/").content.decode()

    assert 'data-status="suspended"' in page
    alert = page[
        page.index('id="sanction-alert"') : page.index("</div>", page.index('id="sanction-alert"'))
    ]
    assert "This broker's licence is suspended." in alert
    assert "123/QĐ-HQ" in alert and "Không nộp báo cáo định kỳ" in alert
    assert "7/QĐ-HQ" not in alert  # history, not in force
    history = page[page.index('id="sanctions"') :]
    assert "123/QĐ-HQ" in history and "7/QĐ-HQ" in history and "Vi phạm cũ" in history


def test_revoked_broker_says_so(client) -> None:
    broker = BrokerFactory.create(license_number="DL-00100")
    SanctionFactory.create(broker=broker, kind="revocation", decision_number="9/QĐ-TCHQ")

    page = client.get("/brokers/DL-00100/").content.decode()

    assert 'data-status="revoked"' in page
    assert "This broker's licence is revoked." in page
    assert "9/QĐ-TCHQ" in page


def test_unknown_licence_number_is_a_404(client) -> None:
    BrokerFactory.create(license_number="DL-1")

    assert client.get("/brokers/DL-404/").status_code == 404


def test_post_is_not_allowed(client) -> None:
    BrokerFactory.create(license_number="DL-1")

    assert client.post("/brokers/DL-1/").status_code == 405


def test_vietnamese_page(client) -> None:
    BrokerFactory.create(license_number="DL-1")

    page = client.get("/brokers/DL-1/", headers={"Accept-Language": "vi"}).content.decode()

    assert "Trước khi ký hợp đồng với đại lý" in page


def test_query_count_does_not_grow_with_agents_and_sanctions(
    client, django_assert_max_num_queries
) -> None:
    broker = BrokerFactory.create(license_number="DL-1")
    BrokerAgentFactory.create_batch(10, broker=broker)
    SanctionFactory.create_batch(
        5, broker=broker, starts_on=timezone.localdate() - timedelta(days=9)
    )

    with django_assert_max_num_queries(5):
        assert client.get("/brokers/DL-1/").status_code == 200
