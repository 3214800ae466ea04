"""The signals of the risk analysis: what each one measures, how many points it gives and
when. This is the one definition of the scoring rule: the refresh turns each condition
into SQL over the stored rows (``points_expression``), and the pages and the API read the
points it stored (``reasons_of``). docs/risk.md explains each signal in plain words.

A condition gets ``median(signal)``, an expression for the median of that signal among
the row's peers, so that a signal can be judged against its peers; the thresholds are
settings (``RISK_*``), read when the refresh runs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, F, Q, Value, When
from django.db.models.fields import PositiveSmallIntegerField
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from risk.models import Subject

Median = Callable[[str], Any]


@dataclass(frozen=True)
class Signal:
    """One signal: a stored value (the column named ``name``), the points it gives when
    ``condition`` holds (stored in ``<name>_points``) and how to show it."""

    name: str
    label: Promise
    points: int
    condition: Callable[[Median], Q]
    share: bool = False  # a fraction, shown as a percentage

    @property
    def points_field(self) -> str:
        return f"{self.name}_points"


def _shared(median: Median) -> Q:
    return Q(traders__gte=settings.RISK_SIGNER_MIN_TRADERS)


def _above_peers(name: str, margin_setting: str) -> Callable[[Median], Q]:
    """Points when the value exceeds the peers' median by the margin setting or more, for
    a row with enough declarations to compare."""

    def condition(median: Median) -> Q:
        margin = float(getattr(settings, margin_setting))
        return (
            Q(declarations__gte=settings.RISK_MIN_DECLARATIONS)
            & Q(**{f"{name}__gt": 0})
            & Q(**{f"{name}__gte": median(name) + margin})
        )

    return condition


def _share_of_declarations(name: str) -> Callable[[Median], Q]:
    """Points when the count reaches ``RISK_AGENT_WITHOUT_AUTHORITY_SHARE`` of the row's
    declarations (and is not zero)."""

    def condition(median: Median) -> Q:
        share = settings.RISK_AGENT_WITHOUT_AUTHORITY_SHARE
        return Q(**{f"{name}__gt": 0}) & Q(**{f"{name}__gte": F("declarations") * share})

    return condition


def _any(name: str) -> Callable[[Median], Q]:
    def condition(median: Median) -> Q:
        return Q(**{f"{name}__gt": 0})

    return condition


def _open_flags(median: Median) -> Q:
    return Q(open_flags__gt=0) & Q(
        open_flags__gte=median("open_flags") + settings.RISK_OPEN_FLAGS_MARGIN
    )


def _switch(median: Median) -> Q:
    return Q(
        history__gte=settings.RISK_SWITCH_MIN_HISTORY,
        declarant_switch__gte=settings.RISK_SWITCH_SHARE,
    )


def _misused(name: str) -> Callable[[Median], Q]:
    """Points when a shared certificate's share of declarations ``name`` reaches
    ``RISK_SIGNER_MISUSE_SHARE``."""

    def condition(median: Median) -> Q:
        return _shared(median) & Q(**{f"{name}__gte": settings.RISK_SIGNER_MISUSE_SHARE})

    return condition


SIGNER_SIGNALS: tuple[Signal, ...] = (
    Signal(
        "unlicensed_declarant",
        _("share of its declarations filed by someone neither the trader nor a licensed broker"),
        40,
        _misused("unlicensed_declarant"),
        share=True,
    ),
    Signal(
        "not_own_certificate",
        _("share of its declarations filed by someone it is not registered to"),
        25,
        _misused("not_own_certificate"),
        share=True,
    ),
    Signal("traders", _("traders it signed for"), 20, _shared),
    Signal(
        "declarants",
        _("declarants who used it"),
        15,
        lambda median: _shared(median) & Q(declarants__gte=2),
    ),
)


def lent_certificate() -> Q:
    """A certificate (row of ``SignerRisk``) used the way a lent token is: shared, and
    mostly used by someone it is not registered to or who is not a licensed broker. The
    conditions of its two signals, so that the certificates the pages call lent are those
    that scored for it."""
    return _misused("unlicensed_declarant")(_no_median) | _misused("not_own_certificate")(
        _no_median
    )


def _no_median(name: str) -> Any:
    raise ValueError(f"the lent-certificate rule uses no median ({name})")


BROKER_SIGNALS: tuple[Signal, ...] = (
    Signal(
        "shared_signer",
        _("declarations it signed with a shared certificate not its own"),
        25,
        _any("shared_signer"),
    ),
    Signal(
        "agent_without_authority",
        _("declarations naming an agent the trader gave no letter"),
        20,
        _share_of_declarations("agent_without_authority"),
    ),
    Signal(
        "green_share",
        _("share of its declarations on the green channel"),
        20,
        _above_peers("green_share", "RISK_GREEN_SHARE_MARGIN"),
        share=True,
    ),
    Signal(
        "flag_rate",
        _("share of its declarations the scan flagged"),
        20,
        _above_peers("flag_rate", "RISK_FLAG_RATE_MARGIN"),
        share=True,
    ),
    Signal("open_flags", _("open flags on declarations it filed"), 10, _open_flags),
    Signal("sanctions", _("suspensions and revocations on record"), 15, _any("sanctions")),
)

TRADER_SIGNALS: tuple[Signal, ...] = (
    Signal(
        "declarant_switch",
        _("share of its recent declarations from a new declarant or signer"),
        30,
        _switch,
        share=True,
    ),
    Signal(
        "shared_signer",
        _("declarations in its name signed with a lent certificate"),
        30,
        _any("shared_signer"),
    ),
    Signal(
        "agent_without_authority",
        _("declarations naming an agent it gave no letter"),
        20,
        _share_of_declarations("agent_without_authority"),
    ),
    Signal(
        "green_share",
        _("share of its declarations on the green channel"),
        10,
        _above_peers("green_share", "RISK_GREEN_SHARE_MARGIN"),
        share=True,
    ),
    Signal(
        "flag_rate",
        _("share of its declarations the scan flagged"),
        10,
        _above_peers("flag_rate", "RISK_FLAG_RATE_MARGIN"),
        share=True,
    ),
    Signal("open_flags", _("open flags on declarations in its name"), 10, _open_flags),
)

SIGNALS: dict[str, tuple[Signal, ...]] = {
    Subject.SIGNER: SIGNER_SIGNALS,
    Subject.BROKER: BROKER_SIGNALS,
    Subject.TRADER: TRADER_SIGNALS,
}


def points_expression(signal: Signal, median: Median) -> Case:
    """The points ``signal`` gives a row, as SQL over the row's columns."""
    return Case(
        When(signal.condition(median), then=Value(signal.points)),
        default=Value(0),
        output_field=PositiveSmallIntegerField(),
    )


