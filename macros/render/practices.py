"""Practice pages and their index: what each practice means, then its checklist computed from the data."""

from __future__ import annotations

from ..checks import CHECKS, CheckResult, Failure
from ..model import Handbook, Practice
from ..words import plural
from .links import Links
from .text import esc, inline, md_block

PHASE_LABEL = {
    "framework": "Creating the framework",
    "driving": "Driving performance",
    "learning": "Learning and ratcheting up",
}
PHASE_ANCHOR = {"framework": "phase-framework", "driving": "phase-driving", "learning": "phase-learning"}
# Where in the handbook each practice shows up, so a reader can go from the idea to the evidence.
PRACTICE_PAGES: dict[int, list[tuple[str, str, str | None]]] = {
    1: [("The mission and the organization at a glance", "index.md", None)],
    2: [("The deficits register", "deficits.md", None)],
    3: [("Targets and theories", "targets/index.md", None)],
    4: [("Targets and theories", "targets/index.md", None)],
    5: [("The scoreboard", "scoreboard.md", None), ("Teams", "teams/index.md", None)],
    6: [("Teams: capacity and needs", "teams/index.md", None)],
    7: [("Teams: recognition", "teams/index.md", None)],
    8: [("Teams: esteem opportunities", "teams/index.md", None)],
    9: [("Distortion flags", "learning.md", "distortion-flags"), ("Distortion reviews", "learning.md", "distortion-reviews")],
    10: [("The indicators catalogue", "indicators.md", None)],
    11: [("The learning log", "learning.md", "learning-log"), ("The ratchet", "learning.md", "ratchet")],
}
# Pages that hold a stage's section for a stage failure, by check.
_STAGE_PAGE = {"indicators-cover-stages": "indicators.md"}


def failure_link(f: Failure, hb: Handbook, links: Links, check: str = "") -> str | None:
    """Return the Markdown link (relative to the page) for a failing record, or None when it has no page."""
    if f.kind == "team" and f.id in hb.teams:
        return links.team(f.id)
    if f.kind == "target" and f.id in hb.targets:
        return links.target(f.id)
    if f.kind == "deficit" and f.id in hb.deficits:
        return links.deficit(f.id)
    if f.kind == "indicator" and f.id in hb.indicators:
        return links.indicator(f.id)
    if f.kind == "stage":
        return links.to(_STAGE_PAGE.get(check, "deficits.md"), f"stage-{f.id}")
    if f.kind == "organization":
        return links.to("index.md")
    if f.kind == "learning":
        return links.to("learning.md", "learning-log")
    return None


def failure_name(f: Failure, hb: Handbook) -> str:
    """Return the human name of a failing record (plain text)."""
    if f.kind == "team" and f.id in hb.teams:
        return hb.teams[f.id].name
    if f.kind == "target" and f.id in hb.targets:
        return hb.targets[f.id].title
    if f.kind == "deficit" and f.id in hb.deficits:
        return hb.deficits[f.id].title
    if f.kind == "indicator" and f.id in hb.indicators:
        return hb.indicators[f.id].name
    if f.kind == "stage":
        return f"The {f.id} stage"
    if f.kind == "organization":
        return {"mission": "The mission", "big_picture": "The big picture"}.get(f.id, f.id)
    if f.kind == "learning":
        return "The learning log"
    return f.id


def practice_counts(practice: Practice, checks: dict[str, CheckResult]) -> tuple[int, int, int]:
    """Return (automated passing, automated total, manual items) for a practice's checklist.

    A result the edition cannot state (CheckResult.unstated, in the public edition) is in neither count.
    """
    auto = [i for i in practice.checklist if i.check and not (checks.get(i.check) and checks[i.check].unstated)]
    passed = sum(1 for i in auto if checks.get(i.check) and checks[i.check].passed)
    return passed, len(auto), len(practice.checklist) - len(auto)


