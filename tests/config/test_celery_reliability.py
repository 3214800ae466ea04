"""No task is lost with its worker, and none is handed to a second worker while the first
still runs it: every task of the site is acknowledged late and put back when its worker
dies, and Redis waits longer than the longest task before handing it on. (The killed-worker
tests in tests/compliance/test_scan_worker_killed.py show it with a real worker.)"""

from django.conf import settings

from config.celery import app


def _site_tasks() -> dict[str, object]:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_is_acknowledged_when_done_and_put_back_when_its_worker_dies() -> None:
    tasks = _site_tasks()
    for expected in (
        "compliance.tasks.declarations_scan",
        "compliance.tasks.declarations_alert_notify",
        "contracts.tasks.contract_reminders",
        "contracts.tasks.contract_notify",
        "customs.tasks.sanction_notify",
    ):
        assert expected in tasks
    for name, task in tasks.items():
        assert task.acks_late is True, name  # type: ignore[attr-defined]
        assert task.reject_on_worker_lost is True, name  # type: ignore[attr-defined]


def test_redis_waits_longer_than_the_longest_task_before_handing_it_on() -> None:
    limits = [
        task.time_limit or settings.CELERY_TASK_TIME_LIMIT  # type: ignore[attr-defined]
        for task in _site_tasks().values()
    ]
    assert max(limits) >= 30 * 60  # the scan
    assert max(limits) < settings.TASK_VISIBILITY_TIMEOUT


def test_the_redis_transport_gets_the_visibility_timeout() -> None:
    import subprocess
    import sys

    code = (
        "from django.conf import settings; "
        "print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == str(settings.TASK_VISIBILITY_TIMEOUT), result.stderr
