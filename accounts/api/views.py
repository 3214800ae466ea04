from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.web import signed_in_user
from audit.models import AuditCheckpoint


class AuditCheckpointSerializer(serializers.ModelSerializer[AuditCheckpoint]):
    class Meta:
        model = AuditCheckpoint
        fields = ["date", "entries", "head"]


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "email": serializers.EmailField(),
            "organization": serializers.CharField(allow_null=True),
            "role": serializers.CharField(),
        },
    )
)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who the token or session belongs to: lets a machine client check its credentials."""
    user = signed_in_user(request)
    organization = user.organization
    return Response(
        {
            "email": user.email,
            "organization": organization.tax_code if organization else None,
            "role": user.role,
        }
    )


class AuditCheckpointListView(generics.ListAPIView[AuditCheckpoint]):
    """The audit chain's head as published each day, newest first: keep copies, so that a
    log rewritten later can be proved so (``manage.py audit_verify --checkpoints FILE``)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    serializer_class = AuditCheckpointSerializer
    queryset = AuditCheckpoint.objects.order_by("-date")
