"""Writes to the audit log: append only."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, chain_key, entry_digest
from audit.models import AuditAction, AuditChainHead, AuditCheckpoint, AuditEntry


def _json_safe(values: dict[str, Any] | None) -> dict[str, Any]:
    # Dates, decimals and UUIDs become strings once, so the stored JSON hashes the same
    # way when it is read back.
    return json.loads(json.dumps(values or {}, cls=DjangoJSONEncoder))


@transaction.atomic
def audit_record(
    *,
    action: AuditAction,
    obj: models.Model,
    actor: AbstractBaseUser | None,
    organization: models.Model | None = None,
    counterparty: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry chained to the previous one. Call it inside the transaction of the
    change it records, so that both are stored or neither is."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS_HASH}
    )
    entry = AuditEntry(
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:255],
        organization_id=organization.pk if organization is not None else None,
        counterparty_id=counterparty.pk if counterparty is not None else None,
        before=_json_safe(before),
        after=_json_safe(after),
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry_digest(entry)
    entry.save()
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    problem: str


@dataclass(frozen=True)
class Checkpoint:
    """A published chain head: from the table, or from a copy someone kept."""

    date: str
    entries: int
    head: str


def audit_chain_verify(*, kept: Iterable[Checkpoint] = ()) -> ChainReport:
    """Walk the chain in order under the key; name the first entry whose content, link or
    order is wrong, or that disagrees with a published checkpoint (those in the table and
    the ``kept`` copies)."""
    key = chain_key()
    checkpoints: dict[int, list[Checkpoint]] = {}
    published = AuditCheckpoint.objects.values_list("date", "entries", "head")
    for checkpoint in [Checkpoint(str(d), n, h) for d, n, h in published] + list(kept):
        checkpoints.setdefault(checkpoint.entries, []).append(checkpoint)
    previous_hash = GENESIS_HASH
    previous_id = 0
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.previous_hash != previous_hash:
            problem = (
                "an entry before it was deleted or changed"
                if entry.id != previous_id + 1
                else "its link to the previous entry does not match"
            )
            return ChainReport(checked, entry.id, problem)
        if entry_digest(entry, key=key) != entry.entry_hash:
            return ChainReport(checked, entry.id, "its content was changed after it was written")
        checked += 1
        for checkpoint in checkpoints.get(checked, []):
            if checkpoint.head != entry.entry_hash:
                return ChainReport(
                    checked - 1,
                    entry.id,
                    f"the chain up to it differs from the checkpoint of {checkpoint.date}",
                )
        previous_hash = entry.entry_hash
        previous_id = entry.id
    longer = [c for entries, cs in checkpoints.items() if entries > checked for c in cs]
    if longer:
        return ChainReport(
            checked, None, f"the checkpoint of {longer[0].date} counted more entries"
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous_hash:
        return ChainReport(checked, None, "the last entries were deleted")
    return ChainReport(checked, None, "")


@transaction.atomic
def audit_checkpoint_publish(*, on: date | None = None) -> AuditCheckpoint:
    """Publish the chain's head for a day (today by default), once: the head is locked so
    that no entry is appended between counting and reading it."""
    day = on or timezone.localdate()
    existing = AuditCheckpoint.objects.filter(date=day).first()
    if existing is not None:
        return existing
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS_HASH}
    )
    checkpoint = AuditCheckpoint(date=day, entries=AuditEntry.objects.count(), head=head.last_hash)
    checkpoint.full_clean()
    checkpoint.save()
    return checkpoint
