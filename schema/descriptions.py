"""The schema's descriptions of the facts several types share, written once and filled in where the code has none.

A household's facts appear in up to five types each (the contract's `PersonInput`, `CreateMemberInput`,
`UpdateMemberInput`, the stored `HouseholdMember`, and the stored record's own type): one sentence per fact here
keeps them saying the same thing (the unit, what the date means, what null means). A description written on a
field in its own module wins; `describe` only fills the blanks of the built schema, before it is served.
`tests/schema/test_descriptions.py` fails on any element still blank, and on an entry here that names nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)
from graphql.type import is_introspection_type, is_specified_scalar_type

_ON_UPDATE = " Left out: unchanged; null clears it where it may be null."

# The groups of types holding the same facts: the contract's input, the mutations' inputs, the stored record.
PERSON = ("PersonInput", "CreateMemberInput", "UpdateMemberInput", "HouseholdMember")
CHILD = ("ChildInput", "Child")
STATUS = ("StatusInput", "MemberStatusInput", "MemberStatus")
NOMINATION = ("NominationInput", "MemberNominationInput", "ProvincialNomination")
PR_APPLICATION = ("PrApplicationInput", "MemberPrApplicationInput", "PrApplication")
EDUCATION = ("EducationInput", "CreateEducationInput", "UpdateEducationInput", "Education")
LANGUAGE = ("LanguageTestInput", "CreateLanguageTestInput", "UpdateLanguageTestInput", "LanguageTest")
WORK = ("WorkInput", "CreateWorkPeriodInput", "UpdateWorkPeriodInput", "WorkPeriod")
OFFER = ("OfferInput", "CreateOfferInput", "UpdateOfferInput", "JobOffer")
PERMIT = ("CreatePermitInput", "UpdatePermitInput", "Permit")
PIN = ("PinInput", "Pin", "HouseholdPin")

# Inputs that take another input's fields (saveHouseholdFacts' extend the update inputs): the same descriptions.
EXTENDS = {"HouseholdFactsInput": "UpdateHouseholdInput", "MemberFactsInput": "UpdateMemberInput"}

_CLB = "level (CLB for English, NCLC for French, 1-12), as converted from the test's score"

# Per group: field name -> description.
SHARED: dict[tuple[str, ...], dict[str, str]] = {
    PERSON: {
        "name": "How the firm names the person (free text, shown to consultants; never used by the rules).",
        "birthDate": "Date of birth (age-based rules: IEC age limits, CRS age points, a dependent child's age).",
        "citizenships": "ISO 3166-1 alpha-2 codes of every citizenship held (IEC and visa rules read them).",
        "passportExpiry": "Last day of the passport's validity (a permit never runs past it); null when unknown.",
        "inCanada": "Whether the person is in Canada on asOf (for a stored member: as last recorded).",
        "status": "Temporary status held on asOf; null means none.",
        "provincialNomination": "A provincial nomination held; null when none.",
        "prApplication": "A permanent-residence application already submitted; null when none.",
        "education": "Studies completed or under way.",
        "languageTests": "Language test results (most rules accept a result for two years from the day taken).",
        "workHistory": "Work done, in Canada or abroad (CEC experience, CRS points, PGWP rules).",
        "permits": "Permits the member holds, has applied for or had (written as records of their own).",
        "role": "PRINCIPAL (the main applicant) or SPOUSE (a married or common-law partner).",
    },
    CHILD: {
        "birthDate": "Date of birth (a dependent child is under 22).",
        "citizenships": "ISO 3166-1 alpha-2 codes of every citizenship held.",
        "inCanada": "Whether the child is in Canada on asOf.",
    },
    STATUS: {
        "kind": "The status held: STUDENT, WORKER, VISITOR or NONE.",
        "validTo": "Last day of the status (the permit's or visitor record's expiry, inclusive).",
        "permitCode": "Exemption code of the permit held, e.g. C43 for a PGWP holder; null for a study permit or "
        "visitor.",
        "employerSpecific": "true when the work permit names one employer.",
    },
    NOMINATION: {
        "province": "Two-letter code of the nominating province or territory (e.g. ON, BC; see Province).",
        "nominatedOn": "The day the nomination was issued.",
        "employerRestricted": "true when the nomination ties the person to one employer.",
    },
    PR_APPLICATION: {
        "program": "The PR program applied under, e.g. CEC, FSW, PNP, SPOUSAL (rule PR.programs lists them).",
        "submittedOn": "The day the application was submitted (it dates the rules applied to it).",
        "aorOn": "The acknowledgement of receipt after the completeness check; null while not yet received.",
    },
    EDUCATION: {
        "credential": "The credential the program leads to.",
        "institution": "The kind of institution (university, college, other).",
        "canadian": "true for a Canadian institution (Canadian education counts for the PGWP and CRS points).",
        "start": "The program's first day.",
        "completion": "Date of written confirmation of completion (expected, if in the future).",
        "pgwpEligibleDli": "Program at a PGWP-eligible designated learning institution.",
        "fieldOfStudyEligible": "Field of study on IRCC's list (only matters where the field-of-study rule applies).",
        "fullTime": "Studied full time throughout (rule C43.full_time).",
        "lengthMonths": "Program length in months; derived from start and completion when absent.",
        "studyPermitAppliedOn": "The day the study permit for this program was applied for (it dates the PGWP "
        "field-of-study and language rules); null when unknown or not needed.",
    },
    LANGUAGE: {
        "test": "The approved test taken.",
        "taken": "The day of the test (the rules count validity from it, e.g. CEC.test_validity: 24 months).",
        "listening": f"Listening {_CLB}.",
        "reading": f"Reading {_CLB}.",
        "writing": f"Writing {_CLB}.",
        "speaking": f"Speaking {_CLB}.",
    },
    WORK: {
        "nocCode": "5-digit NOC 2021 code of the job.",
        "start": "First day of the work.",
        "end": "Last day of the work; null while ongoing.",
        "hoursPerWeek": "Hours worked per week (CEC counts at most 30 a week; 30 is full time).",
        "inCanada": "true for work done in Canada (Canadian experience: CEC, CRS).",
        "selfEmployed": "true for self-employment (it does not count for CEC).",
        "whileFullTimeStudent": "true for work while a full-time student (it does not count for CEC).",
        "authorized": "true when the work was authorized (held a permit allowing it); unauthorized work counts "
        "for nothing.",
    },
    PIN: {
        "kind": "What the pin fixes (see PinKind); each kind reads its own fields.",
        "person": "The member the pin is about.",
    },
    OFFER: {
        "ref": "The offer's reference, unique within the household; plans and pending applications name it.",
        "holder": "The member the offer is made to.",
        "employerName": "The employer's name (shown only; the rules do not read it).",
        "nocCode": "5-digit NOC 2021 code of the offered job.",
        "province": "Two-letter code of the province or territory of the job (e.g. ON, QC; see Province).",
        "hoursPerWeek": "Hours per week offered (30 or more is full time).",
        "hourlyWage": "Hourly wage offered in Canadian dollars; null when unknown.",
        "earliestStart": "The first day the job may start.",
        "latestStart": "The last day the job may start; null means no limit.",
        "months": "Length of the job in months; null means indefinite.",
        "lmiaExemptCode": "LMIA-exempt code the employer offers under (e.g. C10, C16, C63, T36, T13); null means "
        "an LMIA is needed.",
        "lmiaApproved": "true when the employer holds a positive LMIA for this job.",
        "lmiaAppliedOn": "The day the employer applied for the LMIA, if it has; with lmiaApproved false the LMIA "
        "is pending.",
        "offerNumber": "IRCC Employer Portal offer-of-employment number: 'A' and 7 digits.",
        "complianceFeePaid": "Whether the employer paid the employer compliance fee.",
    },
    PERMIT: {
        "code": "Exemption code (e.g. C43, C41, A75) or TFWP for an LMIA-based permit.",
        "open": "true for an open permit; false when it names one employer.",
        "status": "Where the permit stands: PLANNED, APPLIED, APPROVED, REFUSED or EXPIRED.",
        "validFrom": "First day of validity; null until decided.",
        "validTo": "Last day of validity (inclusive); null until decided.",
        "appliedOn": "The day the application was filed; null when not known or not yet applied for.",
        "offerRef": "The household offer (by its ref) an employer-specific permit is for.",
        "insideCanada": "false for an application processed outside Canada (e.g. under R197).",
        "withRestoration": "true when filed together with a request to restore status.",
    },
}

TYPES: dict[str, str] = {
    "Query": "What may be read: the firm's records, the rules and catalog, eligibility, CRS and plans.",
    "Mutation": "What may be changed: records (each in one transaction, audited), keys, documents and plans.",
    "Subscription": "Live updates, over graphql-transport-ws.",
    "PlanResult": "A Plan, or InvalidScenario naming each field that is wrong (nothing was planned).",
    "PlanStatus": "How good the plan is: proven best, the best found in the time, or none found.",
    "ObjectiveTerm": "What the planner optimizes, in the order given (lexicographically: each term only among the "
    "plans best on the ones before it).",
    "Education": "A program of study of a member, completed or under way (the contract's `EducationInput`).",
    "StatusKind": "The temporary status a person holds in Canada.",
    "Credential": "The credential a program of study leads to.",
    "InstitutionKind": "The kind of institution that delivers a program.",
    "LanguageTestKind": "An approved language test (English or French).",
    "AuditEntryEdge": "One audit entry of a page, with its cursor.",
    "HouseholdPayload": "The household as written.",
    "MemberPayload": "The member as written.",
    "EducationPayload": "The education record as written.",
    "LanguageTestPayload": "The language test as written.",
    "WorkPeriodPayload": "The work period as written.",
    "OfferPayload": "The offer as written.",
    "PermitPayload": "The permit as written.",
    "UpdateHouseholdInput": "What changes in a household; a field left out keeps its value.",
    "UpdateMemberInput": "What changes in a member; a field left out keeps its value, null clears a nullable one.",
    "UpdateEducationInput": "What changes in an education record; a field left out keeps its value.",
    "UpdateLanguageTestInput": "What changes in a language test; a field left out keeps its value.",
    "UpdateWorkPeriodInput": "What changes in a work period; a field left out keeps its value.",
    "UpdateOfferInput": "What changes in an offer; a field left out keeps its value, null clears a nullable one.",
    "UpdatePermitInput": "What changes in a permit; a field left out keeps its value, null clears a nullable one.",
    "CreateEducationInput": "A program of study for a member (the contract's `EducationInput`).",
    "CreateWorkPeriodInput": "A period of work for a member (the contract's `WorkInput`).",
    "CreatePermitInput": "A permit a member holds, applied for or had (a planned one is written by the planner).",
    "RegisteredDocuments": "The documents of a manifest as registered.",
}

COORDINATES: dict[str, str] = {
    # Enum values.
    "Person.PRINCIPAL": "The principal applicant.",
    "Person.SPOUSE": "The principal's spouse or common-law partner.",
    "FirmLanguage.EN": "English.",
    "FirmLanguage.FR": "French (Canadian usage).",
    "StatusKind.STUDENT": "Holds a study permit.",
    "StatusKind.WORKER": "Holds a work permit.",
    "StatusKind.VISITOR": "A visitor (visitor record or entry as a visitor).",
    "StatusKind.NONE": "No status (lost, or never held): restoration or leaving may be needed.",
    "Credential.SECONDARY": "Secondary school diploma.",
    "Credential.CERTIFICATE": "One-year post-secondary certificate.",
    "Credential.DIPLOMA": "Two-year post-secondary diploma.",
    "Credential.ADVANCED_DIPLOMA": "Three-year (or longer) post-secondary diploma.",
    "Credential.POST_GRADUATE_CERTIFICATE": "Post-graduate certificate (after a first credential).",
    "Credential.BACHELOR": "Bachelor's degree.",
    "Credential.MASTER": "Master's degree.",
    "Credential.DOCTORAL": "Doctoral degree (PhD).",
    "Credential.PROFESSIONAL_DEGREE": "Entry-to-practice professional degree (medicine, law, pharmacy, ...).",
    "InstitutionKind.UNIVERSITY": "A university.",
    "InstitutionKind.COLLEGE": "A college (public or private).",
    "InstitutionKind.OTHER": "Any other institution.",
    "LanguageTestKind.IELTS_GENERAL": "IELTS General Training (English).",
    "LanguageTestKind.CELPIP_GENERAL": "CELPIP-General (English).",
    "LanguageTestKind.PTE_CORE": "PTE Core (English).",
    "LanguageTestKind.TEF_CANADA": "TEF Canada (French).",
    "LanguageTestKind.TCF_CANADA": "TCF Canada (French).",
    "CanadianStatus.CITIZEN": "A Canadian citizen.",
    "CanadianStatus.PERMANENT_RESIDENT": "A permanent resident of Canada.",
    "PermitStatus.PLANNED": "Planned, not yet applied for.",
    "PermitStatus.APPLIED": "Applied for, not yet decided.",
    "PermitStatus.APPROVED": "Issued (held, within or before its validity).",
    "PermitStatus.REFUSED": "Refused.",
    "PermitStatus.EXPIRED": "Past its last day of validity.",
    "PlanStatus.OPTIMAL": "Proven best for the objective.",
    "PlanStatus.FEASIBLE": "Valid, the best found within the time limit (not proven best).",
    "PlanStatus.NO_SOLUTION": "No plan found (none exists under the rules, or none was found in time); the "
    "blockers say why.",
    "ObjectiveTerm.PR_READY": "The earliest PR readiness date.",
    "ObjectiveTerm.STATUS_CONTINUITY": "The fewest days without status in Canada.",
    "ObjectiveTerm.WORK_CONTINUITY": "The fewest days without authorization to work.",
    "ObjectiveTerm.COST": "The lowest government fees paid by the client.",
    "ObjectiveTerm.FEWEST_APPLICATIONS": "The fewest applications.",
    "DeadlineKind.APPLY_TO_KEEP_STATUS": "The last day to apply while in status (maintained status).",
    "DeadlineKind.RESTORATION_ENDS": "The last day to apply for restoration of status (rule STATUS.restoration).",
    "DeadlineKind.WINDOW_CLOSES": "The last day of the PGWP application window (rule C43.application_window).",
    "DeadlineKind.TEST_EXPIRES": "The last day a relied-on language test is valid (e.g. CEC.test_validity).",
    "DeadlineKind.ITA_ACCEPTANCE": "The last day to answer an Express Entry invitation (EE.ita_window).",
    "PinKind.APPLY": "The member applies for code (on a day from applyFrom to applyTo, when given).",
    "PinKind.TAKE_OFFER": "The member holds the job of offerRef.",
    "PinKind.LEAD_PR": "The member is the PR applicant (under program, when given).",
    "PinKind.EXCLUDE": "The member never applies for code (an application already pending stays the fact it is).",
    "PinOutcome.pin": "The pin, as given.",
    "PinOutcome.held": "true when the plan holds the pin; false when a rule keeps it from holding (see reason).",
    "PinOutcome.stepDate": "The date of the step of Plan.steps the pin fixed; null when it fixes none or is not held.",
    "PinOutcome.stepAction": "The action of that step (e.g. APPLY_PERMIT, START_JOB, CREATE_EE_PROFILE).",
    "PinOutcome.stepCode": "The code of that step (the permit code, or the PR program); null when it has none.",
    "ProcessingBasis.P50": "The expected figure: half of applications are decided by then (PROCESSING.* days).",
    "ProcessingBasis.P90": "The slow figure: nine in ten are decided by then (PROCESSING.* p90_days).",
    "Verdict.ELIGIBLE": "Eligible on the facts given.",
    "Verdict.NOT_ELIGIBLE": "Not eligible; the reasons cite the rules that refuse it.",
    "Verdict.UNDECIDED": "The facts given do not decide it; `missing` names the facts that would.",
    "ApiKeyRole.ADMIN": "Everything: records, mutations, any operation text, keys and documents, the audit trail.",
    "ApiKeyRole.CONSULTANT": "Records, mutations, any operation text and the audit trail; no keys or documents.",
    "ApiKeyRole.INTEGRATOR": "Records and mutations through registered documents only.",
    "ApiKeyRole.READONLY": "Reads only, with any operation text.",
    "PlanJobState.QUEUED": "Waiting for a solver worker.",
    "PlanJobState.RUNNING": "Being solved; `plan` holds the best plan so far.",
    "PlanJobState.DONE": "Solved; `plan` holds the plan.",
    "PlanJobState.FAILED": "Stopped by an error; `error` says why.",
    "PlanJobState.CANCELLED": "Cancelled before it finished.",
    # The contract's scenario and plan.
    "ScenarioInput.asOf": "The day the facts describe and planning starts from.",
    "ScenarioInput.horizonMonths": "How far ahead to plan, in months from asOf (default 60).",
    "ScenarioInput.principal": "The principal applicant.",
    "ScenarioInput.spouse": "The spouse or common-law partner; null when none.",
    "ScenarioInput.offers": "Job offers the members hold (or may take).",
    "HeldPermitInput.code": "Exemption code of the permit (e.g. C43) or TFWP.",
    "HeldPermitInput.validFrom": "First day of its validity.",
    "HeldPermitInput.validTo": "Last day of its validity (inclusive).",
    "PendingApplicationInput.appliedOn": "The day the application was filed (the day maintained status starts "
    "from, and the day that dates its rules).",
    "Plan.status": "OPTIMAL, FEASIBLE (best in the time) or NO_SOLUTION (then the blockers say why).",
    "Plan.prApplicant": "The member who applies for PR; null when PR is not reachable.",
    "Plan.permits": "The permits to apply for (and those pending), in the order of their application day.",
    "Plan.jobs": "The jobs the plan has each member hold.",
    "Plan.steps": "What to do and when, in date order.",
    "Plan.statusGaps": "Periods without status or without work authorization; empty when there are none.",
    "Plan.fees": "The plan's government fees in Canadian dollars (the client's and, apart, the employer's).",
    "Plan.explanation": "Why the plan is as it is: each finding cites its rule id, source and effective date.",
    "Plan.rulesVersion": "The rule set the plan was made under (the newest effective date and a content hash).",
    "Plan.solveMs": "Wall time of the solve that made the plan, in milliseconds.",
    "PlannedPermit.person": "The member who applies.",
    "PlannedPermit.code": "Exemption code (e.g. C43, C41, A75) or TFWP.",
    "PlannedPermit.name": "The category's name (e.g. Post-graduation work permit).",
    "PlannedPermit.open": "true for an open permit; false when it names one employer.",
    "PlannedPermit.applyOn": "The day to apply (the plan's chosen filing day).",
    "PlannedPermit.validFrom": "The first day the permit is expected to be valid: applyOn plus the category's "
    "processing days (maintained status, if any, covers the days between).",
    "PlannedPermit.validTo": "The last day of validity the rules give it (capped by the passport).",
    "PlannedPermit.offerRef": "The offer (by its ref) an employer-specific permit is for; null for an open one.",
    "PlannedJob.person": "The member who holds the job.",
    "PlannedJob.offerRef": "The offer it comes from; null for a job already held.",
    "PlannedJob.nocCode": "5-digit NOC 2021 code of the job.",
    "PlannedJob.start": "The first day of work.",
    "PlannedJob.end": "The last day of work; null when it runs past the horizon.",
    "PlanStep.date": "The day to act.",
    "PlanStep.person": "The member who acts.",
    "PlanStep.action": "What to do, as a code: APPLY_PERMIT, APPLY_BOWP, PENDING, RESTORE_STATUS, EXTEND_PERMIT, "
    "START_JOB, EMPLOYER_APPLIES_LMIA, LMIA_DECISION, CREATE_EE_PROFILE, SUBMIT_PR, PR_SUBMITTED, RENEW_PASSPORT, "
    "RETAKE_LANGUAGE_TEST (actionKind is the same as an enum).",
    "PlanStep.code": "The permit code or PR program the step is about; null when none.",
    "PlanStep.ruleIds": "The ids of the rules the step rests on (see `rules`).",
    "StatusGap.person": "The member without status or work authorization.",
    "StatusGap.start": "The first day of the gap.",
    "StatusGap.end": "The last day of the gap (inclusive).",
    "StatusGap.workAuthorized": "true when the person keeps status but may not work; false when without status.",
    "Fees.total": "What the client pays the government, in Canadian dollars: permits, biometrics and PR fees.",
    "Finding.ruleId": "The rule's id, e.g. C43.application_window (see `rules`); a PLAN. id is the planner's own "
    "finding.",
    "Finding.source": "The URL of the rule's source; null for a PLAN. finding.",
    "Finding.effective": "The day the cited version of the rule took effect.",
    "ClosedRoute.person": "The member the route is for.",
    "ClosedRoute.code": "The category's code (e.g. C41, A75).",
    "ClosedRoute.name": "The category's name.",
    "ClosedRoute.reasons": "The rules that close it, or why the plan did without it.",
    "Deadline.person": "The member who must act.",
    "Deadline.kind": "What the day is the last day for.",
    "Deadline.date": "The last day (inclusive).",
    "Deadline.ruleId": "The rule that sets the day.",
    "Deadline.stepDate": "The date of the plan step that meets it; null when no step acts on it.",
    "Deadline.stepAction": "The action of that step; null when no step acts on it.",
    "Deadline.stepCode": "The code of that step; null when none.",
    "FieldError.path": "The field, as a dotted path from the argument (e.g. principal.education.0.completion).",
    "FieldError.message": "What is wrong and what is allowed.",
    "InvalidScenario.errors": "Every problem found, one per field.",
    "InvalidInput.errors": "Every problem found, one per field.",
    "NotFound.path": "The argument or input field holding the id.",
    "NotFound.id": "The id as sent.",
    "NotFound.message": "What was not found.",
    "Conflict.path": "The argument or input field that conflicts: `version` (in saveHouseholdFacts also a "
    "member's, e.g. `input.spouse.version`) or `idempotencyKey`.",
    "Conflict.message": "What conflicts and how to resolve it.",
    "Deleted.id": "The global id of the deleted record.",
    # Records.
    "Household.name": "How the firm names the household (free text).",
    "Household.createdAt": "When the household was created (UTC).",
    "Household.members": "The principal, then the spouse if any.",
    "Household.spouse": "The spouse or common-law partner; null when none.",
    "Household.offers": "Job offers held by the members.",
    "HouseholdMember.household": "The household the member belongs to.",
    "HouseholdMember.education": "Studies, completed or under way.",
    "HouseholdMember.languageTests": "Language test results.",
    "HouseholdMember.workHistory": "Periods of work.",
    "HouseholdMember.permits": "Permits held, applied for, had or planned.",
    "JobOffer.household": "The household the offer belongs to.",
    "Education.member": "The member who studied.",
    "LanguageTest.member": "The member who took the test.",
    "WorkPeriod.member": "The member who worked.",
    "Permit.member": "The member the permit is for.",
    "Permit.offer": "The offer an employer-specific permit is for; null for an open permit.",
    "CreateHouseholdInput.name": "How the firm names the household (free text).",
    "CreateHouseholdInput.principal": "The principal applicant.",
    "CreateHouseholdInput.spouse": "The spouse or common-law partner; left out or null when none.",
    "CreateHouseholdInput.offers": "Job offers held by the members.",
    "UpdateHouseholdInput.name": "The household's new name.",
    "UpdateMemberInput.biometricsGivenOn": "The day biometrics were last given; null if never.",
    "UpdateMemberInput.medicalExamOn": "The day of the last immigration medical exam; null if none.",
    "UpdateMemberInput.canadianStatus": "CITIZEN or PERMANENT_RESIDENT for a Canadian member; null for a "
    "foreign national.",
    "HouseholdPayload.household": "The household as stored now.",
    "MemberPayload.member": "The member as stored now.",
    "EducationPayload.education": "The education record as stored now.",
    "LanguageTestPayload.languageTest": "The language test as stored now.",
    "WorkPeriodPayload.workPeriod": "The work period as stored now.",
    "OfferPayload.offer": "The offer as stored now.",
    "PermitPayload.permit": "The permit as stored now.",
    # Catalog and rules.
    "PermitCategory.code": "The category's exemption code (e.g. C43) or TFWP, as in force on the asked date.",
    "PermitCategory.name": "The category's name.",
    "PermitCategory.open": "true for an open permit; false when it names one employer.",
    "PermitCategory.requiresOffer": "true when the category needs a job offer.",
    "PermitCategory.authority": "The regulation it rests on (e.g. R205(c)(ii)).",
    "PermitCategory.employerComplianceFee": "The employer compliance fee, in Canadian dollars (0 when none).",
    "PermitCategory.lmiaFee": "The LMIA processing fee the employer pays, in Canadian dollars (0 when none).",
    "PermitCategory.processingFee": "The work-permit processing fee, in Canadian dollars.",
    "PermitCategory.openPermitHolderFee": "The open work permit holder fee, in Canadian dollars (0 when not open).",
    "PermitCategory.biometricsFee": "The biometrics fee, in Canadian dollars (per person, when due).",
    "PermitCategory.participationFee": "The program's participation fee (IEC), in Canadian dollars (0 when none).",
    "PermitCategory.processingDaysInside": "Processing time in days for an application inside Canada.",
    "PermitCategory.processingDaysOutside": "Processing time in days for an application outside Canada.",
    "PermitCategory.maxDuration": "The longest validity the category gives, in words.",
    "PermitCategory.maxDurationRule": "The id of the rule that sets the validity.",
    "PermitCategory.eligibilityRules": "The ids of the rules that decide eligibility.",
    "PermitCategory.documents": "Documents an application needs.",
    "PermitCategory.streams": "Streams sharing the code (IEC: Working Holiday, Young Professionals, Co-op).",
    "PermitStream.code": "The code the stream shares (C21).",
    "PermitStream.name": "The stream's name.",
    "PermitStream.open": "true for an open permit.",
    "PermitStream.requiresOffer": "true when the stream needs a job offer.",
    "RuleInfo.id": "The rule's id, e.g. C43.application_window.",
    "RuleInfo.program": "The program the rule belongs to (the id's prefix, e.g. C43, CEC, STATUS).",
    "RuleInfo.title": "What the rule says, in a line.",
    "RuleInfo.trigger": "The date that picks the version applied (e.g. the application date).",
    "RuleInfo.source": "The URL of the rule's source.",
    "RuleInfo.note": "A note on how the product reads the rule; null when none.",
    "RuleInfo.versions": "Every dated version, oldest first.",
    "RuleVersionInfo.effective": "The first day the version applies (to its trigger date).",
    "RuleVersionInfo.ends": "The day the version stops applying; null while in force.",
    "RuleVersionInfo.params": "The version's parameters (a JSON object).",
    "RuleVersionInfo.note": "A note on the version; null when none.",
    "EligibilityReason.ruleId": "The rule's id, e.g. C43.application_window.",
    "EligibilityReason.message": "The reason in words.",
    "EligibilityReason.source": "The URL of the rule's source; null for a reason the product derives.",
    "CategoryEligibility.code": "The category's code (e.g. C43) or the PR route (e.g. CEC).",
    "CategoryEligibility.name": "The category's or route's name.",
    "CategoryEligibility.verdict": "ELIGIBLE, NOT_ELIGIBLE or UNDECIDED on the facts.",
    "CategoryEligibility.reasons": "The reasons for the verdict, each citing a rule.",
    "CategoryEligibility.offerRef": "The offer (by its ref) an offer-based answer is for; null otherwise.",
    "CrsFactor.name": "The factor (e.g. age, education, Canadian work experience).",
    "CrsFactor.points": "Points the factor gives.",
    "CrsFactor.ruleId": "The CRS rule that sets the points.",
    "CrsFactor.detail": "How the points were reached.",
    "CrsDraw.date": "The day of the draw.",
    "CrsDraw.type": "The draw's category (e.g. CEC, PNP, GENERAL).",
    "CrsDraw.score": "The lowest CRS score invited.",
    "CrsDraw.invitations": "How many invitations were issued.",
    "CrsScore.total": "The CRS score (0-1200).",
    "CrsScore.core": "Core human capital points.",
    "CrsScore.spouse": "Spouse or common-law partner factors.",
    "CrsScore.transferability": "Skill transferability points.",
    "CrsScore.additional": "Additional points (nomination, French, Canadian study, sibling).",
    "CrsScore.factors": "Every factor with its points.",
    "CrsScore.latestCutoff": "The newest recorded draw of the asked type on or before the day; null when none.",
    "CrsScore.rulesVersion": "The rule set the score was computed under.",
    # Keys, documents, audit.
    "ApiKey.keyId": "The key's public id (12 hex characters, the part after pp_ in the key).",
    "ApiKey.name": "What the firm calls the key (shown in the audit trail).",
    "ApiKey.role": "What the key may do.",
    "ApiKey.createdAt": "When the key was created (UTC).",
    "ApiKey.revokedAt": "When the key was revoked (UTC); null while valid.",
    "CreatedApiKey.apiKey": "The key as stored.",
    "CreatedApiKey.secret": "The whole key to send as the bearer token; shown once, never stored.",
    "PersistedDocument.text": "The operation text.",
    "PersistedDocument.createdAt": "When it was registered (UTC).",
    "PersistedDocument.revokedAt": "When it was revoked (UTC); null while usable.",
    "RegisteredDocuments.documents": "The manifest's documents, each with its id.",
    "AuditEntry.at": "When the change was made (UTC).",
    "AuditEntry.keyId": "The id of the key that made it; null for the command line.",
    "AuditEntry.recordType": "The record's GraphQL type (e.g. Household) or table.",
    "AuditEntryConnection.edges": "The page's entries, newest first.",
    "AuditEntryConnection.pageInfo": "Whether more entries follow, and the cursors to continue.",
    "AuditEntryEdge.cursor": "Pass as `after` to continue after this entry.",
    "AuditEntryEdge.node": "The entry.",
    # Stored plans and jobs.
    "StoredPlan.createdAt": "When the plan was made (UTC).",
    "StoredPlan.asOf": "The day the household was planned from.",
    "StoredPlan.status": "The plan's status (as Plan.status).",
    "StoredPlan.prReadyDate": "The plan's PR readiness date (as Plan.prReadyDate).",
    "StoredPlan.rulesVersion": "The rule set the plan was made under.",
    "StoredPlan.objective": "The objective's terms, in the order optimized.",
    "StoredPlan.plan": "The plan itself.",
    "PlanJob.state": "Where the job stands.",
    "PlanJob.createdAt": "When the job was started (UTC).",
    "PlanJob.startedAt": "When a worker took it (UTC); null while queued.",
    "PlanJob.finishedAt": "When it ended (UTC); null while queued or running.",
    "PlanJob.rulesVersion": "The rule set the job plans under.",
    # Arguments.
    "Query.households(nameContains:)": "Only households whose name, or a member's, contains this text "
    "(case-insensitive).",
    "Query.households(permitExpiringBefore:)": "Only households with a member's permit ending before this day.",
    "Query.permits(expiringBefore:)": "Only permits ending before this day.",
    "Query.permits(status:)": "Only permits in this state.",
    "Query.permitCategories(asOf:)": "The day the catalog is read on (codes, fees, times); default today.",
    "Query.permitCategory(code:)": "The category's code (e.g. C43), or a pre-2022 code with one successor.",
    "Query.permitCategory(asOf:)": "The day the catalog is read on; default today.",
    "Query.rules(asOf:)": "The day `params` and `inForce` are read on; default today.",
    "Query.rules(program:)": "Only the rules of this program (e.g. C43, CEC, STATUS); default all.",
    "Query.eligibility(on:)": "The day of the answer; default the scenario's asOf.",
    "Query.householdEligibility(on:)": "The day of the answer; default today.",
    "Query.crs(on:)": "The day of the score; default the scenario's asOf.",
    "Query.crs(arrangedEmploymentNoc:)": "5-digit NOC 2021 code of an arranged employment offer, if any (no points "
    "since 2025-03-25; kept for earlier dates).",
    "Query.crs(drawType:)": "The draw type whose latest cut-off to compare with (see DrawType); default CEC.",
    "Query.planScenario(scenario:)": "The household's facts on asOf.",
    "Query.planScenario(options:)": "How to plan; defaults when left out.",
    "Query.auditLog(recordId:)": "Only the entries of this record (a global id).",
    "Query.householdPlans(before:)": "Continue after this stored plan id (the last of the previous page).",
    "Mutation.createMember(role:)": "PRINCIPAL or SPOUSE (a household has at most one of each).",
    "Mutation.createApiKey(name:)": "What the firm calls the key (shown in the audit trail).",
    "Mutation.createApiKey(role:)": "What the key may do.",
    "Mutation.revokeApiKey(keyId:)": "The key's public id.",
    "Mutation.registerDocuments(manifest:)": 'A trusted-documents manifest: {"<sha256 hex of the text>": '
    "\"<operation text>\"} (keys may carry the sha256: prefix; Relay's and Apollo's wrapped form is accepted).",
    "Mutation.revokeDocument(id:)": "The document's id.",
    "Mutation.planHousehold(asOf:)": "The day to plan from; default today.",
    "Mutation.planHousehold(options:)": "How to plan; defaults when left out.",
    "Mutation.planHousehold(horizonMonths:)": "How far ahead to plan, in months (default 60).",
    "Mutation.startPlan(householdId:)": "A stored household to plan (or give `scenario`, not both).",
    "Mutation.startPlan(scenario:)": "An inline scenario to plan (or give `householdId`, not both).",
    "Mutation.startPlan(options:)": "How to plan; defaults when left out.",
    "Mutation.startPlan(asOf:)": "For a stored household: the day to plan from; default today.",
    "Mutation.startPlan(horizonMonths:)": "For a stored household: how far ahead to plan, in months (default 60).",
    "Mutation.cancelPlanJob(id:)": "The job's global id.",
    "Subscription.planJobUpdates(id:)": "The job's global id.",
}

# Arguments whose name means the same on every field that takes it.
ARGUMENTS: dict[str, str] = {
    "id": "The record's global id (as the API handed it out).",
    "input": "The record's facts.",
    "householdId": "The household's global id.",
    "memberId": "The member's global id.",
    "first": "How many to return, 0 to 100 (default 20).",
    "after": "A cursor from the previous page's pageInfo.endCursor: continue after it.",
    "person": "Which member: PRINCIPAL (default) or SPOUSE.",
    "scenario": "The household's facts on asOf.",
}


def _unions(served: GraphQLSchema) -> dict[str, str]:
    """A blank union's description from the root field that returns it: what it answers with."""
    out: dict[str, str] = {}
    for root in (served.query_type, served.mutation_type, served.subscription_type):
        for field_name, field in (root.fields if root is not None else {}).items():
            named = field.type
            while hasattr(named, "of_type"):
                named = named.of_type
            if isinstance(named, GraphQLUnionType) and named.name not in out:
                done, *refused = [t.name for t in named.types]
                out[named.name] = f"What `{field_name}` answers: {done} when it succeeds, else " + (
                    ", ".join(refused) + " (each says what to change; nothing was written or done)."
                )
    return out


