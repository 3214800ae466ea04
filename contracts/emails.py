"""E-mails to both parties of a contract at each step of its life.

Messages leave only once the transaction that made the change commits, so that a
rolled-back change never announces itself.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from contracts.models import ServiceContract


def organization_recipients(organization: Organization) -> list[str]:
    """The organisation's own address and its active admins' addresses."""
    addresses = list(
        User.objects.filter(
            organization=organization, role=User.Role.ADMIN, is_active=True
        ).values_list("email", flat=True)
    )
    if organization.email:
        addresses.insert(0, organization.email)
    return sorted(set(addresses))


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
    messages = [
        (subject, body + footer, settings.DEFAULT_FROM_EMAIL, recipients)
        for recipients in (organization_recipients(party) for party in parties)
        if recipients
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
