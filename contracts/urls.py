from django.urls import URLPattern, URLResolver, path

from accounts.identifiers import LETTER_CODE
from contracts import views

app_name = "contracts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/upload/", views.contract_upload_view, name="contract_upload"),
    path("contracts/clients/", views.client_list, name="client_list"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/document/", views.contract_document, name="contract_document"),
    path("contracts/<int:pk>/confirm/", views.contract_confirm_view, name="contract_confirm"),
    path("contracts/<int:pk>/reject/", views.contract_reject_view, name="contract_reject"),
    path("contracts/<int:pk>/terminate/", views.contract_terminate_view, name="contract_terminate"),
    path("contracts/<int:pk>/letters/new/", views.letter_issue_view, name="letter_issue"),
    path("documents/verify/", views.document_check, name="document_check"),
    path("letters/", views.letter_list, name="letter_list"),
    path("letters/limit/", views.letter_limit_view, name="letter_limit"),
    path(f"letters/verify/<{LETTER_CODE}:code>/", views.letter_verify, name="letter_verify"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/pdf/", views.letter_pdf_view, name="letter_pdf"),
    path("letters/<int:pk>/revoke/", views.letter_revoke_view, name="letter_revoke"),
]
