"""The client handout: a plan as a PDF a client can read (fpdf2, the DejaVu Sans font shipped beside this module).

In order: who it is for, the day it was prepared and the rules it rests on; the timeline (the same SVG as the
page, drawn flat); the steps in plain words, each with its rule ids and their sources and, for an application,
the documents to gather (those the file shows expiring before the decision flagged); the deadlines; the fees,
the client's apart from the employer's; the risks (blockers, the invitation's odds, gaps, expiring documents).
Pure: the plan, its scenario, the language, the household's name and the day in; PDF bytes out.
"""

from __future__ import annotations

import datetime as dt
import io
from importlib import resources
from typing import Final

from fpdf import FPDF

from api.present.sentences import say
from api.present.timeline import timeline_svg
from api.present.words import Words
from solver.documents import StepDocument, step_documents
from solver.domain import Plan, Scenario
from solver.rules.registry import RuleSet, load_rules

FONT: Final = "DejaVuSans"
# The findings of a plan's explanation that are risks the client should read (the invitation's odds).
RISK_FINDINGS: Final = ("EE.cutoff",)


def _font(name: str) -> str:
    """The path of a font shipped in api/present/fonts (the package is installed as files, never zipped)."""
    return str(resources.files("api.present") / "fonts" / name)


class _Handout(FPDF):
    """Letter pages with the DejaVu Sans font (French accents and the dollar sign's neighbours) and page numbers."""

    def __init__(self, words: Words) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.words = words
        self.add_font(FONT, "", fname=_font("DejaVuSans.ttf"))
        self.add_font(FONT, "B", fname=_font("DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        page = self.words._("Page {number}").format(number=self.page_no())
        self.cell(0, 5, page, align="C")

    def heading(self, content: str) -> None:
        self.ln(3)
        self.set_font(FONT, "B", 13)
        self.multi_cell(0, 7, content, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=10)

    def para(self, content: str, *, size: float = 10, bold: bool = False, indent: float = 0) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, content, new_x="LMARGIN", new_y="NEXT")


def handout_pdf(
    plan: Plan,
    scenario: Scenario,
    *,
    lang: str | None,
    prepared_on: dt.date,
    household: str | None = None,
    rules: RuleSet | None = None,
) -> bytes:
    """The handout of `plan` in `lang`, prepared on `prepared_on` (also the timeline's today) for `household`."""
    words = Words.of(lang)
    rules = rules or load_rules()
    pdf = _Handout(words)
    pdf.set_title(_title(words, household))
    pdf.set_lang(words.lang)
    pdf.add_page()
    _cover(pdf, plan, words, household, prepared_on)
    svg = timeline_svg(plan, scenario, lang=words.lang, today=prepared_on, flat=True)
    pdf.image(io.BytesIO(svg.encode()), x=pdf.l_margin, w=pdf.epw)
    documents = step_documents(scenario, plan, rules)
    _steps(pdf, plan, words, rules, documents)
    _deadlines(pdf, plan, words)
    _fees(pdf, plan, words)
    _risks(pdf, plan, words, documents)
    return bytes(pdf.output())


def _title(words: Words, household: str | None) -> str:
    if household:
        return words._("Immigration plan for {household}").format(household=household)
    return words._("Immigration plan")


def _cover(pdf: _Handout, plan: Plan, words: Words, household: str | None, prepared_on: dt.date) -> None:
    _ = words._
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, _title(words, household), new_x="LMARGIN", new_y="NEXT")
    pdf.para(_("Prepared on {date}").format(date=words.date(prepared_on)))
    rules_day = _rules_day(plan.rules_version)
    pdf.para(
        _("Rules version {version}, in force from {date}").format(
            version=plan.rules_version, date=words.date(rules_day) if rules_day else "?"
        )
    )
    pdf.ln(2)
    if plan.pr_ready_date is not None and plan.pr_applicant is not None:
        summary = _("Ready for permanent residence ({program}) on {date}; {person} applies.").format(
            program=plan.pr_program or "", date=words.date(plan.pr_ready_date), person=words.role(plan.pr_applicant)
        )
    else:
        summary = _("Permanent residence is not reachable within the horizon.")
    pdf.para(summary, size=11, bold=True)
    pdf.ln(3)


def _rules_day(version: str) -> dt.date | None:
    """The date part of a rules version ("2025-12-01+79b5..."): the newest effective date of the rules."""
    try:
        return dt.date.fromisoformat(version.split("+", 1)[0])
    except ValueError:
        return None


