"""The firm's settings over GraphQL: the language its users' pages are in when they chose none.

Any key of the firm reads them (`firmSettings`); an admin key changes them (`setFirmLanguage`), through the
tenant's repository in one audited write (`schema.writes.run`), so the change is in the audit trail and bumps the
firm's revision like any other.
"""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry

from db.repositories.access import Access
from schema.auth import Principal, require
from schema.errors import FieldError, InvalidInput
from schema.mutations import mutation
from schema.queries import described
from schema.types import Info
from schema.writes import Refusal, run


class Language(enum.Enum):
    """A language the product writes in (api/i18n.py LANGUAGES)."""

    EN = "en"
    FR = "fr"


FirmLanguage = strawberry.enum(Language, name="FirmLanguage", description="A language the product writes in.")


@strawberry.type(description="Your firm's settings.")
class FirmSettings:
    language: Language | None = strawberry.field(
        description="The language of your users' pages when they chose none; null: their browser's language decides."
    )


SetFirmLanguageResult = Annotated[FirmSettings | InvalidInput, strawberry.union("SetFirmLanguageResult")]


def _language(raw: str | None) -> Language | None:
    return Language(raw) if raw in {member.value for member in Language} else None


async def _read_language(info: Info) -> str | None:
    async with info.context.sessions() as session:
        return await Access(session, tenant_id=info.context.tenant_id).firm_language()


@strawberry.type
class FirmQuery:
    @described("Your firm's settings (any key of the firm reads them).")
    async def firm_settings(self, info: Info) -> FirmSettings:
        return FirmSettings(language=_language(await _read_language(info)))


@strawberry.type
class FirmMutation:
    @mutation("Set your firm's language (null: none; each user's browser decides). An admin key may; audited.")
    async def set_firm_language(
        self,
        info: Info,
        language: Annotated[Language | None, strawberry.argument(description="The firm's language, or null for none.")],
    ) -> SetFirmLanguageResult:
        principal: Principal | None = info.context.principal
        require(principal, lambda role: role.may_manage, "change the firm's settings (an admin key may)")
        value = language.value if language is not None else None
        outcome = await run(info.context, lambda repo: repo.sibling(Access).set_firm_language(value))
        if isinstance(outcome, Refusal):
            return InvalidInput(errors=[FieldError(path="language", message="could not store the setting; retry")])
        return FirmSettings(language=_language(outcome))
