"""A real Celery worker process for a test, reading the test's own database on its own queue
(so that no other worker on the shared broker takes its tasks)."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def database_url_for_worker() -> str:
    """The test database, as DATABASE_URL for a process started by the test."""
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def worker_start(
    *,
    queue: str,
    broker_url: str,
    pool: str = "solo",
    environment: dict[str, str] | None = None,
    stderr: int = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """Start ``celery worker`` on ``queue`` against the test database."""
    return subprocess.Popen(  # noqa: S603 - a fixed command line
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url_for_worker(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **(environment or {}),
        },
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
