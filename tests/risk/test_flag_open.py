"""Opening a flag from a finding: a ``risk_pattern`` flag that joins the work queue, on the
record; once per finding while it is open."""

import pytest
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditAction, AuditEntry
from compliance.models import Flag, FlagEvent, FlagKind, FlagStatus
from compliance.services import flag_transition
from risk.models import RiskFlag
from risk.refresh import risk_refresh
from tests.factories import UserFactory
from tests.risk.patterns import MIDDLEMAN, Patterns, build_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)


@pytest.fixture
def patterns() -> Patterns:
    patterns = build_patterns()
    risk_refresh()
    return patterns


def _url(patterns: Patterns) -> str:
    return f"/customs/risk/signer/{patterns.lent_serial}/flag/"


def test_an_officer_puts_a_finding_in_the_work_queue(
    client: Client, officer: User, patterns: Patterns
) -> None:
    client.force_login(officer)
    response = client.post(_url(patterns), {"note": "Check the middleman."})
    flag = Flag.objects.get(kind=FlagKind.RISK_PATTERN)
    assert response.status_code == 302 and response["Location"] == f"/flags/{flag.pk}/"
    # On the newest declaration behind it: the middleman's, three days ago, for a borrower.
    assert flag.declaration is not None
    assert flag.declaration.declarant_tax_code == MIDDLEMAN
    assert flag.declaration.signer_serial == patterns.lent_serial
    assert flag.trader == patterns.borrowers[0]
    assert flag.broker is None
    assert flag.status == FlagStatus.OPEN
    assert flag.note.startswith(
        "Risk pattern of signing certificate LENT-TOKEN (Công ty Cho Mượn): score 100."
    )
    assert "Traders it signed for: 5 (peers: 2), 20 points." in flag.note
    assert flag.note.endswith("Check the middleman.")
    event = FlagEvent.objects.get(flag=flag)
    assert (event.actor, event.to_status) == (officer, FlagStatus.OPEN)
    finding = RiskFlag.objects.get(flag=flag)
    assert (finding.subject, finding.key, finding.score) == ("signer", "LENT-TOKEN", 100)
    assert finding.reasons[0]["signal"] == "unlicensed_declarant"
    entry = AuditEntry.objects.get(action=AuditAction.FLAG_OPEN_FROM_RISK)
    assert (entry.actor, entry.object_id) == (officer, str(flag.pk))
    assert entry.after["finding"] == "signer:LENT-TOKEN"
    # The work queue lists it; the finding's page links to it.
    assert f'href="/flags/{flag.pk}/"' in client.get("/flags/?kind=risk_pattern").content.decode()
    page = client.get(f"/customs/risk/signer/{patterns.lent_serial}/").content.decode()
    assert "A flag from this finding is in the work queue" in page


def test_a_finding_is_flagged_once_while_its_flag_is_open(
    client: Client, officer: User, patterns: Patterns
) -> None:
    client.force_login(officer)
    client.post(_url(patterns), {"note": ""})
    response = client.post(_url(patterns), {"note": "again"})
    assert response.status_code == 400
    assert "A flag from this finding is already in the work queue." in response.content.decode()
    assert Flag.objects.filter(kind=FlagKind.RISK_PATTERN).count() == 1
    # Once it is resolved, the finding may be flagged again: on the next declaration.
    first = Flag.objects.get(kind=FlagKind.RISK_PATTERN)
    flag_transition(flag=first, to_status=FlagStatus.RESOLVED, note="Checked.", by=officer)
    assert client.post(_url(patterns), {"note": ""}).status_code == 302
    second = Flag.objects.exclude(pk=first.pk).get(kind=FlagKind.RISK_PATTERN)
    assert second.declaration is not None and first.declaration is not None
    assert second.declaration.registered_at < first.declaration.registered_at


def test_a_broker_s_finding_names_the_broker(
    client: Client, officer: User, patterns: Patterns
) -> None:
    client.force_login(officer)
    license_number = patterns.flagged.broker.license_number
    assert client.post(f"/customs/risk/broker/{license_number}/flag/").status_code == 302
    flag = Flag.objects.get(kind=FlagKind.RISK_PATTERN)
    assert flag.broker == patterns.flagged.broker
    # The broker sees the flag on a declaration it filed, like every flag.
    client.force_login(UserFactory.create(organization=patterns.flagged.broker.organization))
    assert client.get(f"/flags/{flag.pk}/").status_code == 200


def test_a_note_too_long_is_refused_and_nothing_stored(
    client: Client, officer: User, patterns: Patterns
) -> None:
    client.force_login(officer)
    response = client.post(_url(patterns), {"note": "x" * 2001})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not Flag.objects.filter(kind=FlagKind.RISK_PATTERN).exists()


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_officers_open_flags(client: Client, patterns: Patterns, kind: str) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    assert client.post(_url(patterns)).status_code == 403
    assert not Flag.objects.filter(kind=FlagKind.RISK_PATTERN).exists()


def test_anonymous_is_sent_to_sign_in(client: Client, patterns: Patterns) -> None:
    response = client.post(_url(patterns))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Flag.objects.filter(kind=FlagKind.RISK_PATTERN).exists()


def test_get_is_refused(client: Client, officer: User, patterns: Patterns) -> None:
    client.force_login(officer)
    assert client.get(_url(patterns)).status_code == 405


def test_an_unknown_finding_is_not_found(client: Client, officer: User, patterns: Patterns) -> None:
    client.force_login(officer)
    assert client.post("/customs/risk/signer/NOPE/flag/").status_code == 404
    assert client.post("/customs/risk/agent/AG-1/flag/").status_code == 404
    assert not Flag.objects.filter(kind=FlagKind.RISK_PATTERN).exists()
