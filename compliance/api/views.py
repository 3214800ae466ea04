from dataclasses import asdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.authentication import ApiTokenAuthentication
from accounts.api.parsers import BoundedJSONParser
from accounts.filters import FilterBackend
from accounts.web import signed_in_user
from compliance.api.serializers import (
    AuthorizationAnswerSerializer,
    AuthorizationQuerySerializer,
    DeclarationInSerializer,
    FlagSerializer,
    IngestRefusalSerializer,
    IngestResultSerializer,
)
from compliance.filters import FlagFilter
from compliance.models import Flag
from compliance.permissions import CustomsFeedPermission, can_check_authorization
from compliance.selectors import authorization_check, flags_visible_to
from compliance.services import declarations_ingest


class DeclarationIngestView(APIView):
    """Push a batch of declarations from the clearance system (the customs data feed)."""

    permission_classes = [CustomsFeedPermission]
    token_scope = "ingest"  # noqa: S105 - the scope an API token needs here, not a secret
    throttle_classes: list[Any] = []
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=DeclarationInSerializer(many=True),
        responses={
            200: IngestResultSerializer,
            201: IngestResultSerializer,
            400: IngestRefusalSerializer,
        },
        description="201 when rows were stored, 200 when every readable row was already on "
        "file; 400 when the batch is empty, too large or not a list, or when no row of it "
        "could be read (the body then lists every row's errors).",
        examples=[
            OpenApiExample(
                "One declaration",
                request_only=True,
                value=[
                    {
                        "number": "306000000001",
                        "registered_at": "2026-11-20T09:15:00+07:00",
                        "customs_office": "03CE",
                        "trader_tax_code": "0301234562",
                        "declarant_tax_code": "0201234569",
                        "agent_code": "HQ-00782-5",
                        "signer_serial": "54:00:0A:BC",
                        "channel": "green",
                    }
                ],
            )
        ],
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, list):
            return Response(
                {"detail": _("Send a JSON list of declarations.")}, status.HTTP_400_BAD_REQUEST
            )
        result = declarations_ingest(rows=request.data, by=signed_in_user(request))
        answer: int = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        if result.all_refused:
            answer = status.HTTP_400_BAD_REQUEST
        return Response(asdict(result), answer)


class AuthorizationView(APIView):
    """May this declarant file for this trader on that day? Clearance asks before it lets
    a declaration onto the green channel."""

    # The token scheme first: an anonymous caller is asked for credentials (401).
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[AuthorizationQuerySerializer],
        responses={200: AuthorizationAnswerSerializer},
    )
    def get(self, request: Request) -> Response:
        query = AuthorizationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if not can_check_authorization(
            request.user,
            trader_tax_code=params["trader"],
            declarant_tax_code=params["declarant"],
        ):
            raise PermissionDenied(
                _("You may ask only about your own organisation, as its trader or declarant.")
            )
        answer = authorization_check(
            trader_tax_code=params["trader"],
            declarant_tax_code=params["declarant"],
            on=params["on"],
            agent_code=params.get("agent", ""),
            signer_serial=params.get("signer", ""),
        )
        contract = asdict(answer.contract) if answer.contract is not None else None
        return Response(
            AuthorizationAnswerSerializer(
                {"authorized": answer.authorized, "reasons": answer.reasons, "contract": contract}
            ).data
        )


class FlagListView(generics.ListAPIView[Flag]):
    """Flags: customs sees all of them, a trader or a broker only its own. ``trader`` and
    ``broker`` match a tax code exactly or a name in part, ``broker`` also a licence number;
    ``since`` and ``until`` are days of the declaration's registration."""

    serializer_class = FlagSerializer
    filter_backends = [FilterBackend]
    filterset_class = FlagFilter
    queryset = Flag.objects.none()  # names the model for the schema; the rows are below

    def get_queryset(self) -> QuerySet[Flag]:
        return flags_visible_to(signed_in_user(self.request)).order_by("-raised_at", "-id")
