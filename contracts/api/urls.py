from django.urls import URLPattern, URLResolver, path

from contracts.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("letters/<str:code>/verify/", views.LetterVerifyView.as_view(), name="letter-verify"),
]
