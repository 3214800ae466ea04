"""The kinds of application customs decides, by the slug their pages use in URLs."""

from licensing.models import AgentCodeApplication, LicenceRenewal, RecognitionApplication

AnyApplication = RecognitionApplication | LicenceRenewal | AgentCodeApplication

APPLICATION_MODELS: dict[str, type[AnyApplication]] = {
    "recognition": RecognitionApplication,
    "renewal": LicenceRenewal,
    "agent-code": AgentCodeApplication,
}
KIND_PATTERN = "recognition|renewal|agent-code"
# What a page of each kind reads with it.
APPLICANT_RELATIONS = {
    RecognitionApplication: "organization",
    LicenceRenewal: "broker__organization",
    AgentCodeApplication: "broker__organization",
}


def application_kind(application: AnyApplication) -> str:
    """The URL slug of an application's kind."""
    for slug, model in APPLICATION_MODELS.items():
        if isinstance(application, model):
            return slug
    raise TypeError(type(application))


def application_organization_id(application: AnyApplication) -> int:
    """The organisation that applied."""
    if isinstance(application, RecognitionApplication):
        return application.organization_id
    return application.broker.organization_id
