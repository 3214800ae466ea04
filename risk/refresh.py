"""The risk refresh: every signal computed set-based over the declarations of the window.

One run, in one transaction (pages keep reading the previous run until it commits):

1. takes a lock (``pg_advisory_xact_lock`` on PostgreSQL; SQLite serialises writers), so
   that a second run waits and then recomputes;
2. copies the window's declarations into a work table (``RiskItem``) with what the signals
   need to know of each: channel, whether a licensed broker filed it, whether the signer
   certificate is the declarant's own, whether it carries a flag, whether the agent it
   names had a letter from the trader, and the first day the trader used its declarant
   and its signer (window functions);
3. replaces the result tables with one ``INSERT … SELECT … GROUP BY`` each over the work
   table: signing certificates, traders, brokers, days per customs office, and the offices
   where each of them filed;
4. computes each peer group's medians in Python from one query per subject (SQLite has no
   percentile function) and stores them;
5. gives each row its points with one ``UPDATE`` per subject, from the conditions of
   ``risk.signals``; the score is a generated column, the sum of the points.

Nothing runs per declaration or per row: about twenty statements, whatever the size.
"""

import operator
import statistics
from collections import defaultdict
from datetime import date, timedelta
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils import timezone

from accounts.models import Organization, SigningCertificate, User
from brokers.models import Broker, Sanction
from compliance.models import Declaration, Flag, FlagKind, FlagStatus
from contracts.models import LetterOfAuthority
from risk.models import (
    BrokerRisk,
    PeerBasis,
    PeerGroup,
    RiskDay,
    RiskItem,
    RiskOffice,
    RiskRun,
    SignerRisk,
    Subject,
    TraderRisk,
)
from risk.signals import SIGNALS, VOLUME_BANDS, lent_certificate, points_expression
from risk.window import RiskWindow

# An arbitrary constant naming the refresh's advisory lock (the scan's is 604_2026).
RISK_LOCK_KEY = 604_2027

_ITEM_TABLE = RiskItem._meta.db_table
# Keys of peer groups are "subject:province:volume band"; every certificate is compared
# with every other.
SIGNER_PEER_KEY = f"{Subject.SIGNER}::*"
_RESULTS: dict[str, type[models.Model]] = {
    Subject.SIGNER: SignerRisk,
    Subject.BROKER: BrokerRisk,
    Subject.TRADER: TraderRisk,
}


class OnGroupKey(ExpressionWrapper):
    """An expression computed from the key of a ``GROUP BY`` alone (a lookup of the
    group's trader, broker or certificate): it adds nothing to the ``GROUP BY``, so that
    the database evaluates it once per group, after aggregating, not once per row."""

    def get_group_by_cols(self) -> list[Any]:
        return []


def _as_float(expression: Any) -> Cast:
    return Cast(expression, FloatField())


def _share(part: str, whole: str) -> ExpressionWrapper:
    return ExpressionWrapper(_as_float(F(part)) / F(whole), output_field=FloatField())


def _boolean(condition: Q | Exists) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=models.BooleanField())


def _declarations(window: RiskWindow) -> QuerySet[Any]:
    """The window's declarations with their local date and what they say by themselves."""
    return (
        Declaration.objects.filter(
            registered_at__gte=window.starts_at, registered_at__lt=window.ends_at
        )
        .annotate(
            on_date=TruncDate("registered_at", tzinfo=timezone.get_default_timezone()),
            is_green=_boolean(Q(channel=Declaration.Channel.GREEN)),
            third_party=_boolean(~Q(declarant_tax_code=F("trader_tax_code"))),
        )
        .values(
            "id",
            "on_date",
            "customs_office_code",
            "trader_tax_code",
            "declarant_tax_code",
            "agent_code",
            "signer_serial",
            "is_green",
            "third_party",
        )
        .order_by()
    )


def _broker_tax_codes() -> QuerySet[Any]:
    return Broker.objects.values(tax_code=F("organization__tax_code")).order_by()


def _registered_certificates() -> QuerySet[Any]:
    """Each certificate serial with the tax code of an organisation it is registered to."""
    return (
        SigningCertificate.objects.values("serial_number", tax_code=F("organization__tax_code"))
        .distinct()
        .order_by()
    )


