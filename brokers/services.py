"""Writes of the register: brokers and their agents (the customs actions on them are
``customs.services``)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization
from brokers.cache import register_changed
from brokers.models import Broker, BrokerAgent, CustomsOffice
from brokers.search import broker_search_text


@transaction.atomic
def broker_create(
    *,
    organization: Organization,
    license_number: str,
    issued_on: date,
    valid_until: date,
    customs_offices: Iterable[CustomsOffice] = (),
) -> Broker:
    """Register the licence of a broker organisation, with its search text."""
    broker = Broker(
        organization=organization,
        license_number=license_number.strip().upper(),
        issued_on=issued_on,
        valid_until=valid_until,
    )
    broker.search_text = broker_search_text(broker)
    broker.full_clean()
    broker.save()
    broker.customs_offices.set(list(customs_offices))
    register_changed()
    return broker


@transaction.atomic
def broker_update(
    *,
    broker: Broker,
    license_number: str | None = None,
    issued_on: date | None = None,
    valid_until: date | None = None,
    customs_offices: Iterable[CustomsOffice] | None = None,
) -> Broker:
    """Change a licence's number, dates or offices; the search text follows."""
    if license_number is not None:
        broker.license_number = license_number.strip().upper()
    if issued_on is not None:
        broker.issued_on = issued_on
    if valid_until is not None:
        broker.valid_until = valid_until
    broker.search_text = broker_search_text(broker)
    broker.full_clean()
    broker.save()
    if customs_offices is not None:
        broker.customs_offices.set(list(customs_offices))
    register_changed()
    return broker


def broker_search_text_refresh(*, organization: Organization) -> None:
    """Recompute the search text after an organisation's name or tax code changed.

    Whoever renames an organisation or corrects its tax code calls this in the same
    transaction, so the register never answers with a stale name."""
    broker = Broker.objects.filter(organization=organization).first()
    if broker is None:
        return
    broker.organization = organization
    Broker.objects.filter(pk=broker.pk).update(search_text=broker_search_text(broker))
    register_changed()


@transaction.atomic
def agent_create(
    *, broker: Broker, full_name: str, agent_code: str, valid_until: date
) -> BrokerAgent:
    """Add a licensed agent to a broker."""
    agent = BrokerAgent(
        broker=broker,
        full_name=full_name.strip(),
        agent_code=agent_code.strip().upper(),
        valid_until=valid_until,
    )
    agent.full_clean()
    agent.save()
    register_changed()
    return agent


@transaction.atomic
def agent_update(*, agent: BrokerAgent, full_name: str, valid_until: date) -> BrokerAgent:
    """Correct an agent's name or the end of its certificate (withdrawal is a customs action)."""
    agent.full_name = full_name.strip()
    agent.valid_until = valid_until
    agent.full_clean()
    agent.save()
    register_changed()
    return agent


@transaction.atomic
def broker_firm_update(
    *, broker: Broker, name: str | None = None, province: str | None = None
) -> Broker:
    """Correct the name or province of a broker's firm as the official list gives it; the
    search text follows the name."""
    organization = broker.organization
    if name is not None:
        organization.name = name.strip()
    if province is not None:
        organization.province = province
    organization.full_clean(validate_unique=False)
    organization.save(update_fields=["name", "province"])
    broker.search_text = broker_search_text(broker)
    Broker.objects.filter(pk=broker.pk).update(search_text=broker.search_text)
    register_changed()
    return broker


@transaction.atomic
def broker_recognize(
    *,
    organization: Organization,
    license_number: str,
    issued_on: date,
    valid_until: date,
    name: str,
    address: str,
    province: str,
    phone: str = "",
    email: str = "",
) -> Broker:
    """Customs recognises a company as a customs broker: the organisation becomes a broker
    with the details it applied with, and holds the licence from now on."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if hasattr(organization, "broker"):
        raise ValidationError(_("This organisation already holds a broker licence."))
    organization.kind = Organization.Kind.BROKER
    organization.name = name.strip()
    organization.address = address.strip()
    organization.province = province
    organization.phone = phone.strip()
    organization.email = email.strip().lower()
    organization.full_clean(validate_unique=False)
    organization.save(update_fields=["kind", "name", "address", "province", "phone", "email"])
    return broker_create(
        organization=organization,
        license_number=license_number,
        issued_on=issued_on,
        valid_until=valid_until,
    )
