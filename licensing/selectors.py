"""Reads of licensing."""

from django.shortcuts import get_object_or_404

from licensing.models import RegisterImport


def register_import_pending_get(pk: int) -> RegisterImport:
    """An uploaded list not yet loaded, or 404."""
    return get_object_or_404(RegisterImport, pk=pk, applied_at__isnull=True)