def _result_badge(passed: bool) -> str:
    word, sym, cls = ("Pass", "✔", "pass") if passed else ("Fail", "✘", "fail")
    return f'<span class="hb-result hb-result--{cls}"><span aria-hidden="true">{sym}</span> {word}</span>'


def render_check_item(item_id: str, text: str, check: str, result: CheckResult | None, hb: Handbook, links: Links) -> str:
    """Render one automated checklist item as an HTML list item: its result, its text, and what fails it, by name."""
    passed = bool(result and result.passed)
    if result is not None and result.unstated:
        return (f'<li class="hb-check hb-check--unstated" id="check-{esc(item_id)}" data-item="{esc(item_id)}" '
                f'data-check="{esc(check)}" data-result="unstated"><span class="hb-result hb-result--unstated">'
                f'<span aria-hidden="true">–</span> Not published</span> <span class="hb-check__text">{esc(text)}</span>'
                f'<span class="hb-check__note">The result of this check is {esc(result.note)}.</span></li>')
    # The item's own wording states the check once; its result sits beside it. No check key on the page.
    parts = [
        f'<li class="hb-check hb-check--{"pass" if passed else "fail"}" id="check-{esc(item_id)}" '
        f'data-item="{esc(item_id)}" data-check="{esc(check)}" data-result="{"pass" if passed else "fail"}">',
        _result_badge(passed),
        f' <span class="hb-check__text">{esc(text)}</span>',
    ]
    if result and result.note:
        parts.append(f'<span class="hb-check__note">Not applicable yet: {esc(result.note)}.</span>')
    if result and result.failures:
        n = len(result.failures)
        parts.append(f'<span class="hb-check__count">Failing ({n}):</span>')
        parts.append('<ul class="hb-check__failures">')
        for f in result.failures:
            name = esc(failure_name(f, hb))
            link = failure_link(f, hb, links, check)
            label = f'<a href="{esc(links.href(link))}">{name}</a>' if link else name
            parts.append(f'<li data-kind="{esc(f.kind)}" data-id="{esc(f.id)}">{label}: {esc(f.reason)}</li>')
        parts.append("</ul>")
    if result and result.unpublished:
        names = ", ".join(esc(failure_name(f, hb)) for f in result.unpublished)
        parts.append(f'<span class="hb-check__note hb-check__unpublished">Also failing it, the detail not published '
                     f"in this edition: {names}.</span>")
    parts.append("</li>")
    return "".join(parts)


def render_manual_item(item_id: str, text: str) -> str:
    """Render a checklist item for people to tick; pages.js keeps its state in the browser."""
    return (
        f'<li class="hb-manual" id="check-{esc(item_id)}" data-item="{esc(item_id)}">'
        f'<label><input type="checkbox" class="hb-manual__box" data-hb-item="{esc(item_id)}"> '
        f'<span class="hb-manual__text">{esc(text)}</span></label></li>'
    )


