"""The consultant's page at `/`, through HTTP: sign-in, households, facts with the API's errors, plans, language."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from babel.messages.extract import extract_from_dir

from api.i18n import gettext_for
from api.keys import Role, split_key
from api.session import COOKIE, PAGE_HEADER
from tests.api.conftest import Service
from tests.api.test_present_sentences import english_left

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def signed_in(service: Service, role: Role = Role.CONSULTANT) -> httpx.AsyncClient:
    """The service's client signed in with a new key of a new firm (the cookie kept by the client)."""
    key = await service.key(await service.tenant(), role)
    response = await service.client.post("/signin", data={"key": key})
    assert response.status_code == 303 and response.headers["location"] == "/"
    return service.client


def csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, html
    return found.group(1)


async def test_signed_out_page_asks_for_a_key(service: Service) -> None:
    response = await service.client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/signin"
    form = await service.client.get("/signin")
    assert 'name="key"' in form.text and 'type="password"' in form.text


async def test_a_wrong_key_is_refused_and_sets_no_cookie(service: Service) -> None:
    response = await service.client.post("/signin", data={"key": "pp_000000000000_nope"})
    assert response.status_code == 401
    assert "not valid" in response.text
    assert COOKIE not in response.cookies


async def test_the_session_cookie_is_httponly_and_lax(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    response = await service.client.post("/signin", data={"key": key})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    parts = split_key(key)
    assert parts is not None
    assert parts[1] not in response.headers["set-cookie"]  # the key's secret never travels in it


async def test_create_edit_plan_and_see_the_plan(service: Service) -> None:
    client = await signed_in(service)
    listing = await client.get("/")
    assert listing.status_code == 200 and "Households" in listing.text
    form = await client.get("/households/new")
    created = await client.post(
        "/households/new",
        data={
            "csrf": csrf(form.text),
            "name": "Okafor",
            "principal.name": "Ada Okafor",
            "principal.birthDate": "1994-03-02",
            "principal.citizenships": "NG",
            "principal.inCanada": "on",
            "principal.status.kind": "WORKER",
            "principal.status.validTo": "2027-08-31",
            "principal.status.permitCode": "C43",
        },
    )
    assert created.status_code == 303, created.text
    household_url = created.headers["location"]
    page = await client.get(household_url)
    assert "Okafor" in page.text and 'value="Ada Okafor"' in page.text
    found = await client.get("/", params={"q": "okaf"})
    assert household_url in found.text
    none = await client.get("/", params={"q": "nobody-by-that-name"})
    assert household_url not in none.text

    planned = await client.post(f"{household_url}/plan", data={"csrf": csrf(page.text)})
    assert planned.status_code == 303 and planned.headers["location"].startswith("/jobs/")
    job = await client.get(planned.headers["location"])
    # Solves run in a thread here (no workers): the job is done when the page asks, and it goes on to the plan.
    while job.status_code == 200 and "job-state" in job.text:
        job = await client.get(planned.headers["location"])
    assert job.status_code == 303 and job.headers["location"].startswith("/plans/"), job.text
    plan = await client.get(job.headers["location"])
    assert plan.status_code == 200
    for heading in ("Steps", "Deadlines", "Fees", "Findings"):
        assert f">{heading}</h2>" in plan.text
    # In French, the solver's sentences too (GraphQL's `lang`).
    await client.post("/language", data={"lang": "fr", "next": "/"})
    french = (await client.get(job.headers["location"])).text
    assert "<li>aucun programme de résidence permanente n&#39;est accessible dans l&#39;horizon du plan" in french
    assert english_left(french.replace("&#39;", "'")) == []


async def test_the_apis_field_errors_are_shown_beside_their_inputs(service: Service) -> None:
    client = await signed_in(service)
    form = await client.get("/households/new")
    refused = await client.post(
        "/households/new",
        data={
            "csrf": csrf(form.text),
            "name": "Future",
            "principal.name": "Not Born",
            "principal.birthDate": "2094-03-02",
            "principal.citizenships": "ZZ",
        },
    )
    assert refused.status_code == 422
    html = refused.text
    # Each message sits right after its input, tied to it by aria-describedby.
    for field in ("principal.birthDate", "principal.citizenships"):
        assert f'id="f-{field}"' in html and f'aria-describedby="e-{field}"' in html, field
        assert f'<p class="error" id="e-{field}"' in html, field
    assert 'value="Not Born"' in html  # what was typed is kept


async def test_a_post_without_the_forms_token_is_refused(service: Service) -> None:
    client = await signed_in(service)
    response = await client.post("/households/new", data={"name": "Forged"})
    assert response.status_code == 403


async def test_graphql_takes_the_session_only_with_the_pages_header(service: Service) -> None:
    client = await signed_in(service)
    query = {"query": "{ households(first: 1) { edges { node { id } } } }"}
    without = await client.post("/graphql", json=query, headers={"Accept": "application/json"})
    assert without.status_code == 401
    with_header = await client.post("/graphql", json=query, headers={"Accept": "application/json", PAGE_HEADER: "1"})
    assert with_header.status_code == 200 and "errors" not in with_header.json()


async def test_a_revoked_key_ends_its_session(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    key = await service.key(tenant, Role.CONSULTANT)
    await service.client.post("/signin", data={"key": key})
    assert (await service.client.get("/")).status_code == 200
    await service.data(
        "mutation($k: String!) { revokeApiKey(keyId: $k) { __typename } }", admin, {"k": key.split("_")[1]}
    )
    response = await service.client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/signin"


async def test_sign_out_ends_the_session(service: Service) -> None:
    client = await signed_in(service)
    page = await client.get("/")
    out = await client.post("/signout", data={"csrf": csrf(page.text)})
    assert out.status_code == 303
    assert (await client.get("/")).headers["location"] == "/signin"


async def test_language_follows_the_switch_then_the_firm_then_the_browser(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    client = service.client
    await client.post("/signin", data={"key": admin})
    assert '<html lang="en">' in (await client.get("/")).text
    french_browser = await client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert '<html lang="fr">' in french_browser.text and "Ménages" in french_browser.text
    await service.data("mutation { setFirmLanguage(language: FR) { __typename } }", admin)
    assert "Ménages" in (await client.get("/")).text
    await client.post("/language", data={"lang": "en", "next": "/"})
    assert ">Households</h1>" in (await client.get("/")).text
    log = await service.data("{ auditLog(first: 5) { edges { node { action recordType changes } } } }", admin)
    changes = [edge["node"] for edge in log["auditLog"]["edges"] if edge["node"]["recordType"] == "Tenant"]
    assert changes and changes[0]["changes"] == {"language": {"from": None, "to": "fr"}}


async def test_only_an_admin_sets_the_firms_language(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    response = await service.post({"query": "mutation { setFirmLanguage(language: FR) { __typename } }"}, key)
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_language_switch_never_redirects_elsewhere(service: Service) -> None:
    response = await service.client.post("/language", data={"lang": "fr", "next": "//evil.example/"})
    assert response.headers["location"] == "/"


async def test_graphiql_loads_nothing_from_another_server(service: Service) -> None:
    response = await service.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()
    referenced = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert referenced and all(not re.match(r"(?:[a-z]+:)?//", url) or url.startswith("data:") for url in referenced)
    for url in referenced:
        if url.startswith("/static/"):
            asset = await service.client.get(url)
            assert asset.status_code == 200 and len(asset.content) > 100, url


def test_every_text_of_the_page_has_its_french() -> None:
    """Every gettext message of the templates and of api/page.py is translated in the French catalog."""
    templates = Path(__file__).parents[2] / "api" / "templates"
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(templates),
            method_map=[("**.html", "jinja2")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        )
    }
    source = (templates.parent / "page.py").read_text()
    found |= set(re.findall(r'gettext_for\(DOMAIN, [^)]*\)\("([^"]+)"\)', source))
    assert len(found) > 50
    french = gettext_for("page", "fr")
    untranslated = sorted(message for message in found if french(message) == message and message not in SAME_IN_FRENCH)
    assert not untranslated, f"no French for: {untranslated}"


SAME_IN_FRENCH = {"Date", "Plan", "Total", "source", "Province", "Test"}


async def test_editing_the_facts_saves_them_or_shows_the_apis_errors(service: Service) -> None:
    client = await signed_in(service)
    form = await client.get("/households/new")
    created = await client.post(
        "/households/new",
        data={
            "csrf": csrf(form.text),
            "name": "Tremblay",
            "principal.name": "Luc Tremblay",
            "principal.birthDate": "1990-01-15",
            "principal.citizenships": "FR",
        },
    )
    household_url = created.headers["location"]
    page = await client.get(household_url)
    refused = await client.post(
        household_url,
        data={
            "csrf": csrf(page.text),
            "name": "",
            "principal.name": "Luc Tremblay",
            "principal.birthDate": "2090-01-15",
            "principal.citizenships": "FR",
            "principal.status.kind": "WORKER",
            "principal.status.validTo": "2027-01-31",
            "principal.status.permitCode": "Q99",
        },
    )
    assert refused.status_code == 422
    for field in ("name", "principal.birthDate", "principal.status.permitCode"):
        assert f'<p class="error" id="e-{field}"' in refused.text, field
    saved = await client.post(
        household_url,
        data={
            "csrf": csrf(page.text),
            "name": "Tremblay-Roy",
            "principal.name": "Luc Tremblay",
            "principal.birthDate": "1990-01-15",
            "principal.citizenships": "FR, CA",
            "principal.passportExpiry": "2031-05-01",
        },
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"{household_url}?saved=1"
    shown = await client.get(saved.headers["location"])
    assert "Tremblay-Roy" in shown.text and 'value="2031-05-01"' in shown.text and 'value="FR, CA"' in shown.text


async def test_a_sign_in_posted_from_another_site_is_refused(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    response = await service.client.post("/signin", data={"key": key}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403 and COOKIE not in response.cookies


async def test_a_malformed_value_is_the_forms_error_not_a_crash(service: Service) -> None:
    client = await signed_in(service)
    form = await client.get("/households/new")
    refused = await client.post(
        "/households/new",
        data={"csrf": csrf(form.text), "name": "X", "principal.name": "Y", "principal.birthDate": "31/02/1990"},
    )
    assert refused.status_code == 422
    assert '<div class="problem" role="alert">' in refused.text and 'value="31/02/1990"' in refused.text


async def test_a_spouse_is_added_and_edited_with_errors_under_the_spouses_inputs(service: Service) -> None:
    client = await signed_in(service)
    form = await client.get("/households/new")
    principal = {"principal.name": "Mei Chen", "principal.birthDate": "1991-06-01", "principal.citizenships": "CN"}
    created = await client.post("/households/new", data={"csrf": csrf(form.text), "name": "Chen", **principal})
    household_url = created.headers["location"]
    page = await client.get(household_url)
    spouse = {"spouse.name": "Wei Chen", "spouse.citizenships": "CN"}
    refused = await client.post(
        household_url,
        data={"csrf": csrf(page.text), "name": "Chen", **principal, **spouse, "spouse.birthDate": "2099-01-01"},
    )
    assert refused.status_code == 422 and '<p class="error" id="e-spouse.birthDate"' in refused.text
    added = await client.post(
        household_url,
        data={"csrf": csrf(page.text), "name": "Chen", **principal, **spouse, "spouse.birthDate": "1989-02-03"},
    )
    assert added.status_code == 303
    shown = await client.get(household_url)
    assert 'value="Wei Chen"' in shown.text and 'value="1989-02-03"' in shown.text


async def test_a_readonly_key_reads_but_its_writes_are_refused_as_the_api_refuses_them(service: Service) -> None:
    client = await signed_in(service, Role.READONLY)
    assert (await client.get("/")).status_code == 200
    form = await client.get("/households/new")
    refused = await client.post(
        "/households/new",
        data={"csrf": csrf(form.text), "name": "N", "principal.name": "N", "principal.birthDate": "1990-01-01"},
    )
    assert refused.status_code == 422 and "readonly key may not" in refused.text


async def test_the_firms_language_is_none_until_set_and_can_be_cleared(service: Service) -> None:
    admin = await service.key(await service.tenant(), Role.ADMIN)
    assert await service.data("{ firmSettings { language } }", admin) == {"firmSettings": {"language": None}}
    set_to = "mutation($l: FirmLanguage) { setFirmLanguage(language: $l) { ... on FirmSettings { language } } }"
    assert (await service.data(set_to, admin, {"l": "FR"}))["setFirmLanguage"] == {"language": "FR"}
    assert (await service.data(set_to, admin, {"l": None}))["setFirmLanguage"] == {"language": None}
    assert await service.data("{ firmSettings { language } }", admin) == {"firmSettings": {"language": None}}


async def _tremblay(client: httpx.AsyncClient) -> str:
    """A new household's page address (no spouse)."""
    form = await client.get("/households/new")
    created = await client.post(
        "/households/new",
        data={"csrf": csrf(form.text), "name": "Tremblay", **TREMBLAY},
    )
    location: str = created.headers["location"]
    return location


TREMBLAY = {"principal.name": "Luc Tremblay", "principal.birthDate": "1990-01-15", "principal.citizenships": "FR"}


async def test_a_save_refused_in_one_part_stores_none_of_the_others(service: Service) -> None:
    client = await signed_in(service)
    household_url = await _tremblay(client)
    page = await client.get(household_url)
    refused = await client.post(
        household_url,
        data={
            "csrf": csrf(page.text),
            **hidden_versions(page.text),
            "name": "Tremblay-Roy",
            **TREMBLAY,
            "principal.citizenships": "FR, CA",
            "spouse.name": "Anne Roy",
            "spouse.birthDate": "2099-02-03",
            "spouse.citizenships": "CA",
        },
    )
    assert refused.status_code == 422
    assert '<p class="error" id="e-spouse.birthDate"' in refused.text
    assert "The household was not saved" in refused.text
    shown = await client.get(household_url)
    assert "<h1>Tremblay</h1>" in shown.text and 'value="FR"' in shown.text
    assert 'value="Anne Roy"' not in shown.text


async def test_a_form_read_before_another_save_is_refused_whole(service: Service) -> None:
    client = await signed_in(service)
    household_url = await _tremblay(client)
    stale = await client.get(household_url)
    first = await client.post(
        household_url, data={"csrf": csrf(stale.text), **hidden_versions(stale.text), "name": "Roy", **TREMBLAY}
    )
    assert first.status_code == 303
    second = await client.post(
        household_url,
        data={
            "csrf": csrf(stale.text),
            **hidden_versions(stale.text),
            "name": "Tremblay-Roy",
            **TREMBLAY,
            "principal.citizenships": "FR, CA",
        },
    )
    assert second.status_code == 422 and "it changed since you read it" in second.text
    shown = await client.get(household_url)
    assert "<h1>Roy</h1>" in shown.text and 'value="FR"' in shown.text


def hidden_versions(html: str) -> dict[str, str]:
    """The form's hidden `version` inputs (the household's and each stored member's), as a browser sends them."""
    return dict(VERSION.findall(html))


VERSION = re.compile(r'<input type="hidden" name="((?:\w+\.)?version)" value="(\d+)">')
