"""A year of data: the scan, the authorization check and two pages on 13,000,000 declarations.

Loads into its own PostgreSQL database the scan benchmark's register (``bench/scan.py``:
1,000 brokers, 30 of them suspended, 3,000 agents, 100,000 traders, 120,000 contracts,
100,000 letters, 101,000 certificates), then a national year of declarations (13,000,000
by default: the 261 working days before today, about 50,000 a day, numbered in the order
they were registered) and the flags a year of scans left on them, all generated inside
PostgreSQL (``generate_series``, no row goes through Python or the ORM). Traders are skewed
as in life: the largest files about 1% of the year, the median about 40 declarations. 30%
are filed by the trader itself and 1% break each of the six rules (one rule each), as in
``bench/scan.py``; the flags older than 30 days are mostly resolved or dismissed.

Then, each against its baseline in the same run (best of ``--repeat``, or p95 of many):

- one day's incremental scan (``--daily`` new declarations, COPY, then
  ``declarations_scan()``) against the hand-written SQL of ``bench/scan.py`` over the same
  window, both checked against the known counts;
- the authorization check, ``GET /api/v1/authorization/`` through the Django test client
  (middleware, session, throttle in Redis), p50 and p95 over ``--samples`` pairs, against
  one hand-written SQL statement answering the same question for the same pairs;
- the trader's *declarations in my name* (``/declarations/mine/``) for the largest and for
  the median trader, first and a deep page, against the same five reads by hand;
- the customs dashboard (``/customs/dashboard/``), its flag figures recounted (cache
  emptied) and cached, against the same figures by hand.

Every page and the check report their number of queries, which must not grow with the data.

    .venv/bin/python bench/year.py [--rows 13000000] [--daily 50000] [--reload] [--drop]

The database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/cbr_bench_year``) is kept between runs: a run that
finds the same ``--rows`` already loaded only measures. ``--reload`` loads again, ``--drop``
drops the database at the end (about 8 GB at 13 M). The last line is
``bench-year: rows=N increment=N.NNs/N.NNs authorization_p95=N.Nms/N.Nms
mine=N.Nms/N.Nms dashboard=N.Nms/N.Nms`` (application/baseline).
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cbr_bench_year")
# Pages as a deployment serves them: no debug, the cache and throttle counters in Redis, a
# user rate the benchmark's thousands of requests a minute do not reach.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
os.environ.setdefault("API_USER_RATE", "1000000/minute")
# The scan benchmark's register loader points Django at BENCH_DATABASE_URL.
from bench import scan as register  # noqa: E402

BENCH_URL = register.BENCH_URL
OFFICES = [f"{n:02d}C{chr(65 + n % 26)}" for n in range(1, 31)]
# Trader ranks are drawn as TRADERS * u ** SKEW and scattered over the trader numbers.
SKEW = 2.5
SCATTER = 7919  # coprime with TRADERS: rank -> trader number is a permutation
CHUNK = 1_000_000
OPEN_DAYS = 30  # flags raised in the last 30 days are still open
FLAG_KINDS = register.KINDS

# SQL of the register's identifiers, the same as bench/scan.py's Python functions.
TRADER_TAX = "'3' || lpad(({t})::text, 9, '0')"
BROKER_TAX = "'02' || lpad(({b})::text, 8, '0')"
BROKER_SERIAL = "'B' || lpad(upper(to_hex({b})), 7, '0')"
TRADER_SERIAL = "'C' || lpad(upper(to_hex({t})), 7, '0')"
AGENT_CODE = "'AG' || lpad(({b})::text, 4, '0') || ({k})::text"


def _cases() -> str:
    """CASE over the uniform ``r``: self-filed, one of the six rules, or clean."""
    whens = [f"WHEN r < {register.SELF_FILED} THEN 'self'"]
    limit = register.SELF_FILED
    for kind in FLAG_KINDS:
        limit += register.SHARE[kind]
        whens.append(f"WHEN r < {limit:.6f} THEN '{kind}'")
    return "CASE " + " ".join(whens) + " ELSE 'clean' END"


# One row per declaration i in [lo, hi): its case, trader t, filing broker b (or -1) and
# the columns clearance sends. Uniform draws come from hashes of i, so that any chunk can
# be generated alone and again.
YEAR_ROWS = f"""
WITH g AS MATERIALIZED (
    SELECT i,
           (hashint8extended(i, 11) & 2147483647)::float8 / 2147483648 AS r,
           (hashint8extended(i, 12) & 2147483647)::float8 / 2147483648 AS u,
           hashint8extended(i, 13) & 2147483647 AS h
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) AS i
), c AS MATERIALIZED (
    SELECT i, h, {_cases()} AS kase,
           (floor({register.TRADERS} * u ^ {SKEW}::float8)::bigint * {SCATTER} + 12345)
               %% {register.TRADERS} AS t0
    FROM g
), t AS MATERIALIZED (
    SELECT i, h, kase,
           CASE kase
             WHEN 'self' THEN t0
             -- a trader whose own broker is one of the suspended ones (0..29)
             WHEN 'broker_suspended' THEN t0 - t0 %% 1000 + (t0 %% 1000) %% 30
             -- a trader with an expired contract whose other broker is not suspended
             WHEN 'contract_expired' THEN
               CASE WHEN (t0 %% 20000) %% 1000 BETWEEN 500 AND 529 THEN t0 %% 20000 + 30
                    ELSE t0 %% 20000 END
             ELSE CASE WHEN t0 %% 1000 < 30 THEN t0 + 30 ELSE t0 END
           END AS t
    FROM c
), f AS MATERIALIZED (
    SELECT i, h, kase, t,
           CASE kase
             WHEN 'self' THEN -1
             WHEN 'unlicensed_declarant' THEN -1
             WHEN 'no_contract' THEN
               CASE WHEN (t + 250) %% 1000 < 30 THEN (t + 250) %% 1000 + 30
                    ELSE (t + 250) %% 1000 END
             WHEN 'contract_expired' THEN (t + 500) %% 1000
             ELSE t %% 1000
           END AS b
    FROM t
)
SELECT i, kase, t, b,
       lpad(i::text, 12, '0') AS number,
       (days.day::timestamp + interval '2 hours' + (h %% 28800) * interval '1 second')
           AT TIME ZONE 'UTC' AS registered_at,
       lpad((1 + t %% {len(OFFICES)})::text, 2, '0') || 'C'
           || chr((65 + (1 + t %% {len(OFFICES)}) %% 26)::int) AS office,
       {TRADER_TAX.format(t="t")} AS trader_tax_code,
       CASE WHEN kase = 'self' THEN {TRADER_TAX.format(t="t")}
            WHEN kase = 'unlicensed_declarant' THEN {TRADER_TAX.format(t="(t + 1) %% 100000")}
            ELSE {BROKER_TAX.format(b="b")} END AS declarant_tax_code,
       CASE WHEN b < 0 THEN ''
            WHEN kase IN ('no_contract', 'contract_expired') THEN {AGENT_CODE.format(b="b", k=0)}
            WHEN kase = 'no_authority_letter' THEN {AGENT_CODE.format(b="b", k="(t + 1) %% 3")}
            ELSE {AGENT_CODE.format(b="b", k="t %% 3")} END AS agent_code,
       CASE WHEN b < 0 OR kase = 'signature_misuse' THEN {TRADER_SERIAL.format(t="t")}
            ELSE {BROKER_SERIAL.format(b="b")} END AS signer_serial,
       CASE WHEN (h / 28800) %% 100 < 70 THEN 'green'
            WHEN (h / 28800) %% 100 < 91 THEN 'yellow' ELSE 'red' END AS channel,
       (h / 2880000) %% 100 AS fate
