from rest_framework import serializers

from accounts.provinces import Province
from brokers.models import Broker, BrokerAgent, BrokerStatus, CustomsOffice, Sanction


class BrokerListSerializer(serializers.ModelSerializer[Broker]):
    """One row of the register; ``status`` is the derived status annotated by the selector."""

    name = serializers.CharField(source="organization.name")
    tax_code = serializers.CharField(source="organization.tax_code")
    province = serializers.ChoiceField(source="organization.province", choices=Province.choices)
    status = serializers.ChoiceField(choices=BrokerStatus.choices)
    license_issued_on = serializers.DateField(source="issued_on")
    license_valid_until = serializers.DateField(source="valid_until")

    class Meta:
        model = Broker
        fields = [
            "license_number",
            "name",
            "tax_code",
            "province",
            "status",
            "license_issued_on",
            "license_valid_until",
        ]
        read_only_fields = fields


class CustomsOfficeSerializer(serializers.ModelSerializer[CustomsOffice]):
    class Meta:
        model = CustomsOffice
        fields = ["code", "name", "province"]
        read_only_fields = fields


class BrokerAgentSerializer(serializers.ModelSerializer[BrokerAgent]):
    class Meta:
        model = BrokerAgent
        fields = ["full_name", "agent_code", "valid_until", "status", "withdrawn_on"]
        read_only_fields = fields


class SanctionSerializer(serializers.ModelSerializer[Sanction]):
    in_force = serializers.BooleanField(help_text="In force today.")

    class Meta:
        model = Sanction
        fields = [
            "kind",
            "reason",
            "decision_number",
            "starts_on",
            "ends_on",
            "lifted_on",
            "lift_reason",
            "in_force",
        ]
        read_only_fields = fields


class BrokerDetailSerializer(BrokerListSerializer):
    address = serializers.CharField(source="organization.address")
    phone = serializers.CharField(source="organization.phone")
    # Empty when the broker gave none (a firm recognised without one): not an e-mail format.
    email = serializers.CharField(
        source="organization.email", help_text="The broker's e-mail address, or empty."
    )
    customs_offices = CustomsOfficeSerializer(many=True)
    agents = BrokerAgentSerializer(many=True, source="agents.all")
    sanctions = SanctionSerializer(many=True, source="sanctions.all")

    class Meta(BrokerListSerializer.Meta):
        fields = [
            *BrokerListSerializer.Meta.fields,
            "address",
            "phone",
            "email",
            "customs_offices",
            "agents",
            "sanctions",
        ]
        read_only_fields = fields
