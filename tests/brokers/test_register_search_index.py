"""On PostgreSQL the register's search is served by the trigram GIN index."""

import pytest
from django.db import connection

from brokers.selectors import broker_search
from tests.factories import BrokerFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only"
    ),
]


def test_trigram_index_exists_and_serves_the_search() -> None:
    BrokerFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'brokers_broker_search_text_trgm'"
        )
        (definition,) = cursor.fetchone()
        # A handful of rows would be read sequentially (or along the primary key): forbid
        # both, so that the plan shows whether the trigram index can serve the filter.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    assert "gin_trgm_ops" in definition

    plan = broker_search(q="hai phong").explain()

    assert "brokers_broker_search_text_trgm" in plan