FROM f
-- Numbered in the order they were registered: a day's declarations follow the day before's.
JOIN unnest(%(days)s::date[]) WITH ORDINALITY AS days (day, ordinal)
  ON days.ordinal = 1 + f.i * %(day_count)s / %(rows)s
"""

LOAD_CHUNK = f"""
WITH y AS MATERIALIZED ({YEAR_ROWS}),
declarations AS (
    INSERT INTO compliance_declaration
        (id, number, registered_at, customs_office_code, trader_tax_code, declarant_tax_code,
         agent_code, signer_serial, channel, changed_at, created_at)
    SELECT i + 1, number, registered_at, office, trader_tax_code, declarant_tax_code,
           agent_code, signer_serial, channel, registered_at + interval '5 minutes',
           registered_at + interval '5 minutes'
    FROM y
)
INSERT INTO compliance_flag
    (declaration_id, kind, status, note, raised_at, trader_id, broker_id, scan_run_id)
SELECT i + 1, kase,
       CASE WHEN registered_at >= %(open_since)s THEN 'open'
            WHEN fate < 8 THEN 'open' WHEN fate < 10 THEN 'acknowledged'
            WHEN fate < 85 THEN 'resolved' ELSE 'dismissed' END,
       '', registered_at + interval '30 minutes', {2 + register.BROKERS} + t,
       CASE WHEN b < 0 THEN NULL ELSE 1 + b END, %(run)s
