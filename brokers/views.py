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
from brokers.cache import register_cache_keys, register_cached
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


def _cached_parts(request: HttpRequest) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """What the register's page caches for a request: its form and results, and the whole
    page an anonymous reader gets."""
    asked = (request.path, *sorted(request.GET.lists()))
    return ("page", *asked), ("whole page", *asked)


def _read_with_the_throttle(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page's cached parts are read in the throttle's round trip to the cache."""

    @wraps(view)
    def reading(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        parts, whole = _cached_parts(request)
        reads_with_throttle(request, [*register_cache_keys(parts), register_cache_keys(whole)[1]])
        return view(request, *args, **kwargs)

    return reading


@require_GET
@_read_with_the_throttle
@public_look_up
@replica_reads
def broker_list(request: HttpRequest) -> HttpResponse:
    """The public register; an htmx request gets only the results, for search-as-you-type.
    The results are cached until the register changes (``brokers.cache``)."""
    parts, whole = _cached_parts(request)
    found = read_with_throttle(request)

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

    # The templates' own escaped output, cached as text.
    html = {
        part: mark_safe(text)  # noqa: S308
        for part, text in register_cached(parts, answer, found).items()
    }
    # htmx asks for the whole page when it restores history it no longer has in its cache.
    partial = (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
    context = {"form_html": html["form"], "results_html": html["results"]}
    if partial:
        response = HttpResponse(html["results"])
    elif request.user.is_authenticated or len(messages.get_messages(request)):
        response = render(request, "brokers/register.html", context)
    else:
        # Anonymous and nothing to tell: the whole page is the same for every reader but for
        # the CSRF token of its forms (language, htmx), put in on the way out.
        def page() -> str:
            return render_to_string(
                "brokers/register.html",
                {**context, "csrf_token": _CSRF_TOKEN_SLOT},
                request=request,
            )

        cached = register_cached(whole, page, found)
        response = HttpResponse(cached.replace(_CSRF_TOKEN_SLOT, get_token(request)))
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
