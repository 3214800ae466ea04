"""The kinds of application customs decides, by the slug their pages use in URLs."""

from licensing.models import AgentCodeApplication, LicenceRenewal

AnyApplication = LicenceRenewal | AgentCodeApplication

APPLICATION_MODELS: dict[str, type[AnyApplication]] = {
    "renewal": LicenceRenewal,
    "agent-code": AgentCodeApplication,
}
KIND_PATTERN = "renewal|agent-code"


def application_kind(application: AnyApplication) -> str:
    """The URL slug of an application's kind."""
    for slug, model in APPLICATION_MODELS.items():
        if isinstance(application, model):
            return slug
    raise TypeError(type(application))


def application_organization_id(application: AnyApplication) -> int:
    """The organisation that applied."""
    return application.broker.organization_id