def _flagged_declarations(window: RiskWindow) -> QuerySet[Any]:
    """Declarations with a flag of the scan; a flag is raised after its declaration is
    registered, so those of the window's declarations were raised in it."""
    return (
        Flag.objects.filter(raised_at__gte=window.starts_at)
        .exclude(kind=FlagKind.RISK_PATTERN)
        .values("declaration_id")
        .distinct()
        .order_by()
    )


def letters_naming_agent(window: RiskWindow) -> QuerySet[Any]:
    """Each (trader tax code, agent code) of a letter in force at some time in the window
    (issued, or revoked only after it began)."""
    return (
        LetterOfAuthority.objects.filter(
            valid_from__lte=window.window_to, valid_until__gte=window.window_from
        )
        .filter(Q(status=LetterOfAuthority.Status.ISSUED) | Q(revoked_at__gte=window.starts_at))
        .values(tax_code=F("contract__trader__tax_code"), agent_code=F("agent__agent_code"))
        .distinct()
        .order_by()
    )


_ITEM_FIELDS = [
    "declaration",
    "on",
    "office_code",
    "trader_tax_code",
    "declarant_tax_code",
    "agent_code",
    "signer_serial",
    "green",
    "third_party",
    "declarant_is_broker",
    "signer_own",
    "flagged",
    "without_letter",
    "trader_first",
    "declarant_first",
    "signer_first",
]

# The lookups are joined to the declarations once, each a distinct set the database can
# hash; as correlated subqueries they ran once per declaration (2.5 times slower at a
# million). The first days come from window functions over the same rows.
_FILL_SQL = """
INSERT INTO {table} ({columns})
SELECT d.id, d.on_date, d.customs_office_code, d.trader_tax_code, d.declarant_tax_code,
       d.agent_code, d.signer_serial, d.is_green, d.third_party,
       broker.tax_code IS NOT NULL,
       own.serial_number IS NOT NULL,
       flagged.declaration_id IS NOT NULL,
       d.agent_code <> '' AND named.agent_code IS NULL,
       MIN(d.on_date) OVER (PARTITION BY d.trader_tax_code),
       MIN(d.on_date) OVER (PARTITION BY d.trader_tax_code, d.declarant_tax_code),
       MIN(d.on_date) OVER (PARTITION BY d.trader_tax_code, d.signer_serial)
FROM ({declarations}) d
LEFT JOIN ({brokers}) broker ON broker.tax_code = d.declarant_tax_code
LEFT JOIN ({certificates}) own
       ON own.serial_number = d.signer_serial AND own.tax_code = d.declarant_tax_code
LEFT JOIN ({flagged}) flagged ON flagged.declaration_id = d.id
LEFT JOIN ({letters}) named
       ON named.tax_code = d.trader_tax_code AND named.agent_code = d.agent_code
"""


def _fill_sql(window: RiskWindow) -> tuple[str, list[Any]]:
    """The statement filling ``RiskItem``: the template above around the ORM's SQL of each
    relation; values travel as parameters, in the order the relations appear."""
    relations = {
        "declarations": _declarations(window),
        "brokers": _broker_tax_codes(),
        "certificates": _registered_certificates(),
        "flagged": _flagged_declarations(window),
        "letters": letters_naming_agent(window),
    }
    compiled = {name: qs.query.sql_with_params() for name, qs in relations.items()}
    sql = _FILL_SQL.format(
        table=RiskItem._meta.db_table,
        columns=_columns(RiskItem, _ITEM_FIELDS),
        **{name: relation_sql for name, (relation_sql, _params) in compiled.items()},
    )
    return sql, [param for _sql, params in compiled.values() for param in params]


def lent_signature() -> Q:
    """A declaration signed with a lent certificate (``risk.signals.lent_certificate``) by
    someone else than its owner, or by someone who is neither the trader nor a licensed
    broker: the lent token at work. Needs the certificates stored and scored."""
    lent = SignerRisk.objects.filter(lent_certificate()).values("signer_serial")
    return Q(signer_serial__in=lent) & (
        Q(signer_own=False) | Q(third_party=True, declarant_is_broker=False)
    )


