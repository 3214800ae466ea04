"""A scan requested from the dashboard that fails, or whose task is lost, shows as failed on
the dashboard with a retry; a queued scan is carried out once however often its task is
delivered."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from compliance import scan
from compliance.models import Flag, ScanRun
from compliance.services import declarations_scan_request
from compliance.tasks import declarations_scan
from tests.compliance.world import EXPECTED_FLAGS, build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/customs/dashboard/"


@pytest.fixture
def officer(client: Client) -> User:
    user = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    client.force_login(user)
    return user


def _fail_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(scan, "_insert_flags", broken)


def test_a_failed_scan_shows_as_failed_with_a_retry(
    client: Client,
    officer: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    build_world()
    _fail_the_scan(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/flags/scan/", {"full": "1", "from": "dashboard"})
    run = ScanRun.objects.get()
    assert run.failed_at is not None and run.finished_at is None
    assert run.failure == "RuntimeError"
    assert not Flag.objects.exists()
    html = client.get(DASHBOARD).content.decode()
    assert 'data-state="failed"' in html and "failed at" in html
    assert f'name="retry" value="{run.pk}"' in html and "Retry the scan" in html
    assert "the database went away" not in html

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/flags/scan/", {"retry": run.pk, "from": "dashboard"}, follow=True)
    assert "A full scan was queued" in response.content.decode()
    retried = ScanRun.objects.exclude(pk=run.pk).get()
    assert retried.mode == ScanRun.Mode.FULL and retried.finished_at is not None
    assert Flag.objects.count() == len(EXPECTED_FLAGS)
    assert 'data-state="finished"' in client.get(DASHBOARD).content.decode()


def test_a_scan_whose_task_was_lost_shows_as_failed_and_is_given_up_on_retry(
    client: Client, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    build_world()
    with django_capture_on_commit_callbacks(execute=False):  # the task never runs
        lost = declarations_scan_request(full=False, by=officer)
    assert 'data-state="running"' in client.get(DASHBOARD).content.decode()
    ScanRun.objects.filter(pk=lost.pk).update(started_at=timezone.now() - timedelta(hours=1))
    html = client.get(DASHBOARD).content.decode()
    assert 'data-state="failed"' in html and "never finished" in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/flags/scan/", {"retry": lost.pk, "from": "dashboard"})
    lost.refresh_from_db()
    assert lost.failed_at is not None and lost.failure == "abandoned"
    assert ScanRun.objects.filter(finished_at__isnull=False).count() == 1
    # The lost task delivered at last does nothing: its run was given up.
    assert declarations_scan(scan_run_id=lost.pk) is None
    lost.refresh_from_db()
    assert lost.finished_at is None
    assert ScanRun.objects.count() == 2


def test_a_queued_scan_delivered_twice_is_carried_out_once(
    officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    build_world()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = declarations_scan_request(full=True, by=officer)
    callbacks[0]()
    callbacks[0]()
    run.refresh_from_db()
    assert run.finished_at is not None and ScanRun.objects.count() == 1
    assert run.flags_created == Flag.objects.count() == len(EXPECTED_FLAGS)


def test_a_failed_scheduled_scan_is_recorded_as_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_the_scan(monkeypatch)
    with pytest.raises(RuntimeError):
        declarations_scan(full=False)
    run = ScanRun.objects.get()
    assert run.mode == ScanRun.Mode.INCREMENTAL and run.failed_at is not None


def test_a_finished_scan_is_not_retried(
    client: Client, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = declarations_scan_request(by=officer)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/flags/scan/", {"retry": run.pk}, follow=True)
    assert "This scan has finished: there is nothing to retry." in response.content.decode()
    assert callbacks == [] and ScanRun.objects.count() == 1


@pytest.mark.parametrize("retry", ["abc", "999999", "1\x00"])
def test_a_retry_of_no_scan_is_refused(client: Client, officer: User, retry: str) -> None:
    response = client.post("/flags/scan/", {"retry": retry})
    assert response.status_code == 400
    assert not ScanRun.objects.exists()


def test_only_customs_may_retry(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        run = declarations_scan_request(full=True)
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.TRADER))
    assert client.post("/flags/scan/", {"retry": run.pk}).status_code == 403
    run.refresh_from_db()
    assert run.failed_at is None and ScanRun.objects.count() == 1
