"""The record lists of the household page: offers, children, and each member's education, language tests, work
history and permits, as rows of inputs named by the API's paths (`offers[0].nocCode`,
`principal.languageTests[1].listening`).

A list is read from the form row by row (a row left blank is no record, a row marked "remove" is left out) and
sent whole to `saveHouseholdFacts`, which replaces the stored list with it. Values the page cannot convert (a
number that is not one) are sent as typed, so the API's own message names them. Adding a row is a submit button
that shows the form again with a blank row (no JavaScript needed).
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from db.models import PermitStatus
from solver.domain import CanadianStatus, Credential, InstitutionKind, LanguageTestKind, Role

Form = Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class Column:
    """One input of a row: the API's field, how it is typed and sent, and a new row's value."""

    name: str
    kind: str = "text"  # text, date, int, float, checkbox, select, codes (a comma-separated list)
    choices: tuple[str, ...] = ()
    new: str = ""

    def value(self, raw: str) -> Any:
        """The API's value of what the row holds (None for blank; kept as typed when it is not a number)."""
        raw = raw.strip()
        if self.kind == "checkbox":
            return raw == "on"
        if self.kind == "codes":
            return [code.strip().upper() for code in raw.split(",") if code.strip()]
        if not raw:
            return None
        if self.kind in ("int", "float"):
            try:
                return int(raw) if self.kind == "int" else float(raw)
            except ValueError:
                return raw
        return raw

    def shown(self, value: Any) -> str:
        """A stored value as the input shows it."""
        if self.kind == "checkbox":
            return "on" if value else ""
        if self.kind == "codes":
            return ", ".join(value)
        if isinstance(value, float):
            return f"{value:g}"
        return "" if value is None else str(value)


def _choices(kind: type[enum.Enum]) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


def _checkbox(name: str, *, checked: bool = False) -> Column:
    return Column(name, "checkbox", new="on" if checked else "")


@dataclasses.dataclass(frozen=True)
class Records:
    """A list of records on the form: the API's field and the row's columns (the first is focused when added)."""

    field: str
    columns: tuple[Column, ...]

    def selection(self) -> str:
        """The GraphQL selection that reads the stored records' columns (a permit's offer by its ref)."""
        names = ("offer { ref }" if column.name == "offerRef" else column.name for column in self.columns)
        return f"{self.field} {{ {' '.join(names)} }}"


OFFERS: Final = Records(
    "offers",
    (
        Column("ref"),
        Column("holder", "select", _choices(Role), new=Role.PRINCIPAL.value),
        Column("employerName"),
        Column("nocCode"),
        Column("province"),
        Column("hoursPerWeek", "float"),
        Column("hourlyWage", "float"),
        Column("earliestStart", "date"),
        Column("latestStart", "date"),
        Column("months", "int"),
        Column("lmiaExemptCode"),
        _checkbox("lmiaApproved"),
        Column("lmiaAppliedOn", "date"),
        Column("offerNumber"),
        _checkbox("complianceFeePaid"),
    ),
)
CHILDREN: Final = Records(
    "children", (Column("birthDate", "date"), Column("citizenships", "codes"), _checkbox("inCanada"))
)
EDUCATION: Final = Records(
    "education",
    (
        Column("credential", "select", _choices(Credential), new=Credential.BACHELOR.value),
        Column("institution", "select", _choices(InstitutionKind), new=InstitutionKind.UNIVERSITY.value),
        _checkbox("canadian"),
        Column("start", "date"),
        Column("completion", "date"),
        _checkbox("pgwpEligibleDli"),
        _checkbox("fieldOfStudyEligible", checked=True),
        _checkbox("fullTime", checked=True),
        Column("lengthMonths", "int"),
        Column("studyPermitAppliedOn", "date"),
    ),
)
LANGUAGE_TESTS: Final = Records(
    "languageTests",
    (
        Column("test", "select", _choices(LanguageTestKind), new=LanguageTestKind.IELTS_GENERAL.value),
        Column("taken", "date"),
        Column("listening", "int"),
        Column("reading", "int"),
        Column("writing", "int"),
        Column("speaking", "int"),
    ),
)
WORK_HISTORY: Final = Records(
    "workHistory",
    (
        Column("nocCode"),
        Column("start", "date"),
        Column("end", "date"),
        Column("hoursPerWeek", "float"),
        _checkbox("inCanada"),
        _checkbox("selfEmployed"),
        _checkbox("whileFullTimeStudent"),
        _checkbox("authorized", checked=True),
    ),
)
PERMITS: Final = Records(
    "permits",
    (
        Column("code"),
        _checkbox("open"),
        Column("status", "select", _choices(PermitStatus), new=PermitStatus.APPROVED.value),
        Column("offerRef"),
        Column("validFrom", "date"),
        Column("validTo", "date"),
        Column("appliedOn", "date"),
        _checkbox("insideCanada", checked=True),
        _checkbox("withRestoration"),
    ),
)
HOUSEHOLD_RECORDS: Final = (OFFERS, CHILDREN)
MEMBER_RECORDS: Final = (LANGUAGE_TESTS, EDUCATION, WORK_HISTORY, PERMITS)
CANADIAN_STATUSES: Final = _choices(CanadianStatus)
REMOVE: Final = "remove"


