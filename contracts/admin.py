from django.contrib import admin
from django.http import HttpRequest

from contracts.models import ContractReminder, LetterOfAuthority, ServiceContract


class ReadOnlyHistoryAdmin(admin.ModelAdmin):
    """Contracts and letters change only through the site's services (audited, e-mailed)
    and are never deleted: the admin shows them, it does not edit them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ServiceContract)
class ServiceContractAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "trader", "broker", "valid_from", "valid_until", "confirmed_at"]
    list_select_related = ["trader", "broker__organization"]
    search_fields = ["reference", "trader__name", "trader__tax_code", "broker__license_number"]
    date_hierarchy = "valid_from"


@admin.register(LetterOfAuthority)
class LetterOfAuthorityAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "agent", "contract", "valid_from", "valid_until", "status"]
    list_select_related = ["agent", "contract"]
    list_filter = ["status"]
    search_fields = ["number", "agent__full_name", "agent__agent_code", "contract__reference"]


@admin.register(ContractReminder)
class ContractReminderAdmin(ReadOnlyHistoryAdmin):
    list_display = ["contract", "days_before", "sent_at"]
    list_select_related = ["contract"]
