"""Benchmark of the compliance scan against hand-written SQL, on PostgreSQL.

Generates, with COPY, 1,000 brokers, 3,000 agents, 100,000 traders, 120,000 contracts,
100,000 letters, certificates, sanctions and 1,000,000 declarations in which a known share
breaks exactly one rule each; times the application's full scan and an incremental scan of
50,000 new declarations (a working day), then the same flags computed by hand-written SQL
(the floor); prints both, the ratio, and checks that the counts are the known shares.

    .venv/bin/python bench/scan.py [--declarations 1000000] [--daily 50000]

It uses its own database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/cbr_bench_scan``), created and migrated if needed.
"""

import argparse
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cbr_bench_scan"
)
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import psycopg  # noqa: E402

BROKERS = 1_000
AGENTS_PER_BROKER = 3
TRADERS = 100_000
EXPIRED_CONTRACTS = 20_000
SUSPENDED_BROKERS = 30  # brokers 0..29 are suspended for the whole period
KINDS = [
    "no_contract",
    "contract_expired",
    "broker_suspended",
    "unlicensed_declarant",
    "signature_misuse",
    "no_authority_letter",
]
# Share of declarations breaking each rule (one rule each); the rest are clean, and a
# third of all are filed by the trader itself.
SHARE = {kind: 0.01 for kind in KINDS}
SELF_FILED = 0.30


def connect() -> Any:
    """A connection to the benchmark's database on which ``load_world`` may empty the
    tables: the audit log refuses TRUNCATE, which the loader's cascades to (audit 0006),
    unless the session says so, as the test suite's does."""
    return psycopg.connect(
        BENCH_URL.replace("postgres://", "postgresql://"), options="-c audit.allow_truncate=on"
    )


def ensure_database() -> None:
    base, name = BENCH_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def trader_tax(t: int) -> str:
    return f"3{t:09d}"


def broker_tax(b: int) -> str:
    return f"02{b:08d}"


def broker_name(b: int) -> str:
    return f"Đại lý {b}"


def broker_serial(b: int) -> str:
    return f"B{b:07X}"


def trader_serial(t: int) -> str:
    return f"C{t:07X}"


def agent_code(b: int, k: int) -> str:
    return f"AG{b:04d}{k}"


def copy_rows(cursor: Any, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# A NOT NULL column of these tables that the loader's COPY does not name gets a neutral
# default, so that the loader keeps up with the models (signatures_verified of contracts, …).
_EMPTY = {
    "boolean": "false",
    "integer": "0",
    "smallint": "0",
    "text": "''",
    "character varying": "''",
}


_LOADED_TABLES = [
    "accounts_organization", "accounts_user", "accounts_signingcertificate", "brokers_broker",
    "brokers_brokeragent", "brokers_sanction", "contracts_servicecontract",
    "contracts_letterofauthority",
]  # fmt: skip


def _defaults_for_unlisted_columns(conn: Any) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ANY(%s) "
            "AND is_nullable = 'NO' AND column_default IS NULL AND data_type = ANY(%s)",
            [_LOADED_TABLES, list(_EMPTY)],
        )
        for table, column, data_type in cur.fetchall():
            cur.execute(
                f'ALTER TABLE {table} ALTER COLUMN "{column}" SET DEFAULT {_EMPTY[data_type]}'
            )
    conn.commit()


