"""Declaration ingest against PostgreSQL's COPY of the same rows, in the same run.

    .venv/bin/python bench/ingest.py [--big 1000000]

Times, each from an empty declarations table:

- the baseline: COPY of 100,000 declarations, already in the form they are stored in, into
  the declarations table (psycopg 3's ``cursor.copy``, one statement);
- the API: the same 100,000 as 10 batches of 10,000 through the real view
  (``POST /api/v1/declarations/``, Django's test client with the customs feed's API token;
  each body encoded once beforehand, as the feed's own process would), after a first request
  of an empty batch that makes the process's one-off imports (its time is printed apart);
- a resent batch: the first 10,000 again, every one a duplicate (median of 3);
- ``import_declarations`` on the same 100,000 as a CSV file (in process, no terminal);
- ``import_declarations`` on a 1,000,000-row CSV in its own process: its rate and its peak
  memory (the child's largest resident set, ``VmHWM``).

It ends with the line ``bench-ingest: api=NN% import=NN% of COPY``. It uses its own database
(``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/cbr_bench_ingest``),
created and migrated if needed; its files go to a temporary folder.
"""

import argparse
import csv
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cbr_bench_ingest"
)
WORK = Path(tempfile.mkdtemp(prefix="cbr-bench-ingest-"))
ENVIRONMENT = {
    "DATABASE_URL": BENCH_URL,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "LOG_LEVEL": "WARNING",
    # The alerts the ingest queues stay in this process, not in the worktree's queue.
    "CELERY_BROKER_URL": "memory://",
}
os.environ.update(ENVIRONMENT)

BATCH = 10_000
BATCHES = 10
ROWS = BATCH * BATCHES
OFFICE_SUFFIXES = ["CE", "BB", "PD", "NK"]
OFFICES = [f"{n:02d}{OFFICE_SUFFIXES[n % 4]}" for n in range(1, 41)]
COLUMNS = [
    "number",
    "registered_at",
    "customs_office",
    "trader_tax_code",
    "declarant_tax_code",
    "agent_code",
    "signer_serial",
    "channel",
]
CHANNELS = ["green"] * 6 + ["yellow"] * 3 + ["red"]


def ensure_database() -> None:
    import psycopg

    base, name = BENCH_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def feed_rows(count: int, traders: list[str], declarants: list[str], prefix: str) -> list[dict]:
    """Declarations as clearance sends them: every value a string, some optional ones empty,
    tax codes of a few thousand traders and a few hundred declarants."""
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    rows = []
    for i in range(count):
        registered = start + timedelta(seconds=17 * i)
        rows.append(
            {
                "number": f"{prefix}{i:011d}",
                "registered_at": (registered + timedelta(hours=7)).strftime(
                    "%Y-%m-%dT%H:%M:%S+07:00"
                ),
                "customs_office": OFFICES[i % len(OFFICES)],
                "trader_tax_code": traders[i % len(traders)],
                "declarant_tax_code": declarants[i % len(declarants)],
                "agent_code": f"AG-{i % 3000:05d}" if i % 4 else "",
                "signer_serial": f"54:00:{i % 65536:04X}:BC" if i % 5 else "",
                "channel": CHANNELS[i % len(CHANNELS)],
            }
        )
    return rows


def stored_row(row: dict, now: datetime) -> tuple:
    """The row as the ingest stores it (what the COPY baseline writes)."""
    from accounts.taxcode import tax_code_normalize

    return (
        row["number"],
        datetime.fromisoformat(row["registered_at"]),
        row["customs_office"].upper(),
        tax_code_normalize(row["trader_tax_code"]),
        tax_code_normalize(row["declarant_tax_code"]),
        row["agent_code"].upper(),
        row["signer_serial"].replace(":", "").upper().lstrip("0"),
        row["channel"],
        now,
        now,
    )


