from rest_framework import serializers


class PartySerializer(serializers.Serializer):
    name = serializers.CharField()
    tax_code = serializers.CharField()


class BrokerPartySerializer(PartySerializer):
    license_number = serializers.CharField()


class AgentSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    agent_code = serializers.CharField()


class LetterVerificationSerializer(serializers.Serializer):
    """What a customs officer at the counter needs, and nothing more."""

    valid = serializers.BooleanField(help_text="Whether the letter authorises its agent today.")
    status = serializers.ChoiceField(choices=["issued", "revoked"])
    number = serializers.CharField()
    trader = PartySerializer()
    broker = BrokerPartySerializer()
    agent = AgentSerializer()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    procedures = serializers.ListField(child=serializers.CharField())
    customs_offices = serializers.ListField(child=serializers.CharField())
    checked_on = serializers.DateField()
