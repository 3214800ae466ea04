"""E-mails of the compliance app: each trader's digest of the flags a scan raised, and the
alert for every declaration filed in a trader's name, each written in its readers' language.
Sent by the tasks in ``compliance.tasks``."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from accounts.emails import absolute_url, emails_build, emails_send
from accounts.models import Organization
from accounts.selectors import Recipient, organization_recipients
from compliance.models import Declaration, Flag, ScanRun

# Numbers looked up per query (SQLite's parameter limit).
_LOOKUP_CHUNK = 900

# A digest lists this many flags per trader; the page of flags holds the rest.
DIGEST_FLAGS_LISTED = 50


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
    admins = organization_recipients(counts, with_organization_address=False)
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
    declarations_url = absolute_url("compliance:my_declarations")
    messages = []
    for trader_id, flags in listed.items():
        total = counts[trader_id]
        context = {
            "organization": flags[0].trader,
            "flags": flags,
            "total": total,
            "more": total - len(flags),
            "declarations_url": declarations_url,
        }
        messages.extend(emails_build("compliance/email/flags_digest", context, admins[trader_id]))
    return emails_send(messages)


def _declaration_alert_recipients(trader_tax_codes: Iterable[str]) -> dict[str, list[Recipient]]:
    alerted = Organization.objects.filter(
        tax_code__in=set(trader_tax_codes), declaration_alert__email_every_declaration=True
    )
    admins = organization_recipients(
        alerted.values_list("pk", flat=True), with_organization_address=False
    )
    return {
        tax_code: admins[pk]
        for pk, tax_code in alerted.values_list("pk", "tax_code")
        if admins.get(pk)
    }


def declarations_alert_send(*, numbers: Sequence[str]) -> int:
    """E-mail the admins of each trader that asked for it one message per declaration
    filed in its name (so that a lent signature is noticed the same day)."""
    if not numbers:
        return 0
    trader_tax_codes: set[str] = set()
    for start in range(0, len(numbers), _LOOKUP_CHUNK):
        trader_tax_codes.update(
            Declaration.objects.filter(
                number__in=numbers[start : start + _LOOKUP_CHUNK]
            ).values_list("trader_tax_code", flat=True)
        )
    recipients = _declaration_alert_recipients(trader_tax_codes)
    if not recipients:
        return 0
    declarations: list[Declaration] = []
    for start in range(0, len(numbers), _LOOKUP_CHUNK):
        declarations.extend(
            Declaration.objects.filter(
                number__in=numbers[start : start + _LOOKUP_CHUNK],
                trader_tax_code__in=recipients.keys(),
            )
        )
    declarations_url = absolute_url("compliance:my_declarations")
    messages = []
    for declaration in sorted(declarations, key=lambda d: d.registered_at):
        context = {"declaration": declaration, "declarations_url": declarations_url}
        messages.extend(
            emails_build(
                "compliance/email/declaration_alert",
                context,
                recipients[declaration.trader_tax_code],
            )
        )
    return emails_send(messages)
