from dataclasses import asdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.web import form_valid_or_400, signed_in_user
from compliance.api.serializers import (
    AuthorizationAnswerSerializer,
    AuthorizationQuerySerializer,
    DeclarationInSerializer,
    FlagSerializer,
    IngestResultSerializer,
)
from compliance.forms import FlagFilterForm
from compliance.models import Flag
from compliance.permissions import CustomsFeedPermission
from compliance.selectors import authorization_check, flags_filter, flags_visible_to
from compliance.services import declarations_ingest
from contracts.status import contract_status


class DeclarationIngestView(APIView):
    """Push a batch of declarations from the clearance system (the customs data feed)."""

    permission_classes = [CustomsFeedPermission]
    throttle_classes: list[Any] = []

    @extend_schema(
        request=DeclarationInSerializer(many=True),
        responses={200: IngestResultSerializer, 201: IngestResultSerializer},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, list):
            return Response(
                {"detail": _("Send a JSON list of declarations.")}, status.HTTP_400_BAD_REQUEST
            )
        result = declarations_ingest(rows=request.data, by=signed_in_user(request))
        body = asdict(result)
        return Response(body, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class AuthorizationView(APIView):
    """May this declarant file for this trader on that day? Clearance asks before it lets
    a declaration onto the green channel."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[AuthorizationQuerySerializer],
        responses={200: AuthorizationAnswerSerializer},
    )
    def get(self, request: Request) -> Response:
        query = AuthorizationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        answer = authorization_check(
            trader_tax_code=params["trader"],
            declarant_tax_code=params["declarant"],
            on=params["on"],
            agent_code=params.get("agent", ""),
            signer_serial=params.get("signer", ""),
        )
        contract = None
        if answer.contract is not None:
            contract = {
                "reference": answer.contract.reference,
                "valid_from": answer.contract.valid_from,
                "valid_until": answer.contract.valid_until,
                "status": contract_status(contract=answer.contract, on=params["on"]),
            }
        return Response(
            AuthorizationAnswerSerializer(
                {"authorized": answer.authorized, "reasons": answer.reasons, "contract": contract}
            ).data
        )


@extend_schema(
    parameters=[
        OpenApiParameter(name, OpenApiTypes.STR, description=description)
        for name, description in [
            ("kind", "Flag kind."),
            ("status", "open, acknowledged, resolved or dismissed."),
            ("trader", "The trader's tax code or part of its name."),
            ("broker", "The broker's tax code, licence number or part of its name."),
        ]
    ]
)
class FlagListView(generics.ListAPIView[Flag]):
    """Flags: customs sees all of them, a trader or a broker only its own."""

    serializer_class = FlagSerializer

    def get_queryset(self) -> QuerySet[Flag]:
        flags = flags_visible_to(signed_in_user(self.request))
        form = FlagFilterForm(self.request.query_params)
        form_valid_or_400(form)
        return flags_filter(flags, **form.cleaned_data).order_by("-raised_at", "-id")
