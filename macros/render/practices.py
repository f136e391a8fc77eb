"""Practice pages and their index: what each practice means, then its checklist computed from the data."""

from __future__ import annotations

from collections.abc import Iterable

from ..checks import CHECKS, CheckResult, Failure
from ..i18n import N_, _, fmt_int, ngettext, pgettext
from ..model import Handbook, Practice
from .links import Links
from .text import esc, inline, md_block

PHASE_LABEL = {
    "framework": N_("Creating the framework"),
    "driving": N_("Driving performance"),
    "learning": N_("Learning and ratcheting up"),
}
PHASE_ANCHOR = {"framework": "phase-framework", "driving": "phase-driving", "learning": "phase-learning"}
# Where in the handbook each practice shows up, so a reader can go from the idea to the evidence.
PRACTICE_PAGES: dict[int, list[tuple[str, str, str | None]]] = {
    1: [(N_("The mission and the organization at a glance"), "index.md", None)],
    2: [(N_("The deficits register"), "deficits.md", None)],
    3: [(N_("Targets and theories"), "targets/index.md", None)],
    4: [(N_("Targets and theories"), "targets/index.md", None)],
    5: [(N_("The scoreboard"), "scoreboard.md", None), (N_("Teams"), "teams/index.md", None)],
    6: [(N_("Teams: capacity and needs"), "teams/index.md", None)],
    7: [(N_("Teams: recognition"), "teams/index.md", None)],
    8: [(N_("Teams: esteem opportunities"), "teams/index.md", None)],
    9: [(N_("Distortion flags"), "learning.md", "distortion-flags"),
        (N_("Distortion reviews"), "learning.md", "distortion-reviews")],
    10: [(N_("The indicators catalogue"), "indicators.md", None)],
    11: [(N_("The learning log"), "learning.md", "learning-log"), (N_("The ratchet"), "learning.md", "ratchet")],
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
        stages = {"input": _("The input stage"), "process": _("The process stage"), "output": _("The output stage"),
                  "outcome": _("The outcome stage")}
        return stages.get(f.id, f.id)
    if f.kind == "organization":
        return {"mission": _("The mission"), "big_picture": _("The big picture")}.get(f.id, f.id)
    if f.kind == "learning":
        return _("The learning log")
    return f.id


def _counted(result: CheckResult | None) -> bool:
    """Whether a checklist result is counted: stated by the edition (not CheckResult.unstated) and judged."""
    return result is None or (not result.unstated and result.judged)


def practice_counts(practice: Practice, checks: dict[str, CheckResult]) -> tuple[int, int, int]:
    """Return (automated passing, automated total, manual items) for a practice's checklist.

    A result the edition cannot state (CheckResult.unstated, in the public edition), or a check with nothing to
    judge (not CheckResult.judged), is in neither count: it is no pass, and no failure either.
    """
    auto = [i for i in practice.checklist if i.check and _counted(checks.get(i.check))]
    passed = sum(1 for i in auto if checks.get(i.check) and checks[i.check].passes)
    stated = sum(1 for i in practice.checklist if i.check and not (checks.get(i.check) and checks[i.check].unstated))
    return passed, len(auto), len(practice.checklist) - stated


def not_judged_count(practice: Practice, checks: dict[str, CheckResult]) -> int:
    """Return how many of a practice's automated items had nothing to judge (stated by the edition)."""
    return sum(1 for i in practice.checklist if i.check and checks.get(i.check) and not checks[i.check].unstated
               and not checks[i.check].judged)


def checklist_totals(practices: Iterable[Practice], checks: dict[str, CheckResult]) -> tuple[int, int, int]:
    """Return (automated items passing, automated items counted, items not judged) over all the practices: what the
    practices index, the print version and the briefing book each say in one line."""
    passed = total = not_judged = 0
    for p in practices:
        ok, n, _manual = practice_counts(p, checks)
        passed, total, not_judged = passed + ok, total + n, not_judged + not_judged_count(p, checks)
    return passed, total, not_judged


def not_judged_note(n: int) -> str:
    """" (2 not judged)" after a count of checks that pass, "" for none."""
    return ngettext(" ({n} not judged)", " ({n} not judged)", n).format(n=fmt_int(n)) if n else ""


def _result_badge(passed: bool) -> str:
    word, sym, cls = (pgettext("check", "Pass"), "✔", "pass") if passed else (pgettext("check", "Fail"), "✘", "fail")
    return f'<span class="hb-result hb-result--{cls}"><span aria-hidden="true">{sym}</span> {word}</span>'


def render_check_item(item_id: str, text: str, check: str, result: CheckResult | None, hb: Handbook, links: Links) -> str:
    """Render one automated checklist item as an HTML list item: its result, its text, and what fails it, by name."""
    passed = bool(result and result.passed)
    if result is not None and result.unstated:
        return (f'<li class="hb-check hb-check--unstated" id="check-{esc(item_id)}" data-item="{esc(item_id)}" '
                f'data-check="{esc(check)}" data-result="unstated"><span class="hb-result hb-result--unstated">'
                '<span aria-hidden="true">–</span> ' + _("Not published")
                + f'</span> <span class="hb-check__text">{esc(text)}</span>'
                '<span class="hb-check__note">'
                + esc(_("The result of this check is {note}.").format(note=_(result.note))) + "</span></li>")
    if result is not None and not result.judged:
        return (f'<li class="hb-check hb-check--not-judged" id="check-{esc(item_id)}" data-item="{esc(item_id)}" '
                f'data-check="{esc(check)}" data-result="not-judged"><span class="hb-result hb-result--not-judged">'
                '<span aria-hidden="true">–</span> ' + esc(pgettext("check", "Not judged"))
                + f'</span> <span class="hb-check__text">{esc(text)}</span>'
                '<span class="hb-check__note">'
                + esc(_("Not judged: {note}.").format(note=_(result.note))) + "</span></li>")
    # The item's own wording states the check once; its result sits beside it. No check key on the page.
    parts = [
        f'<li class="hb-check hb-check--{"pass" if passed else "fail"}" id="check-{esc(item_id)}" '
        f'data-item="{esc(item_id)}" data-check="{esc(check)}" data-result="{"pass" if passed else "fail"}">',
        _result_badge(passed),
        f' <span class="hb-check__text">{esc(text)}</span>',
    ]
    if result and result.failures:
        n = len(result.failures)
        parts.append('<span class="hb-check__count">' + esc(_("Failing ({n}):").format(n=n)) + "</span>")
        parts.append('<ul class="hb-check__failures">')
        for f in result.failures:
            name = esc(failure_name(f, hb))
            link = failure_link(f, hb, links, check)
            label = f'<a href="{esc(links.href(link))}">{name}</a>' if link else name
            parts.append(f'<li data-kind="{esc(f.kind)}" data-id="{esc(f.id)}">'
                         + _("{record}: {reason}").format(record=label, reason=esc(f.reason)) + "</li>")
        parts.append("</ul>")
    if result and result.unpublished:
        names = ", ".join(esc(failure_name(f, hb)) for f in result.unpublished)
        parts.append('<span class="hb-check__note hb-check__unpublished">'
                     + _("Also failing it, the detail not published in this edition: {names}.").format(names=names)
                     + "</span>")
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
    phase = _(PHASE_LABEL[practice.phase]) if practice.phase in PHASE_LABEL else practice.phase
    phase_link = (f'<a href="{esc(links.href(links.to("practices/index.md", PHASE_ANCHOR.get(practice.phase))))}">'
                  f"{esc(phase)}</a>")
    score = ngettext("{passed} of {total} automated check passes", "{passed} of {total} automated checks pass",
                     total).format(passed=passed, total=fmt_int(total)) + not_judged_note(not_judged_count(practice, checks))
    out.append(
        '<p class="hb-practice-meta">'
        + _("Practice <strong>{number}</strong> of 11 · Phase: {phase}").format(number=practice.number, phase=phase_link)
        + f' · <span class="hb-practice-score" data-passed="{passed}" data-total="{total}">{score}</span></p>\n'
    )
    out.append(md_block(practice.summary, "hb-md hb-practice-summary"))
    related = PRACTICE_PAGES.get(practice.number, [])
    if related:
        out.append("\n" + _("**Where to see it:** {pages}.").format(
            pages=", ".join(f"[{inline(_(t))}]({links.to(src, anchor)})" for t, src, anchor in related)) + "\n")
    out.append("\n## " + _("Checklist") + " { #checklist }\n\n")
    auto = [i for i in practice.checklist if i.check]
    people = [i for i in practice.checklist if not i.check]
    if auto:
        out.append("### " + _("Computed from the data") + " { #checklist-computed }\n\n")
        out.append('<ul class="hb-checklist hb-checklist--auto">'
                   + "".join(render_check_item(i.id, i.text, i.check, checks.get(i.check), hb, links) for i in auto)
                   + "</ul>\n")
    # Checks computed for this practice that no checklist item names still deserve a line.
    named = {i.check for i in practice.checklist}
    extra = [c for c in CHECKS.values() if c.practice == practice.number and c.name not in named]
    if extra:
        out.append("\n### " + _("Also computed for this practice") + " { #checklist-extra }\n\n")
        out.append('<ul class="hb-checklist hb-checklist--auto hb-checklist--extra">'
                   + "".join(render_check_item(f"auto-{c.name}", _(c.description), c.name, checks.get(c.name), hb, links) for c in extra)
                   + "</ul>\n")
    if people:
        out.append("\n### " + _("For people to tick") + " { #checklist-manual }\n\n")
        out.append('<p class="hb-hint">'
                   + _("Ticks are kept in this browser only; they are a personal reminder, not a report.") + "</p>\n")
        out.append('<ul class="hb-checklist hb-checklist--manual">' + "".join(render_manual_item(i.id, i.text) for i in people) + "</ul>\n")
    if not practice.checklist and not extra:
        out.append(_("No checklist items for this practice yet.") + "\n")
    return "".join(out)


def render_practices_index(hb: Handbook, checks: dict[str, CheckResult], links: Links) -> str:
    """Render the eleven practices grouped by phase, each with its automated checks' pass count."""
    out = []
    all_pass, all_auto, all_not_judged = checklist_totals(hb.practices, checks)
    out.append(
        "\n" + _("The method has eleven practices in three phases: build the framework, drive performance, then "
                  "learn and raise the bar. Each practice's page explains it and carries its checklist: items "
                  "computed from the data, and items for people to tick.") + "\n\n"
        f'<p class="hb-practice-total" data-passed="{all_pass}" data-total="{all_auto}">'
        + ngettext("<strong>{passed} of {total}</strong> automated checklist items pass across the eleven practices.",
                   "<strong>{passed} of {total}</strong> automated checklist items pass across the eleven practices.",
                   all_auto).format(passed=all_pass, total=all_auto) + esc(not_judged_note(all_not_judged)) + "</p>\n"
    )
    for phase, label in PHASE_LABEL.items():
        items = [p for p in hb.practices if p.phase == phase]
        out.append(f"\n## {inline(_(label))} {{ #{PHASE_ANCHOR[phase]} }}\n\n")
        if not items:
            out.append(_("No practice in this phase.") + "\n")
            continue
        rows = []
        for p in items:
            passed, total, manual = practice_counts(p, checks)
            unstated = sum(1 for i in p.checklist if i.check and checks.get(i.check) and checks[i.check].unstated)
            unjudged = not_judged_count(p, checks)
            score = (ngettext("{passed} of {total} pass", "{passed} of {total} pass", total).format(
                passed=passed, total=total) + not_judged_note(unjudged) if total else
                     _("not published in this edition") if unstated else
                     pgettext("checks", "not judged") if unjudged else pgettext("checks", "none"))
            mark = "✔" if passed == total else "✘"
            mark_html = f'<span aria-hidden="true">{mark}</span> ' if total else ""
            rows.append(
                f'<li class="hb-practice-card" data-practice="{p.number}" data-passed="{passed}" data-total="{total}">'
                f'<a class="hb-practice-card__title" href="{esc(links.href(links.practice(p.number)))}">'
                f"<span class=\"hb-practice-card__n\">{p.number}</span> {esc(p.title)}</a>"
                f'<span class="hb-practice-card__score">'
                f"{mark_html}" + _("Automated checks: {score}").format(score=score)
                + " · " + ngettext("{n} item to tick", "{n} items to tick", manual).format(n=manual)
                + "</span></li>"
            )
        out.append('<ul class="hb-practice-cards">' + "".join(rows) + "</ul>\n")
    return "".join(out)
