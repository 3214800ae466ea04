"""Every field that picks customs offices renders the picker's select (data-office-picker,
its words translated, its script and style linked), and the plain select, posted without
JavaScript, still saves what was chosen."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.models import Organization, User
from brokers.models import Broker
from brokers.widgets import CustomsOfficePicker
from tests.factories import (
    BrokerFactory,
    CustomsOfficeFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _picker(page: str) -> str:
    found = re.search(r'<select name="customs_offices"[^>]*>', page)
    assert found is not None, "no customs office select on the page"
    return found.group(0)


def test_the_widget_marks_its_select_and_carries_its_words_in_the_reader_language() -> None:
    widget = CustomsOfficePicker(choices=[("1", "01AB — Chi cục Hải quan Đình Vũ")])

    with translation.override("vi"):
        html = widget.render("customs_offices", ["1"], attrs={"id": "id_customs_offices"})

    assert "data-office-picker" in html and "multiple" in html
    assert 'data-no-match="Không có chi cục hải quan nào khớp."' in html
    assert 'data-remove="Bỏ chọn %(office)s"' in html
    assert '<option value="1" selected>01AB — Chi cục Hải quan Đình Vũ</option>' in html
    assert str(widget.media) == (
        '<link href="/static/css/office-picker.css" media="all" rel="stylesheet">\n'
        '<script src="/static/js/office-picker.js" defer></script>'
    )


def test_the_contract_upload_page_renders_the_picker_and_its_script(client: Client) -> None:
    CustomsOfficeFactory.create(code="03CE", name="Chi cục Hải quan cửa khẩu cảng Đình Vũ")
    client.force_login(UserFactory.create(organization=BrokerFactory.create().organization))

    page = client.get("/contracts/upload/").content.decode()

    assert "data-office-picker" in _picker(page)
    assert "Chi cục Hải quan cửa khẩu cảng Đình Vũ" in page
    assert '<script src="/static/js/office-picker.js" defer></script>' in page
    assert 'href="/static/css/office-picker.css"' in page


def test_the_letter_issue_page_renders_the_picker(client: Client) -> None:
    contract = ServiceContractFactory.create()
    client.force_login(UserFactory.create(organization=contract.trader, role=User.Role.ADMIN))

    page = client.get(f"/contracts/{contract.pk}/letters/new/").content.decode()

    assert "data-office-picker" in _picker(page)
    assert '<script src="/static/js/office-picker.js" defer></script>' in page


@pytest.fixture
def officer(client: Client) -> User:
    user = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS, is_staff=True)
    client.force_login(user)
    return user


def test_the_register_admin_uses_the_picker_without_the_ctrl_click_hint(
    client: Client, officer: User
) -> None:
    broker = BrokerFactory.create()

    page = client.get(f"/{settings.ADMIN_URL}brokers/broker/{broker.pk}/change/").content.decode()

    assert "data-office-picker" in _picker(page)
    assert "js/office-picker.js" in page
    assert "Hold down" not in page


def test_the_plain_select_posted_without_javascript_saves_exactly_the_offices_chosen(
    client: Client, officer: User
) -> None:
    broker = BrokerFactory.create()
    kept, dropped, added = CustomsOfficeFactory.create_batch(3)
    broker.customs_offices.set([kept, dropped])

    response = client.post(
        f"/{settings.ADMIN_URL}brokers/broker/{broker.pk}/change/",
        {
            "organization": broker.organization.pk,
            "license_number": broker.license_number,
            "issued_on": broker.issued_on.isoformat(),
            "valid_until": broker.valid_until.isoformat(),
            "customs_offices": [kept.pk, added.pk],
            "agents-TOTAL_FORMS": "0",
            "agents-INITIAL_FORMS": "0",
            "sanctions-TOTAL_FORMS": "0",
            "sanctions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    stored = Broker.objects.get(pk=broker.pk).customs_offices.all()
    assert {office.pk for office in stored} == {kept.pk, added.pk}
