"""The plan's sentences in the reader's language: the `lang` argument of the fields that carry the solver's text.

The solver keys each sentence it words (solver/phrases.py); the service words it in the reader's language
(`Services.say`, api/present/sentences.py). Without `lang` the firm's language (setFirmLanguage) is the
reader's, read once per request; a firm with none, a language other than French, or a sentence the solver did
not key get the solver's English, as before the argument existed.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from schema.services import services_of
from solver.phrases import Phrase

Lang = Annotated[
    str | None,
    strawberry.argument(
        description='The reader\'s language, "en" or "fr" ("fr-CA" is "fr"; another is English); null: the firm\'s '
        "language (setFirmLanguage), else English."
    ),
]


async def worded(info: Info[Any, Any], phrase: Phrase | None, english: str, lang: str | None) -> str:
    """`english` in the reader's language: `lang`, else the firm's."""
    say = services_of(info.context).say
    if say is None or phrase is None:
        return english
    if lang is None:
        loaders = getattr(info.context, "loaders", None)
        lang = None if loaders is None else await loaders.firm_language.load(info.context.tenant_id)
    return say(phrase, english, lang)
