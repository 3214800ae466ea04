"""The register's search text: names, tax codes and licence numbers folded to plain
lower-case ASCII-like text, so that ``hai phong`` finds ``Hải Phòng``.

The same folding is applied to the stored column (``Broker.search_text``) and to the
query, in Python, so that SQLite and PostgreSQL answer alike; on PostgreSQL a trigram
GIN index on the column serves the ``LIKE '%word%'`` filters.
"""

import unicodedata

from brokers.models import Broker


def search_normalize(text: str) -> str:
    """Lower case, without diacritics (``đ`` becomes ``d``), whitespace collapsed."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def broker_search_text(broker: Broker) -> str:
    """The stored search column of one broker: its organisation's name and tax code, then
    its licence number (saved or not; the organisation must be set)."""
    organization = broker.organization
    return search_normalize(f"{organization.name} {organization.tax_code} {broker.license_number}")
