"""The hash chain of the audit log: how an entry's SHA-256 is computed."""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from audit.models import AuditEntry

GENESIS_HASH = "0" * 64


def entry_digest(entry: AuditEntry) -> str:
    """SHA-256 over the entry's content and the previous entry's hash (canonical JSON)."""
    content: dict[str, Any] = {
        "occurred_at": entry.occurred_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "organization_id": entry.organization_id,
        "counterparty_id": entry.counterparty_id,
        "before": entry.before,
        "after": entry.after,
        "previous_hash": entry.previous_hash,
    }
    payload = json.dumps(
        content, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()
