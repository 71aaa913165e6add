"""A stored plan as files over HTTP, on both databases: the handout PDF (the key as for /graphql, the firm's own
plans only, ?lang=fr), Plan.timelineSvg and PlanStep.documents, and the calendar feeds (created with the URL
once, every deadline of the latest plan, revoked or unknown or forged tokens answering 404, one firm's feed
never showing another's households)."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

from icalendar import Calendar
from pypdf import PdfReader

from api.keys import Role
from tests.api.conftest import Service
from tests.schema.records import household_input

CREATE = """mutation($input: CreateHouseholdInput!) {
  createHousehold(input: $input) { ... on HouseholdPayload { household { id } } } }"""
PLAN = """mutation($id: ID!) { planHousehold(householdId: $id, asOf: "2026-12-01", options: {timeLimitMs: 3000}) {
  __typename ... on StoredPlan { id plan { fees { total } deadlines { date ruleId }
    permits { code validFrom validTo }
    steps { action code documents { name expiresOn expiresBeforeDecision } } } } } }"""
TIMELINE = """query($id: ID!, $lang: String) { storedPlan(id: $id) { ... on StoredPlan {
  plan { timelineSvg(lang: $lang, today: "2027-01-15") } } } }"""
CREATE_FEED = """mutation($id: ID) { createCalendarFeed(householdId: $id) { __typename
  ... on CreatedCalendarFeed { url feed { id householdId revokedAt } } ... on NotFound { path message } } }"""
REVOKE_FEED = """mutation($id: ID!) { revokeCalendarFeed(id: $id) { __typename
  ... on CalendarFeed { id revokedAt } ... on NotFound { path message } } }"""


async def _planned(
    service: Service, key: str, name: str, medical_exam_on: str | None = None
) -> tuple[str, dict[str, Any]]:
    household = household_input(name)
    household["principal"]["medicalExamOn"] = medical_exam_on
    created = await service.data(CREATE, key, {"input": household})
    household_id: str = created["createHousehold"]["household"]["id"]
    stored: dict[str, Any] = (await service.data(PLAN, key, {"id": household_id}))["planHousehold"]
    assert stored["__typename"] == "StoredPlan", stored
    return household_id, stored


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


async def test_the_handout_of_a_stored_plan_over_http(service: Service) -> None:
    firm, other = await service.tenant(), await service.tenant()
    key, stranger = await service.key(firm, Role.CONSULTANT), await service.key(other, Role.CONSULTANT)
    household_id, stored = await _planned(service, key, "Tanaka & Sons")
    auth = {"Authorization": f"Bearer {key}"}

    latest = await service.client.get(f"/households/{household_id}/handout.pdf", headers=auth)
    assert latest.status_code == 200, latest.text
    assert latest.headers["content-type"] == "application/pdf"
    text = _text(latest.content)
    assert "Immigration plan for Tanaka & Sons" in text
    total = stored["plan"]["fees"]["total"]
    assert f"Total for the client: ${total:,.2f}" in text
    assert all(d["ruleId"] in text for d in stored["plan"]["deadlines"])

    by_id = await service.client.get(
        f"/households/{household_id}/plans/{stored['id']}/handout.pdf?lang=fr", headers=auth
    )
    assert by_id.status_code == 200 and by_id.headers["content-language"] == "fr"
    assert "Préparé le" in _text(by_id.content)
    french = await service.client.get(
        f"/households/{household_id}/handout.pdf", headers={**auth, "Accept-Language": "fr-CA,fr;q=0.9"}
    )
    assert "Plan d'immigration de Tanaka & Sons" in _text(french.content)

    # No key: 401 as on /graphql. Another firm's key, or ids that name nothing: 404, the same answer.
    assert (await service.client.get(f"/households/{household_id}/handout.pdf")).status_code == 401
    theirs = await service.client.get(
        f"/households/{household_id}/handout.pdf", headers={"Authorization": f"Bearer {stranger}"}
    )
    ghost = base64.b64encode(b"Household:2147483000").decode()
    unknown = await service.client.get(f"/households/{ghost}/handout.pdf", headers=auth)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
    wrong_plan = await service.client.get(f"/households/{household_id}/plans/{ghost}/handout.pdf", headers=auth)
    assert wrong_plan.status_code == 404


async def test_the_timeline_and_the_documents_through_graphql(service: Service) -> None:
    firm = await service.tenant()
    key = await service.key(firm, Role.CONSULTANT)
    _, stored = await _planned(service, key, "Tanaka", medical_exam_on="2026-01-10")
    data = await service.data(TIMELINE, key, {"id": stored["id"], "lang": "fr"})
    svg = data["storedPlan"]["plan"]["timelineSvg"]
    root = ET.fromstring(svg)
    bars = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if "permit" in e.get("class", "").split()]
    assert sorted((b.get("data-code"), b.get("data-start"), b.get("data-end")) for b in bars) == sorted(
        (p["code"], p["validFrom"], p["validTo"]) for p in stored["plan"]["permits"]
    )
    assert "Aujourd'hui : 15 janv. 2027" in svg
    applications = [s for s in stored["plan"]["steps"] if s["action"] in ("APPLY_PERMIT", "APPLY_BOWP")]
    assert applications and all(s["documents"] for s in applications)
    assert all(s["documents"] == [] for s in stored["plan"]["steps"] if s["action"] == "START_JOB")
    passport = next(d for d in applications[0]["documents"] if d["name"].startswith("Valid passport"))
    assert passport["expiresOn"] is not None and passport["expiresBeforeDecision"] is False
    # The stored member's medical exam (2026-01-10) is valid 12 months: it lapses before the application's decision.
    medical = next(d for d in applications[0]["documents"] if d["name"].startswith("Immigration medical exam"))
    assert medical["expiresOn"] == "2027-01-09" and medical["expiresBeforeDecision"] is True


async def test_calendar_feeds_hold_every_deadline_and_are_revocable(service: Service) -> None:
    firm, other = await service.tenant(), await service.tenant()
    key, stranger = await service.key(firm, Role.CONSULTANT), await service.key(other, Role.CONSULTANT)
    household_id, stored = await _planned(service, key, "Tanaka")
    await _planned(service, stranger, "Not yours")

    created = (await service.data(CREATE_FEED, key, {"id": household_id}))["createCalendarFeed"]
    assert created["__typename"] == "CreatedCalendarFeed" and created["feed"]["householdId"] == household_id
    assert re.fullmatch(r"http://testserver/calendar/[0-9a-f]{12}_[A-Za-z0-9_-]+\.ics", created["url"])
    answer = await service.client.get(_path(created["url"]))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    wanted = {(d["date"], d["ruleId"]) for d in stored["plan"]["deadlines"]}
    found = {(e.decoded("DTSTART").isoformat(), str(e["DESCRIPTION"]).split("Rule ")[1].split(":")[0]) for e in events}
    assert found == wanted
    assert all(len(e.walk("VALARM")) == 2 for e in events)

    # The firm's feed: its own household's deadlines, none of the other firm's.
    firm_feed = (await service.data(CREATE_FEED, key))["createCalendarFeed"]
    summaries = [
        str(e["SUMMARY"])
        for e in Calendar.from_ical((await service.client.get(_path(firm_feed["url"]))).content).walk("VEVENT")
    ]
    assert summaries and all("Tanaka" in s for s in summaries)

    # Another firm can neither revoke it nor make a feed of this household.
    theirs = (await service.data(REVOKE_FEED, stranger, {"id": created["feed"]["id"]}))["revokeCalendarFeed"]
    assert theirs["__typename"] == "NotFound"
    assert (await service.data(CREATE_FEED, stranger, {"id": household_id}))["createCalendarFeed"][
        "__typename"
    ] == "NotFound"

    # A forged secret, an unknown token and a revoked one: 404, the same answer.
    url = _path(created["url"])
    forged = await service.client.get(re.sub(r"_[A-Za-z0-9_-]+\.ics$", "_" + "x" * 43 + ".ics", url))
    unknown = await service.client.get("/calendar/0123456789ab_" + "y" * 43 + ".ics")
    revoked = (await service.data(REVOKE_FEED, key, {"id": created["feed"]["id"]}))["revokeCalendarFeed"]
    assert revoked["__typename"] == "CalendarFeed" and revoked["revokedAt"] is not None
    after = await service.client.get(url)
    assert forged.status_code == unknown.status_code == after.status_code == 404
    assert forged.text == unknown.text == after.text
    # The firm's feed still serves.
    assert (await service.client.get(_path(firm_feed["url"]))).status_code == 200


AUDIT = """{ auditLog(first: 10) { edges { node { action recordType changes } } } }"""


async def test_feeds_are_audited_and_a_readonly_key_may_not_make_one(service: Service) -> None:
    firm = await service.tenant()
    key, readonly = await service.key(firm, Role.CONSULTANT), await service.key(firm, Role.READONLY)
    refused = await service.post({"query": CREATE_FEED, "variables": {}}, readonly)
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    created = (await service.data(CREATE_FEED, key))["createCalendarFeed"]
    await service.data(REVOKE_FEED, key, {"id": created["feed"]["id"]})
    logged = [e["node"] for e in (await service.data(AUDIT, key))["auditLog"]["edges"]]
    feeds = [(e["action"], e["recordType"]) for e in logged if e["recordType"] == "CalendarToken"]
    assert feeds == [("update", "CalendarToken"), ("create", "CalendarToken")]
    # The secret is never in the trail, hashed or not.
    assert all("secret_hash" not in (e["changes"] or {}) for e in logged)
    listed = (await service.data("{ calendarFeeds { id revokedAt } }", key))["calendarFeeds"]
    assert [f["id"] for f in listed] == [created["feed"]["id"]] and listed[0]["revokedAt"] is not None
