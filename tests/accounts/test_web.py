from datetime import date
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from accounts.models import Organization, User
from accounts.permissions import can_administer_brokers
from accounts.web import (
    api_exception_handler,
    form_errors_from,
    messages_from,
    permit,
    require,
    signed_in_user,
)
from contracts.permissions import can_review_contract
from tests.factories import (
    OrganizationFactory,
    SanctionFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _request(user: Any) -> HttpRequest:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def _officer() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)


def _trader_user() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.TRADER)


# signed_in_user


def test_signed_in_user_is_the_request_s_user() -> None:
    user = _trader_user()
    assert signed_in_user(_request(user)) == user


def test_an_anonymous_request_has_no_signed_in_user() -> None:
    with pytest.raises(PermissionDenied):
        signed_in_user(_request(AnonymousUser()))


# require


@require(can_administer_brokers)
def _customs_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("for customs")


def test_require_lets_the_users_the_rule_allows_in() -> None:
    response = _customs_page(_request(_officer()))
    assert response.status_code == 200 and response.content == b"for customs"


def test_require_sends_an_anonymous_visitor_to_sign_in() -> None:
    response = _customs_page(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/somewhere/"


def test_require_refuses_a_user_the_rule_refuses() -> None:
    with pytest.raises(PermissionDenied):
        _customs_page(_request(_trader_user()))


def test_a_page_under_require_answers_403_to_a_refused_user(client: Client) -> None:
    client.force_login(_trader_user())
    response = client.get("/customs/brokers/")
    assert response.status_code == 403
    assert "Brokers (customs)" not in response.content.decode()


# permit


def test_permit_passes_when_the_rule_allows_on_the_object() -> None:
    contract = ServiceContractFactory.create()
    admin = UserFactory.create(organization=contract.trader, role=User.Role.ADMIN)
    permit(can_review_contract, admin, contract)


def test_permit_refuses_when_the_rule_refuses_on_the_object() -> None:
    contract = ServiceContractFactory.create()
    other_admin = UserFactory.create(organization=OrganizationFactory.create(), role="admin")
    staff = UserFactory.create(organization=contract.trader, role=User.Role.STAFF)
    for user in (other_admin, staff):
        with pytest.raises(PermissionDenied):
            permit(can_review_contract, user, contract)


# form_errors_from


class _ReasonForm(forms.Form):
    reason = forms.CharField()
    file = forms.CharField(required=False)


def _bound_form() -> _ReasonForm:
    form = _ReasonForm({"reason": "Hết hạn", "file": ""})
    assert form.is_valid()
    return form


def test_an_error_about_a_field_of_the_form_goes_on_that_field() -> None:
    form = _bound_form()
    form_errors_from(form, ValidationError({"reason": "Give a longer reason."}))
    assert form.errors == {"reason": ["Give a longer reason."]}
    assert "reason" not in form.cleaned_data


def test_an_error_about_a_field_the_form_lacks_goes_above_the_form() -> None:
    form = _bound_form()
    form_errors_from(form, ValidationError({"lift_reason": "Give the reason."}))
    assert form.non_field_errors() == ["Give the reason."]
    assert not form.has_error("reason")


def test_an_error_about_no_field_goes_above_the_form() -> None:
    form = _bound_form()
    form_errors_from(form, ValidationError("This sanction has already been lifted.", code="lifted"))
    assert form.non_field_errors() == ["This sanction has already been lifted."]
    assert form.has_error(NON_FIELD_ERRORS, code="lifted")


def test_field_and_no_field_errors_of_one_refusal_each_go_to_their_place() -> None:
    form = _bound_form()
    form_errors_from(
        form,
        ValidationError(
            {NON_FIELD_ERRORS: ["Already reviewed."], "reason": ["Too short."]},
        ),
    )
    assert form.errors == {"__all__": ["Already reviewed."], "reason": ["Too short."]}


def test_an_error_about_no_field_may_be_put_on_a_chosen_field() -> None:
    form = _bound_form()
    form_errors_from(form, ValidationError("Not a certificate."), field="file")
    assert form.errors == {"file": ["Not a certificate."]}
    form = _bound_form()
    form_errors_from(form, ValidationError({"reason": "Too short."}), field="file")
    assert form.errors == {"reason": ["Too short."]}


def test_a_page_shows_a_service_refusal_on_its_form(client: Client) -> None:
    sanction = SanctionFactory.create(
        starts_on=date(2026, 1, 5), lifted_on=date(2026, 2, 1), lift_reason="Đã khắc phục"
    )
    client.force_login(_officer())
    response = client.post(
        f"/customs/brokers/{sanction.broker.license_number}/sanctions/{sanction.pk}/lift/",
        {"reason": "Lần nữa", "lifted_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "This sanction has already been lifted." in response.content.decode()
    sanction.refresh_from_db()
    assert sanction.lift_reason == "Đã khắc phục"


# messages_from


def test_a_refusal_without_a_form_becomes_error_messages() -> None:
    request = _request(_trader_user())
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    messages_from(request, ValidationError(["First problem.", "Second problem."]))
    assert [str(m) for m in get_messages(request)] == ["First problem.", "Second problem."]


# api_exception_handler


def test_the_handler_turns_field_errors_into_a_400_by_field() -> None:
    error = ValidationError({"note": ["Write a note."], NON_FIELD_ERRORS: ["Flag closed."]})
    response = api_exception_handler(error, {})
    assert response is not None and response.status_code == 400
    assert response.data == {"note": ["Write a note."], "non_field_errors": ["Flag closed."]}


def test_the_handler_turns_a_refusal_about_no_field_into_a_400_with_detail() -> None:
    error = ValidationError(
        "A batch holds at most %(limit)d declarations.", params={"limit": 10_000}
    )
    response = api_exception_handler(error, {})
    assert response is not None and response.status_code == 400
    assert response.data == {"detail": "A batch holds at most 10000 declarations."}


def test_the_handler_keeps_drf_s_answers_for_other_exceptions() -> None:
    not_found = api_exception_handler(Http404(), {})
    assert not_found is not None and not_found.status_code == 404
    refused = api_exception_handler(PermissionDenied(), {})
    assert refused is not None and refused.status_code == 403
    assert api_exception_handler(RuntimeError("boom"), {}) is None


def test_an_api_endpoint_answers_a_service_refusal_with_400(monkeypatch: Any) -> None:
    monkeypatch.setattr("compliance.services.INGEST_BATCH_LIMIT", 1)
    client = APIClient()
    client.force_authenticate(_officer())
    rows = [{"number": "1"}, {"number": "2"}]
    response = client.post("/api/v1/declarations/", rows, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "A batch holds at most 1 declarations; this one has 2."}


def test_an_api_endpoint_answers_bad_query_parameters_with_400_by_field() -> None:
    response = APIClient().get("/api/v1/brokers/", {"status": "sleeping"})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["status"]
    assert "sleeping" in body["status"][0]
