"""The compliance scan: set-based, incremental, idempotent and safe to run twice at once.

One run, in one transaction:

1. takes a lock (``pg_advisory_xact_lock`` on PostgreSQL; SQLite serialises writers),
   so that a second run waits and then finds nothing new;
2. copies the batch (declarations changed since the last run's watermark, or all of them)
   into a work table (``ScanItem``) with the trader and the broker resolved from the tax
   codes, and empties it again before committing;
3. runs one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per flag kind over that table,
   with the conditions of ``compliance.rules``;
4. records the run with its watermark range and counts.

Flags are never re-opened or deleted here: a rescan only inserts the missing ones.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from brokers.status import licence_outside
from compliance.models import Declaration, Flag, FlagKind, FlagStatus, ScanItem, ScanRun
from compliance.rules import RuleParties, rule_conditions
from contracts.models import ContractRefusal

# An arbitrary constant naming the scan's advisory lock.
SCAN_LOCK_KEY = 604_2026
# Each incremental run re-reads this much before the previous watermark, so that a
# declaration committed late by a slow ingest transaction is never skipped; the inserts
# ignore conflicts, so reading a row twice costs nothing.
WATERMARK_OVERLAP = timedelta(minutes=10)

_SCAN_TABLE = ScanItem._meta.db_table


@dataclass(frozen=True)
class ScanWindow:
    mode: str
    watermark_from: datetime | None
    watermark_to: datetime


def scan_batch(*, watermark_from: datetime | None, watermark_to: datetime) -> QuerySet[Any]:
    """The declarations of the batch filed by someone else than the trader, as rows of
    ``ScanItem`` (declaration, local date, trader id, broker id, agent code, serial)."""
    declarations = Declaration.objects.filter(changed_at__lte=watermark_to)
    if watermark_from is not None:
        declarations = declarations.filter(changed_at__gt=watermark_from - WATERMARK_OVERLAP)
    return (
        declarations.exclude(declarant_tax_code=F("trader_tax_code"))
        .annotate(
            on=TruncDate("registered_at", tzinfo=timezone.get_default_timezone()),
            # Joined on the tax codes (hash joins over the batch), not a probe per row.
            trader_ref=F("trader_organization__pk"),
            broker_ref=F("declarant_organization__broker__pk"),
        )
        .values_list("pk", "on", "trader_ref", "broker_ref", "agent_code", "signer_serial")
        .order_by()
    )


def scan_rules() -> dict[str, QuerySet[Any]]:
    """For each flag kind, the batch rows that deserve it: (declaration, trader, broker)."""
    parties = RuleParties(
        trader=OuterRef("trader"),
        broker=OuterRef("broker"),
        on=OuterRef("on"),
        agent_code=OuterRef("agent_code"),
        signer_serial=OuterRef("signer_serial"),
        has_broker=Q(broker__isnull=False),
        licence_lapsed=licence_outside(on=F("on"), prefix="broker__"),
    )
    return {
        kind: ScanItem.objects.filter(condition)
        .values_list("declaration_id", "trader_id", "broker_id")
        .order_by()
        for kind, condition in rule_conditions(parties).items()
    }


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK_KEY])


def _window(*, full: bool) -> ScanWindow:
    now = timezone.now()
    if full:
        return ScanWindow(ScanRun.Mode.FULL, None, now)
    last = ScanRun.objects.filter(finished_at__isnull=False).order_by("-watermark_to").first()
    watermark_from = last.watermark_to if last is not None else None
    # A clock that went backwards must not move the watermark back.
    watermark_to = max(now, watermark_from) if watermark_from is not None else now
    return ScanWindow(ScanRun.Mode.INCREMENTAL, watermark_from, watermark_to)


def _empty_batch() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {_SCAN_TABLE}")
        else:
            cursor.execute(f"DELETE FROM {_SCAN_TABLE}")  # noqa: S608 - a constant name


def _fill_batch(window: ScanWindow) -> int:
    batch_sql, batch_params = scan_batch(
        watermark_from=window.watermark_from, watermark_to=window.watermark_to
    ).query.sql_with_params()
    _empty_batch()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_SCAN_TABLE} "
            "(declaration_id, on_date, trader_id, broker_id, agent_code, signer_serial) "
            f"{batch_sql}",
            batch_params,
        )
        filled = cursor.rowcount
        if connection.vendor == "postgresql":
            # The planner must know the batch's size to pick hash joins over a big batch.
            cursor.execute(f"ANALYZE {_SCAN_TABLE}")
    return max(filled, 0)


def _insert_flags(*, run: ScanRun) -> int:
    raised_at = connection.ops.adapt_datetimefield_value(run.started_at)
    created = 0
    with connection.cursor() as cursor:
        for kind, rows in scan_rules().items():
            sql, params = rows.query.sql_with_params()
            # "WHERE 1 = 1" keeps SQLite from reading ON CONFLICT as a join condition. The
            # only text spliced in is the ORM's own SQL; values travel as parameters.
            cursor.execute(
                "INSERT INTO compliance_flag "  # noqa: S608
                "(declaration_id, kind, status, trader_id, broker_id, note, raised_at, "
                "scan_run_id) "
                f"SELECT rule.declaration_id, %s, %s, rule.trader_id, rule.broker_id, '', "
                f"%s, %s FROM ({sql}) rule WHERE 1 = 1 "
                "ON CONFLICT (declaration_id, kind) DO NOTHING",
                [kind, FlagStatus.OPEN, raised_at, run.pk, *params],
            )
            created += max(cursor.rowcount, 0)
    return created


def refused_contracts_flag(*, run: ScanRun | None = None) -> int:
    """A ``signature_misuse`` flag for customs on every contract upload refused for a lent
    signature (``contracts.ContractRefusal``) that has none yet; two statements whatever
    their number, and a second run (or a concurrent one) adds nothing."""
    flagged = Flag.objects.filter(
        contract_refusal__isnull=False, kind=FlagKind.SIGNATURE_MISUSE
    ).values("contract_refusal")
    pending = ContractRefusal.objects.exclude(pk__in=flagged).only(
        "pk", "trader_id", "broker_id", "message", "attempted_at"
    )
    flags = [
        Flag(
            contract_refusal=refusal,
            kind=FlagKind.SIGNATURE_MISUSE,
            trader_id=refusal.trader_id,
            broker_id=refusal.broker_id,
            note=refusal.message,
            raised_at=refusal.attempted_at,
            scan_run=run,
        )
        for refusal in pending
    ]
    Flag.objects.bulk_create(flags, ignore_conflicts=True)
    return len(flags)


def _scan_into(run: ScanRun, *, full: bool) -> ScanRun:
    """Scan the window of ``run`` and record it there (the caller holds the lock, in a
    transaction)."""
    window = _window(full=full)
    run.mode = window.mode
    run.watermark_from = window.watermark_from
    run.watermark_to = window.watermark_to
    run.started_at = timezone.now()
    run.save()
    run.declarations_scanned = _fill_batch(window)
    run.flags_created = _insert_flags(run=run) + refused_contracts_flag(run=run)
    # On failure the rollback empties the work table with everything else.
    _empty_batch()
    run.finished_at = timezone.now()
    run.save(update_fields=["declarations_scanned", "flags_created", "finished_at"])
    return run


def declarations_scan(*, full: bool = False, requested_by: User | None = None) -> ScanRun:
    """Scan the declarations changed since the last run (all of them with ``full``) and
    raise the missing flags; returns the recorded run. Waits while another run holds the
    lock, then scans what is left."""
    with transaction.atomic():
        _lock()
        return _scan_into(ScanRun(requested_by=requested_by), full=full)


def scan_run_carry_out(*, run: ScanRun) -> ScanRun | None:
    """Carry out a scan queued from the dashboard (``declarations_scan_request``) once,
    however often its task is delivered: None when the run has already finished or was
    given up."""
    with transaction.atomic():
        _lock()
        run = ScanRun.objects.select_for_update().get(pk=run.pk)
        if run.finished_at is not None or run.failed_at is not None:
            return None
        return _scan_into(run, full=run.mode == ScanRun.Mode.FULL)


def scan_run_fail(
    *, run_id: int | None, full: bool, requested_by: User | None, error: BaseException
) -> ScanRun:
    """Record that a scan raised: its queued run, or a new run when it had none (a
    scheduled scan), is marked failed, for the dashboard to show and offer again."""
    with transaction.atomic():
        if run_id is not None:
            run = ScanRun.objects.select_for_update().get(pk=run_id)
            if run.finished_at is not None:
                return run
        else:
            mode = ScanRun.Mode.FULL if full else ScanRun.Mode.INCREMENTAL
            run = ScanRun(mode=mode, requested_by=requested_by)
        run.failed_at = timezone.now()
        run.failure = type(error).__name__[:255]
        run.save()
    return run
