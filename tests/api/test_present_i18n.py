"""The `plan` domain's French catalog (api/locale/fr/LC_MESSAGES/plan.po) against the code: every message the
timeline, the handout, the calendar (and its feed's title) and the CLI timeline write has a French translation
with the same named placeholders, and the catalog holds no message the code no longer writes."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from api.i18n import gettext_for

ROOT = Path(__file__).parents[2]
SOURCES = [
    *sorted((ROOT / "api" / "present").glob("*.py")),
    ROOT / "api" / "plan_command.py",
    ROOT / "api" / "plan_files.py",
]
CATALOG = ROOT / "api" / "locale" / "fr" / "LC_MESSAGES" / "plan.po"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def written() -> set[str]:
    """The message ids of the sources: `_()` calls (also as `words._`) and `N_()` marks."""
    ids: set[str] = set()
    for path in SOURCES:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"_": None, "N_": None}
        ):
            assert isinstance(message, str), (path, message)
            ids.add(message)
    return ids


def catalog() -> dict[str, str]:
    with CATALOG.open("rb") as po:
        return {str(m.id): str(m.string) for m in read_po(po, locale="fr_CA") if m.id}


def test_every_message_has_a_french_translation_with_the_same_placeholders() -> None:
    french = catalog()
    ids = written()
    assert len(ids) > 80
    assert sorted(ids - french.keys()) == []
    for message in ids:
        assert french[message].strip(), message
        assert sorted(PLACEHOLDER.findall(french[message])) == sorted(PLACEHOLDER.findall(message)), message


def test_the_catalog_holds_nothing_the_code_no_longer_writes() -> None:
    assert sorted(catalog().keys() - written()) == []


def test_the_catalog_is_read_at_run_time() -> None:
    _ = gettext_for("plan", "fr-CA")
    assert _("Deadlines") == "Dates limites"
    assert _("Spouse or partner") == "Époux ou conjoint de fait"
    assert gettext_for("plan", "en")("Deadlines") == "Deadlines"
