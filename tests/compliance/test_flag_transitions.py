import pytest
from django.test import Client

from accounts.models import Organization
from compliance.models import Flag, FlagStatus
from tests.factories import FlagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (FlagStatus.OPEN, (FlagStatus.ACKNOWLEDGED, FlagStatus.RESOLVED, FlagStatus.DISMISSED)),
        (FlagStatus.ACKNOWLEDGED, (FlagStatus.RESOLVED, FlagStatus.DISMISSED)),
        (FlagStatus.RESOLVED, ()),
        (FlagStatus.DISMISSED, ()),
    ],
)
def test_the_moves_from_each_status(status: str, allowed: tuple[str, ...]) -> None:
    assert Flag(status=status).allowed_transitions() == allowed


def _options(html: str) -> list[str]:
    select = html[html.index('name="action"') : html.index("</select>")]
    return [part.split('"')[0] for part in select.split('<option value="')[1:]]


def test_the_page_offers_exactly_the_moves_the_service_accepts(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    flag = FlagFactory.create(status=FlagStatus.ACKNOWLEDGED)
    assert _options(client.get(f"/flags/{flag.pk}/").content.decode()) == [
        "resolved",
        "dismissed",
    ]
    response = client.post(f"/flags/{flag.pk}/action/", {"action": "acknowledged", "note": "x"})
    assert response.status_code == 400
    flag.refresh_from_db()
    assert flag.status == FlagStatus.ACKNOWLEDGED
    flag = FlagFactory.create(status=FlagStatus.OPEN)
    assert _options(client.get(f"/flags/{flag.pk}/").content.decode()) == [
        "acknowledged",
        "resolved",
        "dismissed",
    ]


def test_a_closed_flag_offers_no_move(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    flag = FlagFactory.create(status=FlagStatus.DISMISSED)
    html = client.get(f"/flags/{flag.pk}/").content.decode()
    assert 'name="action"' not in html and "This flag is closed." in html
