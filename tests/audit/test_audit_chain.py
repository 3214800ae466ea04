import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import entry_digest
from audit.models import AuditAction, AuditEntry
from audit.services import audit_chain_verify, audit_record
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