def load_world(conn: Any) -> None:
    # Django is set up by now (main); the register's search text is computed as the app does.
    from accounts.models import Organization
    from brokers.models import Broker
    from brokers.search import broker_search_text

    _defaults_for_unlisted_columns(conn)
    now = datetime.now(UTC)
    with conn.cursor() as cur:
        cur.execute(
            "TRUNCATE compliance_flagevent, compliance_flag, compliance_scanrun, "
            "compliance_declaration, contracts_letterofauthority_customs_offices, "
            "contracts_letterofauthority, contracts_servicecontract_customs_offices, "
            "contracts_servicecontract, brokers_sanction, brokers_brokeragent, "
            "brokers_broker_customs_offices, brokers_broker, accounts_signingcertificate, "
            "accounts_user, accounts_organization RESTART IDENTITY CASCADE"
        )
        org_columns = [
            "id", "kind", "name", "tax_code", "address", "province", "phone", "email",
            "letters_per_contract_limit", "require_2fa", "created_at",
        ]  # fmt: skip

        def organizations() -> Iterator[tuple[Any, ...]]:
            blank = ("", "ha_noi", "", "", 5, False, now)
            yield (1, "customs", "Cục Hải quan", "0100101611", *blank)
            for b in range(BROKERS):
                yield (2 + b, "broker", broker_name(b), broker_tax(b), *blank)
            for t in range(TRADERS):
                yield (2 + BROKERS + t, "trader", f"Công ty {t}", trader_tax(t), *blank)

        copy_rows(cur, "accounts_organization", org_columns, organizations())
        cur.execute(
            "INSERT INTO accounts_user (id, password, is_superuser, email, full_name, phone, "
            "national_id, organization_id, role, is_active, is_staff, date_joined) "
            "VALUES (1, '!', false, 'bench@example.test', 'Bench', '', '', 1, 'admin', true, "
            "false, now())"
        )

        def broker_id(b: int) -> int:
            return 1 + b

        def trader_id(t: int) -> int:
            return 2 + BROKERS + t

        def brokers() -> Iterator[tuple[Any, ...]]:
            for b in range(BROKERS):
                broker = Broker(
                    organization=Organization(name=broker_name(b), tax_code=broker_tax(b)),
                    license_number=f"DL-{b:05d}",
                )
                yield (
                    broker_id(b), 2 + b, broker.license_number, date(2020, 1, 1),
                    date(2030, 12, 31), broker_search_text(broker), now,
                )  # fmt: skip

        copy_rows(
            cur,
            "brokers_broker",
            ["id", "organization_id", "license_number", "issued_on", "valid_until",
             "search_text", "created_at"],
            brokers(),
        )  # fmt: skip
        copy_rows(
            cur,
            "brokers_brokeragent",
            ["id", "broker_id", "full_name", "agent_code", "valid_until", "status",
             "withdrawal_reason"],
            (
                (1 + b * AGENTS_PER_BROKER + k, broker_id(b), f"Nhân viên {b}-{k}",
                 agent_code(b, k), date(2030, 12, 31), "active", "")
                for b in range(BROKERS)
                for k in range(AGENTS_PER_BROKER)
            ),
        )  # fmt: skip
        copy_rows(
            cur,
            "brokers_sanction",
            ["broker_id", "kind", "reason", "decision_number", "starts_on", "lift_reason",
             "created_at"],
            (
                (broker_id(b), "suspension", "bench", f"{b}/QĐ", date(2025, 6, 1), "", now)
                for b in range(SUSPENDED_BROKERS)
            ),
        )  # fmt: skip

        contract_columns = [
            "id", "trader_id", "broker_id", "reference", "signed_on", "valid_from", "valid_until",
            "services", "document", "document_sha256", "uploaded_by_id", "uploaded_at",
            "confirmed_by_id", "confirmed_at", "rejection_reason", "termination_reason",
        ]  # fmt: skip

        def contracts() -> Iterator[tuple[Any, ...]]:
            for t in range(TRADERS):
                yield (
                    1 + t, trader_id(t), broker_id(t % BROKERS), f"HD-{t}", date(2024, 12, 1),
                    date(2025, 1, 1), date(2027, 12, 31), '["declaration"]', "bench.pdf",
                    "0" * 64, 1, now, 1, now, "", "",
                )  # fmt: skip
            for t in range(EXPIRED_CONTRACTS):
                yield (
                    1 + TRADERS + t, trader_id(t), broker_id((t + 500) % BROKERS), f"HD-X{t}",
                    date(2022, 12, 1), date(2023, 1, 1), date(2024, 12, 31),
                    '["declaration"]', "bench.pdf", "0" * 64, 1, now, 1, now, "", "",
                )  # fmt: skip

        copy_rows(cur, "contracts_servicecontract", contract_columns, contracts())
        copy_rows(
            cur,
            "contracts_letterofauthority",
            ["contract_id", "agent_id", "number", "verification_code", "procedures",
             "shipment_references", "valid_from", "valid_until", "status", "issued_by_id",
             "issued_at", "revocation_reason"],
            (
                (1 + t, 1 + (t % BROKERS) * AGENTS_PER_BROKER + t % AGENTS_PER_BROKER,
                 f"LOA-{t}", f"V{t:010d}", '["declaration"]', "", date(2025, 1, 1),
                 date(2027, 12, 31), "issued", 1, now, "")
                for t in range(TRADERS)
            ),
        )  # fmt: skip

        def certificates() -> Iterator[tuple[Any, ...]]:
            for b in range(BROKERS):
                yield (2 + b, broker_serial(b), f"CN=b{b}", "CN=CA", now - timedelta(days=900),
                       now + timedelta(days=900), f"b{b:063d}", b"x", now)  # fmt: skip
            for t in range(TRADERS):
                yield (trader_id(t), trader_serial(t), f"CN=t{t}", "CN=CA",
                       now - timedelta(days=900), now + timedelta(days=900), f"t{t:063d}",
                       b"x", now)  # fmt: skip

        copy_rows(
            cur,
            "accounts_signingcertificate",
            ["organization_id", "serial_number", "subject", "issuer", "not_before", "not_after",
             "fingerprint_sha256", "der", "uploaded_at"],
            certificates(),
        )  # fmt: skip
        cur.execute("SELECT setval(pg_get_serial_sequence('brokers_broker', 'id'), 10000000)")
    conn.commit()


