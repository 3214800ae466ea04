from rest_framework import serializers

from contracts.status import LetterInvalid


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
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=LetterInvalid.values),
        help_text="Why the letter is not valid today (empty when it is).",
    )
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


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The PDF to check (at most 10 MB). Not stored.")


class SignatureReportSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The signature field's name.")
    signer = serializers.CharField(help_text="Whom the certificate names.")
    tax_code = serializers.CharField(
        allow_blank=True, help_text="The tax code written in the certificate (MST), or empty."
    )
    issuer = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    intact = serializers.BooleanField(help_text="The signed bytes are unchanged.")
    covers_document = serializers.BooleanField(
        help_text="Nothing but permitted changes (a later signature, form filling) follows it."
    )
    trusted = serializers.BooleanField(
        help_text="The certificate chains to the registry's trust list and was valid when used."
    )
    registered_to = serializers.CharField(
        allow_null=True,
        help_text="Tax code of the organisation that registered the signing certificate.",
    )
    problems = serializers.ListField(child=serializers.CharField())


class SealLetterSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text="`issued` or `revoked`.")
    valid_today = serializers.BooleanField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


class SealReportSerializer(serializers.Serializer):
    valid = serializers.BooleanField(
        help_text="The registry's seal is intact, nothing follows it, and it names a letter."
    )
    letter = SealLetterSerializer(allow_null=True)


class DocumentVerificationSerializer(serializers.Serializer):
    signatures = SignatureReportSerializer(many=True)
    seal = SealReportSerializer(allow_null=True)
