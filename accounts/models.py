from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.provinces import Province
from accounts.taxcode import validate_tax_code


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
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"


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
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial_number} — {self.subject}"
