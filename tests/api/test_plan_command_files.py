"""`permitpath plan FILE.json --svg OUT.svg --pdf OUT.pdf --lang fr` as a subprocess: the picture and the
handout are written beside the timeline, and the timeline speaks the language asked for."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from pypdf import PdfReader

from tests.api.present_cases import BOTH_WORKING, GOLDEN
from tests.api.test_plan_command import run


def _scenario_file(tmp_path: Path) -> Path:
    doc = json.loads((GOLDEN / f"{BOTH_WORKING}.json").read_text())
    path = tmp_path / "okafor.json"
    path.write_text(json.dumps({"scenario": doc["scenario"], "options": doc["options"]}))
    return path


def test_plan_writes_the_picture_and_the_handout(tmp_path: Path) -> None:
    svg, pdf = tmp_path / "plan.svg", tmp_path / "plan.pdf"
    done = run(str(_scenario_file(tmp_path)), "--svg", str(svg), "--pdf", str(pdf), "--household", "Okafor")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    bars = [
        e
        for e in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}rect")
        if "permit" in (e.get("class") or "")
    ]
    assert [b.get("data-code") for b in bars] == ["C43", "C43"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Immigration plan for Okafor" in text
    assert done.stdout.startswith("PR ready 2028-01-03 (CEC, spouse applies)")


def test_plan_timeline_in_french(tmp_path: Path) -> None:
    done = run(str(_scenario_file(tmp_path)), "--lang", "fr")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Prêt pour la RP le 2028-01-03 (CEC, demande du conjoint)   [OPTIMAL]"
    assert (
        "2026-12-01  principal  présenter une demande de permis de travail postdiplôme (C43) le 2026-12-01 "
        "(au plus tard le 2027-02-18 pour conserver le statut)"
    ) in lines
    assert (
        "2027-02-13  conjoint   DATE LIMITE présenter la demande de permis de travail postdiplôme (C43) au plus tard "
        "le 2027-02-13, dernier jour du statut, pour le conserver"
    ) in lines
    assert "frais (client, au gouvernement) : 3 730,00 $" in done.stdout.replace("\u202f", " ").replace("\xa0", " ")
