"""The register's read-only public API (anonymous, throttled per client address)."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.api.throttling import first_refusal, read_with_throttle, reads_with_throttle
from accounts.filters import FilterBackend
from accounts.identifiers import CUSTOMS_OFFICE_PATTERN, anchored
from accounts.replica import ReplicaReadsMixin
from brokers.api.serializers import BrokerDetailSerializer, BrokerListSerializer
from brokers.cache import register_answer_found, register_cache_keys, register_cached
from brokers.filters import BrokerFilter
from brokers.models import Broker
from brokers.pagination import RegisterPagination
from brokers.selectors import broker_register, broker_register_entry


@extend_schema(
    summary="Search the broker register",
    description="`q` matches words of the name, tax code and licence number, ignoring case "
    "and diacritics; `status` is the status today; `office` is the code of a customs office "
    "the broker serves.",
    parameters=[
        OpenApiParameter(
            "office",
            str,
            pattern=anchored(CUSTOMS_OFFICE_PATTERN),
            description="The code of a customs office the broker serves (one the registry "
            "knows; another code is refused with a 400).",
        )
    ],
)
class BrokerListView(ReplicaReadsMixin, generics.ListAPIView[Broker]):
    permission_classes = [AllowAny]
    serializer_class = BrokerListSerializer
    filter_backends = [FilterBackend]
    filterset_class = BrokerFilter
    pagination_class = RegisterPagination
    # The cache keys of this request's answer, worked out before its throttles count it.
    _answer_keys: list[str]

    def get_queryset(self) -> QuerySet[Broker]:
        return broker_register()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """An anonymous JSON GET whose answer is cached is answered here, before DRF wraps,
        negotiates and authenticates the request (a third of such an answer's cost): counted
        by the same throttles in their one round trip, which reads the answer too, and sent
        with the bytes and headers DRF would send. Everything else is DRF's: a signed-in or
        token caller, another format, a refused request (DRF's 429), an answer not cached."""
        if _plain_anonymous_json_get(request):
            keys = register_cache_keys(self._cache_parts(request, JSONRenderer.media_type))
            self._answer_keys = keys
            reads_with_throttle(request, keys)
            # The site's throttles count a Django request as they count DRF's.
            refusing = first_refusal(request, self.get_throttles(), self)
            if refusing is not None:
                request._throttle_refused = refusing.wait()  # type: ignore[attr-defined]
            else:
                request._throttle_counted = True  # type: ignore[attr-defined]
                body = register_answer_found(keys, read_with_throttle(request))
                if body is not None:
                    response = HttpResponse(body, content_type=JSONRenderer.media_type)
                    headers = self.default_response_headers
                    if "Vary" in headers:
                        patch_vary_headers(response, [headers.pop("Vary")])
                    for header, value in headers.items():
                        response[header] = value
                    return response
        return super().dispatch(request, *args, **kwargs)

    def check_throttles(self, request: Request) -> None:
        # Counted already on the way in (``dispatch``): refused, or not to be counted twice.
        refused = getattr(request._request, "_throttle_refused", False)
        if refused is not False:
            self.throttled(request, refused)
        if getattr(request._request, "_throttle_counted", False):
            return  # with the keys of a JSON answer, which DRF chose too
        json = request.accepted_renderer.format == "json"
        parts = self._cache_parts(request, request.accepted_media_type if json else None)
        self._answer_keys = register_cache_keys(parts)
        # The throttle's round trip to the cache also reads this request's cached answer.
        reads_with_throttle(request, self._answer_keys)
        super().check_throttles(request)

    def _cache_parts(
        self, request: HttpRequest | Request, media_type: str | None
    ) -> tuple[object, ...]:
        """What the answer is cached under: the address asked on (its links name it), every
        parameter, and for a JSON client the media type of the bytes sent (None for another
        renderer, which is sent the data)."""
        asked = ("api", request.build_absolute_uri(request.path), *sorted(request.GET.lists()))
        if media_type is None:
            return asked
        return (*asked, "json", media_type)

    def list(  # type: ignore[override]
        self, request: Request, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        """The page of results, cached until the register changes (``brokers.cache``): as
        the JSON sent, for a JSON client; its links name the address it was asked on."""
        answer = super().list
        keys, found = self._answer_keys, read_with_throttle(request)
        if request.accepted_renderer.format != "json":
            data = register_cached(keys, lambda: answer(request, *args, **kwargs).data, found)
            return Response(data)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type

        def rendered() -> bytes:
            data = answer(request, *args, **kwargs).data
            body = renderer.render(data, media_type, self.get_renderer_context())
            return body.encode() if isinstance(body, str) else body

        body = register_cached(keys, rendered, found)
        return HttpResponse(body, content_type=media_type)


def _plain_anonymous_json_get(request: HttpRequest) -> bool:
    """A GET with no credentials (no session cookie, no Authorization header) that takes
    JSON as DRF would choose it: no ``format`` parameter, any or no Accept."""
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and request.META.get("HTTP_ACCEPT", "*/*") in ("*/*", JSONRenderer.media_type)
        and api_settings.URL_FORMAT_OVERRIDE not in request.GET
    )


@extend_schema(summary="One broker with its agents and sanctions history")
class BrokerDetailView(ReplicaReadsMixin, generics.RetrieveAPIView[Broker]):
    permission_classes = [AllowAny]
    serializer_class = BrokerDetailSerializer
    lookup_field = "license_number"
    queryset = Broker.objects.none()

    def get_object(self) -> Broker:
        broker = broker_register_entry(license_number=self.kwargs["license_number"])
        if broker is None:
            raise Http404(_("No broker holds this licence number."))
        return broker
