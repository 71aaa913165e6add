"""The solver's sentences in the reader's language: a step's detail, a deadline's and a finding's message.

The solver keys each sentence it words (solver/phrases.py): its English template is the message id of the
gettext domain `explain` (api/locale/fr/LC_MESSAGES/explain.po), and its arguments fill the translation. A
permit's name (`name`) is translated as the `plan` domain names it, an amount (`fee`) is written as the
language writes decimals; dates, codes and rule ids stay as they are. English, a sentence the solver did not key,
or a key this version's catalog lacks (a plan stored by a later release) keep the solver's own English.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from babel.numbers import format_decimal

from api.i18n import DEFAULT, gettext_for, supported
from api.present.words import LOCALES
from solver.phrases import TEMPLATES, Arg, Phrase

DOMAIN: Final = "explain"


def say(phrase: Phrase | None, english: str, lang: str | None) -> str:
    """`english` in `lang`, worded from `phrase` (the solver's key and arguments of the same sentence)."""
    chosen = supported(lang) or DEFAULT
    if chosen == DEFAULT or phrase is None or not _known(phrase):
        return english
    _ = gettext_for(DOMAIN, chosen)
    names = gettext_for("plan", chosen)

    def value(arg: Arg) -> str:
        if arg.name == "name":
            return names(arg.value)
        if arg.name == "fee":
            return format_decimal(Decimal(arg.value), format="#,##0.00", locale=LOCALES[chosen])
        return arg.value

    return phrase.render(lambda key: _(TEMPLATES[key]), value)


def _known(phrase: Phrase) -> bool:
    """Whether this version's templates hold every key of `phrase` (its own and its nested phrases')."""
    return phrase.key in TEMPLATES and all(a.phrase is None or _known(a.phrase) for a in phrase.args)
