"""The organisation's signing certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors
from accounts.forms import (
    CertificateUploadForm,
)
from accounts.models import SigningCertificate
from accounts.permissions import (
    can_manage_organization,
    can_read_certificates,
)
from accounts.services import certificates as certificates_services
from accounts.web import form_errors_from, messages_from, permit, signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def certificate_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    organization = user.organization
    permit(can_read_certificates, user, organization)
    assert organization is not None  # the rule refuses a user without one
    can_manage = can_manage_organization(user, organization)
    form = CertificateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        permit(can_manage_organization, user, organization)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                certificate = certificates_services.certificate_register(
                    organization=organization, content=upload.read(65 * 1024), by=user
                )
            except ValidationError as error:
                form_errors_from(form, error, field="file")
            else:
                messages.success(
                    request,
                    _("Certificate %(serial)s is registered.")
                    % {"serial": certificate.serial_number},
                )
                return redirect("accounts:certificate_list")
    return render(
        request,
        "accounts/certificate_list.html",
        {
            "certificates": selectors.organization_certificates(organization),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = signed_in_user(request)
    certificate = get_object_or_404(SigningCertificate, pk=certificate_id)
    if not can_read_certificates(user, certificate.organization):
        raise Http404
    permit(can_manage_organization, user, certificate.organization)
    try:
        certificates_services.certificate_revoke(certificate=certificate, by=user)
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, _("The certificate is marked revoked."))
    return redirect("accounts:certificate_list")
