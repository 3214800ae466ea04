"""Declarations as the clearance system records them, the flags the scan raises on them,
and the scan's own progress."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from brokers.models import Broker
from contracts.models import ContractRefusal


def _party_organization(
    tax_code_field: str,
) -> "models.ForeignObject[Organization | None, Organization | None]":
    """The organisation whose tax code a declaration's field holds, or none."""
    return models.ForeignObject(
        Organization,
        on_delete=models.DO_NOTHING,
        from_fields=[tax_code_field],
        to_fields=["tax_code"],
        related_name="+",
        null=True,
    )


class Declaration(models.Model):
    """One customs declaration. Parties are kept as the tax codes clearance sends: a trader
    or declarant may not be registered here, which is itself something the scan reports."""

    class Channel(models.TextChoices):
        GREEN = "green", _("green")
        YELLOW = "yellow", _("yellow")
        RED = "red", _("red")

    number = models.CharField(_("declaration number"), max_length=32, unique=True)
    registered_at = models.DateTimeField(_("registered at"))
    customs_office_code = models.CharField(_("customs office"), max_length=8)
    trader_tax_code = models.CharField(_("trader tax code"), max_length=14, db_index=True)
    declarant_tax_code = models.CharField(_("declarant tax code"), max_length=14, db_index=True)
    agent_code = models.CharField(_("agent code"), max_length=32, blank=True)
    signer_serial = models.CharField(_("signer certificate serial"), max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # The scan's watermark reads this: every write of a declaration moves it forward.
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # The parties' organisations, joined on the tax codes (no column, no constraint: a
    # party may not be registered): the scan resolves a whole batch with two joins.
    trader_organization = _party_organization("trader_tax_code")
    declarant_organization = _party_organization("declarant_tax_code")

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["trader_tax_code", "registered_at"]),
            # The risk pages list the declarations signed with one certificate.
            models.Index(
                fields=["signer_serial", "registered_at"], name="declaration_signer_registered"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class FlagKind(models.TextChoices):
    NO_CONTRACT = "no_contract", _("no contract")
    CONTRACT_EXPIRED = "contract_expired", _("contract not valid on that date")
    BROKER_SUSPENDED = "broker_suspended", _("broker suspended or revoked")
    UNLICENSED_DECLARANT = "unlicensed_declarant", _("declarant is not a licensed broker")
    SIGNATURE_MISUSE = "signature_misuse", _("signed with a certificate not the broker's own")
    NO_AUTHORITY_LETTER = "no_authority_letter", _("agent held no letter of authority")
    # Opened by an officer from a finding of the risk analysis, not by the scan.
    RISK_PATTERN = "risk_pattern", _("risk pattern across declarations")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESOLVED = "resolved", _("resolved")
    DISMISSED = "dismissed", _("dismissed")


# Where a flag may go from each status; resolved and dismissed are final. The service that
# moves a flag and the page that offers the moves both read it (``Flag.allowed_transitions``).
FLAG_TRANSITIONS: dict[str, tuple[str, ...]] = {
    FlagStatus.OPEN: (FlagStatus.ACKNOWLEDGED, FlagStatus.RESOLVED, FlagStatus.DISMISSED),
    FlagStatus.ACKNOWLEDGED: (FlagStatus.RESOLVED, FlagStatus.DISMISSED),
    FlagStatus.RESOLVED: (),
    FlagStatus.DISMISSED: (),
}


class Flag(models.Model):
    """One finding on one declaration (at most one per declaration and kind), or on one
    contract upload refused for a lent signature (``signature_misuse``)."""

    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("declaration"),
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )
    contract_refusal = models.ForeignKey(
        ContractRefusal,
        verbose_name=_("refused contract"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=24, choices=FlagKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    # Resolved by the scan from the declaration's tax codes, so that a trader's or a
    # broker's flags are one indexed filter away.
    trader = models.ForeignKey(
        Organization,
        verbose_name=_("trader"),
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )
    broker = models.ForeignKey(
        Broker,
        verbose_name=_("broker"),
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now, db_index=True)
    scan_run = models.ForeignKey(
        "compliance.ScanRun",
        verbose_name=_("scan run"),
        on_delete=models.PROTECT,
        related_name="flags",
        null=True,
        blank=True,
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "kind"], name="flag_one_per_declaration_and_kind"
            ),
            models.UniqueConstraint(
                fields=["contract_refusal", "kind"],
                condition=Q(contract_refusal__isnull=False),
                name="flag_one_per_refused_contract_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(declaration__isnull=False, contract_refusal__isnull=True)
                | Q(declaration__isnull=True, contract_refusal__isnull=False),
                name="flag_on_a_declaration_or_a_refused_contract",
                violation_error_message=_(
                    "A flag is about one declaration or one refused contract."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["trader", "status"]),
            models.Index(fields=["broker", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.declaration_id or self.contract_refusal_id}"

    def allowed_transitions(self) -> tuple[str, ...]:
        """The statuses this flag may be moved to, in the order they are offered."""
        return FLAG_TRANSITIONS[self.status]


class FlagEvent(models.Model):
    """Who changed a flag's status or added a note, and when."""

    flag = models.ForeignKey(
        Flag, verbose_name=_("flag"), on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=FlagStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=FlagStatus.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("flag event")
        verbose_name_plural = _("flag events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.flag_id} {self.from_status}→{self.to_status}"


class ScanRun(models.Model):
    """One run of the compliance scan: what it covered and what it found."""

    class Mode(models.TextChoices):
        INCREMENTAL = "incremental", _("incremental")
        FULL = "full", _("full")

    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Declarations with changed_at in (watermark_from, watermark_to] were scanned.
    watermark_from = models.DateTimeField(_("from"), null=True, blank=True)
    watermark_to = models.DateTimeField(_("to"), null=True, blank=True)
    declarations_scanned = models.PositiveIntegerField(_("declarations scanned"), default=0)
    flags_created = models.PositiveIntegerField(_("flags raised"), default=0)
    # A run that raised: when, and the error's kind (its trace is in the worker's log).
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    failure = models.CharField(_("failure"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("scan run")
        verbose_name_plural = _("scan runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(watermark_from__isnull=True)
                | Q(watermark_to__isnull=True)
                | Q(watermark_to__gte=models.F("watermark_from")),
                name="scan_run_watermark_forward",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.started_at:%Y-%m-%d %H:%M}"


class ScanItem(models.Model):
    """One declaration of the batch a scan is working on, with its parties resolved.

    A work table, empty outside a scan: the scan fills it inside its own transaction
    (under its lock, so no other run sees it) and empties it before committing, so that
    each rule is one set-based statement over the batch. Unlogged on PostgreSQL."""

    declaration = models.OneToOneField(
        Declaration, on_delete=models.DO_NOTHING, primary_key=True, db_constraint=False
    )
    on = models.DateField(db_column="on_date")
    trader = models.ForeignKey(
        Organization,
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    broker = models.ForeignKey(
        Broker,
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    agent_code = models.CharField(max_length=32)
    signer_serial = models.CharField(max_length=64)

    class Meta:
        db_table = "compliance_scan_item"

    def __str__(self) -> str:
        return str(self.declaration_id)


class DeclarationAlert(models.Model):
    """A trader's choice to have its admins e-mailed for every declaration filed in its name."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("trader"),
        on_delete=models.CASCADE,
        related_name="declaration_alert",
    )
    email_every_declaration = models.BooleanField(
        _("e-mail me every declaration filed in our name"), default=False
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("declaration alert")
        verbose_name_plural = _("declaration alerts")

    def __str__(self) -> str:
        return str(self.organization)
