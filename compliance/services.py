"""Writes of the compliance app: declaration ingest, the declaration alert, flag work, scan
requests."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from audit.models import AuditAction
from audit.services import audit_record
from brokers.models import CustomsOffice
from compliance.forms import DeclarationRow, DeclarationRowCleaner
from compliance.models import (
    Declaration,
    DeclarationAlert,
    Flag,
    FlagEvent,
    FlagStatus,
    ScanRun,
)
from compliance.tasks import declarations_alert_notify, declarations_scan

# The largest batch one call may ingest (the API's documented limit).
INGEST_BATCH_LIMIT = 10_000
# Rows per multi-row INSERT on SQLite (its limit of parameters per statement).
_INSERT_CHUNK = 500
_INSERTED_COLUMNS = (
    "number",
    "registered_at",
    "customs_office_code",
    "trader_tax_code",
    "declarant_tax_code",
    "agent_code",
    "signer_serial",
    "channel",
    "changed_at",
    "created_at",
)
# The types of the inserted columns, for a binary COPY; the staging table has all but the
# two stamps.
_COLUMN_TYPES = ["varchar", "timestamptz", *["varchar"] * 6, "timestamptz", "timestamptz"]


@dataclass(frozen=True)
class IngestError:
    index: int
    field: str
    message: str


@dataclass
class IngestResult:
    created: int = 0
    duplicates: int = 0
    errors: list[IngestError] = field(default_factory=list)

    @property
    def rows_refused(self) -> int:
        """How many rows had errors (a row may have several)."""
        return len({error.index for error in self.errors})

    @property
    def all_refused(self) -> bool:
        """No row of the batch could be read: the answer is a refusal (400)."""
        return not self.created and not self.duplicates


def _alert_tax_codes() -> "QuerySet[DeclarationAlert, str]":
    """The tax codes of the traders that asked for an e-mail for each declaration."""
    return DeclarationAlert.objects.filter(email_every_declaration=True).values_list(
        "organization__tax_code", flat=True
    )


def _declarations_copy_insert(rows: list[DeclarationRow], now: datetime) -> tuple[int, list[str]]:
    """PostgreSQL: the rows are COPied straight into the table, in the order of their
    numbers. A number already on file (a resent batch, or another request storing the same
    rows) makes that COPY fail as a whole, and the batch then takes the way that settles
    each row, ``_declarations_staged_insert``."""
    table = connection.ops.quote_name(Declaration._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _INSERTED_COLUMNS)
    with connection.cursor() as cursor:
        # A resent batch shows at its first number (one probe of the unique index): it
        # takes the staged way at once, not after a COPY bound to fail, and when every
        # number is on file (one probe each, joined from the list), stores nothing at all.
        cursor.execute(f"SELECT 1 FROM {table} WHERE number = %s", [rows[0].number])  # noqa: S608 - names from the model
        if cursor.fetchone() is not None:
            # LATERAL … LIMIT 1: a probe of the unique index per number, never a hash join
            # over the whole table (which PostgreSQL may prefer for 10,000 numbers). The
            # numbers travel as one string (letters, digits and dashes, as validated).
            cursor.execute(
                "SELECT count(*) FROM unnest(string_to_array(%s, ' ')) AS sent(number) "  # noqa: S608 - names from the model
                f"CROSS JOIN LATERAL (SELECT 1 FROM {table} AS stored "
                "WHERE stored.number = sent.number LIMIT 1) AS on_file",
                [" ".join(row.number for row in rows)],
            )
            (on_file,) = cursor.fetchone()
            if on_file == len(rows):
                return 0, []
            return _declarations_staged_insert(rows, now)
    copy_sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    try:
        # Binary: the server takes the values as they are, without parsing text. The rows
        # go in the order of their numbers, so that two batches sharing numbers wait for
        # each other instead of deadlocking.
        with (
            transaction.atomic(),
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.cursor.copy(copy_sql) as copy,
        ):
            copy.set_types(_COLUMN_TYPES)
            for row in rows:
                copy.write_row((*row, now, now))
    except IntegrityError:
        return _declarations_staged_insert(rows, now)
    asking = set(_alert_tax_codes())
    return len(rows), [row.number for row in rows if row.trader_tax_code in asking]


def _declarations_staged_insert(rows: list[DeclarationRow], now: datetime) -> tuple[int, list[str]]:
    """PostgreSQL, when some numbers are on file: COPY the rows into a temporary table of
    this transaction, then one ``INSERT … SELECT … ON CONFLICT (number) DO NOTHING`` that
    answers with the count of rows inserted and the numbers among them to e-mail about."""
    table = connection.ops.quote_name(Declaration._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _INSERTED_COLUMNS)
    staged = ", ".join(_INSERTED_COLUMNS[:-2])
    asking, asking_params = _alert_tax_codes().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE declaration_ingest (number varchar(32), "
            "registered_at timestamptz, customs_office_code varchar(8), "
            "trader_tax_code varchar(14), declarant_tax_code varchar(14), "
            "agent_code varchar(32), signer_serial varchar(64), channel varchar(8)) "
            "ON COMMIT DROP"
        )
        with cursor.cursor.copy(
            f"COPY declaration_ingest ({staged}) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(_COLUMN_TYPES[:-2])
            for row in rows:
                copy.write_row(row)
        # In the order of the numbers, so that two batches sharing numbers wait for each
        # other instead of deadlocking.
        cursor.execute(
            f"WITH inserted AS (INSERT INTO {table} ({columns}) SELECT {staged}, %s, %s "  # noqa: S608 - names from the model
            "FROM declaration_ingest ORDER BY number "
            "ON CONFLICT (number) DO NOTHING RETURNING number, trader_tax_code) "
            "SELECT count(*), array_agg(number ORDER BY number) "
            f"FILTER (WHERE trader_tax_code IN ({asking})) FROM inserted",
            [now, now, *asking_params],
        )
        created, alerted = cursor.fetchone()
        cursor.execute("DROP TABLE declaration_ingest")
    return created, alerted or []


def _declarations_values_insert(rows: list[DeclarationRow], now: datetime) -> tuple[int, list[str]]:
    """Other databases (SQLite): multi-row ``INSERT … ON CONFLICT (number) DO NOTHING
    RETURNING``, in the order of the numbers; then the numbers to e-mail about."""
    table = connection.ops.quote_name(Declaration._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _INSERTED_COLUMNS)
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    one = "(" + ", ".join(["%s"] * len(_INSERTED_COLUMNS)) + ")"
    inserted: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start : start + _INSERT_CHUNK]
            params: list[Any] = []
            for row in chunk:
                params.extend(row[:1])
                params.append(adapt(row.registered_at))
                params.extend(row[2:])
                params.append(stamp)
                params.append(stamp)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "  # noqa: S608 - names from the model
                "ON CONFLICT (number) DO NOTHING RETURNING number, trader_tax_code",
                params,
            )
            inserted.extend(cursor.fetchall())
    if not inserted:
        return 0, []
    asking = set(_alert_tax_codes())
    return len(inserted), sorted(number for number, trader in inserted if trader in asking)


def _declarations_insert(rows: list[DeclarationRow], now: datetime) -> tuple[int, list[str]]:
    """Insert the declarations whose number is not on file yet; return how many were
    inserted and, of those, the numbers filed for a trader that asked for an e-mail each,
    so that the counts and the alerts follow what this call stored, even when another
    request stores the same numbers at the same moment."""
    if connection.vendor == "postgresql":
        return _declarations_copy_insert(rows, now)
    return _declarations_values_insert(rows, now)


def declarations_ingest(*, rows: Sequence[Any], by: User | None = None) -> IngestResult:
    """Store a batch of declarations from the clearance feed. Broken rows are reported by
    index, field and message and the good ones stored; a number already on file (or
    repeated in the batch) is a duplicate, so that resending a batch creates nothing. The
    counts are those of the rows this call inserted; each trader that asked is e-mailed
    about those rows only."""
    if not rows:
        raise ValidationError(_("The batch is empty: send at least one declaration."))
    if len(rows) > INGEST_BATCH_LIMIT:
        raise ValidationError(
            _("A batch holds at most %(limit)d declarations; this one has %(count)d."),
            params={"limit": INGEST_BATCH_LIMIT, "count": len(rows)},
        )
    cleaner = DeclarationRowCleaner(
        offices=frozenset(CustomsOffice.objects.values_list("code", flat=True))
    )
    result = IngestResult()
    valid: dict[str, DeclarationRow] = {}
    readable = 0
    for index, row in enumerate(rows):
        declaration, errors = cleaner.clean(row)
        if declaration is None:
            result.errors.extend(
                IngestError(index, "non_field_errors" if name == "__all__" else name, message)
                for name, messages in errors.items()
                for message in messages
            )
            continue
        readable += 1
        valid.setdefault(declaration.number, declaration)
    if valid:
        with transaction.atomic():
            result.created, alerted = _declarations_insert(sorted(valid.values()), timezone.now())
            if alerted:
                transaction.on_commit(partial(declarations_alert_notify.delay, alerted))
    result.duplicates = readable - result.created
    return result


@transaction.atomic
def declaration_alert_set(*, organization: Organization, enabled: bool, by: User) -> None:
    """Turn the trader's e-mail for every declaration filed in its name on or off."""
    alert, _created = DeclarationAlert.objects.select_for_update().get_or_create(
        organization=organization
    )
    before = {"email_every_declaration": alert.email_every_declaration}
    alert.email_every_declaration = enabled
    alert.changed_at = timezone.now()
    alert.full_clean()
    alert.save()
    audit_record(
        action=AuditAction.DECLARATION_ALERT_CHANGE,
        obj=alert,
        actor=by,
        organization=organization,
        before=before,
        after={"email_every_declaration": enabled},
    )


