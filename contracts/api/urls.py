from django.urls import URLPattern, URLResolver, path

from accounts.identifiers import LETTER_CODE
from contracts.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        f"letters/<{LETTER_CODE}:code>/verify/",
        views.LetterVerifyView.as_view(),
        name="letter-verify",
    ),
    path("documents/verify/", views.DocumentVerifyView.as_view(), name="document-verify"),
]
