from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request in Vietnamese leaves Vietnamese active in the test thread (LocaleMiddleware
    # activates, nothing deactivates): later tests that call code directly expect English.
    yield
    translation.activate(settings.LANGUAGE_CODE)
