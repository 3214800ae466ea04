"""How long a letter of authority's PDF takes against a bare WeasyPrint page, in the same run.

    .venv/bin/python bench/letter_pdf.py [--rounds 20]

Times, round after round (median of each):

- the baseline: a bare page, ``HTML(string="<p>…</p>").write_pdf()`` as WeasyPrint's own
  example renders one;
- the letter rendered as every download did before this change: the stylesheet parsed and
  its fonts loaded again for every letter, tables laid out automatically, then sealed with
  pyHanko estimating the room for the seal by a dummy signature;
- the letter rendered as now when it is issued, revoked or found expired
  (``contracts.pdf.letter_pdf``: the stylesheet and font configuration kept for the process,
  the seal's room measured once), then sealed;
- the download through the real view (``/letters/<pk>/pdf/``, Django's test client, signed
  in as the trader's admin), which serves the PDF stored at issue time.

It ends with the line ``bench-letter-pdf: download=N.NNx render=N.NNx (before N.NNx) of a
bare page``. It uses its own database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/cbr_bench_letter``), created and migrated if needed; the
letter is made in a transaction that is rolled back, and its PDF goes to a temporary folder.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cbr_bench_letter"
)
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "false"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="cbr-bench-letter-")

BARE_PAGE = "<!doctype html><html><body><p>Hello, World!</p></body></html>"


class Rollback(Exception):
    """Leaves the benchmark's letter out of its database."""


def ensure_database() -> None:
    import psycopg

    base, name = BENCH_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from accounts.models import User
    from contracts import pdf, seal
    from contracts.services import letter_issue
    from tests.factories import BrokerAgentFactory, ServiceContractFactory, UserFactory

    call_command("migrate", verbosity=0)

    stylesheet_before = pdf.STYLESHEET.read_text().replace("table-layout: fixed; ", "")

    def render_as_before(html: str, number: str) -> bytes:
        """What every download did before: a new font configuration, the stylesheet (with
        automatic table layout) parsed and its fonts loaded again, the page laid out, and a
        seal whose room pyHanko estimates with a dummy signature first."""
        font_config = FontConfiguration()
        stylesheet = CSS(
            string=stylesheet_before, base_url=str(pdf.STYLESHEET), font_config=font_config
        )
        rendered = HTML(string=html, base_url=str(ROOT)).write_pdf(
            stylesheets=[stylesheet], font_config=font_config
        )
        seal._seal_room.clear()
        return seal.pdf_seal(rendered, number=number)

    try:
        with transaction.atomic():
            contract = ServiceContractFactory.create(
                trader__name="Công ty TNHH Thương mại Sao Việt Đồng Nai"
            )
            admin = UserFactory.create(organization=contract.trader, role=User.Role.ADMIN)
            today = timezone.localdate()
            letter = letter_issue(
                contract=contract,
                agent=BrokerAgentFactory.create(
                    broker=contract.broker, full_name="Nguyễn Thị Ngọc Ánh"
                ),
                procedures=["declaration"],
                customs_offices=[],
                shipment_references="Hóa đơn số 0012/2026",
                valid_from=today,
                valid_until=today + timedelta(days=30),
                by=admin,
            )
            captured: list[str] = []
            original = pdf.render_to_string

            def capture(*args: object, **kwargs: object) -> str:
                captured.append(original(*args, **kwargs))  # type: ignore[arg-type]
                return captured[-1]

            pdf.render_to_string = capture  # type: ignore[assignment]
            pdf.letter_pdf(letter)
            pdf.render_to_string = original
            html = captured[0]

            client = Client()
            client.force_login(admin)
            url = f"/letters/{letter.pk}/pdf/"

            def download() -> None:
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]

            targets: dict[str, Callable[[], object]] = {
                "bare WeasyPrint page (baseline)": lambda: HTML(string=BARE_PAGE).write_pdf(),
                "letter rendered as before (per-render CSS and fonts) + seal": lambda: (
                    render_as_before(html, letter.number)
                ),
                "letter rendered now (cached CSS and fonts) + seal": lambda: pdf.letter_pdf(letter),
                "download of the stored PDF (the view)": download,
            }
            samples: dict[str, list[float]] = {name: [] for name in targets}
            for target in targets.values():  # warm up: imports, caches, first connection
                target()
            for _round in range(rounds):
                for name, target in targets.items():
                    started = time.perf_counter()
                    target()
                    samples[name].append(time.perf_counter() - started)
            raise Rollback
    except Rollback:
        pass

    medians = {name: median_ms(times) for name, times in samples.items()}
    bare, before, render, served = medians.values()
    print(f"median of {rounds} rounds, each target once per round:")
    for name, value in medians.items():
        print(f"  {name:<62} {value:7.1f} ms  {value / bare:5.2f}x")
    print(
        f"bench-letter-pdf: download={served / bare:.2f}x render={render / bare:.2f}x "
        f"(before {before / bare:.2f}x) of a bare page"
    )


if __name__ == "__main__":
    main()
