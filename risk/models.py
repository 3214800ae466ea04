"""The stored results of the risk analysis: one row per signing certificate, broker and
trader seen in the window with its signal values, the points each signal gave and the
score; the peer groups with their medians; a row per day and customs office for the
charts; the runs; and the flags officers opened from a finding.

``risk.refresh`` rebuilds the result tables in one transaction, so that pages always read
one complete run in a fixed number of queries. What each signal means is in
``risk.signals`` and docs/risk.md.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from brokers.models import Broker
from compliance.models import Declaration, Flag


class Subject(models.TextChoices):
    """What a finding is about."""

    SIGNER = "signer", _("signing certificate")
    BROKER = "broker", _("broker")
    TRADER = "trader", _("trader")


class PeerBasis(models.TextChoices):
    """Whom a row is compared with: the narrowest group with enough members."""

    PROVINCE_AND_VOLUME = "province_volume", _("same province and similar volume")
    PROVINCE = "province", _("same province")
    NATIONWIDE = "nationwide", _("nationwide")


class RiskRun(models.Model):
    """One refresh of the risk tables: the window it covered and what it found."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    window_from = models.DateField(_("from"))
    window_to = models.DateField(_("to"))
    recent_from = models.DateField(_("recent period from"))
    declarations = models.PositiveIntegerField(_("declarations analysed"), default=0)
    signers = models.PositiveIntegerField(_("signing certificates"), default=0)
    brokers = models.PositiveIntegerField(_("brokers"), default=0)
    traders = models.PositiveIntegerField(_("traders"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("risk analysis run")
        verbose_name_plural = _("risk analysis runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_to__gte=F("window_from")),
                name="risk_run_window_forward",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window_from} to {self.window_to}"


class RiskItem(models.Model):
    """One declaration of the window with what the signals need to know about it.

    A work table, empty outside a refresh: the refresh fills it inside its transaction,
    aggregates it into the result tables and empties it before committing. Unlogged on
    PostgreSQL."""

    declaration = models.OneToOneField(
        Declaration, on_delete=models.DO_NOTHING, primary_key=True, db_constraint=False
    )
    on = models.DateField(db_column="on_date")
    office_code = models.CharField(max_length=8)
    trader_tax_code = models.CharField(max_length=14)
    declarant_tax_code = models.CharField(max_length=14)
    agent_code = models.CharField(max_length=32)
    signer_serial = models.CharField(max_length=64)
    green = models.BooleanField()
    # Filed by someone else than the trader itself.
    third_party = models.BooleanField()
    declarant_is_broker = models.BooleanField()
    # The certificate with that serial is registered to the declarant's organisation.
    signer_own = models.BooleanField()
    # The compliance scan raised a flag on it.
    flagged = models.BooleanField()
    # An agent code the trader named in no letter of authority during the window.
    without_letter = models.BooleanField()
    # The first day in the window the trader filed, with this declarant, with this signer.
    trader_first = models.DateField()
    declarant_first = models.DateField()
    signer_first = models.DateField()

    class Meta:
        db_table = "risk_item"

    def __str__(self) -> str:
        return str(self.declaration_id)


class PeerGroup(models.Model):
    """The peers of the rows with one key (subject, province, volume band) and the median
    of each signal among them. When the group is too small, the medians are those of a
    wider one (``basis``)."""

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    subject = models.CharField(_("subject"), max_length=8, choices=Subject.choices)
    province = models.CharField(_("province"), max_length=32, blank=True)
    band = models.PositiveSmallIntegerField(_("volume band"), null=True, blank=True)
    basis = models.CharField(_("compared with"), max_length=16, choices=PeerBasis.choices)
    members = models.PositiveIntegerField(_("peers"))
    medians = models.JSONField(_("medians"), default=dict)

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")

    def __str__(self) -> str:
        return self.key


def _score(*point_fields: str) -> Least:
    total: Any = F(point_fields[0])
    for name in point_fields[1:]:
        total = total + F(name)
    return Least(total, 100)


def _peer_group() -> "models.ForeignKey[PeerGroup]":
    # Result rows are joined to their peer group, never looked up by it: no index, which
    # would only slow the refresh's writes.
    return models.ForeignKey(
        PeerGroup,
        verbose_name=_("peers"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


def _points() -> "models.PositiveSmallIntegerField[int, int]":
    return models.PositiveSmallIntegerField(db_default=0)


class SignerRisk(models.Model):
    """A signing certificate (by serial) seen on declarations of the window."""

    signer_serial = models.CharField(_("signer certificate serial"), max_length=64)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("registered to"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    province = models.CharField(_("province"), max_length=32, blank=True)
    declarations = models.PositiveIntegerField(_("declarations"))
    last_declared_on = models.DateField(_("last declaration"))
    traders = models.PositiveIntegerField(_("traders"))
    declarants = models.PositiveIntegerField(_("declarants"))
    # Shares of its declarations: filed by someone neither the trader nor a licensed
    # broker; filed by an organisation the certificate is not registered to.
    unlicensed_declarant = models.FloatField()
    not_own_certificate = models.FloatField()
    traders_points = _points()
    declarants_points = _points()
    unlicensed_declarant_points = _points()
    not_own_certificate_points = _points()
    score = models.GeneratedField(
        expression=_score(
            "traders_points",
            "declarants_points",
            "unlicensed_declarant_points",
            "not_own_certificate_points",
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    peer_group = _peer_group()

    class Meta:
        verbose_name = _("signing certificate risk")
        verbose_name_plural = _("signing certificate risks")
        indexes = [models.Index(F("score").desc(), "signer_serial", name="risk_signer_rank")]
        # A constraint rather than unique=True: no second (pattern) index on PostgreSQL.
        constraints = [
            models.UniqueConstraint(fields=["signer_serial"], name="risk_signer_one_per_serial")
        ]

    def __str__(self) -> str:
        return self.signer_serial


class BrokerRisk(models.Model):
    """A broker, with what it filed in the window, its open flags and its sanctions."""

    broker = models.OneToOneField(
        Broker,
        verbose_name=_("broker"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    province = models.CharField(_("province"), max_length=32, blank=True)
    declarations = models.PositiveIntegerField(_("declarations"))
    traders = models.PositiveIntegerField(_("traders"))
    green_share = models.FloatField()
    flag_rate = models.FloatField()
    shared_signer = models.PositiveIntegerField()
    agent_without_authority = models.PositiveIntegerField()
    open_flags = models.PositiveIntegerField()
    sanctions = models.PositiveIntegerField()
    green_share_points = _points()
    flag_rate_points = _points()
    shared_signer_points = _points()
    agent_without_authority_points = _points()
    open_flags_points = _points()
    sanctions_points = _points()
    score = models.GeneratedField(
        expression=_score(
            "green_share_points",
            "flag_rate_points",
            "shared_signer_points",
            "agent_without_authority_points",
            "open_flags_points",
            "sanctions_points",
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    peer_group = _peer_group()

    class Meta:
        verbose_name = _("broker risk")
        verbose_name_plural = _("broker risks")
        indexes = [models.Index(F("score").desc(), "broker", name="risk_broker_rank")]

    def __str__(self) -> str:
        return str(self.broker_id)


class TraderRisk(models.Model):
    """A trader with declarations in its name in the window (registered here or not)."""

    trader_tax_code = models.CharField(_("tax code"), max_length=14)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("trader"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    province = models.CharField(_("province"), max_length=32, blank=True)
    declarations = models.PositiveIntegerField(_("declarations"))
    # Declarations before the recent period, in it, and in it from a new declarant or signer.
    history = models.PositiveIntegerField()
    recent = models.PositiveIntegerField()
    recent_from_new_party = models.PositiveIntegerField()
    declarant_switch = models.FloatField()
    shared_signer = models.PositiveIntegerField()
    agent_without_authority = models.PositiveIntegerField()
    green_share = models.FloatField()
    flag_rate = models.FloatField()
    open_flags = models.PositiveIntegerField()
    declarant_switch_points = _points()
    shared_signer_points = _points()
    agent_without_authority_points = _points()
    green_share_points = _points()
    flag_rate_points = _points()
    open_flags_points = _points()
    score = models.GeneratedField(
        expression=_score(
            "declarant_switch_points",
            "shared_signer_points",
            "agent_without_authority_points",
            "green_share_points",
            "flag_rate_points",
            "open_flags_points",
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    peer_group = _peer_group()

    class Meta:
        verbose_name = _("trader risk")
        verbose_name_plural = _("trader risks")
        indexes = [models.Index(F("score").desc(), "trader_tax_code", name="risk_trader_rank")]
        constraints = [
            models.UniqueConstraint(fields=["trader_tax_code"], name="risk_trader_one_per_tax_code")
        ]

    def __str__(self) -> str:
        return self.trader_tax_code


class RiskDay(models.Model):
    """What one day brought at one customs office: declarations carrying each signal."""

    day = models.DateField(_("day"))
    office_code = models.CharField(_("customs office"), max_length=8)
    declarations = models.PositiveIntegerField()
    green = models.PositiveIntegerField()
    shared_signer = models.PositiveIntegerField()
    declarant_switch = models.PositiveIntegerField()
    agent_without_authority = models.PositiveIntegerField()
    flagged = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("risk day")
        verbose_name_plural = _("risk days")
        constraints = [
            models.UniqueConstraint(fields=["day", "office_code"], name="risk_day_one_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.office_code}"


class RiskOffice(models.Model):
    """A customs office where a certificate, broker or trader has declarations in the
    window: what the pages' office filter looks up. ``key`` is the certificate's serial,
    the broker's or the trader's tax code."""

    subject = models.CharField(max_length=8, choices=Subject.choices)
    key = models.CharField(max_length=64)
    office_code = models.CharField(max_length=8)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "office_code", "key"], name="risk_office_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.key} {self.office_code}"


class RiskFlag(models.Model):
    """A flag an officer opened from a finding, with the finding as it stood then."""

    flag = models.OneToOneField(
        Flag, verbose_name=_("flag"), on_delete=models.PROTECT, related_name="risk_finding"
    )
    subject = models.CharField(_("subject"), max_length=8, choices=Subject.choices)
    key = models.CharField(_("finding"), max_length=64)
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("flag from a risk finding")
        verbose_name_plural = _("flags from risk findings")
        indexes = [models.Index(fields=["subject", "key"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.key}"
