"""The GraphQL enums, registered once from the solver's and the store's Python enums.

Every schema module uses these (the contract's `Person`, `StatusKind`, `Credential`, `InstitutionKind`,
`LanguageTestKind`, plus `PermitStatus`): registering a Python enum twice under one name breaks the schema.
"""

from __future__ import annotations

import strawberry

from db.models import PermitStatus
from solver.domain import CanadianStatus, Credential, InstitutionKind, LanguageTestKind, Role, StatusKind

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
PermitStatusEnum = strawberry.enum(
    PermitStatus, name="PermitStatus", description="Where a permit stands: planned, applied for, decided, run out."
)

__all__ = [
    "CanadianStatus",
    "CanadianStatusEnum",
    "Credential",
    "CredentialEnum",
    "InstitutionKind",
    "InstitutionKindEnum",
    "LanguageTestKind",
    "LanguageTestKindEnum",
    "PermitStatus",
    "PermitStatusEnum",
    "Person",
    "Role",
    "StatusKind",
    "StatusKindEnum",
]
