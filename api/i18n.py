"""French and English: which language a reader gets, and the gettext catalogs of each text domain.

Catalogs are Babel `.po` files under `api/locale/<lang>/LC_MESSAGES/<domain>.po`, read and compiled in
memory on first use (no build step, nothing downloaded). English is the source language: its catalog is the
message ids themselves. Each part of the product that writes prose has its own domain (`page` for the
workspace, `plan` for the timeline, handout, calendar and the plan's explanations), so the two never edit one
file. Strings are whole sentences with named placeholders (`_("Apply by {day}").format(day=...)`), never
pieces joined in one language.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable
from importlib import resources
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES: Final = ("en", "fr")
DEFAULT: Final = "en"

Translate = Callable[[str], str]


def supported(lang: str | None) -> str | None:
    """`lang` as one of LANGUAGES ("fr-CA" is "fr"), or None when it is none of them."""
    if not lang:
        return None
    primary = lang.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


def negotiate(*, choice: str | None = None, firm: str | None = None, accept_language: str | None = None) -> str:
    """The reader's language: their own choice first, then the firm's setting, then Accept-Language, then English."""
    for lang in (choice, firm):
        found = supported(lang)
        if found:
            return found
    for lang, _quality in _accepted(accept_language or ""):
        found = supported(lang)
        if found:
            return found
    return DEFAULT


def _accepted(header: str) -> list[tuple[str, float]]:
    """The languages of an Accept-Language header, best first (RFC 9110 §12.5.4); a malformed part is skipped."""
    ranked: list[tuple[str, float]] = []
    for part in header.split(","):
        lang, _, params = part.strip().partition(";")
        if not lang or lang == "*":
            continue
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                continue
        if quality > 0:
            ranked.append((lang.strip(), quality))
    return sorted(ranked, key=lambda item: -item[1])


@functools.cache
def translations(domain: str, lang: str) -> gettext.NullTranslations:
    """The catalog of `domain` in `lang`; English, or a domain with no catalog in `lang`, is the ids themselves."""
    if lang == DEFAULT:
        return gettext.NullTranslations()
    path = resources.files("api") / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang, domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=domain)


def gettext_for(domain: str, lang: str) -> Translate:
    """`_` for one domain and language."""
    return translations(domain, supported(lang) or DEFAULT).gettext
