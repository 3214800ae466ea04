"""pyHanko's synchronous calls work in a thread where an event loop already runs (a browser
driver's in the end-to-end tests, an async server's)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pytest
from pypdf import PdfReader

from contracts.seal import pdf_seal
from contracts.signatures import pdf_signatures_check
from tests.factories import minimal_pdf

pytestmark = pytest.mark.django_db


def _in_a_running_loop(coroutine_function):  # type: ignore[no-untyped-def]
    # A thread of its own, whose event loop runs the coroutine: the suite's own thread may
    # already run one (the browser tests').
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function()).result()


def test_a_letter_is_sealed_and_checked_inside_a_running_event_loop() -> None:
    async def inside() -> bytes:
        return pdf_seal(minimal_pdf(), number="TEST-0001")

    sealed = _in_a_running_loop(inside)

    assert "RegistrySeal" in (PdfReader(BytesIO(sealed)).get_fields() or {})

    async def check() -> list[object]:
        return list(pdf_signatures_check(sealed, roots=[]))

    (signature,) = _in_a_running_loop(check)
    assert signature.intact  # type: ignore[attr-defined]
