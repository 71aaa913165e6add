"""The reader's language and the catalogs: negotiation order and the fallback to English."""

from __future__ import annotations

import pytest

from api import i18n


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "en"),
        ({"accept_language": "fr-CA,fr;q=0.9,en;q=0.8"}, "fr"),
        ({"accept_language": "de-DE,en;q=0.5,fr;q=0.7"}, "fr"),
        ({"accept_language": "de, es;q=0.4"}, "en"),
        ({"accept_language": "fr;q=0, en"}, "en"),
        ({"accept_language": "fr;q=abc, en"}, "en"),
        ({"firm": "fr", "accept_language": "en"}, "fr"),
        ({"choice": "en", "firm": "fr", "accept_language": "fr"}, "en"),
        ({"choice": "xx", "firm": "FR_ca"}, "fr"),
    ],
)
def test_negotiate_prefers_choice_then_firm_then_header(kwargs: dict[str, str], expected: str) -> None:
    assert i18n.negotiate(**kwargs) == expected


def test_a_domain_without_a_catalog_answers_the_ids() -> None:
    _ = i18n.gettext_for("no-such-domain", "fr")
    assert _("Apply by {day}") == "Apply by {day}"
