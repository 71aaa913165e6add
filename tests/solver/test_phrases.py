"""The solver's keyed sentences (solver/phrases.py): the English is its template's, filled with the arguments;
a key or an argument the table does not know is a bug, met where the phrase is made."""

from __future__ import annotations

import pytest

from solver.domain import Role
from solver.phrases import TEMPLATES, Arg, Phrase, all_of, role


def test_the_english_is_the_template_filled_with_the_arguments() -> None:
    said = Phrase.of("step.job", offer="p-job", noc="21231")
    assert said == Phrase("step.job", (Arg("offer", "p-job"), Arg("noc", "21231")))
    assert said.english() == "start the job from offer p-job (NOC 21231)"


def test_a_part_that_varies_is_a_phrase_of_its_own() -> None:
    how = Phrase.of("how.maintained", day="2027-02-18")
    said = Phrase.of("step.apply", name="Post-graduation work permit", code="C43", day="2026-12-01", how=how)
    assert said.english() == (
        "apply for the Post-graduation work permit (C43) on 2026-12-01 (by 2027-02-18 to keep status)"
    )
    assert said.args[-1] == Arg("how", phrase=how)


def test_numbers_are_written_as_values() -> None:
    assert Phrase.of("step.submit", program="CEC", days=30).english() == (
        "submit the PR application (CEC) on the invitation, 30 days after the profile"
    )


def test_rules_are_joined_by_and_one_joint_at_a_time() -> None:
    assert all_of(["C43.duration"]) == "C43.duration"
    joined = all_of(["CEC.skilled_experience", "CEC.language", "CEC.test_validity"])
    assert isinstance(joined, Phrase) and joined.key == "and"
    assert joined.english() == "CEC.skilled_experience and CEC.language and CEC.test_validity"


def test_a_person_is_named_by_role() -> None:
    assert role(Role.PRINCIPAL).english() == "principal"
    assert role(Role.SPOUSE).english() == "spouse"


def test_an_unknown_key_or_a_missing_argument_is_a_bug() -> None:
    with pytest.raises(KeyError):
        Phrase.of("step.unknown")
    with pytest.raises(KeyError):
        Phrase.of("step.job", offer="p-job")


def test_every_template_names_its_arguments() -> None:
    # `{}` or `{0}` would be filled by position: every argument is named, so a translation may reorder them.
    for key, template in TEMPLATES.items():
        assert "{}" not in template and "{0}" not in template, key
