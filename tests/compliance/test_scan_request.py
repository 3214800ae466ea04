from typing import Any

import pytest
from django.test import Client

from accounts.models import Organization
from compliance.models import Flag, ScanRun
from tests.compliance.world import EXPECTED_FLAGS, build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_customs_queues_a_scan_from_the_queue_page(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    build_world()
    officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    client.force_login(officer)
    assert "Scan new declarations now" in client.get("/flags/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/flags/scan/", {"full": "1"}, follow=True)
    assert "A full scan was queued" in response.content.decode()
    run = ScanRun.objects.get()
    assert run.mode == ScanRun.Mode.FULL and run.requested_by == officer
    assert Flag.objects.count() == len(EXPECTED_FLAGS)


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_may_start_a_scan(
    client: Client, kind: str, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(UserFactory.create(organization__kind=kind))
    assert "Scan new declarations now" not in client.get("/flags/").content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post("/flags/scan/").status_code == 403
    assert callbacks == []


def test_a_scan_is_started_by_post_only(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    assert client.get("/flags/scan/").status_code == 405
    assert "/accounts/login/" in Client().post("/flags/scan/")["Location"]
