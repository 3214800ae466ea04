"""Customs pages of licensing: loading the official list of brokers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.web import form_errors_from, messages_from, require, signed_in_user
from licensing import selectors
from licensing.forms import RegisterUploadForm
from licensing.permissions import can_load_register
from licensing.register_file import register_rows_read
from licensing.register_plan import RegisterPlan, register_plan
from licensing.services import register as services

FIELD_LABELS = {
    "license_number": gettext_lazy("Licence number"),
    "name": gettext_lazy("Name"),
    "province": gettext_lazy("Province"),
    "issued_on": gettext_lazy("Licence issued on"),
    "valid_until": gettext_lazy("Licence valid until"),
}


def _plan_page(
    request: HttpRequest,
    *,
    form: RegisterUploadForm,
    plan: RegisterPlan | None = None,
    pending_id: int | None = None,
    applied: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "licensing/register_import.html",
        {
            "form": form,
            "plan": plan,
            "pending_id": pending_id,
            "applied": applied,
            "field_labels": FIELD_LABELS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@require(can_load_register)
def register_import(request: HttpRequest) -> HttpResponse:
    """Upload the list and see what it would change (the dry run); nothing is written to
    the register until the officer confirms."""
    if request.method == "GET":
        return _plan_page(request, form=RegisterUploadForm())
    form = RegisterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _plan_page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    upload.seek(0)
    try:
        rows = register_rows_read(upload)
    except ValidationError as error:
        form_errors_from(form, error, field="file")
        return _plan_page(request, form=form, status=400)
    plan = register_plan(rows)
    pending_id = None
    if plan.changes_anything:
        pending_id = services.register_import_create(
            file_name=upload.name or "", content=content, rows=rows, by=signed_in_user(request)
        ).pk
    status = 400 if plan.lines and plan.errors == len(plan.lines) else 200
    return _plan_page(
        request, form=RegisterUploadForm(), plan=plan, pending_id=pending_id, status=status
    )


@login_required
@require_POST
@require(can_load_register)
def register_import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Load a list whose dry run the officer has seen: the lines are checked again against
    the register as it is now."""
    pending = selectors.register_import_pending_get(pk)
    try:
        plan = services.register_import_apply(register_import=pending, by=signed_in_user(request))
    except ValidationError as error:
        messages_from(request, error)
        return _plan_page(request, form=RegisterUploadForm(), status=400)
    messages.success(
        request,
        _(
            "The list is loaded: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(errors)s errors."
        )
        % {
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
            "errors": plan.errors,
        },
    )
    return _plan_page(request, form=RegisterUploadForm(), plan=plan, applied=True)
