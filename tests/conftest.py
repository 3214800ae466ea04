import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous, so Django's guard is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent.name == "e2e":
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    # The database cache (the default without Redis) needs its table in the test database.
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        with django_db_blocker.unblock():
            call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import cache
    from django.core.cache.backends import locmem

    yield
    # The cache table may not exist when a test had no database access.
    with contextlib.suppress(Exception):
        cache.clear()
    # In-memory caches a test put in place with override_settings keep their entries in
    # the module: emptied too, or the next test reads the register's answers of this one.
    for store in (locmem._caches, locmem._expire_info):  # type: ignore[attr-defined]
        for entries in store.values():
            entries.clear()


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request in Vietnamese leaves Vietnamese active in the test's thread (LocaleMiddleware
    # activates, nothing deactivates); the next test on the same worker expects English.
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _tasks_run_at_once() -> Iterator[None]:
    """A task the code queues runs in the test's process when the transaction commits, as a
    worker would run it; the tests of a real worker override this fixture."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser tab (own cookies) in English, with a base URL on the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
