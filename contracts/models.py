import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, SigningCertificate
from accounts.text import one_line_text_validate
from brokers.models import Broker, BrokerAgent, CustomsOffice


def _private_storage():  # type: ignore[no-untyped-def]
    return storages["private"]


def contract_document_path(contract: "ServiceContract", filename: str) -> str:
    """Where a signed contract is stored: a random name with the .pdf extension, never the
    name or extension the client sent (the file has been checked to be a PDF)."""
    return timezone.now().strftime(f"contracts/%Y/%m/{uuid.uuid4().hex}.pdf")


def letter_document_path(letter: "LetterOfAuthority", filename: str) -> str:
    """Where a letter's rendered PDF is stored: a random name, like the contracts'."""
    return timezone.now().strftime(f"letters/%Y/%m/{uuid.uuid4().hex}.pdf")


class Service(models.TextChoices):
    """What a broker does for a trader under a contract (Circular 12/2015/TT-BTC, art. 3)."""

    DECLARATION = "declaration", _("Preparing and filing customs declarations")
    DOCUMENTS = "documents", _("Submitting and presenting customs documents")
    INSPECTION = "inspection", _("Presenting goods for inspection")
    DUTIES = "duties", _("Paying duties and taxes")
    CONSULTING = "consulting", _("Customs consulting")


class ContractStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    REJECTED = "rejected", _("Rejected")


