"""The organisation's signing certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
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
from accounts.views import signed_in_user


@login_required
@require_http_methods(["GET", "POST"])
def certificate_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    organization = user.organization
    if organization is None or not can_read_certificates(user, organization):
        raise PermissionDenied
    can_manage = can_manage_organization(user, organization)
    form = CertificateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                certificate = certificates_services.certificate_register(
                    organization=organization, content=upload.read(65 * 1024), by=user
                )
            except ValidationError as error:
                form.add_error("file", error)
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
    if not can_manage_organization(user, certificate.organization):
        raise PermissionDenied
    try:
        certificates_services.certificate_revoke(certificate=certificate, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate is marked revoked."))
    return redirect("accounts:certificate_list")
