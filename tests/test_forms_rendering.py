"""Every form is drawn by the site's form renderer (config/forms.py): Bootstrap's class on
each widget, and on a field with an error ``is-invalid`` and an ``aria-describedby`` that
names the message shown under it, for our own forms and allauth's alike."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from accounts.provinces import Province
from tests.factories import BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db


VOID_ELEMENTS = {"area", "base", "br", "col", "hr", "img", "input", "link", "meta", "source"}


class _Page(HTMLParser):
    """The attributes and the text of each element of a page that has an id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.attrs: dict[str, dict[str, str]] = {}
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []  # the id of each open element, if it has one
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        element = values.get("id")
        if element:
            self.attrs[element] = values
            self.text[element] = ""
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element in self._open:
            if element:
                self.text[element] += data

    def classes(self, element: str) -> set[str]:
        return set(self.attrs[element].get("class", "").split())


def test_a_plain_form_carries_bootstrap_classes_and_names_its_messages(client: Client) -> None:
    BrokerFactory.create(license_number="DL-0042")
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    url = "/customs/brokers/DL-0042/sanction/"

    page = _Page(client.get(url).content.decode())

    assert "form-select" in page.classes("id_kind")
    assert "form-control" in page.classes("id_reason")
    assert "is-invalid" not in page.classes("id_reason")
    assert page.attrs["id_ends_on"]["aria-describedby"] == "id_ends_on_helptext"
    assert "suspension until further notice" in page.text["id_ends_on_helptext"]

    data = {"kind": "suspension", "reason": "", "decision_number": "12/QĐ-HQ"}
    page = _Page(client.post(url, {**data, "starts_on": timezone.localdate()}).content.decode())

    assert {"form-control", "is-invalid"} <= page.classes("id_reason")
    assert page.attrs["id_reason"]["aria-describedby"] == "id_reason_error"
    assert page.attrs["id_reason"]["aria-invalid"] == "true"
    assert "This field is required." in page.text["id_reason_error"]
    assert "is-invalid" not in page.classes("id_decision_number")


def test_an_allauth_form_is_drawn_the_same_way(client: Client) -> None:
    page = _Page(client.get(reverse("account_login")).content.decode())
    assert "form-control" in page.classes("id_login")
    assert "form-check-input" in page.classes("id_remember")

    response = client.post(
        reverse("account_signup"),
        {
            "organization_name": "Công ty TNHH Hải Đăng",
            "tax_code": "0100109107",
            "province": Province.DA_NANG,
            "full_name": "Phạm Hải Đăng",
            "email": "pham.ketoan@haidang.vn",
            "password1": "những con thuyền trên sông Hàn",
            "password2": "những con thuyền trên sông Hàn",
        },
    )
    page = _Page(response.content.decode())

    assert {"form-control", "is-invalid"} <= page.classes("id_tax_code")
    assert page.attrs["id_tax_code"]["aria-describedby"] == "id_tax_code_helptext id_tax_code_error"
    assert "check digit is wrong" in page.text["id_tax_code_error"]
    assert "10 digits" in page.text["id_tax_code_helptext"]
    assert "form-select" in page.classes("id_province")
    assert "is-invalid" not in page.classes("id_email")


def test_the_filter_bars_draw_small_controls(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))

    page = _Page(client.get("/flags/", {"kind": "everything"}).content.decode())

    assert {"form-select", "form-select-sm", "is-invalid"} <= page.classes("id_kind")
    assert {"form-control", "form-control-sm"} <= page.classes("id_since")
    assert page.attrs["id_since"]["type"] == "date"
    assert page.attrs["id_kind"]["aria-describedby"] == "id_kind_error"
    assert "everything is not one of the available choices" in page.text["id_kind_error"]