def csv_write(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def big_csv_write(path: Path, count: int, traders: list[str], declarants: list[str]) -> None:
    """A CSV of ``count`` rows written in slices, so that the benchmark itself stays small."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        step = 50_000
        for start in range(0, count, step):
            rows = feed_rows(min(step, count - start), traders, declarants, "B")
            for offset, row in enumerate(rows):
                row["number"] = f"B{start + offset:011d}"
            writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", type=int, default=1_000_000, help="rows of the memory run")
    arguments = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Organization, User
    from accounts.services.api_tokens import api_token_create
    from brokers.models import CustomsOffice
    from compliance.models import Declaration
    from tests.factories import valid_tax_code

    call_command("migrate", verbosity=0)
    for code in OFFICES:
        CustomsOffice.objects.get_or_create(
            code=code, defaults={"name": f"Chi cục {code}", "province": "hanoi"}
        )
    customs, _created = Organization.objects.get_or_create(
        tax_code=valid_tax_code(9_999_001),
        defaults={"kind": Organization.Kind.CUSTOMS, "name": "Cục Hải quan (bench)"},
    )
    feed_user, _created = User.objects.get_or_create(
        email="feed@bench-ingest.test",
        defaults={"organization": customs, "role": User.Role.ADMIN},
    )
    TOTPDevice.objects.get_or_create(user=feed_user, name="bench", defaults={"confirmed": True})
    _token, key = api_token_create(
        user=feed_user, purpose="bench", scope="ingest", by=feed_user, second_factor_passed=True
    )

    traders = [valid_tax_code(n) for n in range(3_000)]
    declarants = [valid_tax_code(100_000 + n) for n in range(300)]
    rows = feed_rows(ROWS, traders, declarants, "A")
    table = Declaration._meta.db_table

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} RESTART IDENTITY CASCADE")
            cursor.execute(f"VACUUM ANALYZE {table}")
        connection.close()

    def count() -> int:
        return Declaration.objects.count()

    figures: dict[str, float] = {}

    # COPY of the same rows, already normalised: the floor.
    empty()
    now = timezone.now()
    stored = [stored_row(row, now) for row in rows]
    columns = [
        "number", "registered_at", "customs_office_code", "trader_tax_code",
        "declarant_tax_code", "agent_code", "signer_serial", "channel", "changed_at",
        "created_at",
    ]  # fmt: skip
    with psycopg.connect(BENCH_URL.replace("postgres://", "postgresql://")) as conn:
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for values in stored:
                copy.write_row(values)
        conn.commit()
        copy_seconds = time.perf_counter() - started
    assert count() == ROWS
    figures["copy"] = ROWS / copy_seconds
    del stored

    # The API: 10 batches of 10,000, bodies encoded beforehand.
    empty()
    bodies = [json.dumps(rows[i : i + BATCH]).encode() for i in range(0, ROWS, BATCH)]
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    url = "/api/v1/declarations/"
    # The first request of a process imports the URL conf and every view behind it (seconds
    # when Python may not write bytecode, PYTHONDONTWRITEBYTECODE): a server pays that once
    # per worker, not per batch. An empty batch (refused, nothing stored) pays it here, out
    # of the API's time, as the import's time leaves out the same imports, already made.
    started = time.perf_counter()
    request_logger = logging.getLogger("django.request")
    request_logger.disabled = True
    response = client.post(url, b"[]", content_type="application/json")
    request_logger.disabled = False
    assert response.status_code == 400, response.content[:300]
    figures["first"] = time.perf_counter() - started
    started = time.perf_counter()
    for body in bodies:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]
        assert response.json()["created"] == BATCH, response.json()
    api_seconds = time.perf_counter() - started
    assert count() == ROWS
    figures["api"] = ROWS / api_seconds

    resend = []
    for _round in range(3):
        started = time.perf_counter()
        response = client.post(url, bodies[0], content_type="application/json")
        resend.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.json() == {
            "created": 0,
            "duplicates": BATCH,
            "errors": [],
        }, response.content[:300]
    figures["resend"] = statistics.median(resend)
    del bodies

    # import_declarations on the same rows as a CSV.
    empty()
    small = WORK / "declarations-100k.csv"
    csv_write(small, rows)
    with open(os.devnull, "w") as devnull:
        started = time.perf_counter()
        call_command("import_declarations", str(small), stdout=devnull, stderr=devnull)
        import_seconds = time.perf_counter() - started
    assert count() == ROWS
    figures["import"] = ROWS / import_seconds
    del rows

    # A million rows in a process of its own: rate and peak memory.
    empty()
    big = WORK / "declarations-big.csv"
    big_csv_write(big, arguments.big, traders, declarants)
    started = time.perf_counter()
    # The child reports its own high-water mark (VmHWM): the kernel's accounting of
    # children (ru_maxrss) counts the parent's size at the fork, this benchmark's own.
    child = (
        "import django, sys; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('import_declarations', sys.argv[1]); "
        "print(next(line for line in open('/proc/self/status') if line.startswith('VmHWM')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", child, str(big)],
        cwd=ROOT,
        env={**os.environ, **ENVIRONMENT},
        capture_output=True,
        text=True,
        check=False,
    )
    big_seconds = time.perf_counter() - started
    assert completed.returncode == 0, completed.stderr[-2000:]
    peak_mb = int(completed.stdout.rsplit("VmHWM:", 1)[1].split()[0]) / 1024
    assert count() == arguments.big, (count(), completed.stdout[-500:])
    figures["big"] = arguments.big / big_seconds

    shutil.rmtree(WORK)
    print(f"{ROWS:,} declarations, each target from an empty table:")
    print(f"  COPY (baseline)                          {figures['copy']:9,.0f} rows/s  100%")
    for name, label in (("api", "API, 10 batches of 10,000"), ("import", "import_declarations")):
        share = figures[name] / figures["copy"] * 100
        print(f"  {label:<40} {figures[name]:9,.0f} rows/s  {share:3.0f}%")
    print(f"  resent batch of {BATCH:,} duplicates          {figures['resend']:9.3f} s")
    print(f"  first request (imports, not counted)     {figures['first']:9.3f} s")
    print(
        f"  import_declarations, {arguments.big:,} rows (own process) "
        f"{figures['big']:,.0f} rows/s, peak memory {peak_mb:,.0f} MB"
    )
    print(
        f"bench-ingest: api={figures['api'] / figures['copy'] * 100:.0f}% "
        f"import={figures['import'] / figures['copy'] * 100:.0f}% of COPY"
    )


if __name__ == "__main__":
    main()
