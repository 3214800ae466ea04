"""The risk refresh on a known data set: each planted pattern ranks where it should, with
the reasons, values and peer medians an officer reads."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.models import Flag, FlagKind, FlagStatus
from risk.models import (
    BrokerRisk,
    PeerBasis,
    RiskDay,
    RiskItem,
    RiskOffice,
    SignerRisk,
    Subject,
    TraderRisk,
)
from risk.refresh import risk_refresh
from risk.selectors import finding_get, risk_ranking
from tests.factories import BrokerFactory, OrganizationFactory, SigningCertificateFactory
from tests.risk.patterns import MIDDLEMAN, OFFICE, OTHER_OFFICE, Patterns, build_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def patterns() -> Patterns:
    patterns = build_patterns()
    risk_refresh()
    return patterns


def _reasons(subject: str, key: str) -> dict[str, tuple[float, float | None, int]]:
    """Every signal of a finding: (value, peer median, points)."""
    return {
        reason.signal: (reason.value, reason.peer_median, reason.points)
        for reason in finding_get(subject, key).reasons
    }


def _ranked_keys(subject: str) -> list[str]:
    keys: dict[str, str] = {
        Subject.SIGNER: "signer_serial",
        Subject.BROKER: "broker__license_number",
        Subject.TRADER: "trader_tax_code",
    }
    return list(risk_ranking(subject).values_list(keys[subject], flat=True))


def test_a_certificate_lent_to_a_middleman_ranks_first_with_its_reasons(
    patterns: Patterns,
) -> None:
    assert _ranked_keys(Subject.SIGNER)[0] == patterns.lent_serial
    lent = SignerRisk.objects.get(signer_serial=patterns.lent_serial)
    # Eight declarations of the middleman for four traders, one of the lender itself; the
    # one 120 days ago is outside the window.
    assert (lent.declarations, lent.traders, lent.declarants) == (9, 5, 2)
    assert lent.owner_id == patterns.lender.pk
    assert lent.score == 100
    reasons = _reasons(Subject.SIGNER, patterns.lent_serial)
    assert reasons["unlicensed_declarant"] == (pytest.approx(8 / 9), 0.0, 40)
    assert reasons["not_own_certificate"] == (pytest.approx(8 / 9), 0.0, 25)
    # Peers: the certificates with ten declarations or more (the brokers' own, each used
    # for its two or three clients).
    assert reasons["traders"] == (5, 2.0, 20)
    assert reasons["declarants"] == (2, 1.0, 15)


def test_a_broker_filing_with_one_client_s_certificate_for_the_others(patterns: Patterns) -> None:
    borrowed = SignerRisk.objects.get(signer_serial=patterns.borrowed_serial)
    assert (borrowed.traders, borrowed.declarants, borrowed.score) == (3, 1, 45)
    assert _reasons(Subject.SIGNER, patterns.borrowed_serial)["not_own_certificate"][2] == 25
    assert _ranked_keys(Subject.SIGNER)[:2] == [patterns.lent_serial, patterns.borrowed_serial]
    broker = _reasons(Subject.BROKER, patterns.borrowing.broker.license_number)
    assert broker["shared_signer"] == (3, 0.0, 25)
    # Its clients see the declarations in their name signed with the lent certificate.
    for client in patterns.borrowing.clients:
        assert _reasons(Subject.TRADER, client.tax_code)["shared_signer"] == (1, 0.0, 30)


def test_a_broker_s_own_certificate_used_for_its_clients_is_not_lent(patterns: Patterns) -> None:
    own = SignerRisk.objects.get(signer_serial=patterns.borrowing.serial)
    assert own.traders == 3
    reasons = _reasons(Subject.SIGNER, patterns.borrowing.serial)
    assert reasons["traders"][2] == 20
    assert reasons["unlicensed_declarant"][2] == reasons["not_own_certificate"][2] == 0
    assert own.score == 20


def test_the_traders_of_a_lent_certificate_score_for_it(patterns: Patterns) -> None:
    for borrower in patterns.borrowers:
        assert _reasons(Subject.TRADER, borrower.tax_code)["shared_signer"] == (2, 0.0, 30)
    # The lender's own declaration with its own certificate is no lent signature.
    assert _reasons(Subject.TRADER, patterns.lender.tax_code)["shared_signer"][0] == 0


def test_a_trader_whose_declarations_suddenly_come_from_a_new_broker(patterns: Patterns) -> None:
    assert _ranked_keys(Subject.TRADER)[0] == patterns.switching.tax_code
    row = TraderRisk.objects.get(trader_tax_code=patterns.switching.tax_code)
    # Five declarations in the last fourteen days, four of them through the new broker;
    # five before.
    assert (row.history, row.recent, row.recent_from_new_party) == (5, 5, 4)
    finding = finding_get(Subject.TRADER, patterns.switching.tax_code)
    reasons = {reason.signal: reason for reason in finding.reasons}
    assert (reasons["declarant_switch"].value, reasons["declarant_switch"].points) == (0.8, 30)
    # Its peers are the traders with ten declarations or more: only two, so the whole
    # country's; the other one switched nothing.
    assert finding.peers is not None and finding.peers.basis == PeerBasis.NATIONWIDE
    assert finding.peers.members == 2
    assert reasons["declarant_switch"].peer_median == pytest.approx(0.4)
    # The new broker's agent holds no letter from it.
    assert (
        reasons["agent_without_authority"].value,
        reasons["agent_without_authority"].points,
    ) == (
        4,
        20,
    )
    assert row.score == 50


def test_an_agent_filing_for_a_trader_that_named_it_in_no_letter(patterns: Patterns) -> None:
    trader = _reasons(Subject.TRADER, patterns.unnamed_for.tax_code)
    assert trader["agent_without_authority"] == (1, 2.0, 20)
    broker = _reasons(Subject.BROKER, patterns.ordinary[1].broker.license_number)
    assert broker["agent_without_authority"][:2] == (1, 0.0)
    assert broker["agent_without_authority"][2] == 20  # 1 of 13 declarations: over 5%
    # The ordinary brokers' agents all hold letters.
    assert _reasons(Subject.BROKER, patterns.ordinary[2].broker.license_number)[
        "agent_without_authority"
    ] == (0, 0.0, 0)


def test_a_broker_s_green_share_against_its_peers(patterns: Patterns) -> None:
    green = finding_get(Subject.BROKER, patterns.green.broker.license_number)
    reasons = {reason.signal: reason for reason in green.reasons}
    assert (reasons["green_share"].value, reasons["green_share"].peer_median) == (1.0, 0.5)
    assert reasons["green_share"].points == 20
    # Ten brokers of Hải Phòng with 10 to 29 declarations each: a peer group of its own.
    assert green.peers is not None
    assert green.peers.basis == PeerBasis.PROVINCE_AND_VOLUME
    assert (green.peers.members, green.peers.band) == (10, 1)
    assert green.peers_label == "same province and similar volume, 10-29 (10)"
    ordinary = _reasons(Subject.BROKER, patterns.ordinary[3].broker.license_number)
    assert ordinary["green_share"] == (0.5, 0.5, 0)
    assert green.score == 20


def test_a_broker_s_flag_rate_open_flags_and_sanctions(patterns: Patterns) -> None:
    flagged = _reasons(Subject.BROKER, patterns.flagged.broker.license_number)
    assert flagged["flag_rate"] == (0.5, 0.0, 20)
    assert flagged["open_flags"] == (6, 0.0, 10)
    sanctioned = _reasons(Subject.BROKER, patterns.sanctioned.broker.license_number)
    assert sanctioned["sanctions"] == (1, 0.0, 15)
    # Three flags still open, one resolved: only the open ones count, below the margin.
    assert sanctioned["open_flags"] == (3, 0.0, 0)
    assert sanctioned["flag_rate"] == (pytest.approx(4 / 12), 0.0, 20)
    assert _ranked_keys(Subject.BROKER)[0] == patterns.sanctioned.broker.license_number


def test_a_broker_that_filed_nothing_is_still_ranked_by_its_sanctions() -> None:
    idle = BrokerFactory.create()
    from tests.factories import SanctionFactory

    SanctionFactory.create(broker=idle)
    risk_refresh()
    row = BrokerRisk.objects.get(broker=idle)
    assert (row.declarations, row.sanctions, row.score) == (0, 1, 15)


def test_flags_opened_from_a_finding_do_not_feed_the_signals(patterns: Patterns) -> None:
    declaration = patterns.declarations[0]
    stored = type(declaration).objects.get(number=declaration.number)
    Flag.objects.create(
        declaration=stored, kind=FlagKind.RISK_PATTERN, broker=patterns.ordinary[0].broker
    )
    risk_refresh()
    reasons = _reasons(Subject.BROKER, patterns.ordinary[0].broker.license_number)
    assert reasons["flag_rate"][0] == 0
    assert reasons["open_flags"][0] == 0


def test_the_daily_figures_behind_the_charts(patterns: Patterns) -> None:
    days = {(row.day, row.office_code): row for row in RiskDay.objects.all()}
    today = timezone.localdate()
    # Three days ago the middleman filed once at the other office, for the lent token.
    middleman_day = days[(today - timedelta(days=3), OTHER_OFFICE)]
    assert (middleman_day.declarations, middleman_day.shared_signer) == (1, 1)
    # Four days ago: the new broker's first declaration for the switching trader, and the
    # borrowing broker's first with a client's certificate for its third client.
    assert days[(today - timedelta(days=4), OFFICE)].declarant_switch == 2
    assert days[(today - timedelta(days=1), OFFICE)].declarant_switch == 0
    assert sum(row.declarations for row in days.values()) == len(patterns.declarations) - 1
    assert sum(row.shared_signer for row in days.values()) == 8 + 3
    assert sum(row.flagged for row in days.values()) == 6 + 4
    assert sum(row.green for row in days.values()) == 9 * 6 + 12


def test_the_offices_each_row_filed_at(patterns: Patterns) -> None:
    def offices(subject: str, key: str) -> set[str]:
        return set(
            RiskOffice.objects.filter(subject=subject, key=key).values_list(
                "office_code", flat=True
            )
        )

    # The middleman filed at the other office, the lender at the usual one.
    assert offices(Subject.SIGNER, patterns.lent_serial) == {OFFICE, OTHER_OFFICE}
    assert offices(Subject.TRADER, patterns.borrowers[0].tax_code) == {OTHER_OFFICE}
    assert offices(Subject.BROKER, patterns.green.broker.organization.tax_code) == {OFFICE}
    # The middleman is no broker, and the declaration of 120 days ago counts for nothing.
    assert not RiskOffice.objects.filter(key=MIDDLEMAN).exists()


def test_peers_fall_back_to_the_province_then_the_whole_country() -> None:
    # Two brokers of Huế (too few for a group) and none of Lạng Sơn.
    for province, green in (("hue", 12), ("hue", 6), ("lang-son", 12)):
        broker = BrokerFactory.create(organization__province=province)
        trader = OrganizationFactory.create()
        serial = SigningCertificateFactory.create(organization=broker.organization).serial_number
        from tests.factories import DeclarationFactory

        for n in range(12):
            DeclarationFactory.create(
                trader_tax_code=trader.tax_code,
                declarant_tax_code=broker.organization.tax_code,
                signer_serial=serial,
                registered_at=timezone.now() - timedelta(days=n + 1),
                channel="green" if n < green else "yellow",
            )
    risk_refresh()
    for row in BrokerRisk.objects.select_related("peer_group"):
        assert row.peer_group.basis == PeerBasis.NATIONWIDE
        assert row.peer_group.members == 3
        assert row.peer_group.medians["green_share"] == 1.0


def test_a_second_refresh_replaces_the_results_and_leaves_no_work_rows(patterns: Patterns) -> None:
    counts = {model: model.objects.count() for model in (SignerRisk, BrokerRisk, TraderRisk)}
    scores = dict(SignerRisk.objects.values_list("signer_serial", "score"))
    run = risk_refresh()
    assert {model: model.objects.count() for model in counts} == counts
    assert dict(SignerRisk.objects.values_list("signer_serial", "score")) == scores
    assert RiskItem.objects.count() == 0
    assert run.declarations == len(patterns.declarations) - 1
    assert (run.signers, run.brokers, run.traders) == (
        counts[SignerRisk],
        counts[BrokerRisk],
        counts[TraderRisk],
    )
    assert run.finished_at is not None


def test_thresholds_are_settings(patterns: Patterns, settings: Any) -> None:
    settings.RISK_SIGNER_MIN_TRADERS = 6
    risk_refresh()
    assert SignerRisk.objects.get(signer_serial=patterns.lent_serial).score == 0
    settings.RISK_SIGNER_MIN_TRADERS = 3
    settings.RISK_GREEN_SHARE_MARGIN = 0.6
    risk_refresh()
    assert SignerRisk.objects.get(signer_serial=patterns.lent_serial).score == 100
    assert _reasons(Subject.BROKER, patterns.green.broker.license_number)["green_share"][2] == 0


def test_the_refresh_runs_the_same_statements_whatever_the_size() -> None:
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            risk_refresh()
        return len(queries)

    build_patterns()
    small = statements()
    for n in range(3):
        broker = BrokerFactory.create()
        serial = SigningCertificateFactory.create(organization=broker.organization).serial_number
        from tests.factories import DeclarationFactory

        for _ in range(10):
            DeclarationFactory.create(
                trader_tax_code=OrganizationFactory.create().tax_code,
                declarant_tax_code=broker.organization.tax_code,
                signer_serial=serial,
                agent_code=f"X{n}",
                customs_office_code=OFFICE,
            )
        DeclarationFactory.create(declarant_tax_code=MIDDLEMAN, signer_serial=serial)
    assert statements() == small
    # No declaration at all: still a complete, empty run.
    assert risk_refresh().declarations > 0


def test_a_refresh_of_nothing_stores_nothing_but_the_run() -> None:
    run = risk_refresh()
    assert run.declarations == run.signers == run.traders == 0
    assert SignerRisk.objects.count() == TraderRisk.objects.count() == 0
    assert Flag.objects.filter(status=FlagStatus.OPEN).count() == 0


def test_the_chart_counts_first_uses_only_by_established_traders() -> None:
    from tests.factories import DeclarationFactory

    broker = BrokerFactory.create()
    newcomer = OrganizationFactory.create()
    established = OrganizationFactory.create()
    for trader, first_days_ago in ((newcomer, 10), (established, 30)):
        DeclarationFactory.create(
            trader_tax_code=trader.tax_code,
            registered_at=timezone.now() - timedelta(days=first_days_ago),
        )
        DeclarationFactory.create(
            trader_tax_code=trader.tax_code,
            declarant_tax_code=broker.organization.tax_code,
            registered_at=timezone.now() - timedelta(days=5),
        )
    risk_refresh()
    # Five days ago both used the broker for the first time; only the trader that had
    # filed fourteen days or more before counts.
    day = timezone.localdate() - timedelta(days=5)
    assert RiskDay.objects.get(day=day).declarant_switch == 1