def declaration_rows(
    rng: random.Random, start: int, count: int, days: list[date], changed_at: datetime
) -> tuple[list[tuple[Any, ...]], Counter[str]]:
    """``count`` declarations numbered from ``start``, with the known violations."""
    expected: Counter[str] = Counter()
    rows = []
    thresholds = []
    acc = SELF_FILED
    for kind in KINDS:
        acc += SHARE[kind]
        thresholds.append((acc, kind))
    for i in range(start, start + count):
        r = rng.random()
        case = "self" if r < SELF_FILED else "clean"
        for limit, kind in thresholds:
            if SELF_FILED <= r < limit:
                case = kind
                break
        t = rng.randrange(TRADERS)
        if case == "broker_suspended":
            t = rng.randrange(TRADERS // BROKERS) * BROKERS + rng.randrange(SUSPENDED_BROKERS)
        elif case == "contract_expired":
            t = rng.randrange(EXPIRED_CONTRACTS)
            while (t + 500) % BROKERS < SUSPENDED_BROKERS:
                t = rng.randrange(EXPIRED_CONTRACTS)
        elif case != "self":
            while t % BROKERS < SUSPENDED_BROKERS:
                t = rng.randrange(TRADERS)
        b = t % BROKERS
        declarant, agent, serial = (
            broker_tax(b),
            agent_code(b, t % AGENTS_PER_BROKER),
            broker_serial(b),
        )
        if case == "self":
            declarant, agent, serial = trader_tax(t), "", trader_serial(t)
        elif case == "no_contract":
            other = (t + 250) % BROKERS
            other = other if other >= SUSPENDED_BROKERS else other + SUSPENDED_BROKERS
            declarant, agent, serial = broker_tax(other), agent_code(other, 0), broker_serial(other)
        elif case == "contract_expired":
            other = (t + 500) % BROKERS
            declarant, agent, serial = broker_tax(other), agent_code(other, 0), broker_serial(other)
        elif case == "unlicensed_declarant":
            declarant, agent, serial = trader_tax((t + 1) % TRADERS), "", trader_serial(t)
        elif case == "signature_misuse":
            serial = trader_serial(t)
        elif case == "no_authority_letter":
            agent = agent_code(b, (t + 1) % AGENTS_PER_BROKER)
        if case not in ("self", "clean"):
            expected[case] += 1
        day = days[i % len(days)]
        registered = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC) + timedelta(
            seconds=rng.randrange(8 * 3600)
        )
        rows.append(
            (f"{i:012d}", registered, "03CE", trader_tax(t), declarant, agent, serial,
             "green", changed_at, changed_at)
        )  # fmt: skip
    return rows, expected


