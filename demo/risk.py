"""Demo data of the risk analysis, created by ``seed_demo`` after the compliance seed.

Plants the patterns the analysis is for among the demo declarations, so that the customs
risk page has something to show: a trader's certificate lent to a middleman who files with
it for several traders; a broker with far more green-channel declarations than its peers;
a trader whose declarations of the last days suddenly come through another broker. Then it
runs the analysis and, as an officer would, opens a flag from the lent certificate.
Skipped when the planted declarations exist already.
"""

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Organization, SigningCertificate, User
from brokers.models import Broker
from compliance.models import Declaration
from compliance.scan import declarations_scan
from contracts.models import LetterOfAuthority
from contracts.status import letter_in_force
from demo.compliance import DEMO_BROKER_TAX_CODE, DEMO_TRADER_TAX_CODE
from risk.models import Subject
from risk.refresh import risk_refresh
from risk.selectors import finding_get
from risk.services import risk_flag_open

# Planted declaration numbers start with this (the compliance seed's with 309).
NUMBER_PREFIX = "308"
# A middleman who is neither a registered trader nor a broker.
MIDDLEMAN_TAX_CODE = "1099900009"
LENT_TO_TRADERS = 6
GREEN_DECLARATIONS = 160
SWITCH_DECLARATIONS = 25


class _Numbers:
    def __init__(self) -> None:
        self.next = 0

    def __call__(self) -> str:
        self.next += 1
        return f"{NUMBER_PREFIX}{self.next:09d}"


def _at(days_ago: int, rng: random.Random) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(
        datetime.combine(day, time(8)) + timedelta(minutes=rng.randrange(9 * 60))
    )


def _declaration(number: str, registered_at: datetime, **parties: str) -> Declaration:
    now = timezone.now()
    return Declaration(
        number=number,
        # A day of the window during office hours, but never later than now.
        registered_at=min(registered_at, now - timedelta(minutes=1)),
        customs_office_code=parties.pop("office", "03CE"),
        channel=parties.pop("channel", Declaration.Channel.GREEN),
        changed_at=now,
        created_at=now,
        **parties,
    )


def _lent_certificate(rng: random.Random, numbers: _Numbers) -> list[Declaration]:
    """A trader's certificate used by a middleman for itself and six other traders."""
    traders = list(
        Organization.objects.filter(kind=Organization.Kind.TRADER)
        .exclude(tax_code=DEMO_TRADER_TAX_CODE)
        .order_by("pk")[:20]
    )
    lender = next(
        (t for t in traders if SigningCertificate.objects.filter(organization=t).exists()), None
    )
    if lender is None:
        return []
    serial = SigningCertificate.objects.filter(organization=lender).values_list(
        "serial_number", flat=True
    )[0]
    borrowers = [lender, *[t for t in traders if t != lender][:LENT_TO_TRADERS]]
    return [
        _declaration(
            numbers(),
            _at(rng.randrange(60), rng),
            trader_tax_code=borrowers[index % len(borrowers)].tax_code,
            declarant_tax_code=MIDDLEMAN_TAX_CODE,
            signer_serial=serial,
            office=rng.choice(["03CE", "03CC", "02CX"]),
        )
        for index in range(35)
    ]


def _declarations_by(field: str) -> dict[str, int]:
    """How many declarations each tax code of ``field`` has in the last 90 days."""
    since = timezone.now() - timedelta(days=90)
    return dict(
        Declaration.objects.filter(registered_at__gte=since)
        .values_list(field)
        .annotate(count=Count("pk"))
        .values_list(field, "count")
        .order_by()
    )


