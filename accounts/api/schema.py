"""The OpenAPI schema's account of refusals: every operation documents each error status it
can answer, worked out from the view itself, so that the schema stays exact when a view's
authentication, permissions, throttles or parameters change."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer[Any]):
    """A refusal: what is wrong, in the reader's language."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """Bad input: ``detail`` when the request as a whole is refused, or a list of messages
    under each parameter or field that is wrong (``non_field_errors`` for a rule across
    several)."""

    detail = serializers.CharField(required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class RegistryAutoSchema(AutoSchema):
    """drf-spectacular's schema with the error responses of each operation:

    - 400 for every operation: a query or body that cannot be read (a control character, a
      body too large or nested too deeply, a parameter out of its pattern);
    - 401 when the first authentication scheme asks for credentials, 403 when a scheme
      refuses them or a permission refuses the caller;
    - 404 for a path with parameters and for a paginated list (a page past the end);
    - 415 for an operation that reads a body (a media type it does not parse);
    - 429 for a throttled operation.
    """

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, serializer in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(serializer, code)
        return responses

    def _error_responses(self) -> dict[str, Any]:
        view = self.view
        errors: dict[str, Any] = {"400": ValidationErrorSerializer}
        authenticators = view.get_authenticators()
        if authenticators and authenticators[0].authenticate_header(view.request):
            errors["401"] = ErrorSerializer
        public = all(isinstance(rule, AllowAny) for rule in view.get_permissions())
        if authenticators or not public:
            errors["403"] = ErrorSerializer
        if "{" in self.path or (self._is_list_view() and self._get_paginator() is not None):
            errors["404"] = ErrorSerializer
        if self.method in {"POST", "PUT", "PATCH"}:
            errors["415"] = ErrorSerializer
        if view.get_throttles():
            errors["429"] = ErrorSerializer
        return errors
