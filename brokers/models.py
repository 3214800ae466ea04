from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import agent_code_validator, licence_number_validator
from accounts.models import Organization
from accounts.provinces import Province
from brokers.terms import search_flags_expression


class CustomsOffice(models.Model):
    """A customs office (Chi cục Hải quan) where declarations are registered."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=255)
    province = models.CharField(_("province"), max_length=32, choices=Province.choices)

    class Meta:
        verbose_name = _("customs office")
        verbose_name_plural = _("customs offices")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class BrokerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Broker(models.Model):
    """The licence held by a broker organisation. Its status is derived, never stored:
    see ``brokers.status``."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="broker",
        limit_choices_to={"kind": Organization.Kind.BROKER},
    )
    license_number = models.CharField(
        _("licence number"), max_length=32, unique=True, validators=[licence_number_validator]
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    customs_offices = models.ManyToManyField(
        CustomsOffice, verbose_name=_("customs offices served"), related_name="brokers", blank=True
    )
    # Name, tax code and licence number folded by ``brokers.search``; kept current by the
    # services that write any of them (trigram-indexed on PostgreSQL).
    search_text = models.TextField(_("search text"), default="", editable=False)
    # A bit per common term the search text contains (``brokers.terms``), worked out by the
    # database; ``BrokerSearchCount`` counts the brokers of each value.
    search_flags = models.GeneratedField(
        expression=search_flags_expression(),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("common search terms"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("broker")
        verbose_name_plural = _("brokers")
        ordering = ["license_number"]
        # The register lists brokers in the order of their folded names: walking this index
        # answers a broad search's first page without sorting every match.
        indexes = [models.Index(fields=["search_text"], name="broker_search_text_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("issued_on")),
                name="broker_licence_ends_after_it_starts",
                violation_error_message=_("The licence must end after it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} ({self.license_number})"


class BrokerSearchCount(models.Model):
    """How many brokers have each value of ``Broker.search_flags``: kept by PostgreSQL's
    triggers in the transaction that writes the brokers (migration 0007), never by code;
    empty on other databases."""

    flags = models.BigIntegerField(_("common search terms"), primary_key=True)
    brokers = models.PositiveIntegerField(_("brokers"))

    class Meta:
        verbose_name = _("count of brokers by common search terms")
        verbose_name_plural = _("counts of brokers by common search terms")

    def __str__(self) -> str:
        return f"{self.flags:#x}: {self.brokers}"


class BrokerAgent(models.Model):
    """A licensed individual of a broker, holding a customs-issued agent code."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    broker = models.ForeignKey(
        Broker, verbose_name=_("broker"), on_delete=models.PROTECT, related_name="agents"
    )
    full_name = models.CharField(_("full name"), max_length=255)
    agent_code = models.CharField(
        _("agent code"), max_length=32, unique=True, validators=[agent_code_validator]
    )
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("broker agent")
        verbose_name_plural = _("broker agents")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", withdrawn_on__isnull=True)
                | Q(status="withdrawn", withdrawn_on__isnull=False),
                name="broker_agent_withdrawal_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.agent_code})"

    def is_valid_on(self, on: date) -> bool:
        withdrawn = self.withdrawn_on is not None and self.withdrawn_on <= on
        return not withdrawn and on <= self.valid_until


class Sanction(models.Model):
    """A suspension or revocation of a broker's licence by customs. Never deleted:
    lifting one sets ``lifted_on``."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("Suspension")
        REVOCATION = "revocation", _("Revocation")

    broker = models.ForeignKey(
        Broker, verbose_name=_("broker"), on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    decision_number = models.CharField(_("decision number"), max_length=64)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Empty for an open-ended sanction.")
    )
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="sanctions_decided",
        null=True,
        blank=True,
    )
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        related_name="sanctions_lifted",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["suspension", "revocation"]), name="sanction_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="sanction_ends_after_it_starts",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=models.F("starts_on")),
                name="sanction_lifted_after_it_starts",
                violation_error_message=_("A sanction cannot be lifted before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="revocation") | Q(ends_on__isnull=True),
                name="sanction_revocation_has_no_end",
                violation_error_message=_("A revocation has no end date."),
            ),
        ]
        indexes = [models.Index(fields=["broker", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number}"
