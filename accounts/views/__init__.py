"""Account and security pages, one module per topic. Each view fetches, asks
permissions.py, validates a form and calls one service; the helpers below are shared."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from accounts.models import User
from accounts.permissions import (
    can_manage_organization,
)


def signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def form_errors_add(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def organization_admin(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not can_manage_organization(user, user.organization):
        raise PermissionDenied
    return user