def first_use_by_established_trader() -> Q:
    """The first declaration of a trader with a declarant (not itself) or a signer it had
    not used before in the window, when it had filed ``RISK_SWITCH_RECENT_DAYS`` days or
    more before: the history a trader's switch is judged against. (Every regular relation
    is new on its first day in the window; without the history the chart would count
    them all in its first weeks.)"""
    new_declarant = Q(third_party=True, declarant_first=F("on"))
    new_signer = ~Q(signer_serial="") & Q(signer_first=F("on"))
    established = Q(trader_first__lte=F("on") - timedelta(days=settings.RISK_SWITCH_RECENT_DAYS))
    return (new_declarant | new_signer) & established


def _volume_band() -> Case:
    return Case(
        *[When(declarations__lt=edge, then=Value(band)) for band, edge in enumerate(VOLUME_BANDS)],
        default=Value(len(VOLUME_BANDS)),
    )


def _peer_key(subject: str) -> Concat:
    return Concat(
        Value(f"{subject}:"),
        F("province"),
        Value(":"),
        Cast(_volume_band(), models.CharField()),
        output_field=models.CharField(),
    )


def _on_group_key_text(lookup: QuerySet[Any]) -> OnGroupKey:
    """The text a one-row lookup by the group's key finds, or "" when it finds nothing."""
    return OnGroupKey(Coalesce(Subquery(lookup), Value("")), output_field=models.CharField())


def _count(condition: Q | None = None) -> Count:
    return Count("pk", filter=condition)


def signer_rows() -> QuerySet[Any]:
    """One row per signer serial of the window, for ``SignerRisk``."""
    # The first registration of a serial (two issuers may have used the same one).
    certificates = SigningCertificate.objects.filter(
        serial_number=OuterRef("signer_serial")
    ).order_by("pk")
    return (
        RiskItem.objects.exclude(signer_serial="")
        .values("signer_serial")
        .annotate(
            owner=OnGroupKey(
                Subquery(certificates.values("organization_id")[:1]),
                output_field=models.BigIntegerField(),
            ),
            province=_on_group_key_text(certificates.values("organization__province")[:1]),
            declarations=_count(),
            last_declared_on=Max("on"),
            traders=Count("trader_tax_code", distinct=True),
            declarants=Count("declarant_tax_code", distinct=True),
            unlicensed_count=_count(Q(third_party=True, declarant_is_broker=False)),
            not_own_count=_count(Q(signer_own=False)),
            unlicensed_declarant=_share("unlicensed_count", "declarations"),
            not_own_certificate=_share("not_own_count", "declarations"),
            peer=Value(SIGNER_PEER_KEY),
        )
        .values_list(
            "signer_serial",
            "owner",
            "province",
            "declarations",
            "last_declared_on",
            "traders",
            "declarants",
            "unlicensed_declarant",
            "not_own_certificate",
            "peer",
        )
        .order_by()
    )


_SIGNER_FIELDS = [
    "signer_serial",
    "owner",
    "province",
    "declarations",
    "last_declared_on",
    "traders",
    "declarants",
    "unlicensed_declarant",
    "not_own_certificate",
    "peer_group",
]


def _open_flags(party: str) -> Coalesce:
    """Open flags of the scan (not those opened from a finding, which would feed on
    themselves) on the row's trader or broker, ``party`` naming the lookup to it."""
    open_flags = (
        Flag.objects.filter(status=FlagStatus.OPEN, **{party: OuterRef(_OUTER[party])})
        .exclude(kind=FlagKind.RISK_PATTERN)
        .order_by()
        .values(party)
        .annotate(flags=Count("pk"))
        .values("flags")
    )
    return Coalesce(Subquery(open_flags), 0)


_OUTER = {
    "trader__tax_code": "trader_tax_code",
    "broker__organization__tax_code": "declarant_tax_code",
    "broker": "pk",
}


def _sanctions(party: str) -> Coalesce:
    sanctions = (
        Sanction.objects.filter(**{party: OuterRef(_OUTER[party])})
        .order_by()
        .values(party)
        .annotate(sanctions=Count("pk"))
        .values("sanctions")
    )
    return Coalesce(Subquery(sanctions), 0)


