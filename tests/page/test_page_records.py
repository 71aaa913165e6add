"""The household's whole file on the page, through HTTP: rows of offers and language tests added with the form's
"add" buttons, saved with the facts in one `saveHouseholdFacts`, refused with the API's errors beside the row's
inputs (nothing stored), removed; and the plan made from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from api.session import PAGE_HEADER
from tests.api.conftest import Service
from tests.page.forms import form_fields
from tests.page.test_page import signed_in

# A stored household is planned as of the day it is planned (the service's today): the file's dates stand
# relative to it (a test taken lately, a job starting soon), read when a test runs, never at import.


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def offer_fields() -> dict[str, str]:
    return {
        "offers[0].ref": "maple-dev",
        "offers[0].employerName": "Maple Software Ltd.",
        "offers[0].nocCode": "21231",
        "offers[0].province": "ON",
        "offers[0].hoursPerWeek": "40",
        "offers[0].hourlyWage": "52.50",
        "offers[0].earliestStart": (_today() + dt.timedelta(days=30)).isoformat(),
        "offers[0].lmiaApproved": "on",
    }


def language_test_fields() -> dict[str, str]:
    return {
        "principal.languageTests[0].test": "CELPIP_GENERAL",
        "principal.languageTests[0].taken": (_today() - dt.timedelta(days=20)).isoformat(),
        "principal.languageTests[0].listening": "10",
        "principal.languageTests[0].reading": "9",
        "principal.languageTests[0].writing": "9",
        "principal.languageTests[0].speaking": "9",
    }


STORED = """query($id: ID!) { node(id: $id) { ... on Household { name
  offers { ref holder nocCode hoursPerWeek hourlyWage earliestStart lmiaApproved }
  principal { languageTests { test taken listening reading writing speaking } } } } }"""


async def _household(client: httpx.AsyncClient) -> tuple[str, str]:
    """A new household in Canada on a PGWP: its page address and its id."""
    form = await client.get("/households/new")
    created = await client.post(
        "/households/new",
        data={
            **form_fields(form.text, "/households/new"),
            "name": "Okafor",
            "principal.name": "Ada Okafor",
            "principal.birthDate": "1994-03-02",
            "principal.citizenships": "NG",
            "principal.inCanada": "on",
            "principal.status.kind": "WORKER",
            "principal.status.validTo": (_today() + dt.timedelta(days=270)).isoformat(),
            "principal.status.permitCode": "C43",
        },
    )
    assert created.status_code == 303, created.text
    url: str = created.headers["location"]
    return url, url.rsplit("/", 1)[1]


async def _api(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """`data` of `query` asked as the page asks it (the session cookie and the page's header)."""
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers={PAGE_HEADER: "1"})
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def _stored(client: httpx.AsyncClient, household_id: str) -> dict[str, Any]:
    node: dict[str, Any] = (await _api(client, STORED, {"id": household_id}))["node"]
    return node


async def _with_rows(client: httpx.AsyncClient, url: str, html: str, *lists: str) -> str:
    """The form after pressing each list's "add" button once (the page shown again, unsaved, with a blank row)."""
    for key in lists:
        added = await client.post(url, data={**form_fields(html, url), "add": key})
        assert added.status_code == 200, added.text
        html = added.text
    return html


