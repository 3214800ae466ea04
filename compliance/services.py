"""Compliance: services."""

# --- declarations, scan, flags (issue 6) ---

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from accounts.models import User
from compliance.models import Flag, ScanRun

# A digest lists this many flags per trader; the page of flags holds the rest.
DIGEST_FLAGS_LISTED = 50


def _admin_emails(organization_ids: set[int]) -> dict[int, list[str]]:
    admins: dict[int, list[str]] = defaultdict(list)
    for organization_id, email in User.objects.filter(
        organization_id__in=organization_ids, role=User.Role.ADMIN, is_active=True
    ).values_list("organization_id", "email"):
        admins[organization_id].append(email)
    return admins


def scan_run_notify(*, scan_run: ScanRun) -> int:
    """E-mail each trader's admins one digest of the flags this run raised on the trader's
    declarations; returns the number of e-mails sent."""
    counts = dict(
        Flag.objects.filter(scan_run=scan_run, trader__isnull=False)
        .values_list("trader_id")
        .annotate(total=Count("id"))
        .values_list("trader_id", "total")
    )
    if not counts:
        return 0
    admins = _admin_emails(set(counts))
    listed: dict[int, list[Flag]] = defaultdict(list)
    for flag in (
        Flag.objects.filter(scan_run=scan_run, trader_id__in=admins.keys())
        .select_related("declaration", "trader")
        .annotate(
            position=Window(RowNumber(), partition_by=[F("trader_id")], order_by=F("id").asc())
        )
        .filter(position__lte=DIGEST_FLAGS_LISTED)
        .order_by("trader_id", "id")
    ):
        assert flag.trader_id is not None
        listed[flag.trader_id].append(flag)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for trader_id, flags in listed.items():
            total = counts[trader_id]
            subject = ngettext(
                "%(count)d new compliance flag on declarations in your name",
                "%(count)d new compliance flags on declarations in your name",
                total,
            ) % {"count": total}
            body = render_to_string(
                "compliance/email/flags_digest.txt",
                {
                    "organization": flags[0].trader,
                    "flags": flags,
                    "total": total,
                    "more": total - len(flags),
                    "site_url": settings.SITE_URL,
                },
            )
            messages.append(EmailMessage(subject, body, to=admins[trader_id]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


# --- customs dashboard (issue 7) ---