def _channel_and_flags() -> dict[str, Any]:
    """The counts behind the green share and the flag rate of a group of items."""
    return {
        "declarations": _count(),
        "green_count": _count(Q(green=True)),
        "flagged_count": _count(Q(flagged=True)),
        "green_share": _share("green_count", "declarations"),
        "flag_rate": _share("flagged_count", "declarations"),
    }


def trader_rows(window: RiskWindow) -> QuerySet[Any]:
    """One row per trader tax code of the window, for ``TraderRisk``."""
    organizations = Organization.objects.filter(tax_code=OuterRef("trader_tax_code")).order_by()
    recent = Q(on__gte=window.recent_from)
    from_new_party = recent & (
        Q(third_party=True, declarant_first__gte=window.recent_from)
        | (~Q(signer_serial="") & Q(signer_first__gte=window.recent_from))
    )
    return (
        RiskItem.objects.values("trader_tax_code")
        .annotate(
            organization=OnGroupKey(
                Subquery(organizations.values("pk")[:1]), output_field=models.BigIntegerField()
            ),
            province=_on_group_key_text(organizations.values("province")[:1]),
            **_channel_and_flags(),
            history=_count(~recent),
            recent=_count(recent),
            recent_from_new_party=_count(from_new_party),
            declarant_switch=Case(
                When(
                    history__gte=settings.RISK_SWITCH_MIN_HISTORY,
                    recent__gt=0,
                    then=_share("recent_from_new_party", "recent"),
                ),
                default=Value(0.0),
                output_field=FloatField(),
            ),
            shared_signer=_count(lent_signature()),
            agent_without_authority=_count(Q(without_letter=True)),
            open_flags=OnGroupKey(
                _open_flags("trader__tax_code"), output_field=models.IntegerField()
            ),
            peer=_peer_key(Subject.TRADER),
        )
        .values_list(*_TRADER_FIELDS[:-1], "peer")
        .order_by()
    )


_TRADER_FIELDS = [
    "trader_tax_code",
    "organization",
    "province",
    "declarations",
    "history",
    "recent",
    "recent_from_new_party",
    "declarant_switch",
    "shared_signer",
    "agent_without_authority",
    "green_share",
    "flag_rate",
    "open_flags",
    "peer_group",
]


def broker_rows() -> QuerySet[Any]:
    """One row per broker that filed in the window, for ``BrokerRisk``."""
    brokers = Broker.objects.filter(
        organization__tax_code=OuterRef("declarant_tax_code")
    ).order_by()
    return (
        RiskItem.objects.filter(declarant_is_broker=True)
        .values("declarant_tax_code")
        .annotate(
            broker=OnGroupKey(
                Subquery(brokers.values("pk")[:1]), output_field=models.BigIntegerField()
            ),
            province=_on_group_key_text(brokers.values("organization__province")[:1]),
            **_channel_and_flags(),
            traders=Count("trader_tax_code", distinct=True),
            shared_signer=_count(lent_signature()),
            agent_without_authority=_count(Q(without_letter=True)),
            open_flags=OnGroupKey(
                _open_flags("broker__organization__tax_code"), output_field=models.IntegerField()
            ),
            sanctions=OnGroupKey(
                _sanctions("broker__organization__tax_code"), output_field=models.IntegerField()
            ),
            peer=_peer_key(Subject.BROKER),
        )
        .values_list(*_BROKER_FIELDS[:-1], "peer")
        .order_by()
    )


def idle_broker_rows() -> QuerySet[Any]:
    """The brokers that filed nothing in the window: their open flags and sanctions still
    count. Run after ``broker_rows`` is stored."""
    return (
        Broker.objects.filter(~Exists(BrokerRisk.objects.filter(broker=OuterRef("pk"))))
        .annotate(
            no_declarations=Value(0),
            no_traders=Value(0),
            no_green_share=Value(0.0),
            no_flag_rate=Value(0.0),
            no_shared_signer=Value(0),
            no_agent_without_authority=Value(0),
            open_flag_count=_open_flags("broker"),
            sanction_count=_sanctions("broker"),
            peer=Concat(
                Value(f"{Subject.BROKER}:"),
                F("organization__province"),
                Value(":0"),
                output_field=models.CharField(),
            ),
        )
        .values_list(
            "pk",
            "organization__province",
            "no_declarations",
            "no_traders",
            "no_green_share",
            "no_flag_rate",
            "no_shared_signer",
            "no_agent_without_authority",
            "open_flag_count",
            "sanction_count",
            "peer",
        )
        .order_by()
    )


