from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every action the audit log records. The values are stored and hashed into the chain:
    never change one; add a member for a new action."""

    ORGANIZATION_SECURITY_POLICY = "organization.security_policy", _("Security policy changed")
    USER_INVITE = "user.invite", _("User invited")
    USER_ROLE = "user.role", _("User's role changed")
    USER_ACTIVATE = "user.activate", _("User reactivated")
    USER_DEACTIVATE = "user.deactivate", _("User deactivated")
    USER_2FA_RESET = "user.2fa_reset", _("User's two-factor authentication reset")
    API_TOKEN_CREATE = "api_token.create", _("API token created")
    API_TOKEN_REVOKE = "api_token.revoke", _("API token revoked")
    CERTIFICATE_REGISTER = "certificate.register", _("Signing certificate registered")
    CERTIFICATE_REVOKE = "certificate.revoke", _("Signing certificate revoked")
    ABUSE_REPORT_CREATE = "abuse_report.create", _("Abuse report sent")
    ABUSE_REPORT_ANSWER = "abuse_report.answer", _("Abuse report answered")
    BROKER_SUSPEND = "broker.suspend", _("Broker suspended")
    BROKER_REVOKE = "broker.revoke", _("Broker's licence revoked")
    BROKER_SANCTION_LIFT = "broker.sanction_lift", _("Sanction lifted")
    AGENT_WITHDRAW = "agent.withdraw", _("Agent's code withdrawn")
    CONTRACT_UPLOAD = "contract.upload", _("Contract uploaded")
    CONTRACT_CONFIRM = "contract.confirm", _("Contract confirmed")
    CONTRACT_REJECT = "contract.reject", _("Contract rejected")
    CONTRACT_TERMINATE = "contract.terminate", _("Contract terminated")
    LETTER_ISSUE = "letter.issue", _("Letter of authority issued")
    LETTER_REVOKE = "letter.revoke", _("Letter of authority revoked")
    LETTER_LIMIT_SET = "letter.limit_set", _("Limit of letters per contract changed")
    DECLARATION_ALERT_CHANGE = "declaration_alert.change", _("Declaration e-mails changed")
    FLAG_ACKNOWLEDGED = "flag.acknowledged", _("Flag acknowledged")
    FLAG_RESOLVED = "flag.resolved", _("Flag resolved")
    FLAG_DISMISSED = "flag.dismissed", _("Flag dismissed")
    FLAG_OPEN_FROM_RISK = "flag.open_from_risk", _("Flag opened from a risk finding")
    TRUST_LIST_ADD = "trust_list.add", _("CA certificate added to the trust list")
    TRUST_LIST_REMOVE = "trust_list.remove", _("CA certificate removed from the trust list")
    CONTRACT_SIGNATURE_MISUSE = (
        "contract.signature_misuse",
        _("Contract refused: signed with another party's certificate"),
    )
    REGISTER_IMPORT = "register.import", _("Official list of brokers loaded")
    APPLICATION_SUBMIT = "application.submit", _("Application submitted")
    APPLICATION_INFO_REQUEST = "application.info_request", _("More information requested")
    APPLICATION_INFO_ANSWER = "application.info_answer", _("Information sent to customs")
    APPLICATION_APPROVE = "application.approve", _("Application approved")
    APPLICATION_REFUSE = "application.refuse", _("Application refused")
    ACTIVITY_REPORT_FILE = "activity_report.file", _("Activity report filed")
    SANCTION_PROPOSE = "sanction.propose", _("Sanction proposed for a missing report")


class AuditEntry(models.Model):
    """One recorded action. Append-only: each entry carries the keyed hash (HMAC-SHA-256
    under ``AUDIT_HMAC_KEY``) of the previous one, so that editing or deleting any entry
    breaks the chain (``manage.py audit_verify``)."""

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Kept as written at the time, so the record reads the same if the account changes.
    actor_label = models.CharField(_("actor"), max_length=255, blank=True)
    action = models.CharField(
        _("action"), max_length=64, choices=AuditAction.choices, db_index=True
    )
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=255)
    # The organisations the entry is about (e.g. the trader and the broker of a contract).
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    counterparty = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("other organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous entry's HMAC"), max_length=64)
    entry_hash = models.CharField(_("HMAC-SHA-256"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["organization", "-id"]),
            models.Index(fields=["counterparty", "-id"]),
            models.Index(fields=["object_type", "object_id"]),
            # The audit log's search by reference (a contract's, a letter's number) matches
            # the recorded label whatever its case.
            models.Index(Upper("object_label"), name="audit_entry_label_upper"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_label}"


class AuditChainHead(models.Model):
    """A single row locked while an entry is appended, so that concurrent writers chain
    one after the other instead of forking the chain."""

    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash


class AuditCheckpoint(models.Model):
    """The chain's head as published on one day (``GET /api/v1/audit/checkpoints/``): how
    many entries the chain had and the hash of the last one. Anyone may keep copies; a
    chain rewritten later, even with the key, no longer passes through them."""

    date = models.DateField(_("date"), unique=True)
    entries = models.PositiveBigIntegerField(_("entries"))
    head = models.CharField(_("chain head"), max_length=64)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {self.entries} {self.head}"
