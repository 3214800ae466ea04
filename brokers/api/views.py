"""The register's read-only public API (anonymous, throttled per client address)."""

from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.throttling import read_with_throttle, reads_with_throttle
from accounts.filters import FilterBackend
from accounts.identifiers import CUSTOMS_OFFICE_PATTERN, anchored
from accounts.replica import ReplicaReadsMixin
from brokers.api.serializers import BrokerDetailSerializer, BrokerListSerializer
from brokers.cache import register_cache_keys, register_cached
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

    def get_queryset(self) -> QuerySet[Broker]:
        return broker_register()

    def check_throttles(self, request: Request) -> None:
        # The throttle's round trip to the cache also reads this request's cached answer.
        reads_with_throttle(request, register_cache_keys(self._cache_parts(request)))
        super().check_throttles(request)

    def _cache_parts(self, request: Request) -> tuple[object, ...]:
        parts = ("api", request.build_absolute_uri(request.path), *sorted(request.GET.lists()))
        if request.accepted_renderer.format != "json":
            return parts
        return (*parts, "json", request.accepted_media_type)

    def list(  # type: ignore[override]
        self, request: Request, *args: object, **kwargs: object
    ) -> HttpResponseBase:
        """The page of results, cached until the register changes (``brokers.cache``): as
        the JSON sent, for a JSON client; its links name the address it was asked on."""
        answer = super().list
        parts, found = self._cache_parts(request), read_with_throttle(request)
        if request.accepted_renderer.format != "json":
            data = register_cached(parts, lambda: answer(request, *args, **kwargs).data, found)
            return Response(data)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type

        def rendered() -> bytes:
            data = answer(request, *args, **kwargs).data
            body = renderer.render(data, media_type, self.get_renderer_context())
            return body.encode() if isinstance(body, str) else body

        body = register_cached(parts, rendered, found)
        return HttpResponse(body, content_type=media_type)


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
