"""How the customs dashboard scales: its figures at growing numbers of flags, against the
cheapest query that reads every open flag once (the floor any dashboard pays). "cold" is
the figures recounted (cache emptied first), "cached page" the whole page rendered within
the minute the flag figures are cached.

PostgreSQL only. Everything is written inside one transaction that is rolled back, so the
database is left as it was:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB REDIS_URL=redis://127.0.0.1:6379/N \
        .venv/bin/python bench/dashboard.py
    (options: --sizes 10000 100000 1000000 --brokers 1000 --traders 20000 --runs 5)
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Organization  # noqa: E402
from brokers.models import Broker, Sanction  # noqa: E402
from brokers.search import broker_search_text  # noqa: E402
from compliance.charts import daily_bar_chart  # noqa: E402
from compliance.selectors import customs_dashboard  # noqa: E402


class Rollback(Exception):
    pass


def _sql(statement: str, params: list[int] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _parties(brokers: int, traders: int) -> None:
    """The register and the traders, made through the models so that every column the models
    add gets its default."""
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                kind=Organization.Kind.BROKER if number <= brokers else Organization.Kind.TRADER,
                name=f"Bench {number}",
                tax_code=f"{8_000_000_000 + number:010d}",
                province="ha-noi",
            )
            for number in range(1, brokers + traders + 1)
        ],
        batch_size=5000,
    )
    today = date.today()
    registered = []
    for organization in organizations[:brokers]:
        broker = Broker(
            organization=organization,
            license_number=f"BENCH-{organization.pk}",
            issued_on=today - timedelta(days=400),
            valid_until=today + timedelta(days=400),
        )
        broker.search_text = broker_search_text(broker)
        registered.append(broker)
    Broker.objects.bulk_create(registered, batch_size=1000)
    # One broker in twenty suspended, one in a hundred revoked.
    Sanction.objects.bulk_create(
        Sanction(
            broker=broker,
            kind=Sanction.Kind.REVOCATION if broker.pk % 100 == 0 else Sanction.Kind.SUSPENSION,
            reason="bench",
            decision_number=f"B-{broker.pk}",
            starts_on=today - timedelta(days=30),
        )
        for broker in registered
        if broker.pk % 20 == 0
    )


def _flags(count: int) -> None:
    """``count`` declarations with one flag each, over the last 120 days, a third open."""
    _sql(
        """
        WITH brokers AS (
            SELECT array_agg(b.id) AS ids FROM brokers_broker b
            WHERE b.license_number LIKE 'BENCH-%%'
        ), traders AS (
            SELECT array_agg(o.id) AS ids FROM accounts_organization o
            WHERE o.kind = 'trader' AND o.name LIKE 'Bench %%'
        ), new_declarations AS (
            INSERT INTO compliance_declaration
                (number, registered_at, customs_office_code, trader_tax_code,
                 declarant_tax_code, agent_code, signer_serial, channel, changed_at, created_at)
            SELECT 'BENCH' || lpad(
                       (i + coalesce((SELECT max(id) FROM compliance_declaration), 0))::text,
                       12, '0'),
                   now() - (i %% 120) * interval '1 day', '03CE', '0100000000', '0100000000',
                   '', '', 'green', now(), now()
            FROM generate_series(1, %s) AS i
            RETURNING id
        )
        INSERT INTO compliance_flag (declaration_id, kind, status, note, raised_at, broker_id,
                                     trader_id)
        SELECT d.id,
               (ARRAY['no_contract', 'contract_expired', 'broker_suspended',
                      'unlicensed_declarant', 'signature_misuse',
                      'no_authority_letter'])[1 + d.id %% 6],
               (ARRAY['open', 'resolved', 'dismissed'])[1 + d.id %% 3],
               '', now() - (d.id %% 120) * interval '1 day',
               brokers.ids[1 + d.id %% array_length(brokers.ids, 1)],
               traders.ids[1 + (d.id * 7) %% array_length(traders.ids, 1)]
        FROM new_declarations d, brokers, traders
        """,
        [count],
    )
    _sql("ANALYZE compliance_flag")
    _sql("ANALYZE compliance_declaration")


def _median_ms(function: object, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _cold_dashboard() -> None:
    cache.clear()
    customs_dashboard()


def _dashboard_page() -> str:
    dashboard = customs_dashboard()
    return render_to_string(
        "customs/dashboard.html",
        {
            "dashboard": dashboard,
            "chart": daily_bar_chart(dashboard.flags_per_day),
            "queue": "",
            "csrf_token": "bench",
        },
    )


def _floor() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM compliance_flag WHERE status = 'open'")
        cursor.fetchone()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--brokers", type=int, default=1_000)
    parser.add_argument("--traders", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL (set DATABASE_URL).")
    print(f"{'flags':>10} {'queries':>8} {'cold ms':>9} {'cached page ms':>14} {'floor ms':>9}")
    # Earlier runs roll back: vacuum their dead rows so that they do not slow this one.
    _sql("VACUUM ANALYZE compliance_flag, compliance_declaration")
    try:
        with transaction.atomic():
            _parties(arguments.brokers, arguments.traders)
            inserted = 0
            for size in sorted(arguments.sizes):
                _flags(size - inserted)
                inserted = size
                cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    _dashboard_page()
                cold_ms = _median_ms(_cold_dashboard, arguments.runs)
                warm_ms = _median_ms(_dashboard_page, arguments.runs)
                floor_ms = _median_ms(_floor, arguments.runs)
                print(
                    f"{size:>10,} {len(queries):>8} {cold_ms:>9.1f} {warm_ms:>14.1f}"
                    f" {floor_ms:>9.1f}"
                )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
