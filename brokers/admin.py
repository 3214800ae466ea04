"""The register in the Django admin, for customs officers: brokers and agents are written
through the services (so the search text stays current); sanctions are shown, never
deleted, and imposed or lifted through the customs pages, which audit every decision."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import ManyToManyField, QuerySet
from django.forms import ModelForm, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin import OrganizationAdmin
from accounts.models import Organization
from accounts.permissions import can_administer_register
from brokers.models import Broker, BrokerAgent, BrokerStatus, Sanction
from brokers.services import (
    agent_create,
    agent_update,
    broker_create,
    broker_search_text_refresh,
    broker_update,
)
from brokers.status import broker_status_expression
from brokers.widgets import CustomsOfficePicker


class RegisterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Access for customs officers only; nothing in the register is ever deleted."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_administer_register(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_administer_register(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_administer_register(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_administer_register(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AgentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = BrokerAgent
    fields = ["full_name", "agent_code", "valid_until", "status", "withdrawn_on"]
    readonly_fields = ["full_name", "agent_code", "valid_until", "status", "withdrawn_on"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SanctionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Sanction
    fields = ["kind", "decision_number", "starts_on", "ends_on", "lifted_on", "reason"]
    readonly_fields = ["kind", "decision_number", "starts_on", "ends_on", "lifted_on", "reason"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Broker)
class BrokerAdmin(RegisterAdmin):
    list_display = ["license_number", "organization", "issued_on", "valid_until", "status_today"]
    list_select_related = ["organization"]
    list_filter = ["organization__province", "customs_offices"]
    search_fields = ["license_number", "organization__name", "organization__tax_code"]
    fields = ["organization", "license_number", "issued_on", "valid_until", "customs_offices"]
    inlines = [AgentInline, SanctionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Broker]:
        return (
            super()
            .get_queryset(request)
            .annotate(status_today=broker_status_expression(timezone.localdate()))
        )

    @admin.display(description=_("status today"), ordering="status_today")
    def status_today(self, broker: Broker) -> str:
        status: str = broker.status_today  # type: ignore[attr-defined]
        return str(BrokerStatus(status).label)

    def formfield_for_manytomany(
        self, db_field: "ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "customs_offices":
            # The site's picker rather than the admin's: its filter ignores accents, and the
            # field skips super(), whose hint about Ctrl-click the picker makes wrong.
            field = db_field.formfield(widget=CustomsOfficePicker, **kwargs)
            assert isinstance(field, ModelMultipleChoiceField)
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Broker, form: ModelForm, change: bool) -> None:
        # The offices are saved by the admin afterwards (save_related).
        if change:
            broker_update(
                broker=obj,
                license_number=obj.license_number,
                issued_on=obj.issued_on,
                valid_until=obj.valid_until,
            )
            return
        created = broker_create(
            organization=obj.organization,
            license_number=obj.license_number,
            issued_on=obj.issued_on,
            valid_until=obj.valid_until,
        )
        obj.pk, obj.license_number, obj.search_text = (
            created.pk,
            created.license_number,
            created.search_text,
        )


@admin.register(BrokerAgent)
class BrokerAgentAdmin(RegisterAdmin):
    list_display = ["full_name", "agent_code", "broker", "valid_until", "status"]
    list_select_related = ["broker__organization"]
    list_filter = ["status"]
    search_fields = ["full_name", "agent_code", "broker__license_number"]
    readonly_fields = ["status", "withdrawn_on", "withdrawal_reason"]

    def get_fields(self, request: HttpRequest, obj: BrokerAgent | None = None) -> list[Any]:
        if obj is None:
            return ["broker", "full_name", "agent_code", "valid_until"]
        return ["broker", "full_name", "agent_code", "valid_until", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["broker", "agent_code", *self.readonly_fields]

    def save_model(
        self, request: HttpRequest, obj: BrokerAgent, form: ModelForm, change: bool
    ) -> None:
        if change:
            agent_update(agent=obj, full_name=obj.full_name, valid_until=obj.valid_until)
            return
        created = agent_create(
            broker=obj.broker,
            full_name=obj.full_name,
            agent_code=obj.agent_code,
            valid_until=obj.valid_until,
        )
        obj.pk, obj.agent_code = created.pk, created.agent_code


@admin.register(Sanction)
class SanctionAdmin(RegisterAdmin):
    list_display = ["decision_number", "kind", "broker", "starts_on", "ends_on", "lifted_on"]
    list_select_related = ["broker__organization"]
    list_filter = ["kind"]
    search_fields = ["decision_number", "broker__license_number", "broker__organization__name"]
    date_hierarchy = "starts_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(Organization)


@admin.register(Organization)
class RegisterOrganizationAdmin(OrganizationAdmin):
    """The organisations' admin, keeping the register's search text current: a renamed broker
    organisation is found by its new name at once."""

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            broker_search_text_refresh(organization=obj)