class ServiceContract(models.Model):
    """A signed service contract between one trader and one broker. Its status is
    derived (``contracts.status``); nothing is ever hard-deleted."""

    trader = models.ForeignKey(
        Organization,
        verbose_name=_("trader"),
        on_delete=models.PROTECT,
        related_name="contracts",
        limit_choices_to={"kind": Organization.Kind.TRADER},
    )
    broker = models.ForeignKey(
        Broker, verbose_name=_("broker"), on_delete=models.PROTECT, related_name="contracts"
    )
    reference = models.CharField(_("reference"), max_length=64, validators=[one_line_text_validate])
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    services = models.JSONField(_("services"), default=list, blank=True)
    customs_offices = models.ManyToManyField(
        CustomsOffice, verbose_name=_("customs offices covered"), related_name="+", blank=True
    )
    document = models.FileField(
        _("signed document"), storage=_private_storage, upload_to=contract_document_path
    )
    document_sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    # Set on upload: the PDF carries valid signatures of both parties (contracts.signatures).
    signatures_verified = models.BooleanField(_("signatures verified"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("terminated by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    # The day from which the contract no longer covers declarations.
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="contract_ends_after_it_starts",
                violation_error_message=_("The contract must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(signed_on__lte=models.F("valid_until")),
                name="contract_signed_before_it_ends",
                violation_error_message=_("The contract cannot be signed after it ends."),
            ),
            models.UniqueConstraint(
                fields=["broker", "reference"],
                name="contract_reference_unique_per_broker",
                violation_error_message=_("You already uploaded a contract with this reference."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | ~Q(termination_reason=""),
                name="contract_termination_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(rejected_at__isnull=True) | ~Q(rejection_reason=""),
                name="contract_rejection_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(rejected_at__isnull=True),
                name="contract_not_both_confirmed_and_rejected",
            ),
        ]
        indexes = [
            models.Index(fields=["trader", "broker", "valid_from"]),
            models.Index(fields=["valid_until"]),
        ]

    def __str__(self) -> str:
        return self.reference


class SignatureVerdict(models.TextChoices):
    VALID = "valid", _("Valid")
    UNTRUSTED = "untrusted", _("Untrusted")
    INVALID = "invalid", _("Invalid")


class SignatureParty(models.TextChoices):
    TRADER = "trader", _("Trader")
    BROKER = "broker", _("Broker")
    NONE = "", _("Neither party")


class ContractSignature(models.Model):
    """One digital signature found in a contract's PDF, as checked on upload, so that the
    contract's page shows it without validating the file again."""

    contract = models.ForeignKey(
        ServiceContract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    field_name = models.CharField(_("signature field"), max_length=255)
    signer_name = models.CharField(_("signer"), max_length=500)
    signer_tax_code = models.CharField(_("tax code in the certificate"), max_length=14, blank=True)
    issuer_name = models.CharField(_("issued by"), max_length=500)
    serial_number = models.CharField(_("serial number"), max_length=64)
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    intact = models.BooleanField(_("signed bytes intact"))
    covers_document = models.BooleanField(_("only permitted changes after it"))
    trusted = models.BooleanField(_("chain ends in the trust list"))
    valid_at_signing = models.BooleanField(_("certificate valid when signed"))
    verdict = models.CharField(_("verdict"), max_length=16, choices=SignatureVerdict.choices)
    # The organisation that registered this certificate, whichever it is.
    registered_to = models.ForeignKey(
        Organization,
        verbose_name=_("registered to"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    counts_for = models.CharField(
        _("counts for"), max_length=8, choices=SignatureParty.choices, blank=True
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("contract signature")
        verbose_name_plural = _("contract signatures")
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "position"], name="contract_signature_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.position} {self.signer_name}"

    @property
    def registered_to_tax_code(self) -> str:
        return self.registered_to.tax_code if self.registered_to else ""


class ContractRefusal(models.Model):
    """An upload refused because a party's signature was made with the other party's
    registered certificate (a lent signature). The file is kept as evidence for customs,
    who see it as a ``signature_misuse`` flag (raised by compliance)."""

    broker = models.ForeignKey(
        Broker, verbose_name=_("broker"), on_delete=models.PROTECT, related_name="+"
    )
    trader = models.ForeignKey(
        Organization, verbose_name=_("trader"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=64)
    document = models.FileField(
        _("signed document"), storage=_private_storage, upload_to=contract_document_path
    )
    document_sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    certificate = models.ForeignKey(
        SigningCertificate,
        verbose_name=_("certificate used"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_for = models.CharField(
        _("signed in the place of"), max_length=8, choices=SignatureParty.choices
    )
    message = models.TextField(_("message"))
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    attempted_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("refused contract")
        verbose_name_plural = _("refused contracts")
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.attempted_at:%Y-%m-%d})"


class LetterOfAuthority(models.Model):
    """A trader's letter naming one broker agent for a stated scope and period."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")

    class DocumentShows(models.TextChoices):
        """What the stored PDF says across its top: nothing (issued), revoked or expired."""

        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    contract = models.ForeignKey(
        ServiceContract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    agent = models.ForeignKey(
        BrokerAgent, verbose_name=_("agent"), on_delete=models.PROTECT, related_name="letters"
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    procedures = models.JSONField(_("procedures"), default=list, blank=True)
    customs_offices = models.ManyToManyField(
        CustomsOffice, verbose_name=_("customs offices"), related_name="+", blank=True
    )
    shipment_references = models.TextField(_("shipment or invoice references"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    # The sealed PDF, rendered when the letter is issued and again when what it must say
    # changes (revoked, expired); downloads serve this file. ``db_default`` keeps the bulk
    # loaders (COPY) that do not name these columns working.
    document = models.FileField(
        _("PDF"),
        storage=_private_storage,
        upload_to=letter_document_path,
        blank=True,
        default="",
        db_default="",
    )
    document_shows = models.CharField(
        _("what the PDF shows"),
        max_length=16,
        choices=DocumentShows.choices,
        blank=True,
        default="",
        db_default="",
    )

    class Meta:
        verbose_name = _("letter of authority")
        verbose_name_plural = _("letters of authority")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="letter_ends_after_it_starts",
                violation_error_message=_("The letter must end on or after its start."),
            ),
            models.CheckConstraint(
                condition=Q(status="issued", revoked_at__isnull=True)
                | (Q(status="revoked", revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="letter_revocation_has_time_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["agent", "valid_from"])]

    def __str__(self) -> str:
        return self.number


class ContractReminder(models.Model):
    """One expiry reminder sent for one contract at one threshold (days before
    ``valid_until``): the unique pair makes the daily task send each one only once."""

    contract = models.ForeignKey(
        ServiceContract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "days_before"], name="contract_reminder_once_per_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} ({self.days_before})"


class LetterNumberCounter(models.Model):
    """The last letter number given in a year; locked while a letter is numbered so that
    numbers never repeat or skip under concurrent issues."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("letter number counter")
        verbose_name_plural = _("letter number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
