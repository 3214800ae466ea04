import pytest
from django.test import Client

from accounts.models import Organization, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/customs/dashboard/scan/"


@pytest.fixture
def officer() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)


@pytest.mark.parametrize(
    ("full", "message"),
    [
        ("0", "A scan of the new and changed declarations is queued."),
        ("1", "A full rescan of all declarations is queued."),
    ],
)
def test_the_scan_is_queued_once_the_request_commits(
    client: Client, officer: User, full: str, message: str, django_capture_on_commit_callbacks
) -> None:
    client.force_login(officer)
    # The message goes to the broker after the commit; the lead's end-to-end check runs
    # it with the worker of the compliance scan.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(URL, {"full": full}, follow=True)
    assert response.redirect_chain[-1][0] == "/customs/dashboard/"
    assert message in response.content.decode()
    assert len(callbacks) == 1
    queued = callbacks[0]
    assert queued.args == ("compliance.tasks.declarations_scan",)  # type: ignore[attr-defined]
    assert queued.keywords == {  # type: ignore[attr-defined]
        "kwargs": {"full": full == "1", "requested_by_id": officer.pk}
    }


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_officers_may_run_the_scan(
    client: Client, kind: str, django_capture_on_commit_callbacks
) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(URL, {"full": "1"}).status_code == 403
    assert callbacks == []


def test_anonymous_is_sent_to_sign_in_and_get_is_refused(client: Client, officer: User) -> None:
    assert "/accounts/login/" in client.post(URL)["Location"]
    client.force_login(officer)
    assert client.get(URL).status_code == 405
