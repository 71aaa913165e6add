"""Issue 15 in a real browser: sign in, create a household, plan it, see the plan and its timeline, switch to
French, download the client handout; and GraphiQL renders its editor. The network is off for the page
(tests/browser/conftest.py): all of it is served locally."""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader

from tests.browser.conftest import Offline, Served, needs_browser

pytestmark = needs_browser()


def test_a_consultant_plans_a_household_and_reads_it_in_french(
    served: Served, browser_page: tuple[Any, Offline]
) -> None:
    page, offline = browser_page
    page.goto(f"{served.base}/")
    assert page.url.endswith("/signin"), page.content()[:3000]
    page.get_by_label("API key").fill(served.key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{served.base}/")
    assert page.get_by_role("heading", name="Households").is_visible()

    page.get_by_role("link", name="New household").first.click()
    page.get_by_label("Household name").fill("Okafor")
    principal = page.get_by_role("group", name="Principal applicant")
    principal.get_by_label("Name", exact=True).fill("Ada Okafor")
    principal.get_by_label("Date of birth").fill("1994-03-02")
    principal.get_by_label("Citizenships").fill("ZZ")
    page.get_by_role("button", name="Create the household").click()
    # The API's error is shown beside the field it names, and the input is marked invalid.
    principal = page.get_by_role("group", name="Principal applicant")
    citizenships = principal.get_by_label("Citizenships")
    assert citizenships.get_attribute("aria-invalid") == "true"
    assert page.locator("#e-principal\\.citizenships").inner_text()
    citizenships.fill("NG")
    principal.get_by_label("In Canada now").check()
    principal.get_by_label("Status in Canada").select_option("WORKER")
    principal.get_by_label("Status valid to").fill("2027-08-31")
    principal.get_by_label("Permit category code").fill("C43")
    page.get_by_role("button", name="Create the household").click()
    page.wait_for_url(re.compile(r"/households/[^/]+$"))

    page.get_by_role("button", name="Plan this household").click()
    page.wait_for_url(re.compile(r"/plans/[^/]+$"), timeout=120_000)  # the solve's bound, not a timing assertion
    for heading in ("Steps", "Deadlines", "Fees", "Findings", "Timeline"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    # The server's timeline picture, one lane per person, is in the page itself.
    timeline = page.locator("figure.timeline svg[role=img]")
    assert timeline.count() == 1 and timeline.is_visible()

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Switch language").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Étapes").is_visible()
    assert page.get_by_role("heading", name="Échéances").is_visible()
    assert page.get_by_role("heading", name="Chronologie").is_visible()
    # The client handout, in French, downloaded with the session (no key in the link).
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le document pour le client (PDF)").click()
    pdf = PdfReader(download.value.path())
    text = " ".join(page_.extract_text() for page_ in pdf.pages)
    assert "Plan d'immigration de Okafor" in text.replace("’", "'"), text[:500]
    assert offline.attempted == []


def test_the_page_is_usable_with_the_keyboard(served: Served, browser_page: tuple[Any, Offline]) -> None:
    page, offline = browser_page
    page.goto(f"{served.base}/signin")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to the content"
    page.get_by_label("API key").focus()
    page.keyboard.type(served.key)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{served.base}/")
    page.get_by_label("Search by household or member name").focus()
    page.keyboard.type("zzz-nobody")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q=zzz-nobody"))
    assert page.get_by_text("No household matches.").is_visible()
    assert offline.attempted == []


def test_graphiql_renders_its_editor_with_the_network_off(served: Served, browser_page: tuple[Any, Offline]) -> None:
    page, offline = browser_page
    page.goto(f"{served.base}/graphql")
    page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=60_000)
    assert "Loading..." not in page.locator("#graphiql").inner_text()
    assert offline.attempted == []


def test_an_offer_is_added_to_the_file_with_the_keyboard(served: Served, browser_page: tuple[Any, Offline]) -> None:
    page, offline = browser_page
    page.goto(f"{served.base}/signin")
    page.get_by_label("API key").fill(served.key)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{served.base}/")
    page.locator("table.list a").first.click()
    page.wait_for_url(re.compile(r"/households/[^/]+$"))
    page.get_by_role("button", name="Add an offer").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the form comes back, unsaved, with a blank offer whose first input has the focus
    focused = page.evaluate("document.activeElement.name")
    assert re.fullmatch(r"offers\[\d+\]\.ref", focused), focused
    row = focused.removesuffix(".ref")
    for value in ("maple-dev", None, "Maple Software Ltd.", "21231", "ON", "40", "52.50"):
        if value is not None:
            page.keyboard.type(value)
        page.keyboard.press("Tab")
    # The earliest start: a date input, typed field by field in the order chromium shows them (month, day, year).
    page.keyboard.type("01042027")
    assert page.locator(f"[name='{row}.earliestStart']").input_value() == "2027-01-04"
    page.keyboard.press("Enter")  # Enter in an input saves (the form's first button), it adds no row
    page.wait_for_url(re.compile(r"\?saved=1$"))
    assert page.get_by_role("status").inner_text() == "Saved."
    assert page.locator(f"[name='{row}.ref']").input_value() == "maple-dev"
    assert page.locator(f"[name='{row}.hourlyWage']").input_value() == "52.5"
    assert offline.attempted == []
