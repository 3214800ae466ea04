"""E-mails to both parties of a contract at each step of its life.

Messages leave only once the transaction that made the change commits, so that a
rolled-back change never announces itself.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import organization_recipients
from contracts.models import ServiceContract


def contract_url(contract: ServiceContract) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("contracts:contract_detail", args=[contract.pk])


def contract_parties_email(*, contract: ServiceContract, subject: str, body: str) -> None:
    """Queue one message to each party (trader and broker) for after the commit."""
    parties = [contract.trader, contract.broker.organization]
    footer = "\n\n" + _("Contract %(reference)s between %(trader)s and %(broker)s: %(url)s") % {
        "reference": contract.reference,
        "trader": contract.trader.name,
        "broker": contract.broker.organization.name,
        "url": contract_url(contract),
    }
    recipients = organization_recipients(party.pk for party in parties)
    messages = [
        (subject, body + footer, settings.DEFAULT_FROM_EMAIL, recipients[party.pk])
        for party in parties
        if party.pk in recipients
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
