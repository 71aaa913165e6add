"""The GraphQL enums, registered once from the solver's and the store's Python enums.

Every schema module uses these (the contract's `Person`, `StatusKind`, `Credential`, `InstitutionKind`,
`LanguageTestKind`, plus `PermitStatus`): registering a Python enum twice under one name breaks the schema.
"""

from __future__ import annotations

import enum
from typing import TypeVar

import strawberry

from db.models import PermitStatus
from solver.domain import CanadianStatus, Credential, InstitutionKind, LanguageTestKind, PinKind, Role, StatusKind

Person = strawberry.enum(Role, name="Person", description="A member of a household: the principal or the spouse.")
StatusKindEnum = strawberry.enum(StatusKind, name="StatusKind")
CredentialEnum = strawberry.enum(Credential, name="Credential")
InstitutionKindEnum = strawberry.enum(InstitutionKind, name="InstitutionKind")
LanguageTestKindEnum = strawberry.enum(LanguageTestKind, name="LanguageTestKind")
CanadianStatusEnum = strawberry.enum(
    CanadianStatus,
    name="CanadianStatus",
    description="A Canadian member: a citizen or a permanent resident (needs no permit; may sponsor a partner).",
)
PinKindEnum = strawberry.enum(
    PinKind,
    name="PinKind",
    description="What a pin fixes: APPLY (the member applies for code, on a day from applyFrom to applyTo when "
    "given), TAKE_OFFER (the member holds the job of offerRef), LEAD_PR (the member is the PR applicant, under "
    "program when given), EXCLUDE (the member never applies for code).",
)
PermitStatusEnum = strawberry.enum(
    PermitStatus, name="PermitStatus", description="Where a permit stands: planned, applied for, decided, run out."
)

__all__ = [
    "AuditAction",
    "CanadianStatus",
    "CanadianStatusEnum",
    "Credential",
    "CredentialEnum",
    "DrawType",
    "EligibilityKind",
    "InstitutionKind",
    "InstitutionKindEnum",
    "LanguageTestKind",
    "LanguageTestKindEnum",
    "PermitProgram",
    "PermitStatus",
    "PermitStatusEnum",
    "Person",
    "PinKind",
    "PinKindEnum",
    "PrProgram",
    "Province",
    "Role",
    "RuleConfidence",
    "StatusKind",
    "StatusKindEnum",
    "StepAction",
    "kind_of",
]


# Closed sets the schema served as free strings. Each enum's names are the strings the string field carries, so a
# typed sibling (`prProgramKind`, `actionKind`, ...) answers the same value; tests/schema/test_enums.py holds each
# to the list the solver or the rules keep.


@strawberry.enum(description="A permanent-residence program (rule PR.programs lists those the rules know).")
class PrProgram(enum.Enum):
    CEC = strawberry.enum_value("CEC", description="Canadian Experience Class (Express Entry).")
    FSW = strawberry.enum_value("FSW", description="Federal Skilled Worker program (Express Entry).")
    FST = strawberry.enum_value("FST", description="Federal Skilled Trades program (Express Entry).")
    PNP = strawberry.enum_value(
        "PNP", description="Provincial Nominee Program (enhanced, through Express Entry, or base)."
    )
    QSW = strawberry.enum_value("QSW", description="Quebec Skilled Worker program.")
    SPOUSAL = strawberry.enum_value("SPOUSAL", description="Spouse or common-law partner sponsorship.")
    FAMILY = strawberry.enum_value("FAMILY", description="Other family-class sponsorship.")
    AIP = strawberry.enum_value("AIP", description="Atlantic Immigration Program.")


@strawberry.enum(description="What a plan step asks someone to do (the value of PlanStep.action).")
class StepAction(enum.Enum):
    APPLY_PERMIT = strawberry.enum_value("APPLY_PERMIT", description="Apply for the work permit named by `code`.")
    APPLY_BOWP = strawberry.enum_value(
        "APPLY_BOWP", description="Apply for a bridging open work permit (A75) after the PR application."
    )
    PENDING = strawberry.enum_value(
        "PENDING", description="An application already filed before asOf, awaiting its decision (nothing to do)."
    )
    RESTORE_STATUS = strawberry.enum_value(
        "RESTORE_STATUS", description="Apply for restoration of status with the permit (STATUS.restoration)."
    )
    EXTEND_PERMIT = strawberry.enum_value(
        "EXTEND_PERMIT",
        description="Apply to extend the permit named by `code`: an employer-specific permit for the same job, or a"
        " spouse's open permit renewed with the principal's extension (OFFER.extension).",
    )
    START_JOB = strawberry.enum_value("START_JOB", description="Start the job of an offer.")
    EMPLOYER_APPLIES_LMIA = strawberry.enum_value(
        "EMPLOYER_APPLIES_LMIA", description="The employer applies for the LMIA the permit rests on."
    )
    LMIA_DECISION = strawberry.enum_value("LMIA_DECISION", description="The LMIA's expected decision.")
    CREATE_EE_PROFILE = strawberry.enum_value(
        "CREATE_EE_PROFILE", description="Create the Express Entry profile, eligible for the program in `code`."
    )
    SUBMIT_PR = strawberry.enum_value("SUBMIT_PR", description="Submit the permanent-residence application.")
    PR_SUBMITTED = strawberry.enum_value(
        "PR_SUBMITTED", description="The permanent-residence application submitted before asOf."
    )
    RENEW_PASSPORT = strawberry.enum_value(
        "RENEW_PASSPORT", description="Renew the passport (a permit never runs past it)."
    )
    RETAKE_LANGUAGE_TEST = strawberry.enum_value(
        "RETAKE_LANGUAGE_TEST", description="Take the language test again before the relied-on result expires."
    )


