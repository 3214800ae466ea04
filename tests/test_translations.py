import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"


def _entries() -> list[str]:
    text = CATALOGUE.read_text(encoding="utf-8")
    return [block for block in re.split(r"\n\s*\n", text) if "msgid " in block]


def test_every_vietnamese_message_is_translated() -> None:
    untranslated = []
    for block in _entries()[1:]:  # the first entry is the catalogue header
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        empty = re.search(r'^msgstr(\[0\])? ""$', block, re.M) and not re.search(
            r'^msgstr(\[0\])? ""\n"', block, re.M
        )
        fuzzy = re.search(r"^#,.*fuzzy", block, re.M)
        if empty or fuzzy:
            untranslated.append(msgid.group(1) if msgid else block)
    assert untranslated == []
