"""Health of the site's dependencies, for load balancers and operators."""

from typing import Any

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_reachable() -> bool:
    options: dict[str, Any] = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    try:
        with Connection(
            settings.CELERY_BROKER_URL, transport_options=options, connect_timeout=2
        ) as broker:
            # One try, no back-off: a load balancer asking wants its answer now.
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:
        return False
