import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import agent_code_validator
from accounts.models import Organization
from accounts.provinces import Province
from accounts.text import multi_line_text_validate, one_line_text_validate
from brokers.models import Broker, BrokerAgent, Sanction


class RegisterImport(models.Model):
    """One file of the official list of brokers, uploaded by customs: its lines are kept
    between the dry run and the confirmation, and it is the record of the change."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # [[line number, {column: text}], ...] as read from the file.
    rows = models.JSONField(_("lines"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import of the official list")
        verbose_name_plural = _("imports of the official list")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name


def _private_storage():  # type: ignore[no-untyped-def]
    return storages["private"]


def proof_document_path(instance: models.Model, filename: str) -> str:
    """A checked PDF of an application: a random name, never the one the client sent."""
    return timezone.now().strftime(f"licensing/%Y/%m/{uuid.uuid4().hex}.pdf")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting decision")
    INFO_REQUESTED = "info_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.INFO_REQUESTED)


class Application(models.Model):
    """What every application to customs has: who filed it and when, the five-working-day
    clock, a request for more information and its answer, the decision. Each kind of
    application is its own table."""

    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default="submitted"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The day the file became complete: the decision is due five working days later. A
    # request for more information stops the clock; the answer starts it again.
    complete_on = models.DateField(_("complete on"), null=True, blank=True)
    info_request = models.TextField(
        _("information requested"), blank=True, validators=[multi_line_text_validate]
    )
    info_answer = models.TextField(_("answer"), blank=True, validators=[multi_line_text_validate])
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    refusal_reason = models.TextField(
        _("reason for refusal"), blank=True, validators=[multi_line_text_validate]
    )

    class Meta:
        abstract = True
        ordering = ["-submitted_at", "-id"]


class LicenceRenewal(Application):
    """A broker's application to renew its licence before (or after) its ``valid until``."""

    broker = models.ForeignKey(
        Broker, verbose_name=_("broker"), on_delete=models.PROTECT, related_name="renewals"
    )
    note = models.TextField(_("note"), blank=True, validators=[multi_line_text_validate])
    previous_valid_until = models.DateField(_("licence valid until (before)"))
    valid_until = models.DateField(_("licence renewed until"), null=True, blank=True)

    class Meta(Application.Meta):
        verbose_name = _("licence renewal")
        verbose_name_plural = _("licence renewals")
        constraints = [
            models.UniqueConstraint(
                fields=["broker"],
                condition=Q(status__in=OPEN_STATUSES),
                name="licence_renewal_one_open_per_broker",
                violation_error_message=_(
                    "This broker already has a renewal application awaiting a decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.broker.license_number} — {self.get_status_display()}"

    @property
    def applicant(self) -> Organization:
        return self.broker.organization


class AgentCodeApplication(Application):
    """A broker's application for the agent code of a qualified employee, or to renew an
    agent's code."""

    class Kind(models.TextChoices):
        NEW = "new", _("New agent code")
        RENEWAL = "renewal", _("Renewal of an agent code")

    broker = models.ForeignKey(
        Broker,
        verbose_name=_("broker"),
        on_delete=models.PROTECT,
        related_name="agent_code_applications",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default="new")
    # The agent renewed, or the one created on approval.
    agent = models.ForeignKey(
        BrokerAgent,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
    )
    full_name = models.CharField(
        _("full name"), max_length=255, validators=[one_line_text_validate]
    )
    id_number = models.CharField(
        _("ID number"),
        max_length=12,
        validators=[
            RegexValidator(r"^[0-9]{9}([0-9]{3})?$", _("An ID number has 9 or 12 digits."))
        ],
    )
    certificate_number = models.CharField(
        _("professional certificate number"), max_length=32, validators=[one_line_text_validate]
    )
    certificate_date = models.DateField(_("professional certificate issued on"))
    proof = models.FileField(
        _("proof (PDF)"), storage=_private_storage, upload_to=proof_document_path
    )
    proof_sha256 = models.CharField(_("SHA-256 of the proof"), max_length=64)
    agent_code = models.CharField(
        _("agent code issued"),
        max_length=32,
        blank=True,
        validators=[agent_code_validator],
    )
    valid_until = models.DateField(_("code valid until"), null=True, blank=True)

    class Meta(Application.Meta):
        verbose_name = _("agent code application")
        verbose_name_plural = _("agent code applications")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="renewal") | Q(agent__isnull=False),
                name="agent_code_renewal_names_its_agent",
            ),
            models.UniqueConstraint(
                fields=["broker", "id_number"],
                condition=Q(status__in=OPEN_STATUSES),
                name="agent_code_one_open_per_person",
                violation_error_message=_(
                    "An application for this person is already awaiting a decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.get_status_display()}"

    @property
    def applicant(self) -> Organization:
        return self.broker.organization


class RecognitionApplication(Application):
    """A company's application to be recognised as a customs broker: its details as
    registered, its business registration, its qualified staff. Approved, the company
    becomes a broker organisation holding the licence customs issues."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="recognition_applications",
    )
    name = models.CharField(_("name"), max_length=255, validators=[one_line_text_validate])
    address = models.CharField(_("address"), max_length=500, validators=[one_line_text_validate])
    province = models.CharField(_("province"), max_length=32, choices=Province.choices)
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, validators=[one_line_text_validate]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    business_registration = models.FileField(
        _("business registration (PDF)"), storage=_private_storage, upload_to=proof_document_path
    )
    business_registration_sha256 = models.CharField(
        _("SHA-256 of the business registration"), max_length=64
    )
    # [{"full_name": ..., "certificate_number": ...}, ...]: the employees holding the customs
    # professional certificate.
    staff = models.JSONField(_("qualified staff"), default=list)
    broker = models.OneToOneField(
        Broker,
        verbose_name=_("broker"),
        on_delete=models.PROTECT,
        related_name="recognition",
        null=True,
        blank=True,
    )

    class Meta(Application.Meta):
        verbose_name = _("application for recognition as a customs broker")
        verbose_name_plural = _("applications for recognition as a customs broker")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=OPEN_STATUSES),
                name="recognition_one_open_per_organization",
                violation_error_message=_(
                    "Your company already has an application awaiting a decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.get_status_display()}"

    @property
    def applicant(self) -> Organization:
        return self.organization


class ActivityReport(models.Model):
    """A broker's periodic report on its activity over a calendar year."""

    broker = models.ForeignKey(
        Broker, verbose_name=_("broker"), on_delete=models.PROTECT, related_name="activity_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    declarations_filed = models.PositiveIntegerField(_("declarations filed"))
    traders_served = models.PositiveIntegerField(_("traders served"))
    staff_count = models.PositiveIntegerField(_("staff holding the professional certificate"))
    changes = models.TextField(
        _("changes of address or staff"), blank=True, validators=[multi_line_text_validate]
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-year", "broker_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["broker", "year"],
                name="activity_report_once_a_year",
                violation_error_message=_("The report for this year has already been filed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.broker.license_number} {self.year}"


class ActivityReportReminder(models.Model):
    """One reminder sent to a broker for one year's report at one threshold."""

    broker = models.ForeignKey(
        Broker, verbose_name=_("broker"), on_delete=models.CASCADE, related_name="report_reminders"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    days_before = models.PositiveSmallIntegerField(_("days before the due date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("activity report reminder")
        verbose_name_plural = _("activity report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["broker", "year", "days_before"], name="report_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.broker_id} {self.year} -{self.days_before}"


class SanctionProposal(models.Model):
    """A sanction the beat task proposes for a report not filed, for customs to confirm
    (through ``customs.services.sanction_impose``) or dismiss."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    broker = models.ForeignKey(
        Broker,
        verbose_name=_("broker"),
        on_delete=models.PROTECT,
        related_name="sanction_proposals",
    )
    year = models.PositiveSmallIntegerField(_("report year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Sanction.Kind.choices)
    proposed_on = models.DateField(_("proposed on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default="proposed"
    )
    sanction = models.OneToOneField(
        Sanction,
        verbose_name=_("sanction"),
        on_delete=models.PROTECT,
        related_name="proposal",
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed sanction")
        verbose_name_plural = _("proposed sanctions")
        ordering = ["proposed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["broker", "year", "kind"], name="sanction_proposal_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(sanction__isnull=False),
                name="sanction_proposal_confirmed_has_its_sanction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.broker.license_number} ({self.year})"
