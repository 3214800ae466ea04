"""Signing certificates registered to an organisation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.certificates import certificate_read
from accounts.models import (
    Organization,
    SigningCertificate,
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
