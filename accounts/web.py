"""What every page and API view does the same way: find the signed-in user, state who may
use the view, and show a service's refusal (a ``ValidationError``) on a form, as messages
or as the API's 400. Views never write ``raise PermissionDenied`` nor map errors by hand."""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import exception_handler

from accounts.api.throttling import first_refusal
from accounts.models import User

RuleArgs = ParamSpec("RuleArgs")
View = TypeVar("View", bound=Callable[..., HttpResponseBase])
Result = TypeVar("Result")


def signed_in_user(request: HttpRequest | Request) -> User:
    """The user of a request that went through ``login_required``, ``require`` or the API's
    authentication; a request without one is refused."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def permit(
    rule: Callable[Concatenate[User, RuleArgs], bool],
    user: User,
    /,
    *args: RuleArgs.args,
    **kwargs: RuleArgs.kwargs,
) -> None:
    """Refuse with 403 unless ``rule(user, *args)`` allows, for rules on an object
    (``permit(can_review_contract, user, contract)``)."""
    if not rule(user, *args, **kwargs):
        raise PermissionDenied


def require(rule: Callable[[User], bool]) -> Callable[[View], View]:
    """The view is for the signed-in users ``rule`` allows: an anonymous visitor is sent to
    sign in, a user the rule refuses gets 403. Views put it below ``login_required`` and the
    method check, so that those answer first as on every other page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            permit(rule, signed_in_user(request))
            return view(request, *args, **kwargs)

        return cast(View, login_required(checked))

    return decorator


def form_errors_from(form: BaseForm, error: ValidationError, *, field: str | None = None) -> None:
    """Show a service's refusal on ``form``: a message about one of the form's fields on it,
    a message about a field the form lacks above the form, and a message about no field on
    ``field`` (above the form when None)."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        if name == NON_FIELD_ERRORS:
            form.add_error(field, errors)
        else:
            form.add_error(name if name in form.fields else None, errors)


def form_submit(
    request: HttpRequest, form: BaseForm, service: Callable[[dict[str, Any]], Result]
) -> Result | None:
    """On a POST whose ``form`` is valid, call ``service`` with its cleaned data and return
    what the service returns; a refusal goes on the form and the answer is None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(form.cleaned_data)
    except ValidationError as error:
        form_errors_from(form, error)
        return None


def messages_from(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's refusal as error messages, for actions that have no form to show."""
    for message in error.messages:
        messages.error(request, message)


def api_errors_from(error: ValidationError) -> dict[str, Any]:
    """A refusal as the API's 400 body: ``{"field": ["message"]}`` (errors of no field under
    ``non_field_errors``), or ``{"detail": "message"}`` when it names no field at all."""
    if not hasattr(error, "error_dict"):
        return {"detail": " ".join(error.messages)}
    return {
        api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name: messages_
        for name, messages_ in error.message_dict.items()
    }


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a service's ``django.core.exceptions.ValidationError`` answered
    as a 400 with its messages (``api_errors_from``)."""
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(api_errors_from(exc))
    return exception_handler(exc, context)


def form_valid_or_400(form: BaseForm) -> None:
    """For an API reading its query parameters with a form: a 400 naming each bad one."""
    if not form.is_valid():
        raise ValidationError(dict(form.errors.as_data()))


def _error_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood: check the address or the form."),
        403: _("You are not allowed to see this page."),
        404: _("No page has this address."),
        429: _("Too many requests in a short time. Wait a minute and try again."),
        500: _("Something went wrong on our side. It has been logged and will be looked at."),
    }


def error_response(request: HttpRequest, status: int, *, detail: str = "") -> HttpResponse:
    """The answer to a refused or failed request: JSON ``{"detail", "request_id"}`` under
    ``/api/``, otherwise the page ``<status>.html`` in the site's layout and the reader's
    language, both with the request's id, never a trace. When the page cannot be drawn with
    the request (the database is down), it is drawn without it."""
    request_id = getattr(request, "request_id", "-")
    detail = detail or _error_messages()[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "request_id": request_id}, status=status)
    context = {"detail": detail, "request_id": request_id}
    template = f"{status}.html"
    try:
        return render(request, template, context, status=status)
    except Exception:  # an error page must not fail in its turn
        try:
            return HttpResponse(render_to_string(template, context), status=status)
        except Exception:
            return HttpResponse(
                f"{detail} (request {request_id})", status=status, content_type="text/plain"
            )


def rate_limited(*throttles: type[BaseThrottle]) -> Callable[[View], View]:
    """Count a page's requests with the API's throttles (``accounts.api.throttling``): past
    a limit the client gets the 429 page with a Retry-After header, as the API would."""

    def decorator(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            refusing = first_refusal(request, (throttle() for throttle in throttles))
            if refusing is None:
                return view(request, *args, **kwargs)
            response = error_response(request, 429)
            wait = refusing.wait()
            if wait is not None:
                response["Retry-After"] = str(max(1, int(wait)))
            return response

        return cast(View, limited)

    return decorator