@strawberry.enum(description="The program a work-permit category belongs to.")
class PermitProgram(enum.Enum):
    IMP = strawberry.enum_value("IMP", description="International Mobility Program (LMIA-exempt).")
    TFWP = strawberry.enum_value("TFWP", description="Temporary Foreign Worker Program (rests on an LMIA).")


@strawberry.enum(description="What an eligibility answer is about.")
class EligibilityKind(enum.Enum):
    PERMIT = strawberry.enum_value("PERMIT", description="A work-permit category.")
    PR = strawberry.enum_value("PR", description="A permanent-residence route.")


@strawberry.enum(description="What a stored change did.")
class AuditAction(enum.Enum):
    CREATE = strawberry.enum_value("create", description="The record was created.")
    UPDATE = strawberry.enum_value("update", description="The record was changed.")
    DELETE = strawberry.enum_value("delete", description="The record was deleted.")


@strawberry.enum(description="How sure the product is of a rule's reading.")
class RuleConfidence(enum.Enum):
    H = strawberry.enum_value("H", description="High: IRCC says it.")
    M = strawberry.enum_value("M", description="Medium: a law firm says it, or it is inferred.")
    L = strawberry.enum_value("L", description="Low: a consultant says it, or it is unverified.")


@strawberry.enum(description="An Express Entry draw category (IRCC's rounds); EE.cutoff records their cut-offs.")
class DrawType(enum.Enum):
    GENERAL = strawberry.enum_value("GENERAL", description="All programs.")
    CEC = strawberry.enum_value("CEC", description="Canadian Experience Class.")
    FSW = strawberry.enum_value("FSW", description="Federal Skilled Worker program.")
    FST = strawberry.enum_value("FST", description="Federal Skilled Trades program.")
    PNP = strawberry.enum_value("PNP", description="Provincial Nominee Program.")
    FRENCH = strawberry.enum_value("FRENCH", description="French-language proficiency.")
    HEALTHCARE = strawberry.enum_value("HEALTHCARE", description="Healthcare and social services occupations.")
    STEM = strawberry.enum_value("STEM", description="Science, technology, engineering and math occupations.")
    TRADES = strawberry.enum_value("TRADES", description="Trade occupations.")
    TRANSPORT = strawberry.enum_value("TRANSPORT", description="Transport occupations.")
    EDUCATION = strawberry.enum_value("EDUCATION", description="Education occupations.")


@strawberry.enum(
    description="A Canadian province or territory, by its two-letter code (the list the contract's `province` "
    "strings are checked against)."
)
class Province(enum.Enum):
    AB = strawberry.enum_value("AB", description="Alberta.")
    BC = strawberry.enum_value("BC", description="British Columbia.")
    MB = strawberry.enum_value("MB", description="Manitoba.")
    NB = strawberry.enum_value("NB", description="New Brunswick.")
    NL = strawberry.enum_value("NL", description="Newfoundland and Labrador.")
    NS = strawberry.enum_value("NS", description="Nova Scotia.")
    NT = strawberry.enum_value("NT", description="Northwest Territories.")
    NU = strawberry.enum_value("NU", description="Nunavut.")
    ON = strawberry.enum_value("ON", description="Ontario.")
    PE = strawberry.enum_value("PE", description="Prince Edward Island.")
    QC = strawberry.enum_value("QC", description="Quebec.")
    SK = strawberry.enum_value("SK", description="Saskatchewan.")
    YT = strawberry.enum_value("YT", description="Yukon.")


E = TypeVar("E", bound=enum.Enum)


def kind_of(cls: type[E], value: str | None) -> E | None:
    """The member of `cls` whose value is `value`; None for null or a value this version does not know (e.g. in a
    plan stored by an older or newer release), so a typed sibling never fails where its string field answers."""
    if value is None:
        return None
    try:
        return cls(value)
    except ValueError:
        return None
