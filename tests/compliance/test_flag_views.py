from typing import Any

import pytest
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditEntry
from compliance.models import Flag, FlagEvent, FlagStatus
from compliance.scan import declarations_scan
from tests.compliance.world import World, build_world
from tests.factories import BrokerFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = build_world()
    declarations_scan()
    return world


def officer() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)


def test_customs_sees_every_flag_and_filters_by_kind(client: Client, world: World) -> None:
    client.force_login(officer())
    html = client.get("/flags/").content.decode()
    for key in ("no_contract", "broker_suspended", "unlicensed_declarant"):
        assert world.declarations[key].number in html
    html = client.get("/flags/", {"kind": "signature_misuse"}).content.decode()
    assert world.declarations["signature_misuse"].number in html
    assert world.declarations["no_contract"].number not in html


def test_the_queue_filters_by_trader_broker_status_and_date(client: Client, world: World) -> None:
    client.force_login(officer())
    html = client.get("/flags/", {"trader": "Không Hợp Đồng"}).content.decode()
    assert world.declarations["no_contract"].number in html
    assert world.declarations["signature_misuse"].number not in html
    html = client.get("/flags/", {"broker": world.suspended_broker.license_number}).content.decode()
    assert world.declarations["broker_suspended"].number in html
    assert world.declarations["no_contract"].number not in html
    html = client.get("/flags/", {"status": "resolved"}).content.decode()
    assert "No flags match." in html
    html = client.get("/flags/", {"since": "2000-01-01", "until": "2000-01-31"}).content.decode()
    assert "No flags match." in html


def test_a_date_range_ending_before_it_starts_is_refused(client: Client, world: World) -> None:
    client.force_login(officer())
    html = client.get("/flags/", {"since": "2026-11-20", "until": "2026-11-01"}).content.decode()
    assert "The end date is before the start date." in html
    assert world.declarations["no_contract"].number not in html


def test_a_trader_sees_only_the_flags_on_its_declarations(client: Client, world: World) -> None:
    client.force_login(UserFactory.create(organization=world.trader))
    html = client.get("/flags/").content.decode()
    assert world.declarations["signature_misuse"].number in html
    assert world.declarations["no_contract"].number not in html  # another trader's
    other = Flag.objects.get(kind="no_contract")
    assert client.get(f"/flags/{other.pk}/").status_code == 404
    assert client.post(f"/flags/{other.pk}/note/", {"note": "x"}).status_code == 404
    assert not FlagEvent.objects.exists()


def test_a_broker_sees_only_the_flags_on_declarations_it_filed(
    client: Client, world: World
) -> None:
    client.force_login(UserFactory.create(organization=world.suspended_broker.organization))
    html = client.get("/flags/").content.decode()
    assert world.declarations["broker_suspended"].number in html
    assert world.declarations["signature_misuse"].number not in html
    stranger = UserFactory.create(organization=BrokerFactory.create().organization)
    client.force_login(stranger)
    flag = Flag.objects.get(kind="broker_suspended")
    assert client.get(f"/flags/{flag.pk}/").status_code == 404


def test_the_flag_page_shows_declaration_contract_sanctions_and_letters(
    client: Client, world: World
) -> None:
    client.force_login(officer())
    flag = Flag.objects.get(kind="broker_suspended")
    html = client.get(f"/flags/{flag.pk}/").content.decode()
    assert world.declarations["broker_suspended"].number in html
    assert "in force that day" in html
    sanction = world.suspended_broker.sanctions.get()
    assert sanction.decision_number in html
    assert "AG-SUSP" in html
    flag = Flag.objects.get(kind="no_contract")
    assert "No contract on file." in client.get(f"/flags/{flag.pk}/").content.decode()


