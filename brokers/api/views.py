"""The register's read-only public API (anonymous, throttled per client address)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from accounts.provinces import Province
from accounts.web import form_valid_or_400
from brokers.api.serializers import BrokerDetailSerializer, BrokerListSerializer
from brokers.forms import REGISTER_SORT_CHOICES, BrokerSearchForm
from brokers.models import Broker, BrokerStatus
from brokers.selectors import broker_register_entry, broker_search


@extend_schema(
    summary="Search the broker register",
    parameters=[
        OpenApiParameter(
            "q",
            str,
            description="Words matched in name, tax code and licence number, "
            "ignoring case and diacritics.",
        ),
        OpenApiParameter("province", str, enum=Province.values),
        OpenApiParameter("status", str, enum=BrokerStatus.values, description="Status today."),
        OpenApiParameter("office", str, description="Code of a customs office served."),
        OpenApiParameter("sort", str, enum=[value for value, _label in REGISTER_SORT_CHOICES]),
    ],
)
class BrokerListView(generics.ListAPIView[Broker]):
    permission_classes = [AllowAny]
    serializer_class = BrokerListSerializer

    def get_queryset(self) -> QuerySet[Broker]:
        form = BrokerSearchForm(self.request.query_params)
        form_valid_or_400(form)
        return broker_search(**form.search_filters())


@extend_schema(summary="One broker with its agents and sanctions history")
class BrokerDetailView(generics.RetrieveAPIView[Broker]):
    permission_classes = [AllowAny]
    serializer_class = BrokerDetailSerializer
    lookup_field = "license_number"
    queryset = Broker.objects.none()

    def get_object(self) -> Broker:
        broker = broker_register_entry(license_number=self.kwargs["license_number"])
        if broker is None:
            raise Http404(_("No broker holds this licence number."))
        return broker