FROM y WHERE kase NOT IN ('self', 'clean')
"""


def _secondary_definitions(conn: Any, tables: list[str]) -> tuple[list[str], list[str]]:
    """(drop, create) statements of every index and constraint of ``tables`` but the
    primary keys and check constraints, so that the year is loaded without them and they
    are built once, as the migrations define them."""
    drops: list[str] = []
    creates: list[str] = []
    for table in tables:
        constraints = conn.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [table],
        ).fetchall()
        for name, definition, _kind in constraints:
            drops.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            creates.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        indexes = conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        ).fetchall()
        for name, definition in indexes:
            drops.append(f"DROP INDEX {name}")
            creates.append(definition)
    # Unique constraints (and their indexes) before the foreign keys that may need them.
    creates.sort(key=lambda statement: "FOREIGN KEY" in statement)
    return drops, creates


def year_days(today: date) -> list[date]:
    """The working days of the 365 days before ``today``."""
    first = today - timedelta(days=365)
    return [
        first + timedelta(days=n) for n in range(365) if (first + timedelta(days=n)).weekday() < 5
    ]


def load_year(conn: Any, rows: int, today: date) -> None:
    from compliance.models import ScanRun

    started = time.perf_counter()
    register.load_world(conn)
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO brokers_customsoffice (code, name, province) VALUES (%s, %s, %s) "
            "ON CONFLICT (code) DO NOTHING",
            [(code, f"Chi cục Hải quan {code}", "ha-noi") for code in OFFICES],
        )
    conn.commit()
    print(f"register loaded in {time.perf_counter() - started:.1f} s", flush=True)
    loaded_at = datetime.now(UTC)
    # The scans of the year: one run stands for them, its watermark at the load.
    seed = ScanRun.objects.create(
        mode=ScanRun.Mode.FULL, watermark_to=loaded_at, started_at=loaded_at,
        finished_at=loaded_at,
    )  # fmt: skip
    tables = ["compliance_flag", "compliance_declaration"]
    drops, creates = _secondary_definitions(conn, tables)
    with conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        for statement in drops:
            cur.execute(statement)
        conn.commit()
        days = year_days(today)
        params = {
            "days": days,
            "day_count": len(days),
            "rows": rows,
            "open_since": datetime.combine(
                today - timedelta(days=OPEN_DAYS), datetime.min.time(), UTC
            ),
            "run": seed.pk,
        }
        for lo in range(0, rows, CHUNK):
            chunk_started = time.perf_counter()
            cur.execute(LOAD_CHUNK, {**params, "lo": lo, "hi": min(lo + CHUNK, rows)})
            conn.commit()
            print(f"  declarations {min(lo + CHUNK, rows):>12,} "
                  f"({time.perf_counter() - chunk_started:.1f} s)", flush=True)  # fmt: skip
        indexes_started = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '1GB'")
        for statement in creates:
            cur.execute(statement)
            conn.commit()
        print(f"indexes and constraints built in {time.perf_counter() - indexes_started:.1f} s")
        cur.execute("SELECT setval(pg_get_serial_sequence('compliance_declaration', 'id'), %s)",
                    [rows + 1])  # fmt: skip
        cur.execute("SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), "
                    "(SELECT max(id) FROM accounts_user))")  # fmt: skip
        cur.execute("SELECT setval(pg_get_serial_sequence('compliance_flag', 'id'), "
                    "(SELECT max(id) FROM compliance_flag))")  # fmt: skip
        cur.execute(
            "UPDATE compliance_scanrun SET declarations_scanned = "
            "(SELECT count(*) FROM compliance_declaration "
            " WHERE declarant_tax_code <> trader_tax_code), "
            "flags_created = (SELECT count(*) FROM compliance_flag) WHERE id = %s",
            [seed.pk],
        )
        cur.execute("DROP TABLE IF EXISTS bench_year")
        cur.execute("CREATE TABLE bench_year (rows bigint, seed_run bigint, loaded_on date)")
        cur.execute("INSERT INTO bench_year VALUES (%s, %s, %s)", [rows, seed.pk, today])
        conn.commit()
    conn.autocommit = True
    vacuum_started = time.perf_counter()
    conn.execute("VACUUM ANALYZE")
    conn.autocommit = False
    print(f"vacuum and analyze {time.perf_counter() - vacuum_started:.1f} s")
    print(f"loaded {rows:,} declarations in {time.perf_counter() - started:.1f} s", flush=True)


# --- the incremental scan ---------------------------------------------------------------


def _forget_daily(conn: Any, rows: int, seed_run: int) -> None:
    """Take away a previous measurement's day: its declarations, flags and scan runs."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM compliance_flag WHERE declaration_id > %s OR scan_run_id <> %s",
                    [rows, seed_run])  # fmt: skip
        cur.execute("DELETE FROM compliance_declaration WHERE id > %s", [rows])
        cur.execute("DELETE FROM compliance_scanrun WHERE id <> %s", [seed_run])
    conn.commit()


