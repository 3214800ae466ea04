"""Compliance pages: flags and their work queue, the scan request, declarations in a
trader's name and their upload, the customs dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.filters import filtered
from accounts.permissions import is_broker, is_trader
from accounts.web import (
    error_response,
    form_errors_from,
    form_submit,
    messages_from,
    permit,
    require,
    signed_in_user,
)
from compliance import selectors, work
from compliance.charts import daily_bar_chart
from compliance.declaration_csv import declaration_rows_read
from compliance.filters import FlagFilter
from compliance.forms import (
    DeclarationAlertForm,
    DeclarationUploadForm,
    FlagActionForm,
    FlagNoteForm,
    ScanRequestForm,
)
from compliance.models import DeclarationAlert, Flag, ScanRun
from compliance.permissions import (
    can_change_declaration_alert,
    can_feed_declarations,
    can_see_customs_dashboard,
    can_see_declarations_in_own_name,
    can_see_flags,
    can_work_flags,
)
from compliance.selectors import (
    agent_names,
    declarant_names,
    declarations_in_name_of,
    flag_detail,
    flags_visible_to,
)
from compliance.services import (
    IngestResult,
    declaration_alert_set,
    declarations_ingest,
    declarations_scan_request,
    flag_note_add,
    flag_transition,
)


@login_required
@require_GET
@require(can_see_flags)
def flag_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filters = FlagFilter(request.GET or None, queryset=flags_visible_to(user))
    flags = filtered(filters).order_by("-raised_at", "-id")
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/flag_list.html",
        {"form": filters.form, "page_obj": page, "can_work": can_work_flags(user)},
    )


def _flag_page(
    request: HttpRequest,
    flag: Flag,
    *,
    action_form: FlagActionForm | None = None,
    note_form: FlagNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    # Two forms with a note on one page: the decision's fields get ids of their own.
    action_form = action_form or FlagActionForm(auto_id="decision-%s")
    action_form.offer_only(flag.allowed_transitions())
    context = {
        "flag": flag,
        "declaration": flag.declaration,
        "refusal": flag.contract_refusal,
        "can_work": can_work_flags(user),
        "action_form": action_form,
        "allowed_actions": flag.allowed_transitions(),
        "note_form": note_form or FlagNoteForm(),
        **flag_detail(flag),
    }
    return render(request, "compliance/flag_detail.html", context, status=status)


def _visible_flag(request: HttpRequest, pk: int) -> Flag:
    return get_object_or_404(flags_visible_to(signed_in_user(request)), pk=pk)


@login_required
@require_GET
@require(can_see_flags)
def flag_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _flag_page(request, _visible_flag(request, pk))


@login_required
@require_POST
@require(can_see_flags)
def flag_action(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _visible_flag(request, pk)
    permit(can_work_flags, signed_in_user(request))
    form = FlagActionForm(request.POST, auto_id="decision-%s")
    moved = form_submit(
        request,
        form,
        lambda data: flag_transition(
            flag=flag, to_status=data["action"], note=data["note"], by=signed_in_user(request)
        ),
    )
    if moved is not None:
        messages.success(
            request, _("The flag is now %(status)s.") % {"status": moved.get_status_display()}
        )
        return redirect("compliance:flag_detail", pk=moved.pk)
    return _flag_page(request, flag, action_form=form, status=400)


@login_required
@require_POST
@require(can_see_flags)
def flag_note(request: HttpRequest, pk: int) -> HttpResponse:
    flag = _visible_flag(request, pk)
    form = FlagNoteForm(request.POST)
    note = form_submit(
        request,
        form,
        lambda data: flag_note_add(flag=flag, note=data["note"], by=signed_in_user(request)),
    )
    if note is not None:
        messages.success(request, _("Your note was added to the flag."))
        return redirect("compliance:flag_detail", pk=flag.pk)
    return _flag_page(request, flag, note_form=form, status=400)


@login_required
@require_POST
@require(can_work_flags)
def scan_request(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    back_to = "compliance:customs-dashboard" if request.POST.get("from") == "dashboard" else None
    form = ScanRequestForm(request.POST)
    if not form.is_valid():
        return error_response(request, 400)
    retry_of = form.cleaned_data["retry"]
    try:
        run = declarations_scan_request(
            full=form.cleaned_data["full"] == "1", by=user, retry_of=retry_of
        )
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(
            request,
            _("A full scan was queued: new flags appear here when it ends.")
            if run.mode == ScanRun.Mode.FULL
            else _(
                "A scan of the new declarations was queued: new flags appear here when it ends."
            ),
        )
    return redirect(back_to or "compliance:flag_list")


@login_required
@require_GET
@require(can_see_declarations_in_own_name)
def my_declarations(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    assert user.organization is not None  # a trader's user
    page = Paginator(declarations_in_name_of(user.organization), 50).get_page(
        request.GET.get("page")
    )
    names = declarant_names(list(page))
    agents = agent_names(list(page))
    for declaration in page:
        declaration.declarant_name = names.get(declaration.declarant_tax_code, "")  # type: ignore[attr-defined]
        declaration.agent_name = agents.get(declaration.agent_code, "")  # type: ignore[attr-defined]
    alert = DeclarationAlert.objects.filter(organization=user.organization).first()
    return render(
        request,
        "compliance/my_declarations.html",
        {
            "page_obj": page,
            "alert_form": DeclarationAlertForm(
                initial={"email_every_declaration": bool(alert and alert.email_every_declaration)}
            ),
            "alert_on": bool(alert and alert.email_every_declaration),
            "can_change_alert": can_change_declaration_alert(user),
        },
    )


@login_required
@require_POST
@require(can_change_declaration_alert)
def declaration_alert(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    assert user.organization is not None  # a trader's admin
    form = DeclarationAlertForm(request.POST)
    form.is_valid()  # a checkbox: always valid, absent means off
    enabled = bool(form.cleaned_data.get("email_every_declaration"))
    declaration_alert_set(organization=user.organization, enabled=enabled, by=user)
    if enabled:
        messages.success(
            request,
            _("Your administrators will get an e-mail for every declaration filed in your name."),
        )
    else:
        messages.success(request, _("E-mails for every declaration are turned off."))
    return redirect("compliance:my_declarations")


@login_required
@require_http_methods(["GET", "POST"])
@require(can_feed_declarations)
def declaration_upload(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    result: IngestResult | None = None
    form = DeclarationUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rows = declaration_rows_read(form.cleaned_data["file"])
                result = declarations_ingest(rows=rows, by=user)
            except ValidationError as error:
                form_errors_from(form, error, field="file")
        if not form.is_valid() or (result is not None and result.all_refused):
            status = 400
    return render(
        request,
        "compliance/declaration_upload.html",
        {"form": form, "result": result},
        status=status,
    )


# The dashboard's figures link into the flags work queue with its filters.
FLAGS_QUEUE_PATH = reverse_lazy("compliance:flag_list")


@login_required
@require_GET
@require(can_see_customs_dashboard)
def customs_dashboard(request: HttpRequest) -> HttpResponse:
    dashboard = selectors.customs_dashboard()
    return render(
        request,
        "customs/dashboard.html",
        {
            "dashboard": dashboard,
            "chart": daily_bar_chart(dashboard.flags_per_day),
            "queue": FLAGS_QUEUE_PATH,
        },
    )


@login_required
@require_GET
def role_home_view(request: HttpRequest) -> HttpResponse:
    """Where a user lands after signing in: customs on its dashboard, a trader or a broker on
    what waits for it; anybody else on the public home page."""
    user = signed_in_user(request)
    if can_see_customs_dashboard(user):
        return redirect("compliance:customs-dashboard")
    if not (is_trader(user) or is_broker(user)):
        return redirect("home")
    return render(request, "compliance/home.html", {"home": work.role_home(user)})
