"""The register's common search terms, whose counts are kept ahead of time.

Most of the register's names are built from a few words: the legal form ("Công ty TNHH")
and the trade ("Đại lý Hải quan", "Giao nhận Vận tải"). A search made of such words
matches thousands of brokers, and counting them means reading every row (3 to 5 ms at
20,000 brokers). So each broker carries ``search_flags``, a bit per common term its search
text contains (a column the database works out with the same ``LIKE`` the search uses), and
``BrokerSearchCount`` keeps, by PostgreSQL triggers in the writing transaction, how many
brokers have each combination of bits: the count of such a search is a sum over those few
hundred rows, whatever the size of the register.

The terms' bits are fixed by their place in ``COMMON_TERMS``: a changed list is a migration
that removes ``Broker.search_flags`` and adds it again, then rebuilds the counts
(``brokers.migrations.0007_broker_search_counts.search_counts_rebuild``).
"""

from django.db.models import Case, Expression, ExpressionWrapper, Q, Value, When
from django.db.models.fields import BigIntegerField

# Abbreviations of company names people type for the words, and the words for them.
ABBREVIATIONS = {
    "cty": "cong ty",
    "tnhh": "trach nhiem huu han",
    "cp": "co phan",
    "tm": "thuong mai",
    "dv": "dich vu",
    "xnk": "xuat nhap khau",
    "tp": "thanh pho",
}
# The words of the trade in brokers' names: đại lý, hải quan, giao nhận, vận tải, tiếp vận,
# logistics, quốc tế, and the one-member company (MTV).
TRADE_WORDS = ("dai", "ly", "hai", "quan", "giao", "nhan", "van", "tai", "tiep", "logistics",
               "quoc", "te", "mtv")  # fmt: skip


def _common_terms() -> tuple[str, ...]:
    terms: list[str] = []
    for abbreviation, words in ABBREVIATIONS.items():
        terms += [abbreviation, words, *words.split()]
    terms += TRADE_WORDS
    return tuple(dict.fromkeys(terms))


# Folded text (``accounts.text.text_fold``), each one bit of ``search_flags``, at most 62 so
# that the flags stay a positive bigint.
COMMON_TERMS = _common_terms()
assert len(COMMON_TERMS) <= 62
TERM_BITS = {term: 1 << place for place, term in enumerate(COMMON_TERMS)}


def search_flags_expression() -> Expression:
    """The value of ``Broker.search_flags``: the sum of the bits of the common terms its
    ``search_text`` contains."""
    bits = [
        Case(When(Q(search_text__contains=term), then=Value(bit)), default=Value(0))
        for term, bit in TERM_BITS.items()
    ]
    total: Expression = bits[0]
    for bit in bits[1:]:
        total = total + bit
    return ExpressionWrapper(total, output_field=BigIntegerField())


def terms_mask(terms: tuple[str, ...]) -> int | None:
    """The bits of a search group's alternatives (any of which matches), or None when one
    of them is not a common term."""
    mask = 0
    for term in terms:
        if term not in TERM_BITS:
            return None
        mask |= TERM_BITS[term]
    return mask