def measure_increment(
    conn: Any, rows: int, daily: int, seed_run: int, repeat: int
) -> dict[str, Any]:
    from django.db.models import Count

    from compliance.models import Flag, ScanRun
    from compliance.scan import WATERMARK_OVERLAP, declarations_scan

    _forget_daily(conn, rows, seed_run)
    rng = random.Random(2026)
    today = datetime.now(UTC).date()
    daily_rows, expected = register.declaration_rows(rng, rows, daily, [today], datetime.now(UTC))
    with conn.cursor() as cur:
        register.copy_rows(cur, "compliance_declaration", register.DECLARATION_COLUMNS, daily_rows)
    conn.commit()
    seed = ScanRun.objects.get(pk=seed_run)
    assert seed.watermark_to is not None
    since = seed.watermark_to - WATERMARK_OVERLAP
    app_times, floor_times = [], []
    app_counts: Counter[str] = Counter()
    floor_counts: Counter[str] = Counter()
    scanned = 0
    for _ in range(repeat):
        with conn.cursor() as cur:
            cur.execute("DELETE FROM compliance_flag WHERE scan_run_id <> %s", [seed_run])
            cur.execute("DELETE FROM compliance_scanrun WHERE id <> %s", [seed_run])
        conn.commit()
        started = time.perf_counter()
        run = declarations_scan()
        app_times.append(time.perf_counter() - started)
        scanned = run.declarations_scanned
        app_counts = Counter(dict(
            Flag.objects.filter(scan_run=run).values_list("kind").annotate(n=Count("id"))
            .values_list("kind", "n")
        ))  # fmt: skip
        floor_seconds, floor_counts = register.floor_scan(conn, since)
        floor_times.append(floor_seconds)
    ok = all(expected[k] == app_counts[k] == floor_counts[k] for k in FLAG_KINDS)
    print(f"\nincremental scan of one day ({daily:,} new, {scanned:,} filed by a third party), "
          f"best of {repeat}:")  # fmt: skip
    print(f"  application {min(app_times):.2f} s   hand-written SQL {min(floor_times):.2f} s   "
          f"ratio {min(app_times) / min(floor_times):.2f}   "
          f"(all runs: {', '.join(f'{t:.2f}' for t in app_times)} / "
          f"{', '.join(f'{t:.2f}' for t in floor_times)})")  # fmt: skip
    print("  flags per kind " + ", ".join(
        f"{k} {expected[k]}/{app_counts[k]}/{floor_counts[k]}" for k in FLAG_KINDS
    ) + ("  (expected/app/SQL: equal)" if ok else "  MISMATCH"))  # fmt: skip
    return {"app": min(app_times), "floor": min(floor_times), "ok": ok}


# --- timing helpers ---------------------------------------------------------------------