# How the audit log names the move to each status.
FLAG_TRANSITION_ACTIONS: dict[str, AuditAction] = {
    FlagStatus.ACKNOWLEDGED: AuditAction.FLAG_ACKNOWLEDGED,
    FlagStatus.RESOLVED: AuditAction.FLAG_RESOLVED,
    FlagStatus.DISMISSED: AuditAction.FLAG_DISMISSED,
}


@transaction.atomic
def flag_transition(*, flag: Flag, to_status: str, note: str, by: User) -> Flag:
    """Acknowledge, resolve or dismiss a flag with a note; on the flag's history and the
    audit record."""
    flag = Flag.objects.select_for_update(of=("self",)).select_related("trader").get(pk=flag.pk)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write a note: say what was checked or decided.")})
    if to_status not in flag.allowed_transitions():
        raise ValidationError(
            _("A flag that is %(status)s cannot be changed to %(target)s.")
            % {"status": flag.get_status_display(), "target": FlagStatus(to_status).label}
        )
    before = {"status": flag.status, "note": flag.note}
    event = FlagEvent(flag=flag, actor=by, from_status=flag.status, to_status=to_status, note=note)
    flag.status = to_status
    flag.note = note
    if to_status in (FlagStatus.RESOLVED, FlagStatus.DISMISSED):
        flag.resolved_by = by
        flag.resolved_at = timezone.now()
    flag.full_clean()
    flag.save(update_fields=["status", "note", "resolved_by", "resolved_at"])
    event.full_clean()
    event.save()
    audit_record(
        action=FLAG_TRANSITION_ACTIONS[to_status],
        obj=flag,
        actor=by,
        organization=flag.trader,
        before=before,
        after={"status": flag.status, "note": flag.note},
    )
    return flag


