"""The register's search text: names, tax codes and licence numbers folded to plain
lower-case ASCII-like text, so that ``hai phong`` finds ``Hải Phòng``, with a space at each
end, so that a whole word is found as `` word `` without building a padded copy per row.

The same folding is applied to the stored column (``Broker.search_text``) and to the
query, in Python, so that SQLite and PostgreSQL answer alike; on PostgreSQL a trigram
GIN index on the column serves the ``LIKE '%word%'`` filters.
"""

from accounts.text import text_fold
from brokers.models import Broker


def broker_search_text(broker: Broker) -> str:
    """The stored search column of one broker: its organisation's name and tax code, then
    its licence number, between two spaces (saved or not; the organisation must be set)."""
    organization = broker.organization
    folded = text_fold(f"{organization.name} {organization.tax_code} {broker.license_number}")
    return f" {folded} "
