"""The consultant's page at `/`: sign in with an API key, find and open households, edit their files, plan them.

Server-rendered (Jinja2, `api/templates/`), with a little progressive JavaScript (`api/static/app.js`: the plan
job's progress without reloading). Every read and write goes through the GraphQL API itself: the page posts its
operations to `/graphql` in-process with the user's session cookie and the page's header (`api/session.py`), so
the key's role, limits and audit apply exactly as to any client, and the API's field errors are shown beside the
inputs they name (the form's input names are the API's field paths). A household's lists of records (offers,
each member's language tests, ...) are rows of such inputs (`api/page_records.py`), saved with the rest of its
file by one `saveHouseholdFacts`.

The language is the user's choice (the switch in the header, kept in a cookie), else the firm's setting, else
Accept-Language (`api.i18n.negotiate`); the texts are the gettext domain "page". A database fault, met by the
page's own call to `/graphql` or by the sign-in's key check, answers a short "try again shortly" page with 503
and Retry-After (`api/faults.py`), as `/graphql` answers it.

The plan view includes `_timeline.html`, the server's SVG (`Plan.timelineSvg(lang:)`, api/present/timeline.py),
the solver's sentences in the same language (`PlanStep.detail(lang:)`, `Finding.message(lang:)`, ...), and
`_handout.html`, the link to the client handout PDF (api/plan_files.py, read with the session cookie).
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final

import httpx
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from api.auth import Unauthenticated
from api.faults import UNAVAILABLE_STATUS, Endpoint, answering_faults
from api.i18n import LANGUAGES, gettext_for, negotiate, supported
from api.page_records import (
    CANADIAN_STATUSES,
    HOUSEHOLD_RECORDS,
    MEMBER_RECORDS,
    Records,
    RowsView,
    as_input,
    blank,
    field_of,
    form_values,
    kept,
    lists_of,
    rows,
    stored_values,
)
from api.session import COOKIE, LANGUAGE_COOKIE, PAGE_HEADER
from schema.errors import Unavailable

DOMAIN: Final = "page"
# What the page asks of the API; each is an operation any client with the same key could send.
HOUSEHOLDS: Final = """
query PageHouseholds($q: String, $after: String) {
  firmSettings { language }
  households(first: 25, nameContains: $q, after: $after) {
    edges { node { id name principal { name } spouse { name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
HOUSEHOLD: Final = f"""
query PageHousehold($id: ID!) {{
  firmSettings {{ language }}
  household(id: $id) {{
    id version name
    principal {{ ...PageMember }}
    spouse {{ ...PageMember }}
    {" ".join(records.selection() for records in HOUSEHOLD_RECORDS)}
    plans(first: 10) {{ edges {{ node {{ id createdAt asOf status prReadyDate }} }} }}
  }}
}}
fragment PageMember on HouseholdMember {{
  id version name birthDate citizenships inCanada passportExpiry
  status {{ kind validTo permitCode employerSpecific }}
  prApplication {{ program submittedOn aorOn }}
  provincialNomination {{ province nominatedOn employerRestricted }}
  biometricsGivenOn medicalExamOn canadianStatus
  {" ".join(records.selection() for records in MEMBER_RECORDS)}
}}"""
FIRM: Final = "query PageFirm { firmSettings { language } }"
CREATE: Final = """
mutation PageCreateHousehold($input: CreateHouseholdInput!) {
  createHousehold(input: $input) {
    __typename
    ... on HouseholdPayload { household { id } }
    ... on InvalidInput { errors { path message } }
    ... on Conflict { path message }
  }
}"""
SAVE_FACTS: Final = """
mutation PageSaveHouseholdFacts($id: ID!, $input: HouseholdFactsInput!, $version: Int) {
  saveHouseholdFacts(id: $id, input: $input, version: $version) {
    __typename
    ... on InvalidInput { errors { path message } }
    ... on Conflict { path message }
    ... on NotFound { path message }
  }
}"""
START_PLAN: Final = """
mutation PageStartPlan($householdId: ID!) {
  startPlan(householdId: $householdId) {
    __typename
    ... on PlanJob { id }
    ... on InvalidScenario { errors { path message } }
    ... on InvalidInput { errors { path message } }
    ... on NotFound { path message }
  }
}"""
PLAN_JOB: Final = """
query PagePlanJob($id: ID!) {
  planJob(id: $id) { ... on PlanJob { id state improvements error household { id name } storedPlan { id } } }
}"""
# The timeline and the solver's sentences are in the reader's language; today's line is the plan's asOf.
STORED_PLAN: Final = """
query PageStoredPlan($id: ID!, $lang: String) {
  node(id: $id) {
    ... on StoredPlan {
      id asOf createdAt rulesVersion
      household { id name }
      plan {
        status prReadyDate prProgram prApplicant crsScore
        permits { person code name open applyOn validFrom validTo fee }
        steps { date person action code detail(lang: $lang) ruleIds }
        deadlines { person date what message(lang: $lang) ruleId }
        statusGaps { person start end workAuthorized }
        fees { total permits biometrics pr employer }
        blockers { ruleId message(lang: $lang) source }
        explanation { ruleId message(lang: $lang) source }
        closedRoutes { person code name fix(lang: $lang) fixBy reasons { ruleId message(lang: $lang) } }
        timelineSvg(lang: $lang)
      }
    }
  }
}"""
STATUS_KINDS: Final = ("WORKER", "STUDENT", "VISITOR", "NONE")
# The form's inputs, named by the API's field paths (under `input.`); an error of any other path is the form's.
MEMBERS: Final = ("principal.", "spouse.")
FORM_FIELDS: Final = frozenset(
    {"name"}
    | {
        f"{member}{name}"
        for member in MEMBERS
        for name in (
            "name",
            "birthDate",
            "citizenships",
            "inCanada",
            "passportExpiry",
            "status.kind",
            "status.validTo",
            "status.permitCode",
            "status.employerSpecific",
            "prApplication.program",
            "prApplication.submittedOn",
            "prApplication.aorOn",
            "provincialNomination.province",
            "provincialNomination.nominatedOn",
            "provincialNomination.employerRestricted",
            "biometricsGivenOn",
            "medicalExamOn",
            "canadianStatus",
        )
    }
)
_INDEX = re.compile(r"\[\d+\]$")
# A value the API could not read (a malformed date, a blank required field): its message starts with the path.
_UNREAD_PATH = re.compile(r"(input\.[\w.\[\]]+): ")


# A form's fields (application/x-www-form-urlencoded; the page uploads no files). The first value of a name wins.
Form = Mapping[str, str]
MAX_FORM_BYTES: Final = 64_000


async def read_form(request: Request) -> Form:
    """The posted form (read once; Starlette keeps the body), at most MAX_FORM_BYTES (more is cut off)."""
    body = (await request.body())[:MAX_FORM_BYTES]
    fields: dict[str, str] = {}
    for name, value in urllib.parse.parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True):
        fields.setdefault(name, value)
    return fields


class ApiError(Exception):
    """The API refused the page's request as a whole (not a field's error): its messages are shown."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class SignedOut(Exception):
    """The session is missing or no longer stands: the user is sent to sign in."""


async def call_api(request: Request, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`data` of one operation posted to this service's own `/graphql` with the user's session."""
    cookie = request.cookies.get(COOKIE)
    if cookie is None:
        raise SignedOut
    headers = {"Accept": "application/json", PAGE_HEADER: "1", "Cookie": f"{COOKIE}={cookie}"}
    if language := request.headers.get("accept-language"):
        headers["Accept-Language"] = language
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://page.local") as client:
        response = await client.post(
            "/graphql", json={"query": query, "variables": dict(variables or {})}, headers=headers
        )
    if response.status_code == 401:
        raise SignedOut
    body = response.json()
    if response.status_code == 503:  # a database fault, already logged by /graphql: the page says retry
        raise Unavailable(body["errors"][0]["extensions"]["code"])
    if body.get("errors") or body.get("data") is None:
        raise ApiError([error.get("message", "") for error in body.get("errors") or []] or [response.text])
    data: dict[str, Any] = body["data"]
    return data


@functools.cache
def environment(lang: str) -> Environment:
    """The templates with the "page" catalog of `lang` installed (one environment per language)."""
    env = Environment(
        loader=PackageLoader("api", "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translate = gettext_for(DOMAIN, lang)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return translate(singular) if count == 1 else translate(plural)

    env.install_gettext_callables(translate, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def language_of(request: Request, firm: str | None = None) -> str:
    """The reader's language: their switch, the firm's setting, then Accept-Language."""
    return negotiate(
        choice=request.cookies.get(LANGUAGE_COOKIE), firm=firm, accept_language=request.headers.get("accept-language")
    )


def render(request: Request, name: str, lang: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """The template `name` in `lang`, with what every page shows (the session, the language switch)."""
    cookie = request.cookies.get(COOKIE)
    signer = request.app.state.gateway.signer
    signed_in = signer.read(cookie) is not None
    page = (
        environment(lang)
        .get_template(name)
        .render(
            lang=lang,
            languages=LANGUAGES,
            signed_in=signed_in,
            csrf=signer.csrf_token(cookie) if signed_in and cookie else "",
            here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **values,
        )
    )
    return HTMLResponse(page, status_code=status_code, headers={"Cache-Control": "no-store"})


def page(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """A page that needs a session: signed out (or the key revoked) sends the user to sign in; a POST must
    carry the session's form token."""

    async def guarded(request: Request) -> Response:
        signer = request.app.state.gateway.signer
        cookie = request.cookies.get(COOKIE)
        if signer.read(cookie) is None:
            return RedirectResponse("/signin", status_code=303)
        if request.method == "POST":
            form = await read_form(request)
            if not signer.csrf_matches(cookie, _text(form, "csrf")):
                message = gettext_for(DOMAIN, language_of(request))(
                    "The form has expired; reload the page and try again."
                )
                return HTMLResponse(message, status_code=403)
        try:
            return await handler(request)
        except SignedOut:
            return _signed_out(RedirectResponse("/signin", status_code=303))
        except ApiError as error:
            lang = language_of(request)
            return render(request, "error.html", lang, status_code=502, message=str(error))

    return guarded


def _text(form: Form, name: str) -> str | None:
    value = form.get(name, "").strip()
    return value or None


def _signed_out(response: Response) -> Response:
    response.delete_cookie(COOKIE, path="/")
    return response


def _local(target: str | None) -> str:
    """`target` when it is a path of this site, else `/` (never a redirect elsewhere)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def same_origin(request: Request) -> bool:
    """Whether the request came from a page of this site, as far as the browser says (Origin, when sent)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin == own


async def signin_form(request: Request) -> Response:
    """The sign-in form (an API key)."""
    return render(request, "signin.html", language_of(request), error=None)


async def signin(request: Request) -> Response:
    """Checks the key as `/graphql` would and starts a session for it (only from this site's own form)."""
    if not same_origin(request):
        message = gettext_for(DOMAIN, language_of(request))("Sign in from this site's own page.")
        return HTMLResponse(message, status_code=403)
    form = await read_form(request)
    gateway = request.app.state.gateway
    key = _text(form, "key") or ""
    principal = await gateway.authenticator.authenticate(f"Bearer {key}") if key else None
    if principal is None or isinstance(principal, Unauthenticated) or principal.key_id is None:
        lang = language_of(request)
        error = gettext_for(DOMAIN, lang)("This API key is not valid: it is unknown, revoked or mistyped.")
        return render(request, "signin.html", lang, status_code=401, error=error)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE,
        gateway.signer.issue(principal.key_id),
        max_age=gateway.signer.max_age_s,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@page
async def signout(request: Request) -> Response:
    """Ends the session."""
    return _signed_out(RedirectResponse("/signin", status_code=303))


async def choose_language(request: Request) -> Response:
    """The language switch: remembered in a cookie (a year), then back where the user was."""
    form = await read_form(request)
    response = RedirectResponse(_local(_text(form, "next")), status_code=303)
    lang = supported(_text(form, "lang"))
    if lang is not None:
        response.set_cookie(
            LANGUAGE_COOKIE, lang, max_age=365 * 86400, path="/", samesite="lax", secure=request.url.scheme == "https"
        )
    return response


@page
async def households(request: Request) -> Response:
    """The firm's households, searched by name."""
    q = request.query_params.get("q") or None
    data = await call_api(request, HOUSEHOLDS, {"q": q, "after": request.query_params.get("after") or None})
    lang = language_of(request, data["firmSettings"]["language"])
    found = data["households"]
    return render(request, "households.html", lang, q=q or "", households=found["edges"], page_info=found["pageInfo"])


async def _firm_language(request: Request) -> str:
    data = await call_api(request, FIRM)
    return language_of(request, data["firmSettings"]["language"])


@page
async def new_household(request: Request) -> Response:
    """The form of a new household: its name, its principal applicant's facts and, when given, the spouse's."""
    lang = await _firm_language(request)
    shown: dict[str, Any] = {"status_kinds": STATUS_KINDS, "canadian_statuses": CANADIAN_STATUSES, "has_spouse": False}
    if request.method == "GET":
        return render(request, "household_new.html", lang, values={}, errors={}, **shown)
    form = await read_form(request)
    household: dict[str, Any] = {"name": form.get("name", ""), "principal": member_input(form, "principal.")}
    if _text(form, "spouse.name"):
        household["spouse"] = member_input(form, "spouse.")
    try:
        data = await call_api(request, CREATE, {"input": household})
    except ApiError as error:  # a value the API could not read (a malformed date)
        errors = unread_errors(error)
    else:
        result = data["createHousehold"]
        if result["__typename"] == "HouseholdPayload":
            return RedirectResponse(f"/households/{result['household']['id']}", status_code=303)
        errors = field_errors(result, prefix="input.")
    return render(request, "household_new.html", lang, status_code=422, values=dict(form), errors=errors, **shown)


def member_input(form: Form, prefix: str) -> dict[str, Any]:
    """A member's input from the form's fields (named by the API's paths); an empty optional field is null, which
    clears what was stored."""
    member: dict[str, Any] = {
        "name": _text(form, f"{prefix}name") or "",
        "birthDate": _text(form, f"{prefix}birthDate"),
        "citizenships": [
            code.strip().upper() for code in (_text(form, f"{prefix}citizenships") or "").split(",") if code.strip()
        ],
        "inCanada": form.get(f"{prefix}inCanada") == "on",
        "passportExpiry": _text(form, f"{prefix}passportExpiry"),
        "biometricsGivenOn": _text(form, f"{prefix}biometricsGivenOn"),
        "medicalExamOn": _text(form, f"{prefix}medicalExamOn"),
        "canadianStatus": _choice(form, f"{prefix}canadianStatus", CANADIAN_STATUSES),
        "status": None,
        "prApplication": _group(form, f"{prefix}prApplication.", ("program", "submittedOn", "aorOn")),
        "provincialNomination": _group(form, f"{prefix}provincialNomination.", ("province", "nominatedOn")),
    }
    if nomination := member["provincialNomination"]:
        nomination["employerRestricted"] = form.get(f"{prefix}provincialNomination.employerRestricted") == "on"
    if kind := _choice(form, f"{prefix}status.kind", STATUS_KINDS):
        member["status"] = {
            "kind": kind,
            "validTo": _text(form, f"{prefix}status.validTo"),
            "permitCode": _text(form, f"{prefix}status.permitCode"),
            "employerSpecific": form.get(f"{prefix}status.employerSpecific") == "on",
        }
    return member


def _choice(form: Form, name: str, choices: tuple[str, ...]) -> str | None:
    value = _text(form, name)
    return value if value in choices else None


def _group(form: Form, prefix: str, names: tuple[str, ...]) -> dict[str, Any] | None:
    """A nested input (a PR application, a nomination) from its fields; null when all of them are empty."""
    group = {name: _text(form, prefix + name) for name in names}
    return group if any(group.values()) else None


def field_errors(
    result: Mapping[str, Any], *, prefix: str, lists: Sequence[tuple[str, Records]] = ()
) -> dict[str, str]:
    """The API's errors by the form input they name: the path without `prefix` (and a list's index), a record's
    input in `lists` (or the list); "" names the form, for a path no input stands for."""
    errors: dict[str, str] = {}
    listed = result.get("errors") or [{"path": result.get("path") or "", "message": result.get("message") or ""}]
    for error in listed:
        path = str(error.get("path") or "")
        field = _form_field(path.removeprefix(prefix), lists) if path.startswith(prefix) else ""
        errors[field] = (errors[field] + " " if field in errors else "") + str(error.get("message"))
    return errors


def _form_field(path: str, lists: Sequence[tuple[str, Records]]) -> str:
    field = _INDEX.sub("", path)
    if field in FORM_FIELDS:
        return field
    return field_of(path, lists) or ""


def unread_errors(error: ApiError, lists: Sequence[tuple[str, Records]] = ()) -> dict[str, str]:
    """The messages of values the API could not read, by the input their path names (else the form's)."""
    listed = []
    for message in error.messages:
        found = _UNREAD_PATH.match(message)
        path = found.group(1) if found else ""
        listed.append({"path": path, "message": message.removeprefix(f"{path}: ") if path else message})
    return field_errors({"errors": listed}, prefix="input.", lists=lists)


@page
async def household(request: Request) -> Response:
    """One household: its whole file (editable), its plans, and the button that plans it."""
    raw_id = request.path_params["id"]
    if request.method == "POST":
        return await _update_household(request, raw_id)
    data = await call_api(request, HOUSEHOLD, {"id": raw_id})
    lang = language_of(request, data["firmSettings"]["language"])
    found = data["household"]
    if found is None:
        return render(request, "error.html", lang, status_code=404, message=None)
    lists = lists_of(found)
    values = _values_of(found)
    views = []
    for key, records in lists:
        stored = _stored_records(found, key)
        values |= stored_values(key, records, stored)
        views.append(RowsView(key, records, len(stored)))
    saved = request.query_params.get("saved") == "1"
    return _household_page(request, lang, found, values, {}, views, saved=saved)


def _stored_records(found: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The stored records of the list `key` (`offers`, `principal.languageTests`)."""
    owner, _, field = key.rpartition(".")
    records: list[Mapping[str, Any]] = (found[owner] if owner else found)[field]
    return records


def _household_page(
    request: Request,
    lang: str,
    found: Mapping[str, Any],
    values: Mapping[str, str],
    errors: Mapping[str, str],
    views: Sequence[RowsView],
    *,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "household.html",
        lang,
        status_code=status_code,
        household=found,
        values=values,
        errors=errors,
        status_kinds=STATUS_KINDS,
        canadian_statuses=CANADIAN_STATUSES,
        has_spouse=found["spouse"] is not None,
        lists={view.key: view for view in views},
        saved=saved,
    )


def _values_of(found: Mapping[str, Any]) -> dict[str, str]:
    """The form's values from the stored household (the inputs' names are the API's paths)."""
    values = {"name": found["name"]}
    for prefix in MEMBERS:
        member = found[prefix.rstrip(".")]
        if member is None:
            continue
        status = member.get("status") or {}
        application = member.get("prApplication") or {}
        nomination = member.get("provincialNomination") or {}
        values |= {
            f"{prefix}name": member["name"],
            f"{prefix}birthDate": member["birthDate"],
            f"{prefix}citizenships": ", ".join(member["citizenships"]),
            f"{prefix}inCanada": "on" if member["inCanada"] else "",
            f"{prefix}passportExpiry": member.get("passportExpiry") or "",
            f"{prefix}status.kind": status.get("kind") or "",
            f"{prefix}status.validTo": status.get("validTo") or "",
            f"{prefix}status.permitCode": status.get("permitCode") or "",
            f"{prefix}status.employerSpecific": "on" if status.get("employerSpecific") else "",
            f"{prefix}prApplication.program": application.get("program") or "",
            f"{prefix}prApplication.submittedOn": application.get("submittedOn") or "",
            f"{prefix}prApplication.aorOn": application.get("aorOn") or "",
            f"{prefix}provincialNomination.province": nomination.get("province") or "",
            f"{prefix}provincialNomination.nominatedOn": nomination.get("nominatedOn") or "",
            f"{prefix}provincialNomination.employerRestricted": "on" if nomination.get("employerRestricted") else "",
            f"{prefix}biometricsGivenOn": member.get("biometricsGivenOn") or "",
            f"{prefix}medicalExamOn": member.get("medicalExamOn") or "",
            f"{prefix}canadianStatus": member.get("canadianStatus") or "",
        }
    return values


async def _update_household(request: Request, raw_id: str) -> Response:
    """Saves the form (the household's name, its members' facts and every list, all or nothing); refused, shows it
    again with the API's errors and the versions stored now (saving again is then a choice made knowing of the
    change). The "add a row" buttons show the form again, unsaved, with a blank row in that list."""
    form = await read_form(request)
    current = await call_api(request, HOUSEHOLD, {"id": raw_id})
    lang = language_of(request, current["firmSettings"]["language"])
    found = current["household"]
    if found is None:
        return render(request, "error.html", lang, status_code=404, message=None)
    lists = [(key, records) for key, records in lists_of(found) if form.get(f"{key}.shown")]
    adding = form.get("add")
    values = {name: value for name, value in form.items() if not any(name.startswith(f"{key}[") for key, _ in lists)}
    views = []
    for key, records in lists:
        listed = rows(form, key) if adding else kept(form, key, records)
        focus = len(listed) if key == adding else None
        if focus is not None:
            listed.append(blank(records))
        values |= form_values(key, listed)
        views.append(RowsView(key, records, len(listed), focus))
    if adding:
        return _household_page(request, lang, found, values, {}, views)
    try:
        errors = await _save_facts(request, found, form, lists)
    except ApiError as error:  # a value the API could not read (a malformed date)
        errors = unread_errors(error, lists)
    if errors:
        return _household_page(request, lang, found, values, errors, views, status_code=422)
    return RedirectResponse(f"/households/{raw_id}?saved=1", status_code=303)


async def _save_facts(
    request: Request, found: Mapping[str, Any], form: Form, lists: Sequence[tuple[str, Records]]
) -> dict[str, str]:
    """The household's name, each member's facts (a spouse given for the first time is added) and the lists the
    form shows, in one mutation, at the versions the form was read at: all saved, or nothing when the API refuses
    any part (a field, or a record changed since); the errors by input."""
    facts: dict[str, Any] = {"name": _text(form, "name") or ""}
    for prefix in MEMBERS:
        if found[prefix.rstrip(".")] is not None or _text(form, f"{prefix}name"):
            facts[prefix.rstrip(".")] = {**member_input(form, prefix), "version": _version(form, f"{prefix}version")}
    for key, records in lists:
        owner, _, field = key.rpartition(".")
        (facts[owner] if owner else facts)[field] = [as_input(row, records) for row in kept(form, key, records)]
    variables = {"id": found["id"], "input": facts, "version": _version(form, "version")}
    result = (await call_api(request, SAVE_FACTS, variables))["saveHouseholdFacts"]
    return {} if result["__typename"] == "HouseholdPayload" else field_errors(result, prefix="input.", lists=lists)


def _version(form: Form, name: str) -> int | None:
    """A version the form carries (hidden, as read); None when absent or not a number (the last writer wins)."""
    value = _text(form, name)
    return int(value) if value and value.isdecimal() and len(value) < 10 else None


@page
async def plan_household(request: Request) -> Response:
    """Starts planning the household and shows the job's progress."""
    raw_id = request.path_params["id"]
    data = await call_api(request, START_PLAN, {"householdId": raw_id})
    result = data["startPlan"]
    if result["__typename"] == "PlanJob":
        return RedirectResponse(f"/jobs/{result['id']}", status_code=303)
    lang = await _firm_language(request)
    message = " ".join(f"{error['path']}: {error['message']}" for error in result.get("errors") or [result])
    return render(request, "error.html", lang, status_code=422, message=message)


@page
async def plan_job(request: Request) -> Response:
    """A plan job's progress; done, it goes on to the stored plan. Without JavaScript the page refreshes itself."""
    data = await call_api(request, PLAN_JOB, {"id": request.path_params["id"]})
    job = data["planJob"] or None
    if job is not None and job["state"] == "DONE" and job["storedPlan"]:
        return RedirectResponse(f"/plans/{job['storedPlan']['id']}", status_code=303)
    lang = await _firm_language(request)
    if job is None:
        return render(request, "error.html", lang, status_code=404, message=None)
    return render(request, "job.html", lang, job=job)


@page
async def stored_plan(request: Request) -> Response:
    """A stored plan: steps, deadlines, fees, findings (and the timeline, where the schema draws it)."""
    lang = await _firm_language(request)
    data = await call_api(request, STORED_PLAN, {"id": request.path_params["id"], "lang": lang})
    found = data["node"]
    if not found:
        return render(request, "error.html", lang, status_code=404, message=None)
    handout = f"/households/{found['household']['id']}/plans/{found['id']}/handout.pdf?lang={lang}"
    return render(
        request,
        "plan.html",
        lang,
        stored=found,
        plan=found["plan"],
        timeline_svg=found["plan"]["timelineSvg"],
        handout_url=handout,
    )


def unavailable_page(request: Request, _shown: Unavailable) -> Response:
    """The page of a database fault (503): try again shortly, in the reader's language (the firm's setting
    cannot be read)."""
    lang = language_of(request)
    message = gettext_for(DOMAIN, lang)("The service cannot reach its records for the moment; try again shortly.")
    return render(request, "error.html", lang, status_code=UNAVAILABLE_STATUS, message=message)


def page_routes() -> list[Route]:
    """The page's routes, beside `/graphql` in `api.app`; a database fault answers `unavailable_page`."""
    routes: list[tuple[str, Endpoint, list[str]]] = [
        ("/", households, ["GET"]),
        ("/signin", signin_form, ["GET"]),
        ("/signin", signin, ["POST"]),
        ("/signout", signout, ["POST"]),
        ("/language", choose_language, ["POST"]),
        ("/households/new", new_household, ["GET", "POST"]),
        ("/households/{id}", household, ["GET", "POST"]),
        ("/households/{id}/plan", plan_household, ["POST"]),
        ("/jobs/{id}", plan_job, ["GET"]),
        ("/plans/{id}", stored_plan, ["GET"]),
    ]
    return [
        Route(path, answering_faults(endpoint, unavailable_page), methods=methods) for path, endpoint, methods in routes
    ]
