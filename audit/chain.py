"""The keyed chain of the audit log: how an entry's HMAC-SHA-256 is computed.

The key (``AUDIT_HMAC_KEY``) comes from the environment and never lives in the database, so
someone who can write to the tables cannot compute a valid chain for entries they forge or
rewrite; the daily checkpoints others keep copies of catch even a rewrite with the key."""

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder

from audit.models import AuditEntry

GENESIS_HASH = "0" * 64


def entry_content(entry: AuditEntry) -> bytes:
    """The entry's content and the previous entry's hash, as canonical JSON."""
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
    return payload.encode()


def chain_key() -> bytes:
    key = settings.AUDIT_HMAC_KEY
    if not key:
        raise ImproperlyConfigured(
            "AUDIT_HMAC_KEY is not set: the audit log cannot be written or verified without it."
        )
    return str(key).encode()


def entry_digest(entry: AuditEntry, *, key: bytes | None = None) -> str:
    """HMAC-SHA-256 of the entry's content under the chain key."""
    return hmac.new(key or chain_key(), entry_content(entry), hashlib.sha256).hexdigest()
