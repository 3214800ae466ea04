"""The product's URLs plus a trivial JSON view: the ceiling a request can reach on the same
server, middleware included, without touching the database."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns


def ceiling(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"count": 0, "next": None, "previous": None, "results": []})


urlpatterns = [path("bench/ceiling", ceiling), *product_urlpatterns]
