"""The site's URLs with two views that fail, for the tests of the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import (  # noqa: F401 - the error handlers come with the URLs
    handler400,
    handler403,
    handler404,
    handler500,
    urlpatterns,
)


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail of the failure")


urlpatterns = [
    path("failing/", failing_view),
    path("api/v1/failing/", failing_view),
    *urlpatterns,
]
