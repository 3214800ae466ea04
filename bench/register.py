"""Benchmark of the public broker register under concurrent load.

Loads 20,000 brokers and 60,000 agents into a PostgreSQL database of its own
(``cbr_bench_register``, recreated on each run unless ``--keep-data``), starts gunicorn on a
free port, and drives it with wrk (``clients`` connections at once). It measures
``/api/v1/brokers/?q=...`` (a mix of broad and narrow searches without diacritics), the
``/brokers/?q=...`` page, and a trivial JSON view on the same server as the ceiling, and
prints requests per second, p50 and p95 latency of each and the ratio to the ceiling.

    .venv/bin/python bench/register.py [--clients 16] [--seconds 15] [--workers 4]

Never part of ``make test``; it needs wrk (Debian's package), PostgreSQL
(``BENCH_DATABASE_URL``) and, for the throttle's counters, Redis (``BENCH_REDIS_URL``).
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cbr_bench_register"
# Out of the tests' range (1, then 2 and up for each pytest-xdist worker): a run leaves its
# throttle counters behind, which a test on the same database would count.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
# The load generator: Debian's wrk (``make bench-register`` installs it).
WRK = shutil.which("wrk") or "/usr/bin/wrk"


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
    """wrk, in a process of its own (one thread, ``clients`` connections at once; gunicorn's
    sync workers close each after its answer), for ``seconds``, cycling through ``paths``: a
    load generator written in C leaves the two CPUs to the server and PostgreSQL, and times
    each request without a Python client's own queueing in its latencies."""
    with tempfile.NamedTemporaryFile("w", suffix=".paths") as listed:
        listed.write("\n".join(paths) + "\n")
        listed.flush()
        finished = subprocess.run(
            [
                WRK,
                "--threads", "1",
                "--connections", str(clients),
                "--duration", f"{max(seconds, 1):.0f}s",
                "--timeout", "30s",
                "--script", str(ROOT / "bench/register_load.lua"),
                f"http://127.0.0.1:{port}",
            ],
            env={**os.environ, "BENCH_PATHS": listed.name},
            capture_output=True,
            text=True,
            check=True,
        )  # fmt: skip
    line = next(line for line in finished.stdout.splitlines() if line.startswith("figures "))
    requests, errors, elapsed, p50, p95 = line.split()[1:]
    return Figures(
        name=name,
        requests=int(requests),
        errors=int(errors),
        seconds=float(elapsed),
        p50_ms=float(p50),
        p95_ms=float(p95),
    )