@dataclasses.dataclass(frozen=True)
class RowsView:
    """A list as the form shows it: its inputs' prefix (`principal.languageTests`), its rows, the row to focus."""

    key: str
    records: Records
    count: int
    focus: int | None = None


def lists_of(household: Mapping[str, Any]) -> list[tuple[str, Records]]:
    """Every list the household's form shows: the household's, then each stored member's, by input prefix."""
    lists = [(records.field, records) for records in HOUSEHOLD_RECORDS]
    for role in ("principal", "spouse"):
        if household.get(role) is not None:
            lists += [(f"{role}.{records.field}", records) for records in MEMBER_RECORDS]
    return lists


def _row_index(key: str) -> re.Pattern[str]:
    return re.compile(re.escape(key) + r"\[(\d{1,3})\]\.(\w+)$")


def rows(form: Form, key: str) -> list[dict[str, str]]:
    """The rows of the list `key` as posted, by their index, each by column (and "remove")."""
    found: dict[int, dict[str, str]] = {}
    pattern = _row_index(key)
    for name, value in form.items():
        match = pattern.match(name)
        if match:
            found.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [row for _, row in sorted(found.items())]


def as_input(row: Mapping[str, str], records: Records) -> dict[str, Any]:
    """A row as the API's input of one record."""
    return {column.name: column.value(row.get(column.name, "")) for column in records.columns}


def kept(form: Form, key: str, records: Records) -> list[dict[str, str]]:
    """The rows that are records to save: neither marked "remove" nor blank (only choices and boxes, as a row
    added and left is)."""
    typed = [column.name for column in records.columns if column.kind not in ("checkbox", "select")]
    return [
        row for row in rows(form, key) if row.get(REMOVE) != "on" and any(row.get(name, "").strip() for name in typed)
    ]


def form_values(key: str, listed: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """The form's values of the rows `listed`, numbered from 0 as shown."""
    return {f"{key}[{i}].{name}": value for i, row in enumerate(listed) for name, value in row.items()}


def stored_values(key: str, records: Records, stored: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The form's values of stored records."""
    return form_values(key, [_stored_row(records, record) for record in stored])


def _stored_row(records: Records, record: Mapping[str, Any]) -> dict[str, str]:
    row = {}
    for column in records.columns:
        value = (record.get("offer") or {}).get("ref") if column.name == "offerRef" else record.get(column.name)
        row[column.name] = column.shown(value)
    return row


def blank(records: Records) -> dict[str, str]:
    """A new row's values (the API's defaults for its checkboxes and choices)."""
    return {column.name: column.new for column in records.columns}


def field_of(path: str, lists: Sequence[tuple[str, Records]]) -> str | None:
    """The input of a list that an error's path (without `input.`) names: the row's column, else the list;
    None for a path outside every list."""
    for key, records in lists:
        match = re.match(re.escape(key) + r"(?:\[(\d+)\](?:\.(\w+))?)?", path)
        if match is None:
            continue
        index, column = match.group(1), match.group(2)
        if index is not None and column in {c.name for c in records.columns}:
            return f"{key}[{index}].{column}"
        return key
    return None
