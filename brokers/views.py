"""The public register: search, one broker's page, the CSV export."""

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.api.throttling import (
    ClientAnonRateThrottle,
    ClientUserRateThrottle,
    read_with_throttle,
    reads_with_throttle,
)
from accounts.provinces import Province
from accounts.replica import replica_reads
from accounts.web import rate_limited
from brokers.cache import register_answer_found, register_cache_keys, register_cached
from brokers.filters import BrokerFilter
from brokers.models import BrokerStatus
from brokers.pagination import RegisterPaginator
from brokers.register_columns import REGISTER_COLUMNS
from brokers.selectors import broker_register, broker_register_entry

REGISTER_PAGE_SIZE = 25
# Where the reader's own CSRF token goes in a cached page (letters and digits only, so that
# escaping leaves it as it is).
_CSRF_TOKEN_SLOT = "csrfTokenSlot7c41d2e9"  # noqa: S105
# The register's pages count against the same limits as its API.
public_look_up = rate_limited(ClientAnonRateThrottle, ClientUserRateThrottle)


def _cached_keys(request: HttpRequest) -> dict[str, list[str]]:
    """The cache keys of what the register's page caches for a request (worked out once per
    request): its form and results ("page"), and the whole page an anonymous reader gets."""
    keys: dict[str, list[str]] | None = getattr(request, "_register_page_keys", None)
    if keys is None:
        asked = (request.path, *sorted(request.GET.lists()))
        keys = {name: register_cache_keys((name, *asked)) for name in ("page", "whole page")}
        request._register_page_keys = keys  # type: ignore[attr-defined]
    return keys


def _partial(request: HttpRequest) -> bool:
    """An htmx request for the results only (htmx asks for the whole page when it restores
    history it no longer has in its cache)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _whole_page_cached(request: HttpRequest) -> bool:
    """Whether the reader gets the whole page as cached: anonymous, asking for the page and
    with no message to be told."""
    return not (
        _partial(request) or request.user.is_authenticated or len(messages.get_messages(request))
    )


def _read_with_the_throttle(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """What the reader is sent from the cache is read in the throttle's round trip: the whole
    page, or the form and results."""

    @wraps(view)
    def reading(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        read = "whole page" if _whole_page_cached(request) else "page"
        reads_with_throttle(request, _cached_keys(request)[read])
        return view(request, *args, **kwargs)

    return reading


@require_GET
@_read_with_the_throttle
@public_look_up
@replica_reads
def broker_list(request: HttpRequest) -> HttpResponse:
    """The public register; an htmx request gets only the results, for search-as-you-type.
    The results are cached until the register changes (``brokers.cache``)."""
    keys, found = _cached_keys(request), read_with_throttle(request)
    whole_page = _whole_page_cached(request)
    if whole_page:
        cached = register_answer_found(keys["whole page"], found)
        if cached is not None:
            return _with_the_readers_token(request, cached)

    def answer() -> dict[str, str]:
        filters = BrokerFilter(request.GET, queryset=broker_register())
        page_obj = RegisterPaginator(filters.qs, REGISTER_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {"form": filters.form, "page_obj": page_obj}
        return {
            part: render_to_string(f"brokers/_register_{part}.html", context, request=request)
            for part in ("form", "results")
        }

    # The templates' own escaped output, cached as text (read with the throttle unless the
    # whole page was).
    parts = register_cached(keys["page"], answer, None if whole_page else found)
    html = {part: mark_safe(text) for part, text in parts.items()}  # noqa: S308
    context = {"form_html": html["form"], "results_html": html["results"]}
    if whole_page:
        # Anonymous and nothing to tell: the whole page is the same for every reader but for
        # the CSRF token of its forms (language, htmx), put in on the way out.
        def page() -> str:
            return render_to_string(
                "brokers/register.html",
                {**context, "csrf_token": _CSRF_TOKEN_SLOT},
                request=request,
            )

        return _with_the_readers_token(request, register_cached(keys["whole page"], page, found))
    if _partial(request):
        response = HttpResponse(html["results"])
    else:
        response = render(request, "brokers/register.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _with_the_readers_token(request: HttpRequest, page: str) -> HttpResponse:
    response = HttpResponse(page.replace(_CSRF_TOKEN_SLOT, get_token(request)))
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@public_look_up
@replica_reads
def broker_detail(request: HttpRequest, license_number: str) -> HttpResponse:
    today = timezone.localdate()
    broker = broker_register_entry(license_number=license_number, on=today)
    if broker is None:
        raise Http404(_("No broker holds this licence number."))
    sanctions = list(broker.sanctions.all())
    context = {
        "broker": broker,
        "status": broker.status,  # type: ignore[attr-defined]
        "sanctions": sanctions,
        "sanctions_in_force": [s for s in sanctions if s.in_force],  # type: ignore[attr-defined]
        "today": today,
    }
    return render(request, "brokers/broker_detail.html", context)


@require_GET
@public_look_up
@replica_reads
def broker_export_csv(request: HttpRequest) -> HttpResponse:
    """The filtered register as CSV, UTF-8 with a byte-order mark so Excel reads Vietnamese."""
    brokers = BrokerFilter(request.GET, queryset=broker_register()).qs
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="broker-register.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(heading) for _key, heading in REGISTER_COLUMNS])
    provinces = dict(Province.choices)
    statuses = dict(BrokerStatus.choices)
    for broker in brokers.iterator(chunk_size=2000):
        writer.writerow(
            [
                broker.license_number,
                broker.organization.name,
                broker.organization.tax_code,
                provinces.get(broker.organization.province, broker.organization.province),
                statuses[broker.status],  # type: ignore[attr-defined]
                broker.issued_on.isoformat(),
                broker.valid_until.isoformat(),
            ]
        )
    return response
