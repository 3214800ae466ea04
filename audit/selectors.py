from datetime import date

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import is_customs
from audit.models import AuditEntry


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """Customs sees every entry; an organisation's admin sees the entries about it."""
    entries = AuditEntry.objects.select_related("organization", "counterparty")
    if is_customs(user):
        return entries
    if user.organization_id is None:
        return entries.none()
    return entries.filter(
        Q(organization_id=user.organization_id) | Q(counterparty_id=user.organization_id)
    )


def audit_entries_filter(
    entries: QuerySet[AuditEntry],
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_query: str = "",
    organization: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_query:
        entries = entries.filter(object_label__icontains=object_query)
    if organization:
        about = (
            Q(organization__name__icontains=organization)
            | Q(organization__tax_code=organization)
            | Q(counterparty__name__icontains=organization)
            | Q(counterparty__tax_code=organization)
        )
        entries = entries.filter(about)
    if since:
        entries = entries.filter(occurred_at__date__gte=since)
    if until:
        entries = entries.filter(occurred_at__date__lte=until)
    return entries