def _green_broker(rng: random.Random, numbers: _Numbers) -> tuple[list[Declaration], str | None]:
    """The quietest broker with clients (not the demo broker) files its clients'
    declarations on the green channel far more than its peers do."""
    lanes: dict[str, list[tuple[str, str]]] = {}
    for broker, trader, agent in (
        LetterOfAuthority.objects.filter(letter_in_force(on=timezone.localdate()))
        .exclude(contract__broker__organization__tax_code=DEMO_BROKER_TAX_CODE)
        .values_list(
            "contract__broker__organization__tax_code",
            "contract__trader__tax_code",
            "agent__agent_code",
        )
        .order_by("pk")
    ):
        lanes.setdefault(broker, []).append((trader, agent))
    serials = dict(
        SigningCertificate.objects.filter(organization__tax_code__in=lanes).values_list(
            "organization__tax_code", "serial_number"
        )
    )
    filed = _declarations_by("declarant_tax_code")
    candidates = sorted((filed.get(b, 0), b) for b in lanes if b in serials)
    if not candidates:
        return [], None
    broker = candidates[0][1]
    return [
        _declaration(
            numbers(),
            _at(rng.randrange(88), rng),
            trader_tax_code=trader,
            declarant_tax_code=broker,
            agent_code=agent,
            signer_serial=serials[broker],
        )
        for trader, agent in (rng.choice(lanes[broker]) for _ in range(GREEN_DECLARATIONS))
    ], broker


def _switching_trader(rng: random.Random, numbers: _Numbers, skip: str | None) -> list[Declaration]:
    """An ordinary trader's declarations of the last ten days suddenly filed by a broker
    it never used, with that broker's agent and certificate."""
    counts = _declarations_by("trader_tax_code")
    trader = next(
        (
            code
            for code, count in sorted(counts.items())
            if 30 <= count <= 120 and code != DEMO_TRADER_TAX_CODE
        ),
        None,
    )
    used = set(
        Declaration.objects.filter(trader_tax_code=trader).values_list(
            "declarant_tax_code", flat=True
        )
    )
    other = (
        Broker.objects.exclude(organization__tax_code__in=[*used, DEMO_BROKER_TAX_CODE, skip])
        .filter(agents__isnull=False, organization__certificates__isnull=False)
        .select_related("organization")
        .order_by("-pk")
        .first()
    )
    if trader is None or other is None:
        return []
    agent = other.agents.order_by("pk").values_list("agent_code", flat=True)[0]
    serial = SigningCertificate.objects.filter(organization=other.organization).values_list(
        "serial_number", flat=True
    )[0]
    return [
        _declaration(
            numbers(),
            _at(rng.randrange(10), rng),
            trader_tax_code=trader,
            declarant_tax_code=other.organization.tax_code,
            agent_code=agent,
            signer_serial=serial,
        )
        for _ in range(SWITCH_DECLARATIONS)
    ]


def seed(*, say: Callable[[str], None]) -> None:
    """Plant the patterns, run the analysis and open a flag from the lent certificate."""
    if Declaration.objects.filter(number__startswith=NUMBER_PREFIX).exists():
        say("Risk: demo patterns already in place.")
        return
    officer = User.objects.filter(organization__kind=Organization.Kind.CUSTOMS).first()
    if officer is None:
        say("Risk: the demo customs officer is missing; run the accounts seed first.")
        return
    rng = random.Random(2027)
    numbers = _Numbers()
    with transaction.atomic():
        lent = _lent_certificate(rng, numbers)
        green, broker = _green_broker(rng, numbers)
        switch = _switching_trader(rng, numbers, broker)
        Declaration.objects.bulk_create(lent + green + switch)
    # The scan flags the planted declarations, as it would within minutes of their ingest.
    declarations_scan()
    run = risk_refresh(requested_by=officer)
    if lent:
        risk_flag_open(
            finding=finding_get(Subject.SIGNER, lent[0].signer_serial),
            note="Chứng thư số của doanh nghiệp được một người không phải đại lý dùng để khai "
            "cho nhiều doanh nghiệp (dữ liệu demo).",
            by=officer,
        )
    say(
        f"Risk: {len(lent + green + switch)} declarations planted; analysis of "
        f"{run.declarations} declarations, {run.signers} certificates, {run.brokers} brokers, "
        f"{run.traders} traders."
    )
