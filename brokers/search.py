"""The register's search text: names, tax codes and licence numbers folded to plain
lower-case ASCII-like text, so that ``hai phong`` finds ``Hải Phòng``.

The same folding is applied to the stored column (``Broker.search_text``) and to the
query, in Python, so that SQLite and PostgreSQL answer alike; on PostgreSQL a trigram
GIN index on the column serves the ``LIKE '%word%'`` filters.
"""

import unicodedata


def search_normalize(text: str) -> str:
    """Lower case, without diacritics (``đ`` becomes ``d``), whitespace collapsed."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def broker_search_text(*, name: str, tax_code: str, license_number: str) -> str:
    """The stored search column of one broker."""
    return search_normalize(f"{name} {tax_code} {license_number}")
