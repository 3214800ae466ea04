import re
from typing import Any

import pytest
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditAction
from audit.services import audit_record
from contracts.models import ServiceContract
from contracts.services import contracts_history_record
from tests.factories import (
    BrokerFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    SanctionFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The session, the user and their organisation, the menu's count, the organisations a search
# names, the count and the page of entries (with their organisations): whatever the entries.
QUERIES = 7


@pytest.fixture
def entries() -> dict[str, Organization]:
    customs_officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    mine = OrganizationFactory.create(name="Công ty Của Tôi")
    theirs = OrganizationFactory.create(name="Công ty Người Khác")
    audit_record(
        action=AuditAction.ORGANIZATION_SECURITY_POLICY,
        obj=mine,
        actor=customs_officer,
        organization=mine,
    )
    audit_record(
        action=AuditAction.API_TOKEN_CREATE, obj=theirs, actor=customs_officer, organization=theirs
    )
    return {"mine": mine, "theirs": theirs}


def test_an_organisation_admin_sees_only_entries_about_it(
    client: Client, entries: dict[str, Organization]
) -> None:
    client.force_login(UserFactory.create(organization=entries["mine"], role=User.Role.ADMIN))
    html = client.get("/audit/").content.decode()
    assert "Công ty Của Tôi" in html
    assert "Công ty Người Khác" not in html


def test_customs_sees_every_entry_and_can_filter(
    client: Client, entries: dict[str, Organization]
) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    html = client.get("/audit/").content.decode()
    assert "Công ty Của Tôi" in html and "Công ty Người Khác" in html
    html = client.get("/audit/", {"object_query": "Người Khác"}).content.decode()
    assert "Công ty Của Tôi" not in html and "Công ty Người Khác" in html


def test_staff_of_an_organisation_may_not_read_the_log(
    client: Client, entries: dict[str, Organization]
) -> None:
    client.force_login(UserFactory.create(organization=entries["mine"], role=User.Role.STAFF))
    assert client.get("/audit/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/audit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_date_range_ending_before_it_starts_is_refused(
    client: Client, entries: dict[str, Organization]
) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    response = client.get("/audit/", {"since": "2026-11-20", "until": "2026-11-01"})
    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert "Công ty Của Tôi" not in html


def test_the_log_refuses_post(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    assert client.post("/audit/").status_code == 405


def test_the_action_menu_lists_every_action_in_english_and_vietnamese(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    client.cookies["django_language"] = "en"
    english = client.get("/audit/").content.decode()
    client.cookies["django_language"] = "vi"
    vietnamese = client.get("/audit/").content.decode()
    for action in AuditAction:
        assert f'<option value="{action.value}">' in english
    assert '<option value="contract.confirm">Contract confirmed</option>' in english
    assert '<option value="contract.confirm">Xác nhận hợp đồng</option>' in vietnamese
    assert '<option value="broker.suspend">Tạm dừng hoạt động đại lý</option>' in vietnamese


def test_filtering_by_an_action_keeps_only_its_entries_shown_by_label(
    client: Client, entries: dict[str, Organization]
) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    client.cookies["django_language"] = "en"
    html = client.get("/audit/", {"action": AuditAction.API_TOKEN_CREATE}).content.decode()
    assert "Công ty Người Khác" in html and "Công ty Của Tôi" not in html
    assert '<option value="api_token.create" selected>API token created</option>' in html
    assert '<td data-label="Action">API token created</td>' in html


def test_an_unknown_action_is_a_form_error_not_a_crash(
    client: Client, entries: dict[str, Organization]
) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    client.cookies["django_language"] = "en"
    response = client.get("/audit/", {"action": "broker.explode"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. broker.explode is not one of the available choices." in html
    assert "Công ty Của Tôi" not in html and "Công ty Người Khác" not in html


def test_before_and_after_read_as_the_fields_that_changed(client: Client) -> None:
    trader = OrganizationFactory.create(name="Công ty Sao Việt")
    audit_record(
        action=AuditAction.ORGANIZATION_SECURITY_POLICY,
        obj=trader,
        actor=None,
        organization=trader,
        before={"require_two_factor": False, "password_max_age_days": 90},
        after={"require_two_factor": True, "password_max_age_days": 90},
    )
    client.force_login(UserFactory.create(organization=trader, role=User.Role.ADMIN))
    html = client.get("/audit/").content.decode()
    changes = html[html.index('class="audit-changes"') :].split("</td>")[0]
    assert "require two factor</span>: <del>False</del> → <ins>True</ins>" in changes
    assert "password max age" not in changes  # unchanged, so not listed
    assert "{" not in changes  # no raw JSON


@pytest.fixture
def dealings() -> dict[str, Any]:
    """A broker with a sanction and a contract (a letter issued under it) with one trader,
    and an unrelated trader with a contract of its own with another broker."""
    broker = BrokerFactory.create(
        license_number="DL-2026-00042", organization__name="Đại lý Cảng Hải Phòng"
    )
    contract = ServiceContractFactory.create(
        broker=broker, reference="HĐ-777/2026", trader__name="Công ty Sao Việt"
    )
    letter = LetterOfAuthorityFactory.create(contract=contract, number="LOA-2026-000777")
    other = ServiceContractFactory.create(reference="HĐ-888/2026", trader__name="Công ty Biển Xanh")
    contracts_history_record(contracts=[contract, other], letters=[letter])
    sanction = SanctionFactory.create(broker=broker, decision_number="11/QĐ-HQ")
    audit_record(
        action=AuditAction.BROKER_SUSPEND,
        obj=sanction,
        actor=None,
        organization=broker.organization,
        after={"decision_number": sanction.decision_number},
    )
    return {"broker": broker, "contract": contract, "letter": letter, "other": other}


def _customs(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    client.cookies["django_language"] = "en"


def _rows(html: str) -> str:
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_the_search_by_licence_number_finds_every_entry_about_the_broker(
    client: Client, dealings: dict[str, Any]
) -> None:
    _customs(client)
    for typed in ("DL-2026-00042", "dl-2026-00042", "  DL-2026-00042 "):
        rows = _rows(client.get("/audit/", {"identifier": typed}).content.decode())
        # The contract, its letter (the broker as the other party) and the sanction.
        assert "HĐ-777/2026" in rows and "LOA-2026-000777" in rows
        assert ">Broker suspended</td>" in rows and "Suspension 11/QĐ-HQ" in rows
        assert "HĐ-888/2026" not in rows and "Công ty Biển Xanh" not in rows


def test_the_search_by_tax_code_finds_every_entry_about_the_organisation(
    client: Client, dealings: dict[str, Any]
) -> None:
    _customs(client)
    trader = dealings["contract"].trader
    rows = _rows(client.get("/audit/", {"identifier": trader.tax_code}).content.decode())
    assert rows.count(">Contract uploaded</td>") == 1 and "LOA-2026-000777" in rows
    assert ">Broker suspended</td>" not in rows and "HĐ-888/2026" not in rows
    # A branch's tax code finds it written with or without its dash.
    branch = OrganizationFactory.create(tax_code="0100109106-001", name="Chi nhánh Đà Nẵng")
    audit_record(
        action=AuditAction.ORGANIZATION_SECURITY_POLICY, obj=branch, actor=None, organization=branch
    )
    rows = _rows(client.get("/audit/", {"identifier": "0100109106001"}).content.decode())
    assert "Chi nhánh Đà Nẵng" in rows and "HĐ-777/2026" not in rows


def test_the_search_by_reference_finds_the_contract_or_the_letter(
    client: Client, dealings: dict[str, Any]
) -> None:
    _customs(client)
    rows = _rows(client.get("/audit/", {"identifier": "hđ-777/2026"}).content.decode())
    assert ">Contract uploaded</td>" in rows and ">Contract confirmed</td>" in rows
    assert "LOA-2026-000777" not in rows and "HĐ-888/2026" not in rows
    rows = _rows(client.get("/audit/", {"identifier": "LOA-2026-000777"}).content.decode())
    assert ">Letter of authority issued</td>" in rows and ">Contract uploaded</td>" not in rows
    html = client.get("/audit/", {"identifier": "HĐ-999/2026"}).content.decode()
    assert "No entries match." in html


def test_the_search_keeps_to_what_an_organisation_admin_may_read(
    client: Client, dealings: dict[str, Any]
) -> None:
    other_trader = dealings["other"].trader
    client.force_login(UserFactory.create(organization=other_trader, role=User.Role.ADMIN))
    client.cookies["django_language"] = "en"
    for typed in ("DL-2026-00042", dealings["contract"].trader.tax_code, "HĐ-777/2026"):
        html = client.get("/audit/", {"identifier": typed}).content.decode()
        assert "No entries match." in html and "HĐ-777/2026" not in _rows(html)
    # Its own contract is found by its own tax code.
    rows = _rows(client.get("/audit/", {"identifier": other_trader.tax_code}).content.decode())
    assert "HĐ-888/2026" in rows and "HĐ-777/2026" not in rows


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("D" * 65, "Ensure this value has at most 64 characters (it has 65)."),
        ("HĐ-777/2026\u2028DL-2026-00042", "This field is one line of text: remove the line"),
    ],
)
def test_overlong_or_multi_line_search_text_is_a_message_and_no_entries(
    client: Client, dealings: dict[str, Any], typed: str, message: str
) -> None:
    _customs(client)
    response = client.get("/audit/", {"identifier": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "No entries match." in html


@pytest.mark.parametrize("typed", ["DL-2026\x0000042", "HĐ-777\x1b/2026", "HĐ-777/2026\nDL-1"])
def test_control_characters_in_the_search_are_refused_with_a_message(
    client: Client, dealings: dict[str, Any], typed: str
) -> None:
    _customs(client)
    response = client.get("/audit/", {"identifier": typed})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The address contains control characters." in html
    assert "HĐ-777/2026</td>" not in html


@pytest.mark.parametrize("typed", ["%", "_", "' OR 1=1 --", "0100109107", "*"])
def test_wildcards_and_near_tax_codes_match_nothing(
    client: Client, dealings: dict[str, Any], typed: str
) -> None:
    _customs(client)
    response = client.get("/audit/", {"identifier": typed})
    assert response.status_code == 200
    assert "No entries match." in response.content.decode()


def test_no_internal_action_or_object_type_reaches_the_reader(
    client: Client, dealings: dict[str, Any]
) -> None:
    _customs(client)
    for language in ("en", "vi"):
        client.cookies["django_language"] = language
        html = client.get("/audit/").content.decode()
        # The menus send the stored values; what a reader sees is everything else.
        options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)
        shown = re.sub(r'<option value="[^"]*"', "<option", html)
        for action in AuditAction:
            assert action.value not in shown
        assert "contracts.servicecontract" not in shown and "brokers.sanction" not in shown
        for value, label in options:
            assert label and label != value and "." not in label and "_" not in label
    client.cookies["django_language"] = "en"
    assert ">Contract confirmed</td>" in client.get("/audit/").content.decode()


def test_the_page_takes_a_fixed_number_of_queries(
    client: Client, dealings: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    _customs(client)
    for typed in ("", "DL-2026-00042", dealings["contract"].trader.tax_code, "HĐ-777/2026"):
        with django_assert_max_num_queries(QUERIES):
            client.get("/audit/", {"identifier": typed})
    for _ in range(20):
        ServiceContractFactory.create(broker=dealings["broker"])
    contracts_history_record(
        contracts=ServiceContract.objects.filter(broker=dealings["broker"]), letters=[]
    )
    with django_assert_max_num_queries(QUERIES):
        rows = _rows(client.get("/audit/", {"identifier": "DL-2026-00042"}).content.decode())
    assert rows.count(">Contract uploaded</td>") == 22