# Declarations per volume band: a row is compared with peers of the same band, so that a
# broker filing 50 declarations is not measured against one filing 50,000.
VOLUME_BANDS = (10, 30, 100, 300, 1000, 3000)


def volume_band_label(band: int | None) -> str:
    """The declarations of a volume band: "100-299", or "3000+" for the last one."""
    if band is None:
        return ""
    low = VOLUME_BANDS[band - 1] if band > 0 else 1
    if band >= len(VOLUME_BANDS):
        return f"{low}+"
    return f"{low}-{VOLUME_BANDS[band] - 1}"


@dataclass(frozen=True)
class Reason:
    """Why a row scored: one signal with its value, the peers' median and its points."""

    signal: str
    label: Promise
    value: float
    peer_median: float | None
    points: int
    share: bool

    @property
    def value_shown(self) -> str:
        return _number_shown(self.value, share=self.share)

    @property
    def peer_median_shown(self) -> str:
        if self.peer_median is None:
            return "-"
        return _number_shown(self.peer_median, share=self.share)


def _number_shown(value: float, *, share: bool) -> str:
    """A share as a whole percentage, a count as a whole number (a median of counts may
    end in .5), in the reader's number format."""
    # number_format cuts digits off; round first.
    if share:
        return f"{number_format(round(100 * value), 0)}%"
    if float(value).is_integer():
        return number_format(round(value), 0)
    return number_format(round(value, 1), 1)


def reasons_of(subject: str, row: Any, *, every_signal: bool = False) -> list[Reason]:
    """The reasons of a stored row (with its ``peer_group`` loaded), those that gave points
    first, largest first; only those unless ``every_signal``."""
    medians: dict[str, float] = row.peer_group.medians if row.peer_group_id else {}
    reasons = [
        Reason(
            signal=signal.name,
            label=signal.label,
            value=getattr(row, signal.name),
            peer_median=medians.get(signal.name),
            points=getattr(row, signal.points_field),
            share=signal.share,
        )
        for signal in SIGNALS[subject]
    ]
    reasons.sort(key=lambda reason: -reason.points)
    return reasons if every_signal else [reason for reason in reasons if reason.points]
