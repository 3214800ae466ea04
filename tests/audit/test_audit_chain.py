import hashlib
import hmac
import importlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from audit.chain import GENESIS_HASH, entry_content, entry_digest
from audit.models import AuditAction, AuditChainHead, AuditCheckpoint, AuditEntry
from audit.services import audit_chain_verify, audit_checkpoint_publish, audit_record
from audit.tasks import audit_checkpoint_daily
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _three_entries() -> list[AuditEntry]:
    actor = UserFactory.create()
    organization = OrganizationFactory.create()
    return [
        audit_record(
            action=AuditAction.ORGANIZATION_SECURITY_POLICY,
            obj=organization,
            actor=actor,
            organization=organization,
            before={"name": f"old {n}"},
            after={"name": f"new {n}"},
        )
        for n in range(3)
    ]


def _tamper(sql: str, params: list[str | int]) -> None:
    """Change the table behind the application's back (as an intruder with SQL access would)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


def test_entries_are_chained_by_the_previous_hash() -> None:
    first, second, third = _three_entries()
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert third.actor is not None
    assert third.actor_label == third.actor.email


def test_an_action_is_stored_and_hashed_as_its_plain_string() -> None:
    entry = _three_entries()[0]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == "organization.security_policy"
    assert type(stored.action) is str
    assert entry_digest(stored) == entry.entry_hash


def test_audit_verify_passes_on_a_clean_chain(capsys) -> None:
    _three_entries()
    call_command("audit_verify")
    assert "Audit chain intact: 3 entries." in capsys.readouterr().out


def test_audit_verify_names_the_first_edited_entry() -> None:
    _, second, _ = _three_entries()
    _tamper(
        "UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"name": "forged"}', second.id]
    )
    with pytest.raises(CommandError, match=f"entry #{second.id}: its content was changed"):
        call_command("audit_verify")


def test_audit_verify_notices_a_deleted_entry() -> None:
    _, second, third = _three_entries()
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [second.id])
    report = audit_chain_verify()
    assert report.first_broken_id == third.id


def test_audit_verify_notices_the_last_entry_deleted() -> None:
    *_, third = _three_entries()
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [third.id])
    with pytest.raises(CommandError, match="the last entries were deleted"):
        call_command("audit_verify")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
def test_postgresql_refuses_to_update_or_delete_an_entry() -> None:
    entry, *_ = _three_entries()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


def _rechain(digest: Any) -> None:
    """Recompute the whole chain with ``digest`` (content bytes -> hex), as an intruder who
    rewrote an entry would to cover it up, and move the head along."""
    previous = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id"):
        entry.previous_hash = previous
        entry.entry_hash = digest(entry_content(entry))
        _tamper(
            "UPDATE audit_auditentry SET previous_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.previous_hash, entry.entry_hash, entry.id],
        )
        previous = entry.entry_hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": previous})


def test_the_chain_is_keyed_with_the_key_from_the_settings(settings: Any) -> None:
    entry = _three_entries()[0]
    expected = hmac.new(
        settings.AUDIT_HMAC_KEY.encode(), entry_content(entry), hashlib.sha256
    ).hexdigest()
    assert entry.entry_hash == expected
    assert entry.entry_hash != hashlib.sha256(entry_content(entry)).hexdigest()


@pytest.mark.parametrize(
    "forger",
    [
        lambda content: hashlib.sha256(content).hexdigest(),  # the old, unkeyed chain
        lambda content: hmac.new(b"a guessed key", content, hashlib.sha256).hexdigest(),
    ],
)
def test_a_rewritten_entry_with_a_recomputed_chain_is_named_without_the_key(forger: Any) -> None:
    _, second, _ = _three_entries()
    _tamper(
        "UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"name": "forged"}', second.id]
    )
    _rechain(forger)
    first_id = AuditEntry.objects.order_by("id").first().id  # type: ignore[union-attr]
    with pytest.raises(CommandError, match=f"entry #{first_id}: its content was changed"):
        call_command("audit_verify")


def test_a_rewrite_with_the_key_itself_is_caught_by_the_published_checkpoint(
    settings: Any,
) -> None:
    _, second, third = _three_entries()
    audit_checkpoint_publish(on=date(2026, 12, 1))
    _tamper(
        "UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"name": "forged"}', second.id]
    )
    key = settings.AUDIT_HMAC_KEY.encode()
    _rechain(lambda content: hmac.new(key, content, hashlib.sha256).hexdigest())
    with pytest.raises(CommandError, match=f"entry #{third.id}: the chain up to it differs"):
        call_command("audit_verify")


def test_a_kept_copy_of_the_checkpoints_catches_a_rewritten_checkpoint_table(
    settings: Any, tmp_path: Path
) -> None:
    _, second, third = _three_entries()
    audit_checkpoint_publish(on=date(2026, 12, 1))
    kept = Client().get("/api/v1/audit/checkpoints/").json()
    copy = tmp_path / "checkpoints.json"
    copy.write_text(json.dumps(kept), encoding="utf-8")

    _tamper(
        "UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"name": "forged"}', second.id]
    )
    key = settings.AUDIT_HMAC_KEY.encode()
    _rechain(lambda content: hmac.new(key, content, hashlib.sha256).hexdigest())
    AuditCheckpoint.objects.all().delete()  # the intruder also removes the published head

    call_command("audit_verify")  # the table alone no longer shows it...
    with pytest.raises(CommandError, match=f"entry #{third.id}: the chain up to it differs"):
        call_command("audit_verify", "--checkpoints", str(copy))  # ...the kept copy does


def test_deleting_entries_after_a_checkpoint_is_named() -> None:
    *_, third = _three_entries()
    audit_checkpoint_publish(on=date(2026, 12, 1))
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [third.id])
    AuditChainHead.objects.filter(pk=1).update(last_hash=AuditEntry.objects.last().entry_hash)  # type: ignore[union-attr]
    with pytest.raises(CommandError, match="the checkpoint of 2026-12-01 counted more entries"):
        call_command("audit_verify")


def test_an_unreadable_checkpoint_copy_is_a_clear_error(tmp_path: Path) -> None:
    copy = tmp_path / "broken.json"
    copy.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot read the checkpoints"):
        call_command("audit_verify", "--checkpoints", str(copy))


def test_the_daily_checkpoint_is_published_once_a_day_and_public() -> None:
    _three_entries()
    assert audit_checkpoint_daily() == 3
    assert audit_checkpoint_daily() == 3  # the second run publishes nothing new
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.head == AuditEntry.objects.order_by("id").last().entry_hash  # type: ignore[union-attr]

    body = Client().get("/api/v1/audit/checkpoints/").json()
    assert body["count"] == 1
    assert body["results"] == [
        {"date": checkpoint.date.isoformat(), "entries": 3, "head": checkpoint.head}
    ]
    page = Client().get("/audit/checkpoints/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert checkpoint.head in page and "Điểm kiểm tra" in page


def test_the_checkpoints_api_refuses_writes() -> None:
    assert Client().post("/api/v1/audit/checkpoints/", {}).status_code == 405


def test_the_migration_rekeys_an_old_sha256_chain(settings: Any) -> None:
    _three_entries()
    _rechain(lambda content: hashlib.sha256(content).hexdigest())  # as the first release wrote it
    with pytest.raises(CommandError):
        call_command("audit_verify")

    migration = importlib.import_module("audit.migrations.0006_keyed_chain_no_truncate")

    class Editor:
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.rechain(apps, Editor())
    call_command("audit_verify")


def test_the_migration_refuses_to_rekey_a_broken_chain() -> None:
    _, second, _ = _three_entries()
    _rechain(lambda content: hashlib.sha256(content).hexdigest())
    _tamper(
        "UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"name": "forged"}', second.id]
    )
    migration = importlib.import_module("audit.migrations.0006_keyed_chain_no_truncate")

    class Editor:
        connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    with pytest.raises(RuntimeError, match=f"broken at entry #{second.id}"):
        migration.rechain(apps, Editor())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only triggers exist on PostgreSQL only"
)
def test_postgresql_refuses_to_truncate_the_log() -> None:
    _three_entries()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL audit.allow_truncate = 'off'")
        cursor.execute("TRUNCATE audit_auditentry CASCADE")
    assert AuditEntry.objects.count() == 3
