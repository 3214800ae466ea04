from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brokers.models import Broker, BrokerAgent
from brokers.services import broker_update
from contracts.models import LetterOfAuthority
from tests.factories import LetterOfAuthorityFactory, SanctionFactory, ServiceContractFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def letter() -> LetterOfAuthority:
    return LetterOfAuthorityFactory.create(
        contract__trader__name="Công ty Cổ phần Thủy sản Cà Mau",
        agent__full_name="Trương Văn Bảo",
        verification_code="K7M2Q9X4HT3B",
    )


def _api(client: Client, code: str):  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/letters/{code}/verify/")


def test_a_valid_letter_verifies_on_the_page_and_the_api(
    client: Client, letter: LetterOfAuthority
) -> None:
    page = client.get(f"/letters/verify/{letter.verification_code}/").content.decode()
    assert "Valid today" in page and "Not valid today" not in page
    assert "Công ty Cổ phần Thủy sản Cà Mau" in page and "Trương Văn Bảo" in page
    assert letter.number in page
    assert letter.contract.document_sha256 not in page  # not what the counter needs
    data = _api(client, letter.verification_code).json()
    assert data["valid"] is True
    assert data["status"] == "issued"
    assert data["number"] == letter.number
    assert data["trader"] == {
        "name": "Công ty Cổ phần Thủy sản Cà Mau",
        "tax_code": letter.contract.trader.tax_code,
    }
    assert data["broker"]["license_number"] == letter.contract.broker.license_number
    assert data["agent"] == {"full_name": "Trương Văn Bảo", "agent_code": letter.agent.agent_code}
    assert data["valid_from"] == letter.valid_from.isoformat()
    assert data["valid_until"] == letter.valid_until.isoformat()


def test_the_code_is_read_case_insensitively(client: Client, letter: LetterOfAuthority) -> None:
    assert _api(client, letter.verification_code.lower()).json()["valid"] is True


def test_a_revoked_letter_does_not_verify(client: Client, letter: LetterOfAuthority) -> None:
    letter.status = LetterOfAuthority.Status.REVOKED
    letter.revoked_at = timezone.now()
    letter.revocation_reason = "Đổi nhân viên"
    letter.save()
    page = client.get(f"/letters/verify/{letter.verification_code}/").content.decode()
    assert "Not valid today" in page and "The trader revoked this letter." in page
    data = _api(client, letter.verification_code).json()
    assert data["valid"] is False and data["status"] == "revoked"


def test_an_expired_letter_does_not_verify(client: Client) -> None:
    contract = ServiceContractFactory.create(
        signed_on=TODAY - timedelta(days=400),
        valid_from=TODAY - timedelta(days=400),
        valid_until=TODAY - timedelta(days=10),
    )
    letter = LetterOfAuthorityFactory.create(contract=contract)
    assert (
        "Not valid today"
        in client.get(f"/letters/verify/{letter.verification_code}/").content.decode()
    )
    data = _api(client, letter.verification_code).json()
    assert data["valid"] is False and data["status"] == "issued"


def test_a_suspended_broker_or_withdrawn_agent_stops_the_letter(
    client: Client, letter: LetterOfAuthority
) -> None:
    SanctionFactory.create(broker=letter.contract.broker, starts_on=TODAY)
    assert _api(client, letter.verification_code).json()["valid"] is False
    other = LetterOfAuthorityFactory.create()
    BrokerAgent.objects.filter(pk=other.agent_id).update(
        status=BrokerAgent.Status.WITHDRAWN, withdrawn_on=TODAY, withdrawal_reason="Nghỉ"
    )
    assert _api(client, other.verification_code).json()["valid"] is False


def test_an_expired_licence_stops_the_letter_like_a_suspension(
    client: Client, letter: LetterOfAuthority
) -> None:
    broker = letter.contract.broker
    Broker.objects.filter(pk=broker.pk).update(valid_until=TODAY - timedelta(days=1))
    page = client.get(f"/letters/verify/{letter.verification_code}/").content.decode()
    assert "Not valid today" in page
    assert _api(client, letter.verification_code).json()["valid"] is False
    # Renewed, the licence makes the same letter valid again.
    broker.refresh_from_db()
    broker_update(broker=broker, valid_until=TODAY + timedelta(days=365))
    assert _api(client, letter.verification_code).json()["valid"] is True


