from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from compliance.models import Declaration, DeclarationAlert, Flag, FlagEvent, ScanRun


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Declarations come from the feed, flags from the scan and their changes from the
    work queue's services: the admin only looks."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ["number", "registered_at", "trader_tax_code", "declarant_tax_code", "channel"]
    list_filter = ["channel"]
    search_fields = ["number", "trader_tax_code", "declarant_tax_code", "agent_code"]
    date_hierarchy = "registered_at"


class FlagEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FlagEvent
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "occurred_at", "from_status", "to_status", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["declaration", "kind", "status", "trader", "broker", "raised_at"]
    list_filter = ["kind", "status"]
    search_fields = ["declaration__number", "trader__tax_code", "broker__license_number"]
    list_select_related = ["declaration", "trader", "broker__organization"]
    raw_id_fields = ["declaration", "trader", "broker", "scan_run", "resolved_by"]
    inlines = [FlagEventInline]


@admin.register(ScanRun)
class ScanRunAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at",
        "mode",
        "finished_at",
        "declarations_scanned",
        "flags_created",
        "requested_by",
        "failed_at",
        "failure",
    ]
    list_filter = ["mode"]


@admin.register(DeclarationAlert)
class DeclarationAlertAdmin(ReadOnlyAdmin):
    list_display = ["organization", "email_every_declaration", "changed_at"]
