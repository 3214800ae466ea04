"""The filters of the lists of accounts (the audit log, abuse reports), and what the lists
of every app share: the date range rule, how a page treats a filter it cannot read, and the
API's filter backend."""

from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request

from accounts.models import AbuseReport
from accounts.selectors import audit_entries_about
from accounts.text import one_line_text_validate
from accounts.web import form_valid_or_400
from audit.models import AuditAction, AuditEntry

# A browser's date picker; it reads and sends ISO dates whatever the language.
DATE_PICKER = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    """The form of filters with ``since`` and ``until``: the range may not end before it
    starts."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise ValidationError(_("The end date is before the start date."))
        return data


def filtered(filters: django_filters.FilterSet) -> QuerySet[Any]:
    """The rows ``filters`` let through; none when one of them is not valid, so that a list
    never shows rows that were not asked for (the form says what is wrong)."""
    if filters.is_bound and not filters.is_valid():
        return filters.queryset.none()
    return filters.qs


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend for the API, with filters that do not validate answered as
    every other refusal: a 400 naming each bad parameter (``non_field_errors`` for a rule
    across them, such as the date range)."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filters = self.get_filterset(request, queryset, view)
        if filters is None:
            return queryset
        form_valid_or_400(filters.form)
        return filters.qs


def _recorded_object_types() -> list[tuple[str, str]]:
    # The models whose changes are recorded, named as the entries store them and labelled
    # with their translated names. The log records none of the models without a name of
    # their own (their class names split into words, never translated): they stay out.
    apps_recorded = {"accounts", "brokers", "contracts", "compliance", "licensing"}
    recorded = [
        model
        for model in apps.get_models()
        if model._meta.app_label in apps_recorded and "verbose_name" in model._meta.original_attrs
    ]
    return sorted(
        ((m._meta.label_lower, str(capfirst(m._meta.verbose_name))) for m in recorded),
        key=lambda choice: choice[1].casefold(),
    )


class AuditFilter(django_filters.FilterSet):
    # The longest of them is a contract's reference (64 characters).
    identifier = django_filters.CharFilter(
        label=_("Licence number, tax code or reference"),
        method="about_identifier",
        max_length=64,
        validators=[one_line_text_validate],
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditAction.choices, empty_label=_("Any")
    )
    actor = django_filters.CharFilter(
        label=_("Actor e-mail"), field_name="actor_label", lookup_expr="icontains", max_length=255
    )
    object_type = django_filters.ChoiceFilter(
        label=_("Object type"), choices=_recorded_object_types, empty_label=_("Any")
    )
    object_query = django_filters.CharFilter(
        label=_("Object"), field_name="object_label", lookup_expr="icontains", max_length=255
    )
    organization = django_filters.CharFilter(
        label=_("Organisation name"), method="about_organization", max_length=255
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="occurred_at", lookup_expr="date__gte", widget=DATE_PICKER
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="occurred_at", lookup_expr="date__lte", widget=DATE_PICKER
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []
        form = DateRangeForm

    def about_organization(
        self, entries: QuerySet[AuditEntry], name: str, value: str
    ) -> QuerySet[AuditEntry]:
        return entries.filter(
            Q(organization__name__icontains=value) | Q(counterparty__name__icontains=value)
        )

    def about_identifier(
        self, entries: QuerySet[AuditEntry], name: str, value: str
    ) -> QuerySet[AuditEntry]:
        return audit_entries_about(entries, value)


class AbuseReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AbuseReport.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = AbuseReport
        fields: list[str] = []
