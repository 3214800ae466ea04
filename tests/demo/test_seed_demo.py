"""seed_demo: the demo data set, seeded once for this module (it takes seconds) inside a
transaction that is rolled back after the last test; each test runs in a savepoint of it.
The suite distributes whole files to its workers (``--dist loadfile``), so one worker seeds."""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, Organization, SigningCertificate, User
from accounts.provinces import Province
from audit.models import AuditEntry
from brokers.models import Broker, BrokerAgent, Sanction
from brokers.selectors import broker_search
from compliance.models import Declaration, Flag, FlagKind
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.status import contract_status_expression
from demo.accounts import DEMO_ORGANIZATIONS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """What the first run of seed_demo printed."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "brokers", "contracts", "compliance", "risk"}
    }


def test_seed_demo_creates_the_demo_organisations_and_prints_the_logins(seeded: str) -> None:
    output = seeded
    for kind in Organization.Kind.values:
        assert Organization.objects.filter(kind=kind).exists()
    for email in ("customs@demo.test", "trader@demo.test", "broker@demo.test"):
        user = User.objects.get(email=email)
        assert user.role == User.Role.ADMIN
        assert user.check_password(DEMO_PASSWORD)
        assert email in output
    assert DEMO_PASSWORD in output


def test_seed_demo_twice_creates_nothing_twice(seeded: str) -> None:
    first = _row_counts()
    call_command("seed_demo")
    assert _row_counts() == first


def test_seed_demo_builds_the_register(seeded: str) -> None:
    assert 1000 <= Broker.objects.count() <= 1100
    assert 2500 <= BrokerAgent.objects.count() <= 3500
    assert Broker.objects.values("organization__province").distinct().count() >= 20
    statuses = {broker.status for broker in broker_search()}  # type: ignore[attr-defined]
    assert {"active", "suspended", "revoked", "expired"} <= statuses
    sanctions = Sanction.objects.all()
    assert 30 <= sanctions.count() <= 60
    assert all(s.reason and s.decision_number and s.decided_by_id for s in sanctions)
    assert (
        AuditEntry.objects.filter(action="broker.revoke").count()
        == sanctions.filter(kind="revocation").count()
    )
    # The names carry diacritics and are found without them.
    assert broker_search(q="hai phong").filter(organization__name__contains="Hải Phòng").exists()
    # Three agents from the start, one whose code customs issued on its application.
    assert Broker.objects.get(license_number="DL-2020-00001").agents.count() == 4


def test_the_demo_has_applications_in_each_state(seeded: str) -> None:
    from licensing.models import AgentCodeApplication, RecognitionApplication

    states = {"submitted", "info_requested", "approved", "refused"}
    assert set(RecognitionApplication.objects.values_list("status", flat=True)) == states
    assert set(AgentCodeApplication.objects.values_list("status", flat=True)) == states
    approved = RecognitionApplication.objects.get(status="approved")
    assert approved.broker is not None and approved.organization.kind == "broker"


def test_the_demo_shows_flags_of_every_kind_on_the_demo_trader_and_broker(seeded: str) -> None:
    assert Declaration.objects.filter(number__startswith="309").count() == 20_000
    kinds = set(Flag.objects.values_list("kind", flat=True))
    assert kinds == set(FlagKind.values)
    assert Flag.objects.filter(trader__tax_code="0301234562").exists()
    assert Flag.objects.filter(broker__organization__tax_code="0201234569").exists()
    # A realistic share: most declarations are clean.
    assert Flag.objects.count() < 0.15 * 20_000


def test_the_seed_gives_the_demo_trader_and_broker_contracts_of_every_status(seeded: str) -> None:
    today = timezone.localdate()
    contracts = ServiceContract.objects.annotate(status=contract_status_expression(on=today))
    assert contracts.count() >= 300
    for field in ("trader__tax_code", "broker__organization__tax_code"):
        code = "0301234562" if field == "trader__tax_code" else "0201234569"
        statuses = Counter(contracts.filter(**{field: code}).values_list("status", flat=True))
        assert {"pending", "active", "expired", "terminated"} <= set(statuses)
    expiring = contracts.filter(status="active", valid_until__lte=today + timedelta(days=30))
    assert expiring.filter(trader__tax_code="0301234562").exists()
    letters = LetterOfAuthority.objects.filter(contract__trader__tax_code="0301234562")
    assert set(letters.values_list("status", flat=True)) == {"issued", "revoked"}
    assert LetterOfAuthority.objects.filter(
        contract__broker__organization__tax_code="0201234569"
    ).exists()


def test_seed_demo_gives_the_demo_organisations_their_security(seeded: str, capsys) -> None:
    output = seeded
    demo = Organization.objects.filter(tax_code__in=[spec.tax_code for spec in DEMO_ORGANIZATIONS])
    customs = demo.get(kind=Organization.Kind.CUSTOMS)
    assert customs.require_2fa
    trader = demo.get(kind=Organization.Kind.TRADER)
    assert trader.password_max_age_days == 180
    assert demo.count() == 3
    for organization in demo:
        assert SigningCertificate.objects.filter(organization=organization).count() == 1
        assert LoginEvent.objects.filter(organization=organization).count() >= 3

    device = TOTPDevice.objects.get(user__email="customs@demo.test")
    found = re.search(r"TOTP secret ([A-Z2-7]{32})", output)
    assert found is not None
    from base64 import b32decode

    assert b32decode(found.group(1)) == device.bin_key
    assert device.verify_token(f"{totp(b32decode(found.group(1))):06d}")

    call_command("seed_demo")
    assert found.group(1) in capsys.readouterr().out, "the same secret is printed again"
    assert TOTPDevice.objects.count() == 1


def test_the_demo_chain_verifies_and_records_every_sanction_and_withdrawal(
    seeded: str, capsys
) -> None:
    call_command("audit_verify")
    assert "Audit chain intact" in capsys.readouterr().out
    recorded = set(
        AuditEntry.objects.filter(
            action__in=["broker.suspend", "broker.revoke"], object_type="brokers.sanction"
        ).values_list("object_id", flat=True)
    )
    assert {str(pk) for pk in Sanction.objects.values_list("pk", flat=True)} <= recorded
    lifted = set(
        AuditEntry.objects.filter(action="broker.sanction_lift").values_list("object_id", flat=True)
    )
    assert {
        str(pk)
        for pk in Sanction.objects.filter(lifted_on__isnull=False).values_list("pk", flat=True)
    } <= lifted
    withdrawn = set(
        AuditEntry.objects.filter(action="agent.withdraw").values_list("object_id", flat=True)
    )
    assert {
        str(pk)
        for pk in BrokerAgent.objects.filter(status=BrokerAgent.Status.WITHDRAWN).values_list(
            "pk", flat=True
        )
    } <= withdrawn


def test_the_demo_contracts_and_letters_have_their_history_on_the_record(seeded: str) -> None:
    from contracts.models import LetterOfAuthority, ServiceContract

    def recorded(action: str) -> set[str]:
        return set(AuditEntry.objects.filter(action=action).values_list("object_id", flat=True))

    def ids(queryset) -> set[str]:  # type: ignore[no-untyped-def]
        return {str(pk) for pk in queryset.values_list("pk", flat=True)}

    assert ids(ServiceContract.objects.all()) <= recorded("contract.upload")
    confirmed = ServiceContract.objects.filter(confirmed_at__isnull=False)
    assert ids(confirmed) <= recorded("contract.confirm")
    terminated = ServiceContract.objects.filter(terminated_at__isnull=False)
    assert terminated.exists() and ids(terminated) <= recorded("contract.terminate")
    assert ids(LetterOfAuthority.objects.all()) <= recorded("letter.issue")
    revoked = LetterOfAuthority.objects.filter(status=LetterOfAuthority.Status.REVOKED)
    assert revoked.exists() and ids(revoked) <= recorded("letter.revoke")
    call_command("seed_demo")
    assert AuditEntry.objects.filter(action="contract.upload").count() == (
        ServiceContract.objects.count()
    ), "a second run records nothing twice"


def test_the_demo_risk_page_has_the_planted_patterns_to_show(seeded: str) -> None:
    from demo.risk import MIDDLEMAN_TAX_CODE
    from risk.models import BrokerRisk, RiskFlag, SignerRisk, TraderRisk

    assert "Risk: 220 declarations planted" in seeded
    # The certificate lent to the middleman ranks first among certificates, alone.
    first, second = SignerRisk.objects.order_by("-score", "signer_serial")[:2]
    assert first.score == 100 > second.score
    assert Declaration.objects.filter(
        signer_serial=first.signer_serial, declarant_tax_code=MIDDLEMAN_TAX_CODE
    ).exists()
    # A broker far above its peers' green share among the first ten brokers; the trader
    # that switched broker first among traders.
    top_brokers = BrokerRisk.objects.order_by("-score", "broker")[:10]
    assert any(broker.green_share_points for broker in top_brokers)
    assert TraderRisk.objects.order_by("-score", "trader_tax_code")[0].declarant_switch_points
    # An officer opened a flag from the lent certificate: it is in the work queue.
    flag = RiskFlag.objects.select_related("flag").get()
    assert (flag.subject, flag.key) == ("signer", first.signer_serial)
    assert flag.flag.kind == FlagKind.RISK_PATTERN and flag.flag.status == "open"


def test_the_demo_ca_is_trusted_and_demo_contracts_carry_real_signatures(seeded: str) -> None:
    from accounts.models import TrustedCertificate
    from contracts.models import ContractSignature, ServiceContract

    assert TrustedCertificate.objects.filter(subject__contains="Demo CA").count() == 1
    verified = ServiceContract.objects.filter(signatures_verified=True)
    assert verified.count() >= 10
    assert ContractSignature.objects.filter(verdict="valid").count() == 2 * verified.count()


def test_the_demo_has_no_declaration_in_the_future_and_every_letter_code_verifies(
    seeded: str,
) -> None:
    from django.urls import resolve
    from django.utils import timezone

    from compliance.models import Declaration
    from contracts.models import LetterOfAuthority
    from contracts.selectors import letter_by_code

    assert not Declaration.objects.filter(registered_at__gt=timezone.now()).exists()
    # Every code is one the public check's address accepts, and finds its letter.
    for code in LetterOfAuthority.objects.values_list("verification_code", flat=True):
        assert resolve(f"/letters/verify/{code}/").url_name == "letter_verify", code
        assert letter_by_code(code) is not None, code


PLACEHOLDER_WORDS = re.compile(
    r"\b(acme|example|test|sample|dummy|placeholder|demo|foo|bar|baz|lorem|ipsum|john|jane|doe"
    r"|smith)\b",
    re.IGNORECASE,
)
LEGAL_FORMS = ("Công ty TNHH ", "Công ty Cổ phần ")


def test_demo_names_and_addresses_are_vietnamese_not_placeholders(seeded: str) -> None:
    texts = [
        *Organization.objects.values_list("name", flat=True),
        *Organization.objects.values_list("address", flat=True),
        *User.objects.values_list("full_name", flat=True),
        *BrokerAgent.objects.values_list("full_name", flat=True),
        *ServiceContract.objects.values_list("reference", flat=True),
        *LetterOfAuthority.objects.values_list("number", flat=True),
        *Broker.objects.values_list("license_number", flat=True),
        *Sanction.objects.values_list("decision_number", flat=True),
    ]
    assert [text for text in texts if PLACEHOLDER_WORDS.search(text)] == []
    firms = Organization.objects.exclude(kind=Organization.Kind.CUSTOMS)
    assert [
        name for name in firms.values_list("name", flat=True) if not name.startswith(LEGAL_FORMS)
    ] == []
    provinces = set(Organization.objects.values_list("province", flat=True))
    assert provinces <= set(Province.values)
