from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.schema import ErrorSerializer, ValidationErrorSerializer
from accounts.api.throttling import (
    ClientAnonRateThrottle,
    DocumentCheckRateThrottle,
    LetterCheckRateThrottle,
)
from contracts.api.serializers import (
    DocumentUploadSerializer,
    DocumentVerificationSerializer,
    LetterVerificationSerializer,
)
from contracts.selectors import letter_by_code
from contracts.status import letter_invalid_reasons
from contracts.verification import document_report_data, document_verify


class LetterVerifyView(APIView):
    """Public check of a letter of authority by its verification code."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    # As many look-ups as the public page allows, on the same count.
    throttle_classes = [ClientAnonRateThrottle, LetterCheckRateThrottle]

    @extend_schema(
        responses={200: LetterVerificationSerializer},
        summary="Verify a letter of authority",
        description="Whether the letter is valid today; 404 for an unknown code.",
    )
    def get(self, request: Request, code: str) -> Response:
        letter = letter_by_code(code)
        if letter is None:
            raise Http404
        today = timezone.localdate()
        contract = letter.contract
        broker = contract.broker
        reasons = letter_invalid_reasons(letter=letter, on=today)
        data = {
            "valid": not reasons,
            "reasons": reasons,
            "status": letter.status,
            "number": letter.number,
            "trader": {"name": contract.trader.name, "tax_code": contract.trader.tax_code},
            "broker": {
                "name": broker.organization.name,
                "tax_code": broker.organization.tax_code,
                "license_number": broker.license_number,
            },
            "agent": {"full_name": letter.agent.full_name, "agent_code": letter.agent.agent_code},
            "valid_from": letter.valid_from,
            "valid_until": letter.valid_until,
            "procedures": letter.procedures,
            "customs_offices": [office.code for office in letter.customs_offices.all()],
            "checked_on": today,
        }
        return Response(LetterVerificationSerializer(data).data)


class DocumentVerifyView(APIView):
    """Public check of the signatures of an uploaded PDF, and of the registry's seal on a
    letter of authority. Nothing uploaded is stored."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    parser_classes = [MultiPartParser]
    throttle_classes = [ClientAnonRateThrottle, DocumentCheckRateThrottle]

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            200: DocumentVerificationSerializer,
            400: ValidationErrorSerializer,
            413: ErrorSerializer,
        },
        summary="Check the signatures of a PDF",
        description="One entry per embedded signature; `seal` is the registry's seal on a "
        "letter of authority, or null. Not a PDF, encrypted, broken or too large: 400.",
    )
    def post(self, request: Request) -> Response:
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = document_verify(serializer.validated_data["file"])
        return Response(DocumentVerificationSerializer(document_report_data(report)).data)
