"""Benchmark of the public broker register under concurrent load.

Loads 20,000 brokers and 60,000 agents into a PostgreSQL database of its own
(``cbr_bench_register``, recreated on each run unless ``--keep-data``), starts gunicorn on a
free port, and drives it with a thread pool of keep-alive HTTP clients. It measures
``/api/v1/brokers/?q=...`` (a mix of broad and narrow searches without diacritics), the
``/brokers/?q=...`` page, and a trivial JSON view on the same server as the ceiling, and
prints requests per second, p50 and p95 latency of each and the ratio to the ceiling.

    .venv/bin/python bench/register.py [--clients 16] [--seconds 15] [--workers 4]

Never part of ``make test``; it needs PostgreSQL (``BENCH_DATABASE_URL``) and, for the
throttle's counters, Redis (``BENCH_REDIS_URL``).
"""

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cbr_bench_register"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"


@dataclass
class Figures:
    name: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        # The planner's default assumes spinning disks and prefers reading the whole table
        # over the trigram index; on SSDs (and in docs/deployment) 1.1 is the usual value.
        connection.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


def _tax_code(number: int) -> str:
    from stdnum.vn import mst

    stem_number = 200_000_000 + number * 37
    while True:
        stem = f"{stem_number % 1_000_000_000:09d}"
        check = mst.calc_check_digit(stem)
        if len(check) == 1:
            return stem + check
        stem_number += 1


