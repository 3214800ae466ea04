"""Signing certificates registered to an organisation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.certificates import certificate_read
from accounts.models import (
    Organization,
    SigningCertificate,
    TrustedCertificate,
    User,
)
from audit.models import AuditAction
from audit.services import audit_record


@transaction.atomic
def certificate_register(
    *, organization: Organization, content: bytes, by: User
) -> SigningCertificate:
    """Read an uploaded certificate and register it to the organisation."""
    details = certificate_read(content)
    existing = (
        SigningCertificate.objects.filter(fingerprint_sha256=details.fingerprint_sha256).first()
        or SigningCertificate.objects.filter(
            issuer=details.issuer, serial_number=details.serial_number
        ).first()
    )
    if existing is not None:
        if existing.organization_id == organization.pk:
            message = _("This certificate is already registered to your organisation.")
        else:
            message = _(
                "This certificate is registered to another organisation. If it is yours, "
                "report it to customs as an abuse report."
            )
        raise ValidationError(message, code="duplicate")
    certificate = SigningCertificate(
        organization=organization,
        serial_number=details.serial_number,
        subject=details.subject,
        issuer=details.issuer,
        not_before=details.not_before,
        not_after=details.not_after,
        fingerprint_sha256=details.fingerprint_sha256,
        der=details.der,
        uploaded_by=by,
    )
    certificate.full_clean()
    certificate.save()
    audit_record(
        action=AuditAction.CERTIFICATE_REGISTER,
        obj=certificate,
        actor=by,
        organization=organization,
        after={"serial_number": certificate.serial_number, "subject": certificate.subject},
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: SigningCertificate, by: User) -> SigningCertificate:
    """Mark a certificate revoked: signatures made with it no longer count as the owner's."""
    certificate = SigningCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditAction.CERTIFICATE_REVOKE,
        obj=certificate,
        actor=by,
        organization=certificate.organization,
        after={"revoked_at": certificate.revoked_at},
    )
    return certificate


@transaction.atomic
def trusted_certificate_add(*, content: bytes, by: User) -> TrustedCertificate:
    """Put a CA's root or intermediate certificate on the trust list (or back on it)."""
    details = certificate_read(content)
    certificate = (
        TrustedCertificate.objects.select_for_update()
        .filter(fingerprint_sha256=details.fingerprint_sha256)
        .first()
    )
    if certificate is not None and certificate.removed_at is None:
        raise ValidationError(_("This certificate is already on the trust list."), code="duplicate")
    if certificate is None:
        certificate = TrustedCertificate(fingerprint_sha256=details.fingerprint_sha256)
    certificate.subject = details.subject
    certificate.issuer = details.issuer
    certificate.serial_number = details.serial_number
    certificate.not_before = details.not_before
    certificate.not_after = details.not_after
    certificate.der = details.der
    certificate.added_by = by
    certificate.added_at = timezone.now()
    certificate.removed_by = None
    certificate.removed_at = None
    certificate.full_clean()
    certificate.save()
    audit_record(
        action=AuditAction.TRUST_LIST_ADD,
        obj=certificate,
        actor=by,
        after={
            "subject": certificate.subject,
            "fingerprint_sha256": certificate.fingerprint_sha256,
        },
    )
    return certificate


@transaction.atomic
def trusted_certificate_remove(*, certificate: TrustedCertificate, by: User) -> TrustedCertificate:
    """Take a certificate off the trust list; signatures checked from now on no longer
    chain to it (contracts already checked keep their recorded result)."""
    certificate = TrustedCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.removed_at is not None:
        raise ValidationError(_("This certificate is no longer on the trust list."))
    certificate.removed_by = by
    certificate.removed_at = timezone.now()
    certificate.save(update_fields=["removed_by", "removed_at"])
    audit_record(
        action=AuditAction.TRUST_LIST_REMOVE,
        obj=certificate,
        actor=by,
        before={"subject": certificate.subject},
        after={"removed_at": certificate.removed_at},
    )
    return certificate
