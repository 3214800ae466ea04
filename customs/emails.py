"""E-mails customs actions send: a broker's admins and the traders holding contracts in force
with it learn of a suspension, a revocation or a reinstatement; the broker and the traders
who issued letters to an agent learn that customs withdrew the agent's code.

Each message is written in Vietnamese and in English, because the recipients' language is
not known; each organisation gets its own message so that no trader sees another's address.
"""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.selectors import organization_recipients
from brokers.models import BrokerAgent, Sanction
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.selectors import broker_sanction_consequences
from contracts.status import contract_in_force

LANGUAGES_IN_MESSAGE = ("vi", "en")


def _render(template: str, context: dict[str, object]) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in LANGUAGES_IN_MESSAGE:
        with translation.override(language):
            subjects.append(
                render_to_string(f"customs/email/{template}_subject.txt", context).strip()
            )
            bodies.append(render_to_string(f"customs/email/{template}.txt", context).strip())
    return " / ".join(subjects), "\n\n----------\n\n".join(bodies) + "\n"


def sanction_emails_send(*, sanction_id: int, lifted: bool = False) -> int:
    """E-mail the broker's admins and every trader with a contract in force with it about a
    sanction imposed (or lifted). Returns the number of messages sent."""
    sanction = Sanction.objects.select_related("broker__organization").get(pk=sanction_id)
    broker = sanction.broker
    # The traders concerned are those whose contracts run when the sanction takes effect.
    effective: date = sanction.starts_on
    if lifted and sanction.lifted_on is not None:
        effective = sanction.lifted_on
    on = max(timezone.localdate(), effective)
    trader_ids = list(
        ServiceContract.objects.filter(contract_in_force(on=on), broker=broker)
        .values_list("trader_id", flat=True)
        .distinct()
    )
    recipients = organization_recipients([broker.organization_id, *trader_ids])
    context: dict[str, object] = {
        "sanction": sanction,
        "broker": broker,
        "lifted": lifted,
        "consequences": broker_sanction_consequences(broker, on=on),
        "register_url": f"{settings.SITE_URL}/brokers/{broker.license_number}/",
    }
    template = "sanction_lifted" if lifted else "sanction_imposed"
    messages = []
    for organization_id, addresses in recipients.items():
        if not addresses:
            continue
        audience = "broker" if organization_id == broker.organization_id else "trader"
        subject, body = _render(template, {**context, "audience": audience})
        messages.append(EmailMessage(subject=subject, body=body, to=addresses))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def agent_withdrawal_emails_send(*, agent_id: int) -> int:
    """E-mail the broker's admins and every trader holding an unexpired letter of authority to
    the agent whose code customs withdrew. Returns the number of messages sent."""
    agent = BrokerAgent.objects.select_related("broker__organization").get(pk=agent_id)
    broker = agent.broker
    on = timezone.localdate()
    letters = LetterOfAuthority.objects.filter(
        agent=agent, status=LetterOfAuthority.Status.ISSUED, valid_until__gte=on
    )
    trader_ids = list(letters.values_list("contract__trader_id", flat=True).distinct())
    recipients = organization_recipients([broker.organization_id, *trader_ids])
    context: dict[str, object] = {
        "agent": agent,
        "broker": broker,
        "letters": letters.count(),
        "register_url": f"{settings.SITE_URL}/brokers/{broker.license_number}/",
    }
    messages = []
    for organization_id, addresses in recipients.items():
        if not addresses:
            continue
        audience = "broker" if organization_id == broker.organization_id else "trader"
        subject, body = _render("agent_withdrawn", {**context, "audience": audience})
        messages.append(EmailMessage(subject=subject, body=body, to=addresses))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
