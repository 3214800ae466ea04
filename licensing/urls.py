from django.urls import URLPattern, URLResolver, path, register_converter

from licensing.kinds import KIND_PATTERN
from licensing.views import applications, decisions, register, reports


class _KindConverter:
    regex = KIND_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_KindConverter, "application_kind")

app_name = "licensing"

APPLICATION = "<application_kind:kind>/<int:pk>"

urlpatterns: list[URLPattern | URLResolver] = [
    path("customs/register/import/", register.register_import, name="register-import"),
    path(
        "customs/register/import/<int:pk>/apply/",
        register.register_import_apply,
        name="register-import-apply",
    ),
    path("licensing/", applications.broker_licensing, name="broker"),
    path("licensing/recognition/", applications.recognition_apply, name="recognition-apply"),
    path("licensing/renewal/", applications.renewal_apply, name="renewal-apply"),
    path("licensing/agent-codes/", applications.agent_code_apply, name="agent-code-apply"),
    path(
        f"licensing/applications/{APPLICATION}/",
        applications.application_detail,
        name="application",
    ),
    path(
        f"licensing/applications/{APPLICATION}/document.pdf",
        applications.application_proof,
        name="application-document",
    ),
    path("licensing/reports/", reports.broker_reports, name="reports"),
    path("customs/reports/proposals/", reports.proposals, name="proposals"),
    path("customs/reports/proposals/<int:pk>/", reports.proposal_decide, name="proposal-decide"),
    path("customs/applications/", decisions.application_queue, name="queue"),
    path(
        f"customs/applications/{APPLICATION}/",
        decisions.customs_application,
        name="customs-application",
    ),
    path(
        f"customs/applications/{APPLICATION}/request-info/",
        decisions.info_request,
        name="info-request",
    ),
    path(f"customs/applications/{APPLICATION}/approve/", decisions.approve, name="approve"),
    path(f"customs/applications/{APPLICATION}/refuse/", decisions.refuse, name="refuse"),
]