def _combined(runs: list[Figures]) -> Figures:
    """A target's rounds as one: every request over the time they all took; the median
    round's latencies."""
    return Figures(
        name=runs[0].name,
        requests=sum(run.requests for run in runs),
        errors=sum(run.errors for run in runs),
        seconds=sum(run.seconds for run in runs),
        p50_ms=statistics.median(run.p50_ms for run in runs),
        p95_ms=statistics.median(run.p95_ms for run in runs),
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


# The searches whose queries the issue named: the broadest (every broker) and the slowest,
# both made of the register's common terms (``brokers.terms``, counted ahead); two narrower
# ones; and a broad one outside those terms ("a": nearly every broker), counted by reading
# every row.
MISS_SEARCHES = ["cong ty", "dai ly hai quan", "hai phong", "thanh pho ho chi minh", "a"]
MISS_TARGET_MS = 3.0
# The miss queries take turns in this many rounds, as the load test's targets do.
MISS_ROUNDS = 10
# The floor of any count that reads the register's rows: the bare count of its table, read
# the cheapest way there is (a sequential scan; the planner's own choice for it, an
# index-only scan of a unique index, takes half as long again).
FLOOR_SQL = 'SELECT COUNT(*) FROM "brokers_broker"'
FLOOR_SETTINGS = ("enable_indexonlyscan", "enable_indexscan", "enable_bitmapscan")


@dataclass
class Miss:
    search: str
    query: str
    matches: int
    median_ms: float
    p95_ms: float
    server_ms: float


def _miss_queries(runs: int) -> list[Miss]:
    """The SQL a cache miss runs for each search (the count, then the first page), as the
    register's paginator writes it, and the floor: each timed ``runs`` times from a client on
    its own connection (median and p95), and inside PostgreSQL (the median planning and
    execution time that ``EXPLAIN (ANALYZE, TIMING OFF)`` reports). The queries take turns,
    in ``MISS_ROUNDS`` rounds, so that a slow spell of the machine falls on all of them."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from brokers.filters import BrokerFilter
    from brokers.models import Broker
    from brokers.pagination import RegisterPaginator
    from brokers.selectors import broker_register

    # The register's answers and counts of an earlier run are dropped: each query is run.
    cache.clear()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    queries: list[tuple[str, str, int, str]] = []
    for search in MISS_SEARCHES:
        matches = BrokerFilter({"q": search}, queryset=broker_register()).qs
        with CaptureQueriesContext(connection) as captured:
            paginator = RegisterPaginator(matches, 25)
            count = paginator.count
            list(paginator.page(1).object_list)
        for label, query in zip(["count", "page 1"], captured.captured_queries, strict=True):
            queries.append((search, label, count, query["sql"]))
    queries.append(("(no search)", "count(*)", Broker.objects.count(), FLOOR_SQL))

    walls: list[list[float]] = [[] for _query in queries]
    servers: list[list[float]] = [[] for _query in queries]
    per_round = max(runs // MISS_ROUNDS, 1)
    with connection.cursor() as cursor:
        for _round in range(MISS_ROUNDS):
            for index, (_search, _label, _count, sql) in enumerate(queries):
                floor = sql == FLOOR_SQL
                for setting in FLOOR_SETTINGS if floor else ():
                    cursor.execute(f"SET {setting} = off")
                for _run in range(per_round):
                    started = time.perf_counter()
                    cursor.execute(sql)
                    cursor.fetchall()
                    walls[index].append((time.perf_counter() - started) * 1000)
                    cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    summary = (json.loads(plan) if isinstance(plan, str) else plan)[0]
                    servers[index].append(summary["Planning Time"] + summary["Execution Time"])
                for setting in FLOOR_SETTINGS if floor else ():
                    cursor.execute(f"RESET {setting}")

    figures = []
    for (search, label, count, _sql), wall, server in zip(queries, walls, servers, strict=True):
        wall.sort()
        figures.append(
            Miss(
                search=search,
                query=label,
                matches=count,
                median_ms=statistics.median(wall),
                p95_ms=wall[int(len(wall) * 0.95)],
                server_ms=statistics.median(server),
            )
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--brokers", type=int, default=20_000)
    parser.add_argument("--agents-per-broker", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15, help="per target, all rounds")
    parser.add_argument("--rounds", type=int, default=3)
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
        # Every worker's connection and caches warmed by every path.
        _drive("warm-up", port, api_paths + page_paths, arguments.clients, 3)
        targets = [
            ("ceiling: trivial JSON view", ["/bench/ceiling"], arguments.clients),
            ("API: /api/v1/brokers/?q=...", api_paths, arguments.clients),
            ("page: /brokers/?q=...", page_paths, arguments.clients),
            # One client at a time: the latency of a request without queueing.
            ("ceiling, one client", ["/bench/ceiling"], 1),
            ("API, one client", api_paths, 1),
        ]
        # The targets take turns, a round at a time, so that a slow spell of the shared
        # machine falls on each of them rather than on one.
        rounds: dict[str, list[Figures]] = {name: [] for name, _paths, _clients in targets}
        for _round in range(arguments.rounds):
            for name, paths, clients in targets:
                seconds = arguments.seconds / arguments.rounds / (1 if clients > 1 else 3)
                rounds[name].append(_drive(name, port, paths, clients, seconds))
        figures = [_combined(runs) for runs in rounds.values()]
    finally:
        server.terminate()
        server.wait(timeout=10)

    # Each target is compared with the ceiling measured at the same concurrency.
    ceilings = {"many": figures[0], "one": figures[3]}
    print(
        f"\n{arguments.workers} gunicorn sync workers, {arguments.clients} wrk connections, "
        f"{arguments.seconds:.0f} s per target in {arguments.rounds} rounds (latencies: the "
        f"median round's), {os.cpu_count()} CPUs shared by server, wrk and PostgreSQL\n"
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
    print(f"\nA cache miss's queries, {arguments.miss_runs} runs each in {MISS_ROUNDS} rounds (ms;"
          f" median and p95 from a client on the same host, and the median inside PostgreSQL:"
          f" planning and execution; target under {MISS_TARGET_MS:.0f} ms):")  # fmt: skip
    print(f"{'search':<24} {'query':<8} {'matches':>8} {'median':>7} {'p95':>7} {'in PG':>7}")
    for miss in misses:
        print(
            f"{miss.search:<24} {miss.query:<8} {miss.matches:>8} {miss.median_ms:>7.2f} "
            f"{miss.p95_ms:>7.2f} {miss.server_ms:>7.2f}"
        )
    api, page = (figures[index].per_second / figures[0].per_second for index in (1, 2))
    print(f"\nbench-register: api={api:.0%} page={page:.0%} of ceiling")


if __name__ == "__main__":
    main()