def _load(brokers: int, agents_per_broker: int) -> None:
    """Organisations, brokers, agents and a few sanctions, in bulk (search text included)."""
    from django.db import connection

    from accounts.models import Organization
    from accounts.provinces import Province
    from brokers.models import Broker, BrokerAgent, Sanction
    from brokers.search import broker_search_text
    from demo.brokers import (
        ACTIVITIES,
        BRAND_WORDS,
        FAMILY_NAMES,
        GIVEN_NAMES,
        LEGAL_FORMS,
        MIDDLE_NAMES,
    )

    rng = random.Random(20_000)
    provinces = list(Province)
    today = date.today()
    started = time.perf_counter()
    organizations = [
        Organization(
            kind=Organization.Kind.BROKER,
            name=f"{rng.choice(LEGAL_FORMS)} {rng.choice(ACTIVITIES)} {rng.choice(BRAND_WORDS)}"
            f" {(province := rng.choice(provinces)).label}",
            tax_code=_tax_code(number),
            province=province.value,
        )
        for number in range(brokers)
    ]
    Organization.objects.bulk_create(organizations, batch_size=5000)
    rows = []
    for number, organization in enumerate(organizations):
        issued_on = today - timedelta(days=rng.randint(30, 3000))
        broker = Broker(
            organization=organization,
            license_number=f"DL-{issued_on.year}-{number + 1:05d}",
            issued_on=issued_on,
            valid_until=issued_on + timedelta(days=rng.randint(300, 4000)),
        )
        broker.search_text = broker_search_text(broker)
        rows.append(broker)
    Broker.objects.bulk_create(rows, batch_size=5000)
    agents = [
        BrokerAgent(
            broker=broker,
            full_name=" ".join(
                rng.choice(names) for names in (FAMILY_NAMES, MIDDLE_NAMES, GIVEN_NAMES)
            ),
            agent_code=f"HQ-{number:05d}-{index}",
            valid_until=broker.valid_until,
        )
        for number, broker in enumerate(rows)
        for index in range(agents_per_broker)
    ]
    BrokerAgent.objects.bulk_create(agents, batch_size=10_000)
    sanctions = [
        Sanction(
            broker=broker,
            kind=rng.choice([Sanction.Kind.SUSPENSION, Sanction.Kind.REVOCATION]),
            reason="Không duy trì đủ điều kiện hoạt động",
            decision_number=f"{number}/QĐ-HQ",
            starts_on=today - timedelta(days=rng.randint(0, 300)),
        )
        for number, broker in enumerate(rng.sample(rows, brokers // 50))
    ]
    Sanction.objects.bulk_create(sanctions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"loaded {len(rows):,} brokers, {len(agents):,} agents, {len(sanctions):,} sanctions "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(port: int, path: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def _drive(name: str, port: int, paths: list[str], clients: int, seconds: float) -> Figures:
    """``clients`` threads, each with its own keep-alive connection, for ``seconds``."""
    deadline = time.perf_counter() + seconds

    def client(index: int) -> tuple[list[float], int]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies: list[float] = []
        errors = 0
        number = index
        while time.perf_counter() < deadline:
            path = paths[number % len(paths)]
            number += clients
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Language": "vi"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors += 1
            except (http.client.HTTPException, OSError):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            latencies.append(time.perf_counter() - started)
        connection.close()
        return latencies, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for result in results for latency in result[0])
    cuts = statistics.quantiles(latencies, n=100)
    return Figures(
        name=name,
        requests=len(latencies),
        errors=sum(result[1] for result in results),
        seconds=elapsed,
        p50_ms=cuts[49] * 1000,
        p95_ms=cuts[94] * 1000,
    )


def _search_paths(prefix: str) -> list[str]:
    """Broad and narrow searches, typed without diacritics as people do."""
    from brokers.models import Broker

    sample = list(Broker.objects.select_related("organization").order_by("?")[:20])
    queries = [
        "cong ty",
        "hai phong",
        "dai ly hai quan",
        "logistics ha noi",
        "minh phat",
        "giao nhan van tai sao viet",
        "thanh pho ho chi minh",
        "tiep van",
    ]
    queries += [broker.organization.tax_code for broker in sample[:6]]
    queries += [broker.license_number.lower() for broker in sample[6:12]]
    queries += [broker.organization.tax_code[:6] for broker in sample[12:14]]
    return [f"{prefix}?q={quote(query)}" for query in queries]


# The searches whose queries the issue named: the broadest (every broker) and the slowest.
MISS_SEARCHES = ["cong ty", "dai ly hai quan", "hai phong", "thanh pho ho chi minh"]
MISS_TARGET_MS = 3.0


def _miss_queries(runs: int) -> list[tuple[str, str, int, float, float]]:
    """The SQL a cache miss runs for each search (the count, then the first page), as the
    register's paginator writes it, timed from a client on its own connection: (search,
    query, matches, median ms, p95 ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brokers.filters import BrokerFilter
    from brokers.pagination import RegisterPaginator
    from brokers.selectors import broker_register

    figures = []
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    for search in MISS_SEARCHES:
        matches = BrokerFilter({"q": search}, queryset=broker_register()).qs
        with CaptureQueriesContext(connection) as captured:
            paginator = RegisterPaginator(matches, 25)
            count = paginator.count
            list(paginator.page(1).object_list)
        for label, query in zip(["count", "page 1"], captured.captured_queries, strict=True):
            times = []
            with connection.cursor() as cursor:
                for _ in range(runs):
                    started = time.perf_counter()
                    cursor.execute(query["sql"])
                    cursor.fetchall()
                    times.append((time.perf_counter() - started) * 1000)
            times.sort()
            figures.append(
                (search, label, count, statistics.median(times), times[int(len(times) * 0.95)])
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--brokers", type=int, default=20_000)
    parser.add_argument("--agents-per-broker", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--keep-data", action="store_true", help="reuse the loaded database")
    parser.add_argument("--miss-runs", type=int, default=200, help="runs of each miss query")
    arguments = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    environment = {
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        # Throttling stays on (its cache round trips are part of the cost), with a rate
        # that a benchmark from one address does not reach.
        "API_ANON_RATE": "100000000/minute",
        "API_USER_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(environment)
    if not arguments.keep_data:
        _recreate_database(database_url)

    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", verbosity=0)
    if not arguments.keep_data:
        _load(arguments.brokers, arguments.agents_per_broker)
    misses = _miss_queries(arguments.miss_runs)
    api_paths = _search_paths("/api/v1/brokers/")
    page_paths = _search_paths("/brokers/")
    connections.close_all()

    port = _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(arguments.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **environment},
    )
    try:
        _wait_until_up(port, "/bench/ceiling")
        for path in api_paths + page_paths:  # warm every worker's connection and caches
            _drive("warm-up", port, [path], 2, 0.2)
        figures = [
            _drive("ceiling: trivial JSON view", port, ["/bench/ceiling"], arguments.clients,
                   arguments.seconds),
            _drive("API: /api/v1/brokers/?q=...", port, api_paths, arguments.clients,
                   arguments.seconds),
            _drive("page: /brokers/?q=...", port, page_paths, arguments.clients,
                   arguments.seconds),
            # One client at a time: the latency of a request without queueing.
            _drive("ceiling, one client", port, ["/bench/ceiling"], 1, arguments.seconds / 3),
            _drive("API, one client", port, api_paths, 1, arguments.seconds / 3),
        ]  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=10)

    # Each target is compared with the ceiling measured at the same concurrency.
    ceilings = {"many": figures[0], "one": figures[3]}
    print(
        f"\n{arguments.workers} gunicorn sync workers, {arguments.clients} client threads, "
        f"{arguments.seconds:.0f} s per target, {os.cpu_count()} CPUs shared by server, "
        "clients and PostgreSQL\n"
    )
    print(f"{'target':<32} {'requests':>9} {'errors':>6} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7}"
          f" {'vs ceiling':>10}")  # fmt: skip
    for figure in figures:
        ceiling = ceilings["one" if "one client" in figure.name else "many"]
        print(
            f"{figure.name:<32} {figure.requests:>9} {figure.errors:>6} "
            f"{figure.per_second:>8.0f} {figure.p50_ms:>7.1f} {figure.p95_ms:>7.1f} "
            f"{figure.per_second / ceiling.per_second:>10.0%}"
        )
    print(f"\nA cache miss's queries, {arguments.miss_runs} runs each (ms, from a client on the"
          f" same host; target under {MISS_TARGET_MS:.0f} ms):")  # fmt: skip
    print(f"{'search':<24} {'query':<7} {'matches':>8} {'median':>7} {'p95':>7}")
    for search, label, count, median, p95 in misses:
        print(f"{search:<24} {label:<7} {count:>8} {median:>7.2f} {p95:>7.2f}")
    api, page = (figures[index].per_second / figures[0].per_second for index in (1, 2))
    print(f"\nbench-register: api={api:.0%} page={page:.0%} of ceiling")


if __name__ == "__main__":
    main()
