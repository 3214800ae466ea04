"""The chain is keyed from now on: every existing entry is re-chained under AUDIT_HMAC_KEY
(after checking the old, unkeyed SHA-256 chain, so that a tampered log is not blessed), and
PostgreSQL refuses TRUNCATE of the log as it refuses UPDATE and DELETE."""

import hashlib
import hmac
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations

GENESIS_HASH = "0" * 64

NO_TRUNCATE = """
CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
BEGIN
    -- The test suite empties its database between tests and says so for its session.
    IF current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate();
"""
DROP_NO_TRUNCATE = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_no_truncate();
"""


def _content(entry) -> bytes:
    content = {
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
    return json.dumps(
        content, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def rechain(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    if not AuditEntry.objects.exists():
        return
    if not settings.AUDIT_HMAC_KEY:
        raise RuntimeError("Set AUDIT_HMAC_KEY before migrating: the audit chain is re-keyed.")
    key = str(settings.AUDIT_HMAC_KEY).encode()
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
    old_previous = new_previous = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.previous_hash != old_previous or (
            hashlib.sha256(_content(entry)).hexdigest() != entry.entry_hash
        ):
            raise RuntimeError(
                f"The audit chain is broken at entry #{entry.id} (manage.py audit_verify on "
                "the previous release): it is not re-keyed."
            )
        old_previous = entry.entry_hash
        entry.previous_hash = new_previous
        entry.entry_hash = hmac.new(key, _content(entry), hashlib.sha256).hexdigest()
        AuditEntry.objects.filter(pk=entry.pk).update(
            previous_hash=entry.previous_hash, entry_hash=entry.entry_hash
        )
        new_previous = entry.entry_hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": new_previous})
    if postgresql:
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


def no_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_TRUNCATE)


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_NO_TRUNCATE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_audit_checkpoint_hmac")]

    operations = [
        migrations.RunPython(rechain, migrations.RunPython.noop),
        migrations.RunPython(no_truncate, allow_truncate),
    ]
