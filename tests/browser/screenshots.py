"""Screenshots of the page for the README: `python -m tests.browser.screenshots docs/screenshots`.

Starts `permitpath serve --dev` (the demo households), signs in with a key it makes, and saves the households
list, a household's file and a plan. Not part of the test run: the pictures change whenever the page does, and
are committed by hand.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, FLAGS, Offline, serve


def take(out: Path) -> list[Path]:
    """Saves households.png, household.png and plan.png in `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        running = serve(Path(tmp))
        served = next(running)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(FLAGS))
                context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-CA")
                context.route("**/*", Offline().route)
                page = context.new_page()
                page.goto(f"{served.base}/signin")
                page.get_by_label("API key").fill(served.key)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{served.base}/")
                page.screenshot(path=str(out / "households.png"), full_page=True)
                households = [link.get_attribute("href") for link in page.locator("table.list a").all()]
                page.goto(f"{served.base}{households[0]}")
                page.screenshot(path=str(out / "household.png"), full_page=True)
                for household in households:  # the first demo household whose plan has steps
                    page.goto(f"{served.base}{household}")
                    page.get_by_role("button", name="Plan this household").click()
                    page.wait_for_url(re.compile(r"/plans/[^/]+$"), timeout=180_000)
                    if page.locator("#steps-heading + table").count():
                        break
                page.screenshot(path=str(out / "plan.png"), full_page=True)
                browser.close()
        finally:
            running.close()
    return [out / "households.png", out / "household.png", out / "plan.png"]


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
