"""Reads of the compliance app: flags visible to a user, a flag's context, declarations in a
trader's name, the authorization check and the customs dashboard's figures."""

import functools
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject
from django.utils import timezone

from accounts.models import Organization, User
from brokers.models import Broker, BrokerAgent, BrokerStatus, Sanction
from brokers.status import broker_status_expression, licence_outside
from compliance.dashboard import (
    DASHBOARD_DAYS,
    DASHBOARD_FLAGS_CACHE_SECONDS,
    DASHBOARD_TOP,
    TopParty,
    flag_figures,
    flag_figures_cached,
    flag_figures_key,
)
from compliance.models import Declaration, Flag, FlagKind, ScanRun
from compliance.rules import RuleParties, contracts_between, rule_conditions
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.status import contract_in_force, contract_status_expression


def flags_visible_to(user: User) -> QuerySet[Flag]:
    """Customs sees every flag; a trader those on declarations in its name; a broker those
    on declarations it filed; anybody else none."""
    flags = Flag.objects.select_related(
        "declaration", "contract_refusal", "trader", "broker__organization"
    )
    organization = user.organization
    if organization is None:
        return flags.none()
    if organization.kind == Organization.Kind.CUSTOMS:
        return flags
    if organization.kind == Organization.Kind.TRADER:
        return flags.filter(trader=organization)
    return flags.filter(broker__organization=organization)


def flag_detail(flag: Flag) -> dict[str, Any]:
    """What a flag's page shows beside the declaration: the contracts between the parties,
    the broker's sanctions and the agent's letters from the trader (a few queries)."""
    declaration = flag.declaration
    happened = (
        declaration.registered_at
        if declaration is not None
        else flag.contract_refusal.attempted_at
        if flag.contract_refusal is not None
        else flag.raised_at
    )
    on = timezone.localdate(happened)
    contracts: list[ServiceContract] = []
    sanctions: list[Sanction] = []
    letters: list[LetterOfAuthority] = []
    if flag.broker_id is not None:
        sanctions = list(Sanction.objects.filter(broker_id=flag.broker_id))
        if flag.trader_id is not None:
            contracts = list(
                ServiceContract.objects.filter(
                    trader_id=flag.trader_id, broker_id=flag.broker_id
                ).annotate(
                    in_force=Case(
                        When(contract_in_force(on=on), then=Value(True)),
                        default=Value(False),
                        output_field=BooleanField(),
                    )
                )
            )
            letters = list(
                LetterOfAuthority.objects.filter(
                    contract__trader_id=flag.trader_id, contract__broker_id=flag.broker_id
                ).select_related("agent", "contract")
            )
    return {
        "on": on,
        "contracts": contracts,
        "sanctions": sanctions,
        "letters": letters,
        "events": list(flag.events.select_related("actor")),
    }


def declarations_in_name_of(organization: Organization) -> QuerySet[Declaration]:
    """Every declaration filed in the trader's name, with its flags, newest first."""
    return Declaration.objects.filter(trader_tax_code=organization.tax_code).prefetch_related(
        Prefetch("flags", queryset=Flag.objects.order_by("kind"))
    )


def declarant_names(declarations: list[Declaration]) -> dict[str, str]:
    """The registered name of each declarant tax code on a page of declarations."""
    codes = {d.declarant_tax_code for d in declarations}
    return dict(Organization.objects.filter(tax_code__in=codes).values_list("tax_code", "name"))


def agent_names(declarations: list[Declaration]) -> dict[str, str]:
    """The registered name of each agent code on a page of declarations."""
    codes = {d.agent_code for d in declarations if d.agent_code}
    return dict(
        BrokerAgent.objects.filter(agent_code__in=codes).values_list("agent_code", "full_name")
    )


@dataclass(frozen=True)
class PairContract:
    """The pair's contract an answer names: one in force first, else the one ending last."""

    reference: str
    valid_from: date
    valid_until: date
    status: str


@dataclass(frozen=True)
class AuthorizationAnswer:
    authorized: bool
    reasons: list[str] = field(default_factory=list)
    contract: PairContract | None = None