DECLARATION_COLUMNS = [
    "number", "registered_at", "customs_office_code", "trader_tax_code", "declarant_tax_code",
    "agent_code", "signer_serial", "channel", "changed_at", "created_at",
]  # fmt: skip


def load_declarations(conn: Any, rows: list[tuple[Any, ...]]) -> None:
    with conn.cursor() as cur:
        copy_rows(cur, "compliance_declaration", DECLARATION_COLUMNS, rows)
        cur.execute("ANALYZE")
    conn.commit()


# The floor: the same rules written by hand, with joins instead of correlated lookups.
FLOOR_SQL = """
CREATE TEMP TABLE floor_flag (declaration_id bigint, kind text) ON COMMIT DROP;
WITH batch AS MATERIALIZED (
    SELECT d.id, (d.registered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS on_date,
           t.id AS trader_id, b.id AS broker_id, b.issued_on, b.valid_until,
           bo.id AS broker_org_id, d.agent_code, d.signer_serial
    FROM compliance_declaration d
    LEFT JOIN accounts_organization t ON t.tax_code = d.trader_tax_code
    LEFT JOIN accounts_organization bo ON bo.tax_code = d.declarant_tax_code
    LEFT JOIN brokers_broker b ON b.organization_id = bo.id
    WHERE d.declarant_tax_code <> d.trader_tax_code AND d.changed_at > %(since)s
), facts AS MATERIALIZED (
    SELECT batch.*,
      EXISTS (SELECT 1 FROM brokers_sanction s WHERE s.broker_id = batch.broker_id
              AND s.starts_on <= on_date AND (s.lifted_on IS NULL OR s.lifted_on > on_date)
              AND (s.kind = 'revocation' OR s.ends_on IS NULL OR s.ends_on >= on_date))
        AS sanctioned,
      EXISTS (SELECT 1 FROM contracts_servicecontract c WHERE c.trader_id = batch.trader_id
              AND c.broker_id = batch.broker_id AND c.rejected_at IS NULL) AS contract_on_file,
      EXISTS (SELECT 1 FROM contracts_servicecontract c WHERE c.trader_id = batch.trader_id
              AND c.broker_id = batch.broker_id AND c.rejected_at IS NULL
              AND c.confirmed_at IS NOT NULL AND c.valid_from <= on_date
              AND c.valid_until >= on_date
              AND (c.terminated_on IS NULL OR c.terminated_on > on_date)) AS contract_valid,
      EXISTS (SELECT 1 FROM contracts_letterofauthority l
              JOIN contracts_servicecontract c ON c.id = l.contract_id
              JOIN brokers_brokeragent a ON a.id = l.agent_id
              WHERE c.trader_id = batch.trader_id AND c.broker_id = batch.broker_id
              AND a.agent_code = batch.agent_code AND l.status = 'issued'
              AND l.valid_from <= on_date AND l.valid_until >= on_date
              AND a.valid_until >= on_date
              AND (a.withdrawn_on IS NULL OR a.withdrawn_on > on_date)
              AND c.confirmed_at IS NOT NULL AND c.rejected_at IS NULL
              AND c.valid_from <= on_date AND c.valid_until >= on_date
              AND (c.terminated_on IS NULL OR c.terminated_on > on_date)) AS letter_valid,
      EXISTS (SELECT 1 FROM accounts_signingcertificate sc
              WHERE sc.organization_id = batch.broker_org_id
              AND sc.serial_number = batch.signer_serial) AS own_certificate
    FROM batch
)
INSERT INTO floor_flag
SELECT id, 'broker_suspended' FROM facts WHERE broker_id IS NOT NULL AND sanctioned
UNION ALL SELECT id, 'unlicensed_declarant' FROM facts WHERE broker_id IS NULL
    OR ((valid_until < on_date OR issued_on > on_date) AND NOT sanctioned)
UNION ALL SELECT id, 'no_contract' FROM facts
    WHERE broker_id IS NOT NULL AND NOT contract_on_file
UNION ALL SELECT id, 'contract_expired' FROM facts
    WHERE broker_id IS NOT NULL AND contract_on_file AND NOT contract_valid
UNION ALL SELECT id, 'no_authority_letter' FROM facts
    WHERE broker_id IS NOT NULL AND contract_valid AND NOT letter_valid
UNION ALL SELECT id, 'signature_misuse' FROM facts
    WHERE broker_id IS NOT NULL AND NOT own_certificate;
"""