_BROKER_FIELDS = [
    "broker",
    "province",
    "declarations",
    "traders",
    "green_share",
    "flag_rate",
    "shared_signer",
    "agent_without_authority",
    "open_flags",
    "sanctions",
    "peer_group",
]


def day_rows() -> QuerySet[Any]:
    """One row per day and customs office, for ``RiskDay`` (the charts)."""
    return (
        RiskItem.objects.values("on", "office_code")
        .annotate(
            declarations=_count(),
            green_count=_count(Q(green=True)),
            lent=_count(lent_signature()),
            switches=_count(first_use_by_established_trader()),
            without_letter_count=_count(Q(without_letter=True)),
            flagged_count=_count(Q(flagged=True)),
        )
        .values_list(
            "on",
            "office_code",
            "declarations",
            "green_count",
            "lent",
            "switches",
            "without_letter_count",
            "flagged_count",
        )
        .order_by()
    )


_DAY_FIELDS = [
    "day",
    "office_code",
    "declarations",
    "green",
    "shared_signer",
    "declarant_switch",
    "agent_without_authority",
    "flagged",
]


# The column of the work table that names each subject's rows, and which rows count.
_OFFICE_KEYS: dict[str, tuple[str, Q]] = {
    Subject.SIGNER: ("signer_serial", ~Q(signer_serial="")),
    Subject.BROKER: ("declarant_tax_code", Q(declarant_is_broker=True)),
    Subject.TRADER: ("trader_tax_code", Q()),
}


def office_rows(subject: str) -> QuerySet[Any]:
    """Each (subject, key, customs office) of the window, for ``RiskOffice``."""
    key, rows = _OFFICE_KEYS[subject]
    return (
        RiskItem.objects.filter(rows)
        .annotate(subject=Value(subject))
        .values_list("subject", key, "office_code")
        .distinct()
        .order_by()
    )


def _columns(model: type[models.Model], fields: list[str]) -> str:
    """The table columns of ``fields``, in their order, for an ``INSERT``."""
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column
        columns.append(field.column)
    return ", ".join(columns)


def _insert(model: type[models.Model], fields: list[str], rows: QuerySet[Any]) -> int:
    """``INSERT INTO`` the model's table ``SELECT`` the rows of a queryset, whose columns
    are in the order of ``fields``. The only text spliced in is the ORM's own SQL and
    column names; values travel as parameters."""
    columns = _columns(model, fields)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({columns}) {sql}", params)
        return max(cursor.rowcount, 0)


# For the refresh's transaction only. Each statement runs once over large sets: compiling
# it just in time costs more (about half a second a statement) than it saves.
POSTGRESQL_SETTINGS = ["SET LOCAL jit = off"]


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RISK_LOCK_KEY])
            for statement in POSTGRESQL_SETTINGS:
                cursor.execute(statement)


def _empty_items() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {_ITEM_TABLE}")
        else:
            cursor.execute(f"DELETE FROM {_ITEM_TABLE}")  # noqa: S608 - a constant name


def _analyze(model: type[models.Model]) -> None:
    # The planner must know a freshly filled table's size to choose hash joins.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _fill_items(window: RiskWindow) -> int:
    _empty_items()
    sql, params = _fill_sql(window)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        filled = max(cursor.rowcount, 0)
    _analyze(RiskItem)
    return filled