def test_customs_resolves_a_flag_with_a_note_on_the_record(client: Client, world: World) -> None:
    user = officer()
    client.force_login(user)
    flag = Flag.objects.get(kind="no_contract")
    response = client.post(
        f"/flags/{flag.pk}/action/", {"action": "resolved", "note": "Hợp đồng đã bổ sung"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED
    assert flag.resolved_by == user and flag.resolved_at is not None
    event = flag.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("open", "resolved", user)
    assert AuditEntry.objects.filter(action="flag.resolved", object_id=str(flag.pk)).exists()
    html = client.get(f"/flags/{flag.pk}/").content.decode()
    assert "Hợp đồng đã bổ sung" in html and "This flag is closed." in html


def test_a_decision_without_a_note_or_on_a_closed_flag_changes_nothing(
    client: Client, world: World
) -> None:
    client.force_login(officer())
    flag = Flag.objects.get(kind="no_contract")
    response = client.post(f"/flags/{flag.pk}/action/", {"action": "dismissed", "note": " "})
    assert response.status_code == 400
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    client.post(f"/flags/{flag.pk}/action/", {"action": "dismissed", "note": "Trùng lặp"})
    response = client.post(f"/flags/{flag.pk}/action/", {"action": "acknowledged", "note": "x"})
    assert response.status_code == 400
    assert "cannot be changed" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    assert flag.events.count() == 1


def test_traders_and_brokers_may_not_decide(client: Client, world: World) -> None:
    flag = Flag.objects.get(kind="signature_misuse")
    for user in (
        UserFactory.create(organization=world.trader, role=User.Role.ADMIN),
        UserFactory.create(organization=world.broker.organization, role=User.Role.ADMIN),
    ):
        client.force_login(user)
        response = client.post(f"/flags/{flag.pk}/action/", {"action": "resolved", "note": "x"})
        assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_a_trader_adds_a_note_and_the_status_stays(client: Client, world: World) -> None:
    user = UserFactory.create(organization=world.trader)
    client.force_login(user)
    flag = Flag.objects.get(kind="signature_misuse")
    response = client.post(f"/flags/{flag.pk}/note/", {"note": "Chúng tôi không ủy quyền chữ ký"})
    assert response.status_code == 302
    event = flag.events.get()
    assert event.actor == user and event.to_status == ""
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    html = client.get(f"/flags/{flag.pk}/").content.decode()
    assert "Chúng tôi không ủy quyền chữ ký" in html
    assert "Save decision" not in html


def test_an_empty_note_is_refused(client: Client, world: World) -> None:
    client.force_login(UserFactory.create(organization=world.trader))
    flag = Flag.objects.get(kind="signature_misuse")
    assert client.post(f"/flags/{flag.pk}/note/", {"note": ""}).status_code == 400
    assert not flag.events.exists()


def test_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    flag = Flag.objects.first()
    assert flag is not None
    for url in ("/flags/", f"/flags/{flag.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_without_organisation_may_not_see_flags(client: Client, world: World) -> None:
    client.force_login(UserFactory.create(organization=None))
    assert client.get("/flags/").status_code == 403


def test_wrong_methods_are_refused(client: Client, world: World) -> None:
    client.force_login(officer())
    flag = Flag.objects.first()
    assert flag is not None
    assert client.post("/flags/").status_code == 405
    assert client.get(f"/flags/{flag.pk}/action/").status_code == 405


def test_the_queue_runs_a_bounded_number_of_queries(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(officer())
    with django_assert_max_num_queries(8):
        client.get("/flags/")


def test_other_organisation_kinds_do_not_reach_flags(client: Client, world: World) -> None:
    client.force_login(UserFactory.create(organization=OrganizationFactory.create()))
    html = client.get("/flags/").content.decode()
    assert "No flags match." in html


def test_the_queue_and_a_flag_read_in_vietnamese(client: Client, world: World) -> None:
    client.force_login(officer())
    client.cookies["django_language"] = "vi"
    html = client.get("/flags/").content.decode()
    assert "Cảnh báo tuân thủ" in html
    assert "không có hợp đồng" in html
    flag = Flag.objects.get(kind="no_contract")
    html = client.get(f"/flags/{flag.pk}/").content.decode()
    assert "Không có hợp đồng trong hồ sơ." in html
    assert "Lưu quyết định" in html