def _reasons_shown(client: Client, letter: LetterOfAuthority) -> tuple[list[str], str]:
    """The reasons the public page gives, and the class of the letter's status badge."""
    page = client.get(f"/letters/verify/{letter.verification_code}/").content.decode()
    reasons = [chunk.split('"', 1)[0] for chunk in page.split('data-reason="')[1:]]
    badge = page.split('data-testid="letter-status"')[0].rsplit('class="', 1)[1]
    return reasons, badge


@pytest.mark.parametrize(
    ("change", "reason", "words"),
    [
        ("revoke", "revoked", "The trader revoked this letter."),
        ("expire", "expired", "Its period has ended: the letter has expired."),
        ("suspend", "broker_suspended", "The broker is suspended."),
        ("withdraw", "agent_withdrawn", "Customs withdrew the agent's code."),
    ],
)
def test_the_check_says_why_a_letter_is_not_valid_and_shows_no_green_badge(
    client: Client, letter: LetterOfAuthority, change: str, reason: str, words: str
) -> None:
    if change == "revoke":
        LetterOfAuthority.objects.filter(pk=letter.pk).update(
            status=LetterOfAuthority.Status.REVOKED,
            revoked_at=timezone.now(),
            revocation_reason="Đổi nhân viên",
        )
    elif change == "expire":
        LetterOfAuthority.objects.filter(pk=letter.pk).update(
            valid_from=TODAY - timedelta(days=20), valid_until=TODAY - timedelta(days=1)
        )
    elif change == "suspend":
        SanctionFactory.create(broker=letter.contract.broker, starts_on=TODAY)
    else:
        BrokerAgent.objects.filter(pk=letter.agent_id).update(
            status=BrokerAgent.Status.WITHDRAWN, withdrawn_on=TODAY, withdrawal_reason="Nghỉ"
        )
    reasons, badge = _reasons_shown(client, letter)
    assert reasons == [reason]
    assert "bg-success" not in badge
    page = client.get(f"/letters/verify/{letter.verification_code}/").content.decode()
    assert words.replace("'", "&#x27;") in page and "alert-success" not in page
    data = _api(client, letter.verification_code).json()
    assert data["valid"] is False and data["reasons"] == [reason]


def test_a_valid_letter_gives_no_reason_and_a_green_badge(
    client: Client, letter: LetterOfAuthority
) -> None:
    reasons, badge = _reasons_shown(client, letter)
    assert reasons == [] and "bg-success" in badge
    assert _api(client, letter.verification_code).json()["reasons"] == []


def test_an_unknown_code_answers_404_without_hints(
    client: Client, letter: LetterOfAuthority
) -> None:
    near = letter.verification_code[:-1] + "Z"
    response = client.get(f"/letters/verify/{near}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No letter of authority has this code." in html
    assert letter.number not in html and letter.verification_code not in html
    api = _api(client, near)
    assert api.status_code == 404
    assert letter.verification_code not in api.content.decode()


def test_post_is_refused(client: Client, letter: LetterOfAuthority) -> None:
    assert client.post(f"/letters/verify/{letter.verification_code}/").status_code == 405
    assert client.post(f"/api/v1/letters/{letter.verification_code}/verify/").status_code == 405


def test_the_check_speaks_vietnamese(client: Client, letter: LetterOfAuthority) -> None:
    html = client.get(
        f"/letters/verify/{letter.verification_code}/", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert "Kiểm tra giấy ủy quyền" in html and "Có hiệu lực hôm nay" in html
    unknown = client.get("/letters/verify/NOSUCHCODE22/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Không có giấy ủy quyền nào có mã này." in unknown.content.decode()


def test_the_check_takes_a_fixed_number_of_queries(
    client: Client, letter: LetterOfAuthority, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(4):
        client.get(f"/letters/verify/{letter.verification_code}/")
    with CaptureQueriesContext(connection) as captured:
        _api(client, letter.verification_code)
    # Leaving out the throttle's reads and writes of the database cache (Redis in production).
    own = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    own = [sql for sql in own if "django_cache" not in sql]
    assert len(own) == 3  # the letter with its parties, its offices, the sanctions
