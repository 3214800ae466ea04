import pytest
from django.test import Client

from accounts.models import Organization, User
from brokers.models import Sanction
from tests.customs.conftest import BrokerWithClients
from tests.factories import BrokerFactory, SanctionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_broker_list_shows_each_broker_with_its_status(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    suspended = BrokerFactory.create(license_number="DL-0099")
    SanctionFactory.create(broker=suspended)
    client.force_login(officer)
    html = client.get("/customs/brokers/").content.decode()
    assert "DL-0042" in html and "DL-0099" in html
    html = client.get("/customs/brokers/", {"status": "suspended"}).content.decode()
    assert "DL-0099" in html and "DL-0042" not in html
    html = client.get("/customs/brokers/", {"q": "hải phòng"}).content.decode()
    assert "DL-0042" in html and "DL-0099" not in html


def test_the_broker_list_runs_in_constant_queries(
    client: Client, officer: User, django_assert_max_num_queries
) -> None:
    BrokerFactory.create_batch(30)
    client.force_login(officer)
    with django_assert_max_num_queries(6):
        response = client.get("/customs/brokers/")
    assert response.content.decode().count("/customs/brokers/DL-") == 30


def test_the_broker_page_shows_status_consequences_sanctions_and_agents(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    SanctionFactory.create(
        broker=broker_with_clients.broker,
        kind=Sanction.Kind.SUSPENSION,
        decision_number="5/QĐ-HQ",
        starts_on="2025-01-01",
        ends_on="2025-02-01",
    )
    client.force_login(officer)
    html = client.get("/customs/brokers/DL-0042/").content.decode()
    assert "Đại lý Hải Phòng" in html
    assert "Active" in html
    assert "2 traders hold contracts in force with this broker." in html
    assert "3 letters of authority to its agents are live." in html
    assert "5/QĐ-HQ" in html
    assert "NV-A1" in html and "/customs/brokers/DL-0042/agents/NV-A1/withdraw/" in html


def test_after_a_suspension_the_page_offers_lift_and_counts_no_live_letter(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    from django.utils import timezone

    from customs.services import sanction_impose

    sanction = sanction_impose(
        broker=broker_with_clients.broker,
        kind=Sanction.Kind.SUSPENSION,
        reason="Không nộp báo cáo định kỳ",
        decision_number="77/QĐ-HQ",
        starts_on=timezone.localdate(),
        by=None,
        notify=False,
    )
    client.force_login(officer)
    html = client.get("/customs/brokers/DL-0042/").content.decode()
    today = html[html.index('id="consequences"') : html.index("</div></div>")]
    lift = f"/customs/brokers/DL-0042/sanctions/{sanction.pk}/lift/"
    assert f'id="lift-{sanction.pk}" href="{lift}"' in today and "Lift · 77/QĐ-HQ" in today
    assert "letters of authority to its agents are live" not in html
    assert "No letter of authority to its agents verifies while the broker is not active" in html
    assert "3 letters are held" in html
    agents = html[html.index('id="agents"') :]
    assert "<td>0 <small" in agents and "(2 held)" in agents and "(1 held)" in agents


def test_an_unknown_licence_is_404(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.get("/customs/brokers/DL-NOPE/").status_code == 404


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
@pytest.mark.parametrize("url", ["/customs/brokers/", "/customs/brokers/DL-0042/"])
def test_only_customs_officers_see_the_customs_pages(
    client: Client, broker_with_clients: BrokerWithClients, kind: str, url: str
) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    assert client.get(url).status_code == 403


def test_the_broker_itself_may_not_open_its_customs_page(
    client: Client, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(broker_with_clients.broker_admin)
    assert client.get("/customs/brokers/DL-0042/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/customs/brokers/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_pages_refuse_post(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.post("/customs/brokers/").status_code == 405


def test_the_broker_page_speaks_vietnamese(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    html = client.get("/customs/brokers/DL-0042/", headers={"accept-language": "vi"}).content
    text = html.decode()
    assert "Thu hồi giấy phép" in text and "Biện pháp xử lý" in text
    assert "2 doanh nghiệp có hợp đồng còn hiệu lực với đại lý này." in text
