import pytest
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditAction
from audit.services import audit_record
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


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
    assert '<td title="api_token.create">API token created</td>' in html


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
