from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from contracts.models import LetterOfAuthority, ServiceContract


@pytest.fixture(autouse=True)
def private_storage(tmp_path: Path) -> Iterator[Path]:
    """Signed contracts and letters' PDFs of a test go to a temporary private folder, not
    var/private."""
    folder = tmp_path / "private"
    fields = [
        ServiceContract._meta.get_field("document"),
        LetterOfAuthority._meta.get_field("document"),
    ]
    originals = [field.storage for field in fields]  # type: ignore[union-attr]
    for field in fields:
        field.storage = FileSystemStorage(location=folder, base_url=None)  # type: ignore[union-attr]
    yield folder
    for field, original in zip(fields, originals, strict=True):
        field.storage = original  # type: ignore[union-attr]