def _steps(
    pdf: _Handout, plan: Plan, words: Words, rules: RuleSet, documents: tuple[tuple[StepDocument, ...], ...]
) -> None:
    _ = words._
    pdf.heading(_("Steps"))
    for step, needed in zip(plan.steps, documents, strict=True):
        title = words.step_title(step, plan.permits, plan.pr_program)
        pdf.para(f"{words.date(step.date)} · {words.role(step.person)}", bold=True)
        pdf.para(title, indent=4)
        pdf.para(say(step.phrase, step.detail, words.lang), size=9, indent=4)
        for rule_id in step.rule_ids:
            pdf.para(_rule_line(words, rules, rule_id), size=8, indent=8)
        if needed:
            pdf.para(_("Documents to gather:"), size=9, indent=4)
            for doc in needed:
                pdf.para("• " + _document_line(words, doc), size=8, indent=8)
        pdf.ln(1.5)


def _rule_line(words: Words, rules: RuleSet, rule_id: str) -> str:
    if rule_id in rules:
        return words._("Rule {rule}: {source}").format(rule=rule_id, source=rules.source(rule_id))
    return words._("Rule {rule}").format(rule=rule_id)


def _document_line(words: Words, doc: StepDocument) -> str:
    if doc.expires_on is None:
        return doc.name
    if doc.expires_before_decision:
        return words._("{document} (expires on {date}, before the expected decision: renew it)").format(
            document=doc.name, date=words.date(doc.expires_on)
        )
    return words._("{document} (valid to {date})").format(document=doc.name, date=words.date(doc.expires_on))


def _deadlines(pdf: _Handout, plan: Plan, words: Words) -> None:
    _ = words._
    pdf.heading(_("Deadlines"))
    if not plan.deadlines:
        pdf.para(_("No deadline."))
    for d in plan.deadlines:
        line = _("{date} · {person}: {what} (rule {rule})").format(
            date=words.date(d.date), person=words.role(d.person), what=words.deadline_kind(d), rule=d.rule_id
        )
        pdf.para(line)
        pdf.para(say(d.phrase, d.message, words.lang), size=9, indent=4)


def _fees(pdf: _Handout, plan: Plan, words: Words) -> None:
    _ = words._
    pdf.heading(_("Fees"))
    pdf.para(_("Paid by the client to the government:"), bold=True)
    for label, amount in (
        (_("Work permits"), plan.fees_permits),
        (_("Biometrics"), plan.fees_biometrics),
        (_("Permanent residence"), plan.fees_pr),
    ):
        pdf.para(f"{label}: {words.money(amount)}", indent=4)
    pdf.para(_("Total for the client: {amount}").format(amount=words.money(plan.fees_total)), bold=True, indent=4)
    pdf.ln(1)
    pdf.para(_("Paid by the employer (not the client's):"), bold=True)
    pdf.para(_("Total for the employer: {amount}").format(amount=words.money(plan.fees_employer)), indent=4)
    for p in plan.permits:
        line = _("{code} for {person}: client {fee}, employer {employer}").format(
            code=p.code, person=words.role(p.person), fee=words.money(p.fee), employer=words.money(p.employer_fee)
        )
        pdf.para(line, size=9, indent=4)


def _risks(pdf: _Handout, plan: Plan, words: Words, documents: tuple[tuple[StepDocument, ...], ...]) -> None:
    _ = words._
    pdf.heading(_("Risks"))
    lines = [f"{b.rule_id}: {say(b.phrase, b.message, words.lang)}" for b in plan.blockers]
    lines += [
        f"{f.rule_id}: {say(f.phrase, f.message, words.lang)}" for f in plan.explanation if f.rule_id in RISK_FINDINGS
    ]
    for g in plan.status_gaps:
        what = _("No authorization to work") if g.work_authorized else _("No status")
        lines.append(
            _("{what}: {person}, {start} to {end}").format(
                what=what, person=words.role(g.person), start=words.date(g.start), end=words.date(g.end)
            )
        )
    lines += [
        _("{person}: {document} expires on {date}, before the decision on the application of {step}").format(
            person=words.role(step.person),
            document=doc.name,
            date=words.date(doc.expires_on),
            step=words.date(step.date),
        )
        for step, needed in zip(plan.steps, documents, strict=True)
        for doc in needed
        if doc.expires_before_decision and doc.expires_on is not None
    ]
    if not lines:
        pdf.para(_("No risk found."))
    for line in lines:
        pdf.para("• " + line, size=9)