def _fetch_all(cursor: Any, statement: str, params: dict[str, str]) -> None:
    cursor.execute(statement, params)
    cursor.fetchall()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _timed_ms(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _query_count(function: Callable[[], Any]) -> int:
    """The queries ``function`` runs (counted at once: the log is emptied by the next
    request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


# --- the authorization check ------------------------------------------------------------

AUTHORIZATION_SQL = """
WITH p AS (
    SELECT (SELECT id FROM accounts_organization WHERE tax_code = %(trader)s) AS trader_id,
           b.id AS broker_id, b.issued_on, b.valid_until, b.organization_id
    FROM brokers_broker b JOIN accounts_organization o ON o.id = b.organization_id
    WHERE o.tax_code = %(declarant)s
)
SELECT p.broker_id,
  EXISTS (SELECT 1 FROM brokers_sanction s WHERE s.broker_id = p.broker_id
          AND s.starts_on <= %(on)s AND (s.lifted_on IS NULL OR s.lifted_on > %(on)s)
          AND (s.kind = 'revocation' OR s.ends_on IS NULL OR s.ends_on >= %(on)s)) AS sanctioned,
  (p.valid_until < %(on)s OR p.issued_on > %(on)s) AS lapsed,
  EXISTS (SELECT 1 FROM contracts_servicecontract c WHERE c.trader_id = p.trader_id
          AND c.broker_id = p.broker_id AND c.rejected_at IS NULL) AS contract_on_file,
  EXISTS (SELECT 1 FROM contracts_servicecontract c WHERE c.trader_id = p.trader_id
          AND c.broker_id = p.broker_id AND c.rejected_at IS NULL
          AND c.confirmed_at IS NOT NULL AND c.valid_from <= %(on)s
          AND c.valid_until >= %(on)s
          AND (c.terminated_on IS NULL OR c.terminated_on > %(on)s)) AS contract_valid,
  EXISTS (SELECT 1 FROM contracts_letterofauthority l
          JOIN contracts_servicecontract c ON c.id = l.contract_id
          JOIN brokers_brokeragent a ON a.id = l.agent_id
          WHERE c.trader_id = p.trader_id AND c.broker_id = p.broker_id
          AND a.agent_code = %(agent)s AND l.status = 'issued'
          AND l.valid_from <= %(on)s AND l.valid_until >= %(on)s
          AND a.valid_until >= %(on)s AND (a.withdrawn_on IS NULL OR a.withdrawn_on > %(on)s)
          AND c.confirmed_at IS NOT NULL AND c.rejected_at IS NULL
          AND c.valid_from <= %(on)s AND c.valid_until >= %(on)s
          AND (c.terminated_on IS NULL OR c.terminated_on > %(on)s)) AS letter_valid,
  EXISTS (SELECT 1 FROM accounts_signingcertificate sc
          WHERE sc.organization_id = p.organization_id
          AND sc.serial_number = %(signer)s) AS own_certificate,
  (SELECT c.reference || ' ' || c.valid_from || ' ' || c.valid_until
   FROM contracts_servicecontract c WHERE c.trader_id = p.trader_id
   AND c.broker_id = p.broker_id AND c.rejected_at IS NULL
   ORDER BY (c.confirmed_at IS NOT NULL AND c.valid_from <= %(on)s
             AND c.valid_until >= %(on)s) DESC, c.valid_until DESC LIMIT 1) AS contract
FROM p
"""


def _authorization_pairs(count: int, on: date) -> list[dict[str, str]]:
    """Pairs as clearance would ask: mostly a trader's own broker, with its agent and
    serial; some another broker, a suspended one, an unregistered declarant."""
    from django.core.exceptions import ValidationError

    from accounts.taxcode import tax_code_normalize

    def valid(tax_code: str) -> bool:
        try:
            tax_code_normalize(tax_code)
        except ValidationError:
            return False
        return True

    # The API refuses a tax code whose check digit is wrong, which most of the generated
    # ones are: the pairs are drawn among those it accepts.
    rng = random.Random(14)
    pairs: list[dict[str, str]] = []
    n = -1
    while len(pairs) < count:
        n += 1
        t = rng.randrange(register.TRADERS)
        b = t % register.BROKERS
        agent, serial = register.agent_code(b, t % 3), register.broker_serial(b)
        if n % 10 == 7:
            b = (b + 250) % register.BROKERS
            agent, serial = register.agent_code(b, 0), register.broker_serial(b)
        elif n % 10 == 8:
            b = rng.randrange(register.SUSPENDED_BROKERS)
        declarant = (
            register.broker_tax(b) if n % 10 != 9 else register.trader_tax((t + 1) % 100_000)
        )
        if not (valid(register.trader_tax(t)) and valid(declarant)):
            continue
        pairs.append({
            "trader": register.trader_tax(t), "declarant": declarant, "on": on.isoformat(),
            "agent": agent, "signer": serial,
        })  # fmt: skip
    return pairs


def measure_authorization(conn: Any, samples: int, customs: Any) -> dict[str, Any]:
    from django.test import Client

    from compliance.selectors import authorization_check

    client = Client()
    client.force_login(customs)
    pairs = _authorization_pairs(samples, datetime.now(UTC).date())
    for pair in pairs[:20]:  # warm the connection, the caches and the query compiler
        assert client.get("/api/v1/authorization/", pair).status_code == 200
    api_queries = _query_count(partial(client.get, "/api/v1/authorization/", pairs[0]))
    api = [_timed_ms(partial(client.get, "/api/v1/authorization/", pair)) for pair in pairs]

    def selector(pair: dict[str, str]) -> None:
        authorization_check(
            trader_tax_code=pair["trader"], declarant_tax_code=pair["declarant"],
            on=date.fromisoformat(pair["on"]), agent_code=pair["agent"],
            signer_serial=pair["signer"],
        )  # fmt: skip

    selector_queries = _query_count(partial(selector, pairs[0]))
    selected = [_timed_ms(partial(selector, pair)) for pair in pairs]
    with conn.cursor() as cur:
        for pair in pairs[:20]:
            cur.execute(AUTHORIZATION_SQL, pair)
            cur.fetchall()
        floor = [_timed_ms(partial(_fetch_all, cur, AUTHORIZATION_SQL, pair)) for pair in pairs]
    conn.rollback()
    print(f"\nauthorization check, {samples} pairs (ms):          p50     p95  queries")
    for label, values, queries in [
        ("GET /api/v1/authorization/ (test client)", api, api_queries),
        ("authorization_check() alone", selected, selector_queries),
        ("hand-written SQL, one statement", floor, 1),
    ]:
        print(f"  {label:42}{_percentile(values, 0.5):>7.1f} {_percentile(values, 0.95):>7.1f}"
              f" {queries:>8}")  # fmt: skip
    return {"app": _percentile(api, 0.95), "floor": _percentile(floor, 0.95),
            "queries": api_queries}  # fmt: skip


# --- the trader's declarations in its name ----------------------------------------------

MINE_SQL = [
    "SELECT count(*) FROM compliance_declaration WHERE trader_tax_code = %(trader)s",
    "SELECT id, number, registered_at, customs_office_code, trader_tax_code, "
    "declarant_tax_code, agent_code, signer_serial, channel FROM compliance_declaration "
    "WHERE trader_tax_code = %(trader)s ORDER BY registered_at DESC, id DESC "
    "LIMIT 50 OFFSET %(offset)s",
]


def _mine_floor(cur: Any, trader: str, offset: int) -> None:
    cur.execute(MINE_SQL[0], {"trader": trader})
    cur.fetchone()
    rows = cur.execute(MINE_SQL[1], {"trader": trader, "offset": offset}).fetchall()
    ids = [row[0] for row in rows]
    cur.execute("SELECT declaration_id, kind, status FROM compliance_flag "
                "WHERE declaration_id = ANY(%s) ORDER BY kind", [ids]).fetchall()  # fmt: skip
    cur.execute("SELECT tax_code, name FROM accounts_organization WHERE tax_code = ANY(%s)",
                [list({row[5] for row in rows})]).fetchall()  # fmt: skip
    cur.execute("SELECT agent_code, full_name FROM brokers_brokeragent WHERE agent_code = ANY(%s)",
                [list({row[6] for row in rows if row[6]})]).fetchall()  # fmt: skip
    cur.execute("SELECT 1 FROM compliance_declarationalert WHERE organization_id = 0").fetchall()


def _median_and_p95(function: Callable[[], Any], runs: int) -> tuple[float, float]:
    function()
    times = [_timed_ms(function) for _ in range(runs)]
    return statistics.median(times), _percentile(times, 0.95)


def measure_mine(conn: Any, traders: dict[str, Any], runs: int) -> dict[str, Any]:
    from django.test import Client

    print(f"\ndeclarations in my name, /declarations/mine/ (ms, {runs} runs):"
          f"{'':6}median     p95  queries   SQL median   SQL p95")  # fmt: skip
    worst: dict[str, Any] = {"app": 0.0, "floor": 0.0, "queries": set()}
    for label, (user, tax_code, declarations) in traders.items():
        client = Client()
        client.force_login(user)
        pages = max(1, (declarations + 49) // 50)
        for page in sorted({1, min(pages, 100)}):
            url = f"/declarations/mine/?page={page}"
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            queries = _query_count(partial(client.get, url))
            median, p95 = _median_and_p95(partial(client.get, url), runs)
            with conn.cursor() as cur:
                floor_median, floor_p95 = _median_and_p95(
                    partial(_mine_floor, cur, tax_code, (page - 1) * 50), runs
                )
            conn.rollback()
            print(
                f"  {label + f' ({declarations:,} decl.), page {page}':58}{median:>7.1f}"
                f" {p95:>7.1f} {queries:>8} {floor_median:>12.1f} {floor_p95:>9.1f}"
            )
            worst["app"] = max(worst["app"], p95)
            worst["floor"] = max(worst["floor"], floor_p95)
            worst["queries"].add(queries)
    return worst


# --- the customs dashboard --------------------------------------------------------------

DASHBOARD_SQL = [
    """SELECT CASE
         WHEN EXISTS (SELECT 1 FROM brokers_sanction s WHERE s.broker_id = b.id
                      AND s.kind = 'revocation' AND s.starts_on <= %(on)s
                      AND (s.lifted_on IS NULL OR s.lifted_on > %(on)s)) THEN 'revoked'
         WHEN EXISTS (SELECT 1 FROM brokers_sanction s WHERE s.broker_id = b.id
                      AND s.kind = 'suspension' AND s.starts_on <= %(on)s
                      AND (s.ends_on IS NULL OR s.ends_on >= %(on)s)
                      AND (s.lifted_on IS NULL OR s.lifted_on > %(on)s)) THEN 'suspended'
         WHEN b.valid_until < %(on)s OR b.issued_on > %(on)s THEN 'expired'
         ELSE 'active' END, count(*)
       FROM brokers_broker b GROUP BY 1""",
    "SELECT kind, count(*) FROM compliance_flag WHERE status = 'open' GROUP BY kind",
    """SELECT (raised_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*)
       FROM compliance_flag WHERE raised_at >= %(since)s GROUP BY 1""",
    """SELECT b.license_number, o.name, f.n FROM (
         SELECT broker_id, count(*) AS n FROM compliance_flag
         WHERE status = 'open' AND broker_id IS NOT NULL GROUP BY broker_id) f
       JOIN brokers_broker b ON b.id = f.broker_id
       JOIN accounts_organization o ON o.id = b.organization_id
       ORDER BY f.n DESC, b.license_number LIMIT 10""",
    """SELECT o.tax_code, o.name, f.n FROM (
         SELECT trader_id, count(*) AS n FROM compliance_flag
         WHERE status = 'open' AND trader_id IS NOT NULL GROUP BY trader_id) f
       JOIN accounts_organization o ON o.id = f.trader_id
       ORDER BY f.n DESC, o.tax_code LIMIT 10""",
    "SELECT * FROM compliance_scanrun ORDER BY started_at DESC, id DESC LIMIT 1",
]


def measure_dashboard(conn: Any, customs: Any, runs: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    client = Client()
    client.force_login(customs)
    url = "/customs/dashboard/"
    assert client.get(url).status_code == 200

    def cold() -> None:
        cache.clear()
        client.get(url)

    cache.clear()
    cold_queries = _query_count(partial(client.get, url))
    warm_queries = _query_count(partial(client.get, url))
    cold_median, cold_p95 = _median_and_p95(cold, runs)
    warm_median, warm_p95 = _median_and_p95(lambda: client.get(url), runs)
    from compliance.dashboard import customs_dashboard_figures_refresh

    refresh_median, refresh_p95 = _median_and_p95(customs_dashboard_figures_refresh, 5)
    refreshed_queries = _query_count(partial(client.get, url))
    refreshed_median, refreshed_p95 = _median_and_p95(partial(client.get, url), runs)
    on = timezone.localdate()
    params = {"on": on, "since": datetime.combine(on - timedelta(days=89), datetime.min.time(),
                                                  timezone.get_current_timezone())}  # fmt: skip

    def floor(statements: list[str]) -> None:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement, params if "%(" in statement else None)
                cur.fetchall()
        conn.rollback()

    floor_median, floor_p95 = _median_and_p95(lambda: floor(DASHBOARD_SQL), runs)
    cached_statements = [DASHBOARD_SQL[0], DASHBOARD_SQL[-1]]
    cached_floor_median, cached_floor_p95 = _median_and_p95(lambda: floor(cached_statements), runs)
    print(f"\ncustoms dashboard, /customs/dashboard/ (ms, {runs} runs):"
          f"{'':14}median     p95  queries")  # fmt: skip
    for label, median, p95, queries in [
        ("flag figures recounted (cache emptied)", cold_median, cold_p95, cold_queries),
        ("  the same figures, hand-written SQL", floor_median, floor_p95, len(DASHBOARD_SQL)),
        ("flag figures cached (within the minute)", warm_median, warm_p95, warm_queries),
        ("  the same reads, hand-written SQL", cached_floor_median, cached_floor_p95, 2),
        ("beat's recount (every minute, no page)", refresh_median, refresh_p95, 4),
        ("page after beat's recount", refreshed_median, refreshed_p95, refreshed_queries),
    ]:
        print(f"  {label:68}{median:>7.1f} {p95:>7.1f} {queries:>8}")
    return {"app": refreshed_p95, "cold": cold_p95, "floor": floor_p95, "warm": warm_p95,
            "queries": (cold_queries, warm_queries)}  # fmt: skip


# --- users and sizes --------------------------------------------------------------------


def _bench_users(conn: Any) -> tuple[Any, dict[str, Any]]:
    """The customs officer and a user of the largest and of the median trader."""
    from accounts.models import Organization, User

    sizes = conn.execute(
        "SELECT trader_tax_code, count(*) FROM compliance_declaration "
        "GROUP BY trader_tax_code ORDER BY 2 DESC"
    ).fetchall()
    conn.rollback()
    chosen = {"largest trader": sizes[0], "median trader": sizes[len(sizes) // 2]}
    customs = User.objects.get(email="bench@example.test")
    traders = {}
    for label, (tax_code, count) in chosen.items():
        organization = Organization.objects.get(tax_code=tax_code)
        user = User.objects.filter(organization=organization).first()
        if user is None:
            user = User.objects.create(
                email=f"trader-{tax_code}@example.test",
                full_name="Bench",
                organization=organization,
                role=User.Role.ADMIN,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
        traders[label] = (user, tax_code, count)
    return customs, traders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=13_000_000)
    parser.add_argument("--daily", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=500, help="authorization checks")
    parser.add_argument("--runs", type=int, default=20, help="requests per page")
    parser.add_argument("--repeat", type=int, default=3, help="incremental scans")
    parser.add_argument("--reload", action="store_true", help="load again")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()

    register.ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    conn = register.connect()
    today = datetime.now(UTC).date()
    marker = conn.execute("SELECT to_regclass('bench_year') IS NOT NULL").fetchone()[0]
    loaded = conn.execute("SELECT rows, seed_run FROM bench_year").fetchone() if marker else None
    conn.rollback()
    if args.reload or loaded is None or loaded[0] != args.rows:
        load_year(conn, args.rows, today)
        loaded = conn.execute("SELECT rows, seed_run FROM bench_year").fetchone()
        conn.rollback()
    else:
        print(f"{args.rows:,} declarations already loaded: measuring only")
    rows, seed_run = loaded
    size = conn.execute(
        "SELECT pg_size_pretty(pg_total_relation_size('compliance_declaration')), "
        "pg_size_pretty(pg_total_relation_size('compliance_flag')), "
        "pg_size_pretty(pg_database_size(current_database())), "
        "(SELECT count(*) FROM compliance_flag), "
        "(SELECT count(*) FROM compliance_flag WHERE status = 'open')"
    ).fetchone()
    conn.rollback()
    print(f"declarations {size[0]} with indexes, flags {size[1]} ({size[3]:,}, {size[4]:,} open),"
          f" database {size[2]}")  # fmt: skip

    increment = measure_increment(conn, rows, args.daily, seed_run, args.repeat)
    customs, traders = _bench_users(conn)
    authorization = measure_authorization(conn, args.samples, customs)
    mine = measure_mine(conn, traders, args.runs)
    dashboard = measure_dashboard(conn, customs, args.runs)
    conn.close()
    print(
        f"\nbench-year: rows={rows} increment={increment['app']:.2f}s/{increment['floor']:.2f}s"
        f" authorization_p95={authorization['app']:.1f}ms/{authorization['floor']:.1f}ms"
        f" mine={mine['app']:.1f}ms/{mine['floor']:.1f}ms"
        f" dashboard={dashboard['app']:.1f}ms/{dashboard['floor']:.1f}ms"
        f" dashboard_recount={dashboard['cold']:.1f}ms"
    )
    if args.drop:
        from django.db import connections

        connections.close_all()
        base, name = BENCH_URL.rsplit("/", 1)
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}"')
        print(f"dropped {name}")
    sys.exit(0 if increment["ok"] else 1)


if __name__ == "__main__":
    main()
