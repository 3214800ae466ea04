"""How a refresh starts: ``manage.py risk_refresh``, the nightly beat entry, the Celery
task, and an officer's button on the risk page."""

from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import Organization, User
from risk.models import RiskRun, SignerRisk
from risk.tasks import risk_refresh
from tests.factories import UserFactory
from tests.risk.patterns import Patterns, build_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def patterns() -> Patterns:
    return build_patterns()


def test_the_command_refreshes_and_says_what_it_analysed(patterns: Patterns) -> None:
    output = StringIO()
    call_command("risk_refresh", stdout=output)
    run = RiskRun.objects.get()
    assert output.getvalue().strip() == (
        f"Risk analysis of {run.window_from} to {run.window_to}: {run.declarations} "
        f"declarations, {run.signers} signing certificates, {run.brokers} brokers, "
        f"{run.traders} traders."
    )
    assert SignerRisk.objects.filter(signer_serial=patterns.lent_serial, score=100).exists()


def test_beat_runs_the_task_every_night() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["risk-refresh-nightly"]
    assert entry["task"] == "risk.tasks.risk_refresh"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}


def test_the_task_records_who_asked(patterns: Patterns) -> None:
    officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    run_id = risk_refresh.delay(requested_by_id=officer.pk).get()
    run = RiskRun.objects.get(pk=run_id)
    assert run.requested_by == officer and run.finished_at is not None


def test_an_officer_queues_a_refresh_from_the_page(
    client: Client, patterns: Patterns, django_capture_on_commit_callbacks: Any
) -> None:
    officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/customs/risk/refresh/")
    assert response.status_code == 302 and response["Location"] == "/customs/risk/"
    # The task ran once the request committed (the tests run tasks at once).
    assert RiskRun.objects.get().requested_by == officer
    page = client.get(response["Location"]).content.decode()
    assert "A refresh of the risk analysis was queued" in page
    assert patterns.lent_serial in page


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_asks_for_a_refresh(
    client: Client, kind: str, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post("/customs/risk/refresh/").status_code == 403
    assert callbacks == []


def test_anonymous_and_get_are_refused(client: Client) -> None:
    response = client.post("/customs/risk/refresh/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    assert client.get("/customs/risk/refresh/").status_code == 405
    assert not RiskRun.objects.exists()