async def test_an_offer_and_a_language_test_added_on_the_form_are_stored_and_planned(service: Service) -> None:
    client = await signed_in(service)
    url, household_id = await _household(client)
    page = await client.get(url)
    assert 'name="offers[0].ref"' not in page.text
    html = await _with_rows(client, url, page.text, "offers", "principal.languageTests")
    # The added row's first input takes the focus; the new offer's choices start at the API's defaults.
    assert 'id="f-principal.languageTests[0].test" name="principal.languageTests[0].test" autofocus' in html
    fields = form_fields(html, url)
    assert fields["offers[0].holder"] == "PRINCIPAL" and "offers[0].lmiaApproved" not in fields
    saved = await client.post(url, data={**fields, **offer_fields(), **language_test_fields()})
    assert saved.status_code == 303, saved.text
    assert await _stored(client, household_id) == {
        "name": "Okafor",
        "offers": [
            {
                "ref": "maple-dev",
                "holder": "PRINCIPAL",
                "nocCode": "21231",
                "hoursPerWeek": 40.0,
                "hourlyWage": 52.5,
                "earliestStart": offer_fields()["offers[0].earliestStart"],
                "lmiaApproved": True,
            }
        ],
        "principal": {
            "languageTests": [
                {
                    "test": "CELPIP_GENERAL",
                    "taken": language_test_fields()["principal.languageTests[0].taken"],
                    "listening": 10,
                    "reading": 9,
                    "writing": 9,
                    "speaking": 9,
                }
            ]
        },
    }
    shown = await client.get(saved.headers["location"])
    assert (
        'value="maple-dev"' in shown.text
        and 'value="52.5"' in shown.text
        and f'value="{language_test_fields()["principal.languageTests[0].taken"]}"' in shown.text
    )

    planned = await client.post(f"{url}/plan", data={"csrf": form_fields(shown.text, url)["csrf"]})
    job = await client.get(planned.headers["location"])
    while job.status_code == 200 and "job-state" in job.text:
        job = await client.get(planned.headers["location"])
    assert job.status_code == 303, job.text
    plan_id = job.headers["location"].rsplit("/", 1)[1]
    plan = await _api(
        client,
        "query($id: ID!) { node(id: $id) { ... on StoredPlan { plan { crsScore jobs { offerRef } } } } }",
        {"id": plan_id},
    )
    used = plan["node"]["plan"]
    assert "maple-dev" in [job["offerRef"] for job in used["jobs"]] and used["crsScore"] is not None, used


async def test_a_refused_row_shows_the_apis_error_beside_its_input_and_nothing_is_stored(service: Service) -> None:
    client = await signed_in(service)
    url, household_id = await _household(client)
    page = await client.get(url)
    html = await _with_rows(client, url, page.text, "offers", "principal.languageTests")
    bad = {**offer_fields(), "offers[0].holder": "SPOUSE", "principal.languageTests[0].listening": "13"}
    refused = await client.post(
        url, data={**form_fields(html, url), **bad, **language_test_fields() | bad, "name": "Okafor-Roy"}
    )
    assert refused.status_code == 422
    for field in ("offers[0].holder", "principal.languageTests[0].listening"):
        assert f'aria-describedby="e-{field}"' in refused.text and f'<p class="error" id="e-{field}"' in refused.text
    assert "SPOUSE holds this offer but the household has no spouse" in refused.text
    assert 'value="maple-dev"' in refused.text and 'value="13"' in refused.text  # what was typed is kept
    assert await _stored(client, household_id) == {"name": "Okafor", "offers": [], "principal": {"languageTests": []}}


async def test_a_value_the_api_cannot_read_is_shown_beside_its_row_input(service: Service) -> None:
    client = await signed_in(service)
    url, household_id = await _household(client)
    page = await client.get(url)
    html = await _with_rows(client, url, page.text, "offers")
    refused = await client.post(
        url, data={**form_fields(html, url), **offer_fields(), "offers[0].earliestStart": "1 March"}
    )
    assert refused.status_code == 422
    assert '<p class="error" id="e-offers[0].earliestStart"' in refused.text and "1 March" in refused.text
    assert (await _stored(client, household_id))["offers"] == []


async def test_a_row_marked_remove_is_deleted_when_saving(service: Service) -> None:
    client = await signed_in(service)
    url, household_id = await _household(client)
    page = await client.get(url)
    html = await _with_rows(client, url, page.text, "offers", "offers")
    second = {name.replace("[0]", "[1]"): value for name, value in offer_fields().items()} | {"offers[1].ref": "other"}
    saved = await client.post(url, data={**form_fields(html, url), **offer_fields(), **second})
    assert saved.status_code == 303, saved.text
    assert [offer["ref"] for offer in (await _stored(client, household_id))["offers"]] == ["maple-dev", "other"]
    shown = await client.get(url)
    removed = await client.post(url, data={**form_fields(shown.text, url), "offers[0].remove": "on"})
    assert removed.status_code == 303, removed.text
    assert [offer["ref"] for offer in (await _stored(client, household_id))["offers"]] == ["other"]
    assert 'value="maple-dev"' not in (await client.get(url)).text


async def test_the_file_reads_in_french(service: Service) -> None:
    client = await signed_in(service)
    url, _household_id = await _household(client)
    page = await client.get(url)
    html = await _with_rows(client, url, page.text, "offers")
    saved = await client.post(url, data={**form_fields(html, url), **offer_fields()})
    assert saved.status_code == 303, saved.text
    french = await client.get(url, headers={"Accept-Language": "fr-CA"})
    for text in ("<legend>Offres d’emploi</legend>", "<legend>Offre 1</legend>", "Ajouter une offre", "Détenue par"):
        assert text in french.text, text