def floor_scan(conn: Any, since: datetime) -> tuple[float, Counter[str]]:
    started = time.perf_counter()
    with conn.cursor() as cur:
        for statement in [s for s in FLOOR_SQL.split(";\n") if s.strip()]:
            cur.execute(statement, {"since": since} if "%(since)s" in statement else None)
        elapsed = time.perf_counter() - started
        cur.execute("SELECT kind, count(*) FROM floor_flag GROUP BY kind")
        counts = Counter(dict(cur.fetchall()))
    conn.rollback()
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--declarations", type=int, default=1_000_000)
    parser.add_argument("--daily", type=int, default=50_000)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from compliance.models import Flag
    from compliance.scan import declarations_scan

    call_command("migrate", verbosity=0)
    conn = connect()

    t0 = time.perf_counter()
    load_world(conn)
    rng = random.Random(2026)
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(300) if n % 7 < 5]
    yesterday = datetime.now(UTC) - timedelta(days=1)
    rows, expected = declaration_rows(rng, 0, args.declarations, days, yesterday)
    load_declarations(conn, rows)
    del rows
    print(f"loaded {args.declarations:,} declarations and the register in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip

    def counts(**filters: Any) -> Counter[str]:
        return Counter(
            dict(
                Flag.objects.filter(**filters).values_list("kind").annotate(n=Count("id"))
                .values_list("kind", "n")
            )
        )  # fmt: skip

    started = time.perf_counter()
    full = declarations_scan(full=True)
    full_seconds = time.perf_counter() - started
    full_counts = counts()
    floor_seconds, floor_counts = floor_scan(conn, datetime(2000, 1, 1, tzinfo=UTC))

    daily_rows, daily_expected = declaration_rows(
        rng, args.declarations, args.daily, [date(2026, 11, 2)], datetime.now(UTC)
    )
    load_declarations(conn, daily_rows)
    started = time.perf_counter()
    daily = declarations_scan()
    daily_seconds = time.perf_counter() - started
    daily_counts = counts(scan_run=daily)
    daily_floor_seconds, daily_floor_counts = floor_scan(
        conn, full.watermark_to or datetime.now(UTC)
    )

    print(f"\n{'':24}{'full scan':>14}{'daily increment':>18}")
    print(f"{'declarations scanned':24}{full.declarations_scanned:>14,}"
          f"{daily.declarations_scanned:>18,}")  # fmt: skip
    print(f"{'application (s)':24}{full_seconds:>14.2f}{daily_seconds:>18.2f}")
    print(f"{'hand-written SQL (s)':24}{floor_seconds:>14.2f}{daily_floor_seconds:>18.2f}")
    print(f"{'ratio':24}{full_seconds / floor_seconds:>14.2f}"
          f"{daily_seconds / daily_floor_seconds:>18.2f}")  # fmt: skip
    print(f"\n{'kind':24}{'expected':>10}{'scan':>10}{'floor':>10}"
          f"{'daily exp.':>12}{'daily':>10}")  # fmt: skip
    ok = True
    for kind in KINDS:
        row_ok = (
            expected[kind] == full_counts[kind] == floor_counts[kind]
            and daily_expected[kind] == daily_counts[kind] == daily_floor_counts[kind]
        )
        ok &= row_ok
        print(f"{kind:24}{expected[kind]:>10,}{full_counts[kind]:>10,}{floor_counts[kind]:>10,}"
              f"{daily_expected[kind]:>12,}{daily_counts[kind]:>10,}"
              f"{'' if row_ok else '  MISMATCH'}")  # fmt: skip
    print("\nflag counts equal the known shares" if ok else "\nFLAG COUNTS DIFFER")
    conn.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
