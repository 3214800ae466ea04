"""E-mails of the applications: customs learns of a new file or an answer, the applicant of
a request for information or a decision; each reader in their own language."""

from typing import Any

from accounts.emails import absolute_url, emails_build, emails_send
from accounts.models import Organization
from accounts.selectors import organization_recipients
from licensing.kinds import APPLICANT_RELATIONS, APPLICATION_MODELS, application_organization_id

# Which side each step is told to.
TO_CUSTOMS = {"submitted", "answered"}
EVENTS = {"submitted", "answered", "info_requested", "approved", "refused"}


def application_emails_send(*, kind: str, application_id: int, event: str) -> int:
    """Send the e-mails of one step of an application. Returns the number sent."""
    if event not in EVENTS:
        raise ValueError(event)
    model = APPLICATION_MODELS[kind]
    application = model.objects.select_related(APPLICANT_RELATIONS[model]).get(pk=application_id)
    if event in TO_CUSTOMS:
        organization_ids = list(
            Organization.objects.filter(kind=Organization.Kind.CUSTOMS).values_list("pk", flat=True)
        )
        link = absolute_url("licensing:customs-application", kind, application.pk)
    else:
        organization_ids = [application_organization_id(application)]
        link = absolute_url("licensing:application", kind, application.pk)
    context: dict[str, Any] = {
        "application": application,
        "kind": kind,
        "kind_label": application._meta.verbose_name,
        "applicant": application.applicant,
        "event": event,
        "link": link,
    }
    messages = []
    for readers in organization_recipients(organization_ids).values():
        messages.extend(emails_build("licensing/email/application", context, readers))
    return emails_send(messages)


def report_reminder_send(*, broker_id: int, year: int) -> int:
    """Remind a broker that its report on ``year`` is due."""
    from brokers.models import Broker
    from licensing.reports import report_due_on

    broker = Broker.objects.select_related("organization").get(pk=broker_id)
    context = {
        "broker": broker,
        "year": year,
        "due": report_due_on(year),
        "link": absolute_url("licensing:reports"),
    }
    messages = []
    for readers in organization_recipients([broker.organization_id]).values():
        messages.extend(emails_build("licensing/email/report_reminder", context, readers))
    return emails_send(messages)


def sanction_proposal_notify(*, proposal_id: int) -> int:
    """Tell customs a sanction awaits its confirmation."""
    from licensing.models import SanctionProposal

    proposal = SanctionProposal.objects.select_related("broker__organization").get(pk=proposal_id)
    ids = Organization.objects.filter(kind=Organization.Kind.CUSTOMS).values_list("pk", flat=True)
    context = {"proposal": proposal, "link": absolute_url("licensing:proposals")}
    messages = []
    for readers in organization_recipients(list(ids)).values():
        messages.extend(emails_build("licensing/email/sanction_proposed", context, readers))
    return emails_send(messages)
