"""Demo data of the contracts app, created by ``seed_demo`` after the apps before it.

Every write goes through the services and looks up before it creates, so that running
``seed_demo`` twice creates nothing twice.
"""

from collections.abc import Callable


def seed(*, say: Callable[[str], None]) -> None:
    """Nothing yet: this app's issue fills it."""
