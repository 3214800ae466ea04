"""Reads of licensing."""

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from brokers.models import Broker
from licensing.deadlines import decision_due, working_days_left
from licensing.kinds import (
    APPLICANT_RELATIONS,
    APPLICATION_MODELS,
    AnyApplication,
    application_kind,
)
from licensing.models import (
    OPEN_STATUSES,
    AgentCodeApplication,
    LicenceRenewal,
    RecognitionApplication,
    RegisterImport,
)


def register_import_pending_get(pk: int) -> RegisterImport:
    """An uploaded list not yet loaded, or 404."""
    return get_object_or_404(RegisterImport, pk=pk, applied_at__isnull=True)


def broker_of_user(user: User) -> Broker:
    """The licence of the user's broker organisation, or 404 when it has none yet."""
    found = (
        Broker.objects.select_related("organization").filter(organization=user.organization).first()
        if user.organization_id is not None
        else None
    )
    if found is None:
        raise Http404(_("Your organisation holds no broker licence."))
    return found


def application_get(kind: str, pk: int) -> AnyApplication:
    """One application of a kind, or 404 (the caller checks who may read it)."""
    model = APPLICATION_MODELS.get(kind)
    if model is None:
        raise Http404
    found = (
        model.objects.select_related(APPLICANT_RELATIONS[model], "submitted_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if not isinstance(found, RecognitionApplication | LicenceRenewal | AgentCodeApplication):
        raise Http404
    return found


def broker_applications(broker: Broker) -> list[AnyApplication]:
    """Every application of a broker, newest first (two queries)."""
    applications: list[AnyApplication] = [
        *LicenceRenewal.objects.filter(broker=broker).select_related("broker__organization"),
        *AgentCodeApplication.objects.filter(broker=broker).select_related("broker__organization"),
    ]
    return sorted(applications, key=lambda a: a.submitted_at, reverse=True)


def organization_recognitions(organization: Organization) -> list[RecognitionApplication]:
    """A company's applications for recognition, newest first."""
    return list(
        RecognitionApplication.objects.filter(organization=organization).select_related(
            "organization"
        )
    )


@dataclass
class QueueEntry:
    application: AnyApplication
    kind: str
    due: date | None
    days_left: int | None

    @property
    def days_late(self) -> int:
        return max(0, -(self.days_left or 0))


def customs_application_queue(*, on: date | None = None) -> list[QueueEntry]:
    """The applications awaiting customs or the applicant, those due soonest first, with
    the working days left to the five-day deadline (none while information is awaited).
    One query per kind of application."""
    on = on or timezone.localdate()
    entries = []
    open_applications: list[AnyApplication] = [
        *RecognitionApplication.objects.filter(status__in=OPEN_STATUSES).select_related(
            "organization"
        ),
        *LicenceRenewal.objects.filter(status__in=OPEN_STATUSES).select_related(
            "broker__organization"
        ),
        *AgentCodeApplication.objects.filter(status__in=OPEN_STATUSES).select_related(
            "broker__organization"
        ),
    ]
    for application in open_applications:
        complete_on = application.complete_on
        entries.append(
            QueueEntry(
                application=application,
                kind=application_kind(application),
                due=decision_due(complete_on) if complete_on else None,
                days_left=working_days_left(complete_on, on) if complete_on else None,
            )
        )
    return sorted(
        entries,
        key=lambda e: (e.due is None, e.due or on, e.application.submitted_at),
    )


def licence_number_suggested(*, on: date) -> str:
    """The next free licence number of the year, as customs writes them (DL-2026-00042), to
    pre-fill an approval; the officer may change it."""
    prefix = f"DL-{on.year}-"
    taken = set(
        Broker.objects.filter(license_number__startswith=prefix).values_list(
            "license_number", flat=True
        )
    )
    number = len(taken) + 1
    while f"{prefix}{number:05d}" in taken:
        number += 1
    return f"{prefix}{number:05d}"
