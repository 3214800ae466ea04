"""Screenshots of the main pages at a phone's and a desktop's width, for docs/screenshots/.

    .venv/bin/python scripts/screenshots.py

Builds a fresh demo database under var/screenshots/ (migrate + seed_demo), serves it with
runserver on a spare port and drives Debian's Chromium with Playwright: each page as a
visitor or as the demo user of its role, at 390 and 1280 px, one viewport PNG per page and
width (docs/screenshots/<page>-<width>.png). Run it again to refresh them.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTHS = (390, 1280)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# (file name, role or None for a visitor, path)
PAGES = [
    ("home", None, "/"),
    ("register", None, "/brokers/"),
    ("broker", None, "/brokers/{license}/"),
    ("letter-check", None, "/letters/verify/{code}/"),
    ("sign-in", None, "/accounts/login/"),
    ("trader-home", "trader@demo.test", "/home/"),
    ("trader-contracts", "trader@demo.test", "/contracts/"),
    ("trader-letters", "trader@demo.test", "/letters/"),
    ("trader-flags", "trader@demo.test", "/flags/"),
    ("broker-home", "broker@demo.test", "/home/"),
    ("broker-contract-upload", "broker@demo.test", "/contracts/upload/"),
    ("customs-dashboard", "customs@demo.test", "/customs/dashboard/"),
    ("customs-broker", "customs@demo.test", "/customs/brokers/{license}/"),
    ("customs-flags", "customs@demo.test", "/flags/"),
    ("customs-audit-log", "customs@demo.test", "/audit/"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    workdir = ROOT / "var" / "screenshots"
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "db.sqlite3"
    database.unlink(missing_ok=True)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    # Our own interpreter and manage.py, fixed command lines.
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["seed_demo"]):
        subprocess.run([*manage, *command], check=True, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        _shoot(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url}")


def _sessions() -> tuple[dict[str, str], dict[str, str]]:
    """A session cookie per demo user (as Django's test client makes one), and the URL
    parameters of the demo data."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from brokers.models import Broker
    from contracts.models import LetterOfAuthority

    cookies = {}
    for email in {role for _, role, _ in PAGES if role}:
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookies[email] = client.cookies[settings.SESSION_COOKIE_NAME].value
    letter = LetterOfAuthority.objects.filter(status="issued").order_by("pk").first()
    broker = Broker.objects.order_by("license_number").first()
    parameters = {
        "license": broker.license_number if broker else "",
        "code": letter.verification_code if letter else "",
    }
    return cookies, parameters


def _shoot(base_url: str) -> None:
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    cookies, parameters = _sessions()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for name, role, path in PAGES:
            for width in WIDTHS:
                context = browser.new_context(
                    base_url=base_url,
                    locale="en-GB",
                    viewport={"width": width, "height": 900 if width > 500 else 844},
                )
                if role:
                    context.add_cookies(
                        [
                            {
                                "name": settings.SESSION_COOKIE_NAME,
                                "value": cookies[role],
                                "url": base_url,
                            }
                        ]
                    )
                page = context.new_page()
                page.goto(path.format(**parameters))
                page.screenshot(path=str(OUT / f"{name}-{width}.png"))
                context.close()
                print(f"docs/screenshots/{name}-{width}.png")
        browser.close()


if __name__ == "__main__":
    main()
