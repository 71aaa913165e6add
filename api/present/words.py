"""The words of the plan's pictures and papers in one language: gettext's `plan` domain and Babel's dates and money.

Every sentence is a whole message id with named placeholders (`api/locale/fr/LC_MESSAGES/plan.po` holds the
French); dates and amounts are formatted by Babel for the language's Canadian locale. The plan itself is built
in English by the solver: the step titles, deadline kinds, roles and permit names are translated here through
message ids; the solver's sentences (a step's `detail`, a deadline's or a finding's `message`) by their keys, in
api/present/sentences.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from babel.dates import format_date
from babel.numbers import format_currency

from api.i18n import Translate, gettext_for, supported
from solver.domain import Deadline, DeadlineKind, PlannedPermit, PlanStep, Role

# Each language's Canadian locale (dates and money as a Canadian reader writes them).
LOCALES: Final = {"en": "en_CA", "fr": "fr_CA"}


def N_(message: str) -> str:
    """Marks a message id for extraction where it is defined; it is translated where it is shown."""
    return message


DEADLINE_KINDS: Final = {
    DeadlineKind.APPLY_TO_KEEP_STATUS: N_("Apply to keep status"),
    DeadlineKind.RESTORATION_ENDS: N_("Restoration period ends"),
    DeadlineKind.WINDOW_CLOSES: N_("Application window closes"),
    DeadlineKind.TEST_EXPIRES: N_("Language test expires"),
    DeadlineKind.ITA_ACCEPTANCE: N_("Answer the invitation"),
}
ROLES: Final = {Role.PRINCIPAL: N_("Principal applicant"), Role.SPOUSE: N_("Spouse or partner")}
# A step's title by its action; {code} and {name} name the permit, {program} the PR program.
STEP_TITLES: Final = {
    "APPLY_PERMIT": N_("Apply for the {name} ({code})"),
    "APPLY_BOWP": N_("Apply for the bridging open work permit ({code})"),
    "PENDING": N_("Application already filed: {name} ({code}), awaiting the decision"),
    "RESTORE_STATUS": N_("Apply for restoration of status with the {name} ({code})"),
    "EXTEND_PERMIT": N_("Apply to extend the {name} ({code})"),
    "START_JOB": N_("Start the job"),
    "EMPLOYER_APPLIES_LMIA": N_("The employer applies for the labour market impact assessment (LMIA)"),
    "LMIA_DECISION": N_("Expected decision on the LMIA"),
    "CREATE_EE_PROFILE": N_("Create the Express Entry profile ({program})"),
    "SUBMIT_PR": N_("Submit the permanent residence application ({program})"),
    "PR_SUBMITTED": N_("Permanent residence application already submitted ({program})"),
    "RENEW_PASSPORT": N_("Renew the passport"),
    "RETAKE_LANGUAGE_TEST": N_("Take the language test again"),
}
# The catalog's names (solver/data/catalog.toml) of the categories households plan most, translated when shown;
# another keeps its English name.
PERMIT_NAMES: Final = (
    N_("Post-graduation work permit"),
    N_("Open work permit for the spouse of a skilled worker"),
    N_("Open work permit for the spouse of a student"),
    N_("Open work permit for the family of an economic-class PR applicant"),
    N_("Open work permit for a sponsored spouse or partner in Canada"),
    N_("Bridging open work permit"),
    N_("International Experience Canada"),
    N_("Provincial nominee (employer-specific)"),
    N_("LMIA-based employer-specific work permit (Temporary Foreign Worker Program)"),
    N_("CUSMA professional"),
)


@dataclass(frozen=True)
class Words:
    """One language's `_`, dates and money for the timeline, the handout and the calendar."""

    lang: str
    _: Translate

    @classmethod
    def of(cls, lang: str | None) -> Words:
        """The words of `lang` (English when it is none of api.i18n.LANGUAGES)."""
        chosen = supported(lang) or "en"
        return cls(chosen, gettext_for("plan", chosen))

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    def date(self, day: dt.date) -> str:
        """A day as the reader writes it: "Feb 13, 2027", "13 févr. 2027"."""
        return format_date(day, format="medium", locale=self.locale)

    def month(self, day: dt.date) -> str:
        """A month and year for the axis: "Feb 2027", "févr. 2027"."""
        return format_date(day, format="MMM y", locale=self.locale)

    def money(self, amount: float) -> str:
        """Canadian dollars: "$1,085.00", "1 085,00 $"."""
        return format_currency(amount, "CAD", locale=self.locale)

    def role(self, role: Role) -> str:
        return self._(ROLES[role])

    def deadline_kind(self, deadline: Deadline) -> str:
        return self._(DEADLINE_KINDS[deadline.kind])

    def permit_name(self, name: str) -> str:
        return self._(name)

    def step_title(self, step: PlanStep, permits: tuple[PlannedPermit, ...], program: str | None) -> str:
        """The step in plain words; an action this version does not know keeps the solver's own sentence."""
        template = STEP_TITLES.get(step.action)
        if template is None:
            return step.detail
        name = next((p.name for p in permits if p.code == step.code and p.person is step.person), step.code or "")
        return self._(template).format(
            code=step.code or "", name=self.permit_name(name), program=step.code or program or ""
        )
