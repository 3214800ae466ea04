from typing import Any

from rest_framework import serializers

from risk.models import BrokerRisk, SignerRisk, Subject
from risk.signals import reasons_of


class ReasonSerializer(serializers.Serializer[Any]):
    signal = serializers.CharField()
    value = serializers.FloatField()
    peer_median = serializers.FloatField(allow_null=True)


class _RiskSerializer(serializers.ModelSerializer[Any]):
    """A ranked row with the reasons of its score: the signals that gave it points, each
    with its value and the median of its peers."""

    subject: str
    reasons = serializers.SerializerMethodField()

    def get_reasons(self, row: Any) -> list[dict[str, Any]]:
        return ReasonSerializer(reasons_of(self.subject, row), many=True).data  # type: ignore[return-value]


class SignerRiskSerializer(_RiskSerializer):
    subject = Subject.SIGNER

    class Meta:
        model = SignerRisk
        fields = ["signer_serial", "traders", "declarations", "declarants", "score", "reasons"]
        read_only_fields = fields


class BrokerRiskSerializer(_RiskSerializer):
    subject = Subject.BROKER
    license_number = serializers.CharField(source="broker.license_number")
    name = serializers.CharField(source="broker.organization.name")

    class Meta:
        model = BrokerRisk
        fields = ["license_number", "name", "score", "reasons"]
        read_only_fields = fields
