"""pyHanko's synchronous calls, wherever they are made from."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_any_event_loop(work: Callable[[], T]) -> T:
    """pyHanko's synchronous calls start an event loop of their own (``asyncio.run``), which
    fails in a thread where one already runs (an async server's, a browser driver's): there,
    the work is done in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()
