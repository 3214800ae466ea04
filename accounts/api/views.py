from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.web import signed_in_user


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