def _median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def peer_groups(subject: str) -> list[PeerGroup]:
    """The peer groups of the stored rows of ``subject`` with the median of every signal,
    from one query. Peers are the rows with ``RISK_MIN_DECLARATIONS`` declarations or more
    (fewer say too little to compare); a group with fewer than ``RISK_MIN_PEERS`` of them
    takes the medians of its province, or failing that of the whole country."""
    names = [signal.name for signal in SIGNALS[subject]]
    rows = _RESULTS[subject]._default_manager.values_list(
        "peer_group_id", "province", "declarations", *names
    )
    keys: set[str] = set()
    by_key: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    by_province: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    everyone: list[tuple[Any, ...]] = []
    for key, province, declarations, *values in rows.iterator(chunk_size=10_000):
        keys.add(key)
        if declarations >= settings.RISK_MIN_DECLARATIONS:
            by_key[key].append(tuple(values))
            by_province[province].append(tuple(values))
            everyone.append(tuple(values))
    minimum = settings.RISK_MIN_PEERS
    groups = []
    for key in sorted(keys):
        _, province, band = key.split(":")
        if len(by_key[key]) >= minimum and band != "*":
            basis, peers = PeerBasis.PROVINCE_AND_VOLUME, by_key[key]
        elif len(by_province[province]) >= minimum and band != "*":
            basis, peers = PeerBasis.PROVINCE, by_province[province]
        else:
            basis, peers = PeerBasis.NATIONWIDE, everyone
        groups.append(
            PeerGroup(
                key=key,
                subject=subject,
                province=province,
                band=None if band == "*" else int(band),
                basis=basis,
                members=len(peers),
                medians={
                    name: _median([row[index] for row in peers]) for index, name in enumerate(names)
                },
            )
        )
    return groups


def _median_of_peers(name: str) -> Subquery:
    return Subquery(
        PeerGroup.objects.filter(key=OuterRef("peer_group_id"))
        .annotate(median=Cast(KT(f"medians__{name}"), FloatField()))
        .values("median")[:1]
    )


def _score(subject: str) -> None:
    """Every row's points for every signal, in one ``UPDATE`` of the rows that earn any
    (the others keep their points of 0, and are not rewritten)."""
    signals = SIGNALS[subject]
    earns_points = reduce(operator.or_, (signal.condition(_median_of_peers) for signal in signals))
    _RESULTS[subject]._default_manager.filter(earns_points).update(
        **{signal.points_field: points_expression(signal, _median_of_peers) for signal in signals}
    )


def _clear_results() -> None:
    replaced: list[type[models.Model]] = [*_RESULTS.values(), RiskDay, RiskOffice, PeerGroup]
    for model in replaced:
        model._default_manager.all().delete()


def risk_refresh(*, today: date | None = None, requested_by: User | None = None) -> RiskRun:
    """Recompute every risk table over the window ending ``today``; returns the recorded
    run. Waits while another refresh holds the lock."""
    window = RiskWindow.ending(today or timezone.localdate())
    with transaction.atomic():
        _lock()
        run = RiskRun.objects.create(
            window_from=window.window_from,
            window_to=window.window_to,
            recent_from=window.recent_from,
            requested_by=requested_by,
        )
        run.declarations = _fill_items(window)
        _clear_results()
        run.signers = _insert(SignerRisk, _SIGNER_FIELDS, signer_rows())
        # Certificates are judged without medians, and first: the others' signals count
        # the declarations signed with a lent one.
        _score(Subject.SIGNER)
        _analyze(SignerRisk)
        run.traders = _insert(TraderRisk, _TRADER_FIELDS, trader_rows(window))
        run.brokers = _insert(BrokerRisk, _BROKER_FIELDS, broker_rows())
        run.brokers += _insert(BrokerRisk, _BROKER_FIELDS, idle_broker_rows())
        _insert(RiskDay, _DAY_FIELDS, day_rows())
        for subject in _RESULTS:
            _insert(RiskOffice, ["subject", "key", "office_code"], office_rows(subject))
        for subject in _RESULTS:
            PeerGroup.objects.bulk_create(peer_groups(subject), batch_size=1000)
        _score(Subject.BROKER)
        _score(Subject.TRADER)
        # On failure the rollback empties the work table with everything else.
        _empty_items()
        run.finished_at = timezone.now()
        run.save(update_fields=["declarations", "signers", "brokers", "traders", "finished_at"])
    return run