def _check_query(
    *, trader: Any, declarant: Any, on: Any, agent_code: Any, signer_serial: Any
) -> QuerySet[Broker]:
    """The declarant's broker with one boolean per rule the pair breaks (the letter and
    signature rules only when an agent or a serial is given) and the pair's contract as
    JSON: the whole check in one statement."""
    trader_id = Subquery(Organization.objects.filter(tax_code=trader).order_by().values("pk")[:1])
    parties = RuleParties(
        trader=trader_id,
        broker=OuterRef("pk"),
        on=on,
        agent_code=agent_code,
        signer_serial=signer_serial,
        has_broker=Q(pk__isnull=False),
        licence_lapsed=licence_outside(on=on),
    )
    conditions = rule_conditions(parties)
    if not agent_code:
        del conditions[FlagKind.NO_AUTHORITY_LETTER]
    if not signer_serial:
        del conditions[FlagKind.SIGNATURE_MISUSE]
    shown = (
        contracts_between(parties)
        .annotate(in_force=Case(When(contract_in_force(on=on), then=Value(1)), default=Value(0)))
        .order_by("-in_force", "-valid_until")
        .values(
            shown=JSONObject(
                reference="reference",
                valid_from="valid_from",
                valid_until="valid_until",
                status=contract_status_expression(on=on),
            )
        )[:1]
    )
    return (
        Broker.objects.filter(organization__tax_code=declarant)
        .annotate(
            **{
                kind: Case(When(condition, then=Value(True)), default=Value(False))
                for kind, condition in conditions.items()
            },
            pair_contract=Subquery(shown, output_field=JSONField()),
        )
        .order_by()
        .values(*conditions, "pair_contract")[:1]
    )


# Building and compiling the check's query took 60% of a check's 20 to 30 ms
# (docs/scaling.md): it is compiled once per shape with these stand-ins for the pair, values
# no party has, and each check runs that SQL with its own values in their places.
_STAND_INS: dict[str, Any] = {
    "trader": "~trader stand-in~",
    "declarant": "~declarant stand-in~",
    "on": date(1, 1, 2),
    "agent_code": "~agent stand-in~",
    "signer_serial": "~signer stand-in~",
}


@dataclass(frozen=True)
class _CheckStatement:
    sql: str
    # For each parameter, the party it stands for, or None for a constant of the rules.
    slots: tuple[str | None, ...]
    constants: tuple[Any, ...]


@functools.cache
def _check_statement(*, vendor: str, with_letter: bool, with_signature: bool) -> _CheckStatement:
    stand_ins = {
        **_STAND_INS,
        "agent_code": _STAND_INS["agent_code"] if with_letter else "",
        "signer_serial": _STAND_INS["signer_serial"] if with_signature else "",
    }
    sql, params = _check_query(**stand_ins).query.sql_with_params()
    compiled = {**stand_ins, "on": connection.ops.adapt_datefield_value(stand_ins["on"])}
    slots = tuple(
        next(
            (
                name
                for name, value in compiled.items()
                if value != "" and type(param) is type(value) and param == value
            ),
            None,
        )
        for param in params
    )
    expected = {name for name, value in compiled.items() if value != ""}
    if set(slots) - {None} != expected:  # pragma: no cover - a change of Django's compiler
        raise RuntimeError(f"the check's query does not carry every party: {sorted(expected)}")
    return _CheckStatement(sql=sql, slots=slots, constants=tuple(params))


@functools.cache
def _prepared_cursor_class() -> Any:
    """psycopg's server-binding cursor, as Django builds it, preparing what it runs."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    base: Any = ServerBindingCursor

    class PreparedCursor(base):  # type: ignore[misc,valid-type]
        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            return super().execute(query, params, prepare=True)

    return PreparedCursor


def _check_cursor() -> Any:
    """A cursor for the check's statement. On PostgreSQL it binds parameters on the server
    and keeps the statement prepared on the connection: planning its dozen subqueries cost
    five times running them (docs/scaling.md). Django's own cursors bind on the client and
    are never prepared; ``prepare_threshold`` in the database's OPTIONS allows this one."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    cursor: Any = _prepared_cursor_class()(connection.connection)
    # Wrapped as Django wraps its own, so that the query is logged and counted.
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


def _pair_contract(shown: Any) -> PairContract | None:
    if shown is None:
        return None
    if isinstance(shown, str | bytes):  # JSON as text (SQLite, or a driver that keeps it)
        shown = json.loads(shown)
    return PairContract(
        reference=shown["reference"],
        valid_from=date.fromisoformat(shown["valid_from"]),
        valid_until=date.fromisoformat(shown["valid_until"]),
        status=shown["status"],
    )


