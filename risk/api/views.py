from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics

from accounts.filters import FilterBackend
from risk.api.serializers import BrokerRiskSerializer, ReasonSerializer, SignerRiskSerializer
from risk.filters import BrokerRiskFilter, SignerRiskFilter
from risk.models import BrokerRisk, SignerRisk, Subject
from risk.permissions import RiskReaderPermission
from risk.selectors import risk_ranking

# The schema documents the reasons as what they are (a method field says nothing).
extend_schema_field(ReasonSerializer(many=True))(SignerRiskSerializer.get_reasons)
extend_schema_field(ReasonSerializer(many=True))(BrokerRiskSerializer.get_reasons)


class SignerRiskListView(generics.ListAPIView[SignerRisk]):
    """Signing certificates (by serial) that signed declarations for ``min_traders`` or
    more different traders in the analysed window, most suspicious first (customs only).
    ``province`` is that of the organisation the certificate is registered to; ``office``
    keeps certificates with declarations at that customs office."""

    serializer_class = SignerRiskSerializer
    permission_classes = [RiskReaderPermission]
    filter_backends = [FilterBackend]
    filterset_class = SignerRiskFilter
    queryset = SignerRisk.objects.none()  # names the model for the schema

    def get_queryset(self) -> QuerySet[Any]:
        return risk_ranking(Subject.SIGNER)


class BrokerRiskListView(generics.ListAPIView[BrokerRisk]):
    """Brokers ranked by risk, with the reasons of each score (customs only)."""

    serializer_class = BrokerRiskSerializer
    permission_classes = [RiskReaderPermission]
    filter_backends = [FilterBackend]
    filterset_class = BrokerRiskFilter
    queryset = BrokerRisk.objects.none()

    def get_queryset(self) -> QuerySet[Any]:
        return risk_ranking(Subject.BROKER)