def describe(served: GraphQLSchema) -> set[str]:
    """Fill every blank description of `served` this module knows; answer the entries that matched nothing, and
    the entries for one element that its own module already describes (one of the two texts is dead)."""
    coordinates: dict[str, str] = dict(_unions(served))
    coordinates.update(TYPES)
    for group, fields in SHARED.items():
        for type_name in group:
            for field_name, text in fields.items():
                update = type_name.startswith("Update") and type_name.endswith("Input")
                coordinates.setdefault(f"{type_name}.{field_name}", text + (_ON_UPDATE if update else ""))
    coordinates.update(COORDINATES)
    for extension, base in EXTENDS.items():
        for key, text in list(coordinates.items()):
            if key.startswith(f"{base}."):
                coordinates.setdefault(extension + key.removeprefix(base), text)
    used: set[str] = set()
    used_arguments: set[str] = set()
    specific = set(COORDINATES) | set(TYPES)
    shadowed: set[str] = set()

    def fill(target: Any, key: str, argument: str | None = None) -> None:
        text = coordinates.get(key)
        if text is not None:
            used.add(key)
        elif argument is not None and argument in ARGUMENTS:
            text = ARGUMENTS[argument]
            used_arguments.add(argument)
        if text is not None and not target.description:
            target.description = text
        elif key in specific:
            shadowed.add(f"{key} (described in its module too)")

    for name, type_ in served.type_map.items():
        if is_introspection_type(type_) or is_specified_scalar_type(type_):
            continue
        fill(type_, name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                fill(field, f"{name}.{field_name}")
                for arg_name, arg in field.args.items():
                    fill(arg, f"{name}.{field_name}({arg_name}:)", arg_name)
        elif isinstance(type_, GraphQLInputObjectType):
            for field_name, input_field in type_.fields.items():
                fill(input_field, f"{name}.{field_name}")
        elif isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                fill(value, f"{name}.{value_name}")
    # A shared entry of a group applies to the types of the group that have the field; the others are fine.
    shared = {f"{t}.{f}" for group, fields in SHARED.items() for t in group for f in fields}
    stale = specific - used - shared
    return stale | shadowed | (set(ARGUMENTS) - used_arguments) | _unused_groups(used, SHARED)


def _unused_groups(used: Iterable[str], shared: Mapping[tuple[str, ...], Mapping[str, str]]) -> set[str]:
    """Shared entries no type of their group has (a renamed or removed field)."""
    seen = set(used)
    return {
        f"{group[0]}….{field}"
        for group, fields in shared.items()
        for field in fields
        if not any(f"{t}.{field}" in seen for t in group)
    }