def authorization_check(
    *,
    trader_tax_code: str,
    declarant_tax_code: str,
    on: date,
    agent_code: str = "",
    signer_serial: str = "",
) -> AuthorizationAnswer:
    """May this declarant file for this trader on that day? The scan's rules for one pair
    (the letter and signature rules only when an agent or a serial is given), in one query."""
    if trader_tax_code == declarant_tax_code:
        return AuthorizationAnswer(authorized=True)
    statement = _check_statement(
        vendor=connection.vendor, with_letter=bool(agent_code), with_signature=bool(signer_serial)
    )
    values = {
        "trader": trader_tax_code,
        "declarant": declarant_tax_code,
        "on": connection.ops.adapt_datefield_value(on),
        "agent_code": agent_code,
        "signer_serial": signer_serial,
    }
    params = [
        values[slot] if slot is not None else constant
        for slot, constant in zip(statement.slots, statement.constants, strict=True)
    ]
    with _check_cursor() as cursor:
        cursor.execute(statement.sql, params)
        row = cursor.fetchone()
        columns = [column[0] for column in cursor.description]
    if row is None:
        return AuthorizationAnswer(authorized=False, reasons=[FlagKind.UNLICENSED_DECLARANT])
    answers = dict(zip(columns, row, strict=True))
    reasons = [kind for kind in FlagKind.values if answers.get(kind)]
    return AuthorizationAnswer(
        authorized=not reasons,
        reasons=reasons,
        contract=_pair_contract(answers["pair_contract"]),
    )


@dataclass(frozen=True)
class DashboardCount:
    """One row of a dashboard table: a value, its label and how many."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class CustomsDashboard:
    on: date
    brokers_by_status: list[DashboardCount]
    open_flags_by_kind: list[DashboardCount]
    flags_per_day: list[tuple[date, int]]
    top_brokers: list[TopParty]
    top_traders: list[TopParty]
    last_scan: ScanRun | None
    last_scan_failed: bool
    flags_as_of: datetime


# A scan takes at most 30 minutes (its task's time limit): one not finished this long after
# it was requested was lost with its worker or its queue, and is shown as failed.
SCAN_GIVEN_UP_AFTER = timedelta(minutes=45)


def scan_run_failed(run: ScanRun, *, now: datetime | None = None) -> bool:
    """Whether a run failed: it raised, was given up, or never finished in time."""
    if run.failed_at is not None:
        return True
    now = now or timezone.now()
    return run.finished_at is None and run.started_at < now - SCAN_GIVEN_UP_AFTER


def _brokers_by_status(on: date) -> list[DashboardCount]:
    rows = dict(
        Broker.objects.annotate(current_status=broker_status_expression(on))
        .values("current_status")
        .annotate(brokers=Count("id"))
        .values_list("current_status", "brokers")
    )
    return [
        DashboardCount(status, str(label), rows.get(status, 0))
        for status, label in BrokerStatus.choices
    ]


def customs_dashboard(
    *, on: date | None = None, days: int = DASHBOARD_DAYS, top: int = DASHBOARD_TOP
) -> CustomsDashboard:
    """Every figure of the customs dashboard in at most six aggregate queries (two when the
    flag figures are cached: recounted by beat every minute, or by the last minute's page),
    whatever the data size."""
    on = on or timezone.localdate()
    figures = flag_figures_cached(on, days, top)
    if figures is None:
        figures = flag_figures(on, days, top)
        cache.set(flag_figures_key(on, days, top), figures, DASHBOARD_FLAGS_CACHE_SECONDS)
    last_scan = ScanRun.objects.select_related("requested_by").first()
    return CustomsDashboard(
        on=on,
        brokers_by_status=_brokers_by_status(on),
        # Labels are added here, in the reader's language, not stored in the cache.
        open_flags_by_kind=[
            DashboardCount(kind, str(label), figures.open_by_kind.get(kind, 0))
            for kind, label in FlagKind.choices
        ],
        flags_per_day=figures.per_day,
        top_brokers=figures.top_brokers,
        top_traders=figures.top_traders,
        last_scan=last_scan,
        last_scan_failed=last_scan is not None and scan_run_failed(last_scan),
        flags_as_of=figures.computed_at,
    )