@transaction.atomic
def flag_note_add(*, flag: Flag, note: str, by: User) -> FlagEvent:
    """A note on a flag (a trader's or a broker's explanation, or customs' remark); the
    status stays."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("The note is empty.")})
    event = FlagEvent(flag=flag, actor=by, note=note)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def declarations_scan_request(
    *, full: bool = False, by: User | None = None, retry_of: ScanRun | None = None
) -> ScanRun:
    """Queue a scan (the customs "scan now" button, or "retry" on a scan that failed or
    never finished): its run is recorded at once, for the dashboard to follow, and its task
    runs once the request's transaction has committed. A retried run that has not finished
    is given up, so that a late delivery of its task does nothing."""
    if retry_of is not None:
        retry_of = ScanRun.objects.select_for_update().get(pk=retry_of.pk)
        if retry_of.finished_at is not None:
            raise ValidationError(_("This scan has finished: there is nothing to retry."))
        if retry_of.failed_at is None:
            retry_of.failed_at = timezone.now()
            retry_of.failure = "abandoned"
            retry_of.save(update_fields=["failed_at", "failure"])
        full = retry_of.mode == ScanRun.Mode.FULL
    run = ScanRun.objects.create(
        mode=ScanRun.Mode.FULL if full else ScanRun.Mode.INCREMENTAL, requested_by=by
    )
    requested_by_id = by.pk if by is not None else None
    transaction.on_commit(
        partial(
            declarations_scan.delay,
            full=full,
            requested_by_id=requested_by_id,
            scan_run_id=run.pk,
        )
    )
    return run
