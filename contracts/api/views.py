from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.throttling import ClientAnonRateThrottle, LetterCheckRateThrottle
from contracts.api.serializers import LetterVerificationSerializer
from contracts.selectors import letter_by_code
from contracts.status import letter_is_valid


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
        data = {
            "valid": letter_is_valid(letter=letter, on=today),
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
