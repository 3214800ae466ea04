from dataclasses import dataclass
from typing import Any

from django import template

from audit.models import AuditEntry

register = template.Library()


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any
    created: bool


@register.filter
def audit_changes(entry: AuditEntry) -> list[FieldChange]:
    """The fields an entry changed, each with its value before and after (an entry that
    creates something has no "before"), in the order the entry records them."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    fields = list(dict.fromkeys([*before, *after]))
    return [
        FieldChange(
            field=field.replace("_", " "),
            before=before.get(field),
            after=after.get(field),
            created=field not in before,
        )
        for field in fields
        if before.get(field) != after.get(field) or field not in before
    ]