def render_practice(practice: Practice, hb: Handbook, checks: dict[str, CheckResult], links: Links) -> str:
    """Render one practice's page: title, phase, summary, checklist."""
    passed, total, manual = practice_counts(practice, checks)
    out = [f"# {inline(practice.title)}\n\n"]
    phase = PHASE_LABEL.get(practice.phase, practice.phase)
    out.append(
        f'<p class="hb-practice-meta">Practice <strong>{practice.number}</strong> of 11 · Phase: '
        f'<a href="{esc(links.href(links.to("practices/index.md", PHASE_ANCHOR.get(practice.phase))))}">{esc(phase)}</a>'
        f' · <span class="hb-practice-score" data-passed="{passed}" data-total="{total}">'
        f"{passed} of {plural(total, 'automated check')} {'passes' if total == 1 else 'pass'}</span></p>\n"
    )
    out.append(md_block(practice.summary, "hb-md hb-practice-summary"))
    related = PRACTICE_PAGES.get(practice.number, [])
    if related:
        out.append("\n**Where to see it:** " + ", ".join(f"[{inline(t)}]({links.to(src, anchor)})" for t, src, anchor in related) + ".\n")
    out.append("\n## Checklist { #checklist }\n\n")
    auto = [i for i in practice.checklist if i.check]
    people = [i for i in practice.checklist if not i.check]
    if auto:
        out.append("### Computed from the data { #checklist-computed }\n\n")
        out.append('<ul class="hb-checklist hb-checklist--auto">'
                   + "".join(render_check_item(i.id, i.text, i.check, checks.get(i.check), hb, links) for i in auto)
                   + "</ul>\n")
    # Checks computed for this practice that no checklist item names still deserve a line.
    named = {i.check for i in practice.checklist}
    extra = [c for c in CHECKS.values() if c.practice == practice.number and c.name not in named]
    if extra:
        out.append("\n### Also computed for this practice { #checklist-extra }\n\n")
        out.append('<ul class="hb-checklist hb-checklist--auto hb-checklist--extra">'
                   + "".join(render_check_item(f"auto-{c.name}", c.description, c.name, checks.get(c.name), hb, links) for c in extra)
                   + "</ul>\n")
    if people:
        out.append("\n### For people to tick { #checklist-manual }\n\n")
        out.append('<p class="hb-hint">Ticks are kept in this browser only; they are a personal reminder, not a report.</p>\n')
        out.append('<ul class="hb-checklist hb-checklist--manual">' + "".join(render_manual_item(i.id, i.text) for i in people) + "</ul>\n")
    if not practice.checklist and not extra:
        out.append("No checklist items for this practice yet.\n")
    return "".join(out)


def render_practices_index(hb: Handbook, checks: dict[str, CheckResult], links: Links) -> str:
    """Render the eleven practices grouped by phase, each with its automated checks' pass count."""
    out = []
    all_auto = sum(practice_counts(p, checks)[1] for p in hb.practices)
    all_pass = sum(practice_counts(p, checks)[0] for p in hb.practices)
    out.append(
        "\nThe method has eleven practices in three phases: build the framework, drive performance, then learn "
        "and raise the bar. Each practice's page explains it and carries its checklist: items computed from "
        "the data, and items for people to tick.\n\n"
        f'<p class="hb-practice-total" data-passed="{all_pass}" data-total="{all_auto}">'
        f"<strong>{all_pass} of {all_auto}</strong> automated checklist items pass across the eleven practices.</p>\n"
    )
    for phase, label in PHASE_LABEL.items():
        items = [p for p in hb.practices if p.phase == phase]
        out.append(f"\n## {inline(label)} {{ #{PHASE_ANCHOR[phase]} }}\n\n")
        if not items:
            out.append("No practice in this phase.\n")
            continue
        rows = []
        for p in items:
            passed, total, manual = practice_counts(p, checks)
            unstated = sum(1 for i in p.checklist if i.check and checks.get(i.check) and checks[i.check].unstated)
            score = (f"{passed} of {total} pass" if total else
                     "not published in this edition" if unstated else "none")
            mark = "✔" if passed == total else "✘"
            mark_html = f'<span aria-hidden="true">{mark}</span> ' if total else ""
            rows.append(
                f'<li class="hb-practice-card" data-practice="{p.number}" data-passed="{passed}" data-total="{total}">'
                f'<a class="hb-practice-card__title" href="{esc(links.href(links.practice(p.number)))}">'
                f"<span class=\"hb-practice-card__n\">{p.number}</span> {esc(p.title)}</a>"
                f'<span class="hb-practice-card__score">'
                f"{mark_html}Automated checks: {score}"
                f" · {manual} item{'s' if manual != 1 else ''} to tick</span></li>"
            )
        out.append('<ul class="hb-practice-cards">' + "".join(rows) + "</ul>\n")
    return "".join(out)
