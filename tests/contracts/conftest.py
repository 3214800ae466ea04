from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from contracts.models import ServiceContract


@pytest.fixture(autouse=True)
def private_storage(tmp_path: Path) -> Iterator[Path]:
    """Signed contracts of a test go to a temporary private folder, not var/private."""
    field = ServiceContract._meta.get_field("document")
    original = field.storage  # type: ignore[union-attr]
    folder = tmp_path / "private"
    field.storage = FileSystemStorage(location=folder, base_url=None)  # type: ignore[union-attr]
    yield folder
    field.storage = original  # type: ignore[union-attr]
