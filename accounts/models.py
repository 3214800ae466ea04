from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.provinces import Province
from accounts.taxcode import validate_tax_code

# The language of an e-mail whose reader is not known to prefer another: most readers are
# Vietnamese companies.
DEFAULT_LANGUAGE = "vi"


class Organization(models.Model):
    class Kind(models.TextChoices):
        TRADER = "trader", _("Trader")
        BROKER = "broker", _("Customs broker")
        CUSTOMS = "customs", _("Customs administration")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        unique=True,
        error_messages={"unique": _("An organisation with this tax code is already registered.")},
        validators=[validate_tax_code],
        help_text=_("10 digits, or 13 for a branch written NNNNNNNNNN-NNN."),
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    province = models.CharField(_("province"), max_length=32, choices=Province.choices)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    letters_per_contract_limit = models.PositiveSmallIntegerField(
        _("active letters of authority allowed per contract"),
        default=5,
        help_text=_("A trader's limit, so that letters of authority are not issued in bulk."),
    )
    require_2fa = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Users without an authenticator must set one up before they can work."),
    )
    require_phishing_resistant = models.BooleanField(
        _("require a phishing-resistant factor"),
        default=False,
        help_text=_(
            "Only a passkey counts as the second factor: codes from an authenticator app and "
            "backup codes are no longer enough. Users without a passkey register one at their "
            "next sign-in."
        ),
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        _("maximum password age (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: passwords never expire."),
    )
    require_verified_contract_signatures = models.BooleanField(
        _("accept only contracts with verified signatures"),
        default=False,
        help_text=_(
            "A contract can be confirmed only when its PDF carries valid digital signatures "
            "of both parties, made with certificates registered to them or naming their tax "
            "code and issued by a CA on the customs trust list."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["trader", "broker", "customs"]),
                name="organization_kind_valid",
            ),
            # Normalised form only: 10 digits, or 10 digits, a dash and 3 digits.
            models.CheckConstraint(
                condition=models.Q(tax_code__regex=r"^[0-9]{10}(-[0-9]{3})?$"),
                name="organization_tax_code_normalised",
            ),
            # 0 used to mean "never" without saying so; now it is refused, and empty means never.
            models.CheckConstraint(
                condition=models.Q(password_max_age_days__isnull=True)
                | models.Q(password_max_age_days__gte=1),
                name="organization_password_max_age_positive",
                violation_error_message=_(
                    "A maximum password age of 0 days would make every password expire at "
                    "once: give at least 1 day, or leave the field empty so that passwords "
                    "never expire."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"

    @property
    def requires_2fa(self) -> bool:
        """Customs users always need a second factor; others when their admin says so."""
        return self.require_2fa or self.require_phishing_resistant or self.kind == self.Kind.CUSTOMS


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in by e-mail and belongs to one organisation with a role."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Staff")

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    national_id = models.CharField(_("national ID number"), max_length=32, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("Django admin access"),
        default=False,
        help_text=_("Whether the user can sign in to the Django admin."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # The language of the e-mails this user gets; the site's language switcher keeps it current.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=DEFAULT_LANGUAGE
    )
    # Part of every session's auth hash: raising it ends all of the user's sessions at their
    # next request, whatever their key has become since sign-in; nothing lowers it.
    session_epoch = models.PositiveIntegerField(_("session generation"), default=0)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "staff"]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's HMAC of the password (behind ``get_session_auth_hash`` and its
        fallbacks), over the session epoch too: raising the epoch
        (``accounts.services.staff.user_sessions_end``) invalidates every session at once."""
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_org_admin(self) -> bool:
        return self.organization_id is not None and self.role == self.Role.ADMIN


class SigningCertificate(models.Model):
    """A digital-signature certificate registered to an organisation.

    The compliance scan matches a declaration's signer serial number against these to
    tell a broker's own signature from a trader's (or nobody's)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # Upper-case hexadecimal without separators or leading zeros, as clearance records it.
    serial_number = models.CharField(_("serial number"), max_length=64, db_index=True)
    subject = models.CharField(_("subject"), max_length=1000)
    issuer = models.CharField(_("issuer"), max_length=1000)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    der = models.BinaryField(_("certificate (DER)"))
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "serial_number"], name="certificate_issuer_serial_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(not_after__gt=models.F("not_before")),
                name="certificate_validity_ordered",
                violation_error_message=_("The certificate's validity ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial_number} — {self.subject}"


class TrustedCertificate(models.Model):
    """A root or intermediate certificate of a licensed certification authority, on the
    trust list customs keeps: a signature whose chain ends here is trusted. A removed
    certificate stays on record with the time it left the list."""

    subject = models.CharField(_("subject"), max_length=1000)
    issuer = models.CharField(_("issuer"), max_length=1000)
    serial_number = models.CharField(_("serial number"), max_length=64)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    der = models.BinaryField(_("certificate (DER)"))
    added_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("removed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("trusted CA certificate")
        verbose_name_plural = _("trust list")
        ordering = ["subject", "-added_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(not_after__gt=models.F("not_before")),
                name="trusted_certificate_validity_ordered",
                violation_error_message=_("The certificate's validity ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class PasswordHistory(models.Model):
    """The hashes of a user's past passwords, so that recent ones are not used again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class LoginEvent(models.Model):
    """One step of signing in or out, kept for the user and their organisation's admin."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        OTP_SUCCESS = "otp_success", _("Two-factor code accepted")
        OTP_FAILURE = "otp_failure", _("Two-factor code refused")
        PASSKEY_SUCCESS = "passkey_success", _("Passkey accepted")
        PASSKEY_FAILURE = "passkey_failure", _("Passkey refused")
        SIGN_OUT = "sign_out", _("Signed out")

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="login_events",
        null=True,
        blank=True,
    )
    # Kept apart from the user so that the organisation's log survives a typo in the
    # e-mail address of a failed sign-in (user is empty then).
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    email = models.CharField(_("e-mail entered"), max_length=254, blank=True)
    kind = models.CharField(_("outcome"), max_length=16, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    # So that deactivating a user can end the sessions their sign-ins opened.
    session_key = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("login event")
        verbose_name_plural = _("login events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-occurred_at"]),
            models.Index(fields=["organization", "-occurred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "sign_in",
                        "sign_in_failed",
                        "otp_success",
                        "otp_failure",
                        "passkey_success",
                        "passkey_failure",
                        "sign_out",
                    ]
                ),
                name="login_event_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.email} {self.occurred_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """An e-mailed link that lets a person create their account in an organisation."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=16, choices=User.Role.choices)
    # Only the SHA-256 of the link's key is stored: a database leak reveals no usable link.
    key_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A key a machine client sends as ``Authorization: Token <key>``; only its hash is kept.
    It works for one scope, until it expires or is revoked, and records where it was last
    used so that its owner can see a key used from somewhere unexpected."""

    class Scope(models.TextChoices):
        INGEST = "ingest", _("Push declarations (ingest)")
        READ = "read", _("Read only")

    DEFAULT_DAYS = 90
    MAX_DAYS = 365

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    prefix = models.CharField(_("key starts with"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
                violation_error_message=_("A token must expire after it is created."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.purpose}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class AbuseReport(models.Model):
    """A trader tells customs that its account or digital signature was misused."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("Account used by someone else")
        SIGNATURE = "signature", _("Digital signature used by someone else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_REVIEW = "in_review", _("Under review")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="abuse_reports",
    )
    reporter = models.ForeignKey(
        User, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what was misused"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("what happened"))
    happened_from = models.DateField(_("from"))
    happened_until = models.DateField(_("until"), null=True, blank=True)
    declarations = models.TextField(
        _("declaration numbers"), blank=True, help_text=_("If known, one per line.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer from customs"), blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(happened_until__isnull=True)
                | models.Q(happened_until__gte=models.F("happened_from")),
                name="abuse_report_period_ordered",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "in_review", "answered", "closed"]),
                name="abuse_report_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.organization.name}"
