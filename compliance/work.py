"""What waits for a signed-in user: the counts in the menu (one query) and the home page of
each role (a fixed number of queries, whatever the data size)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organization, User
from accounts.permissions import is_broker, is_customs, is_trader
from brokers.models import Broker, BrokerAgent
from compliance.dashboard import flag_figures_cached
from compliance.models import Flag, FlagStatus
from compliance.selectors import flags_visible_to
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.selectors import agents_live_letters, contracts_visible_to, letters_visible_to
from contracts.status import contract_in_force, letter_in_force

# A contract or letter ending within this many days is "expiring" on the home pages and in
# the menu (the first of the contract reminders goes out 30 days before the end).
EXPIRING_WITHIN_DAYS = 30
HOME_LIST_LIMIT = 10


@dataclass(frozen=True)
class WaitingCounts:
    contracts_waiting: int = 0
    letters_expiring: int = 0
    open_flags: int = 0

    @property
    def total(self) -> int:
        return self.contracts_waiting + self.letters_expiring + self.open_flags


def _contracts_waiting(user: User, on: date) -> QuerySet[ServiceContract]:
    """Contracts uploaded and neither confirmed nor rejected: the trader must confirm them,
    the broker waits for that."""
    return contracts_visible_to(user, on=on).filter(
        confirmed_at__isnull=True, rejected_at__isnull=True, terminated_on__isnull=True
    )


def _letters_expiring(user: User, on: date) -> QuerySet[LetterOfAuthority]:
    """Letters in force today whose period ends within ``EXPIRING_WITHIN_DAYS``."""
    return letters_visible_to(user).filter(
        letter_in_force(on=on), valid_until__lte=on + timedelta(days=EXPIRING_WITHIN_DAYS)
    )


def _open_flags(user: User) -> QuerySet[Flag]:
    return flags_visible_to(user).filter(status=FlagStatus.OPEN)


def _count(queryset: QuerySet) -> Coalesce:
    """``queryset``'s row count as a scalar subquery (so that several go in one query)."""
    counted = queryset.order_by().values(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def waiting_counts(user: User, *, on: date | None = None) -> WaitingCounts:
    """The menu's counts for ``user``, in one query at most: contracts waiting for
    confirmation and letters about to expire (trader and broker), open flags (every role that
    sees flags; for customs, from the dashboard's figures when they are cached)."""
    if user.organization_id is None:
        return WaitingCounts()
    on = on or timezone.localdate()
    if is_customs(user):
        # Every open flag is customs' to work: at a year of declarations (125,000 open) that
        # count took 70 ms of every customs page. The dashboard's figures, recounted by beat
        # every minute, already hold it; only without them is it counted here.
        figures = flag_figures_cached(on)
        if figures is not None:
            return WaitingCounts(open_flags=sum(figures.open_by_kind.values()))
    values = {"open_flags": _count(_open_flags(user))}
    if not is_customs(user):
        values["contracts_waiting"] = _count(_contracts_waiting(user, on))
        values["letters_expiring"] = _count(_letters_expiring(user, on))
    row = Organization.objects.filter(pk=user.organization_id).values(**values).first()
    return WaitingCounts(**row) if row else WaitingCounts()


@dataclass(frozen=True)
class RoleHome:
    """A trader's or broker's home page: what waits for it, newest first, and the counts."""

    on: date
    counts: WaitingCounts
    contracts_waiting: list[ServiceContract]
    contracts_expiring: list[ServiceContract]
    letters_expiring: list[LetterOfAuthority]
    open_flags: list[Flag]
    agents: list[tuple[BrokerAgent, int]]


def role_home(user: User, *, on: date | None = None) -> RoleHome:
    """The home page of a trader's or a broker's user, in a fixed number of queries."""
    on = on or timezone.localdate()
    counts = waiting_counts(user, on=on)
    contracts_expiring = contracts_visible_to(user, on=on).filter(
        contract_in_force(on=on), valid_until__lte=on + timedelta(days=EXPIRING_WITHIN_DAYS)
    )
    agents: list[tuple[BrokerAgent, int]] = []
    if is_broker(user):
        broker = Broker.objects.filter(organization=user.organization).first()
        if broker is not None:
            live = agents_live_letters(broker, on=on)
            agents = [
                (agent, live.get(agent.pk, 0))
                for agent in broker.agents.order_by("full_name", "agent_code")
            ]
    return RoleHome(
        on=on,
        counts=counts,
        contracts_waiting=list(
            _contracts_waiting(user, on).order_by("-uploaded_at")[:HOME_LIST_LIMIT]
        ),
        contracts_expiring=list(contracts_expiring.order_by("valid_until")[:HOME_LIST_LIMIT]),
        letters_expiring=list(_letters_expiring(user, on).order_by("valid_until")[:HOME_LIST_LIMIT])
        if is_trader(user) or is_broker(user)
        else [],
        open_flags=list(_open_flags(user).order_by("-raised_at")[:HOME_LIST_LIMIT]),
        agents=agents,
    )
