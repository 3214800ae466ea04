from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.identifiers import (
    AGENT_CODE_PATTERN,
    CUSTOMS_OFFICE_PATTERN,
    DECLARATION_NUMBER_PATTERN,
    SIGNER_SERIAL_PATTERN,
    TAX_CODE_FORMAT_MESSAGE,
    TAX_CODE_PATTERN,
    anchored,
)
from accounts.taxcode import tax_code_normalize
from compliance.models import Flag, FlagKind, FlagStatus


class IngestErrorSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class IngestResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    errors = IngestErrorSerializer(many=True)  # type: ignore[assignment]


class IngestRefusalSerializer(serializers.Serializer[Any]):
    """A refused batch: ``detail`` says why the batch as a whole was refused, or ``errors``
    lists what is wrong with each row when none could be read."""

    detail = serializers.CharField(required=False)
    created = serializers.IntegerField(required=False)
    duplicates = serializers.IntegerField(required=False)
    errors = IngestErrorSerializer(many=True, required=False)  # type: ignore[assignment]


def _text(pattern: str, message: Any = None, **kwargs: Any) -> serializers.CharField:
    validator = RegexValidator(anchored(pattern), message, code="format")
    return serializers.CharField(validators=[validator], **kwargs)


class DeclarationInSerializer(serializers.Serializer[Any]):
    """One declaration of a batch (documentation only: rows are validated one by one by
    the ingest service, ``compliance.forms.DeclarationRowCleaner`` with the messages of
    ``DeclarationRowForm``, so that a broken row never loses the good ones). Every value is
    a JSON string; the customs office must be one of the registry's."""

    number = _text(DECLARATION_NUMBER_PATTERN, max_length=32)
    registered_at = serializers.DateTimeField()
    customs_office = _text(CUSTOMS_OFFICE_PATTERN, max_length=8)
    trader_tax_code = _text(TAX_CODE_PATTERN, max_length=14)
    declarant_tax_code = _text(TAX_CODE_PATTERN, max_length=14)
    agent_code = _text(
        AGENT_CODE_PATTERN, max_length=32, required=False, allow_blank=True, allow_null=True
    )
    signer_serial = _text(
        SIGNER_SERIAL_PATTERN, max_length=96, required=False, allow_blank=True, allow_null=True
    )
    channel = serializers.ChoiceField(choices=["green", "yellow", "red"])


def _tax_code(value: str) -> str:
    try:
        return tax_code_normalize(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


class AuthorizationQuerySerializer(serializers.Serializer[Any]):
    trader = _text(TAX_CODE_PATTERN, TAX_CODE_FORMAT_MESSAGE, help_text=_("The trader's tax code."))
    declarant = _text(
        TAX_CODE_PATTERN, TAX_CODE_FORMAT_MESSAGE, help_text=_("The declarant's tax code.")
    )
    on = serializers.DateField(required=False, help_text=_("The day (today by default)."))
    agent = _text(
        AGENT_CODE_PATTERN,
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_("The agent code, to check the letter."),
    )
    signer = _text(
        SIGNER_SERIAL_PATTERN,
        max_length=96,
        required=False,
        allow_blank=True,
        help_text=_("The signer certificate's serial, to check the signature."),
    )

    def validate_trader(self, value: str) -> str:
        return _tax_code(value)

    def validate_declarant(self, value: str) -> str:
        return _tax_code(value)

    def validate_agent(self, value: str) -> str:
        return value.strip().upper()

    def validate_signer(self, value: str) -> str:
        return "".join(ch for ch in value if ch not in ": -").upper().lstrip("0")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("on", timezone.localdate())
        return attrs


class AuthorizationContractSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.CharField()


class AuthorizationAnswerSerializer(serializers.Serializer[Any]):
    authorized = serializers.BooleanField()
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The flag kinds the declaration would get: %(kinds)s.")
        % {"kinds": ", ".join(FlagKind.values)},
    )
    contract = AuthorizationContractSerializer(allow_null=True)


class FlagSerializer(serializers.ModelSerializer[Flag]):
    # Null on a flag raised on a refused contract upload (then ``refused_contract`` is set).
    declaration = serializers.CharField(source="declaration.number", allow_null=True)
    registered_at = serializers.DateTimeField(source="declaration.registered_at", allow_null=True)
    trader_tax_code = serializers.CharField(source="declaration.trader_tax_code", allow_null=True)
    declarant_tax_code = serializers.CharField(
        source="declaration.declarant_tax_code", allow_null=True
    )
    agent_code = serializers.CharField(source="declaration.agent_code", allow_null=True)
    refused_contract = serializers.CharField(
        source="contract_refusal.reference",
        allow_null=True,
        help_text="The reference of the contract upload refused for a lent signature.",
    )
    broker = serializers.CharField(source="broker.license_number", allow_null=True, default=None)
    status = serializers.ChoiceField(choices=FlagStatus.choices)

    class Meta:
        model = Flag
        fields = [
            "id",
            "kind",
            "status",
            "declaration",
            "refused_contract",
            "registered_at",
            "trader_tax_code",
            "declarant_tax_code",
            "agent_code",
            "broker",
            "note",
            "raised_at",
            "resolved_at",
        ]
        read_only_fields = fields
