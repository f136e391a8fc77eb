"""The deficits register: every key failure by stage, its evidence and the targets that close it."""

from __future__ import annotations

from ..derive import Analysis, derive_counts
from ..i18n import _, ngettext
from ..model import Stage
from ..periods import format_period
from ..snapshot import derive_reporters, derive_snapshot
from ..words import fmt_data_value, join_words
from .common import STATUS_ORDER, bold_html, fmt_value, status_badge
from .counts import num
from .indicators import (
    STAGE_LABEL,
    STAGE_MEANING,
    render_snapshot,
    render_team_links,
)
from .links import Links
from .text import esc, inline, md_block, one_line


def render_status_summary(a: Analysis, target_id: str) -> str:
    """Count a target's team statuses as badges with numbers (HTML)."""
    counts = derive_counts(a.by_target.get(target_id, []))
    parts = [f'<span class="hb-count">{num(counts[s])} × {status_badge(s)}</span>' for s in STATUS_ORDER if counts[s]]
    return '<span class="hb-status-summary">' + " ".join(parts) + "</span>" if parts else _("no team")


def render_deficits_page(a: Analysis, links: Links) -> str:
    """Render the register: coverage, then each stage's deficits (or a call-out when a stage has none)."""
    hb = a.hb
    reporters = derive_reporters(hb)
    targets_of: dict[str, list[str]] = {d: [] for d in hb.deficits}
    for t in hb.targets.values():
        targets_of.setdefault(t.deficit, []).append(t.id)
    by_stage = {s: [d for d in hb.deficits.values() if d.stage is s] for s in Stage}
    empty = [s for s in Stage if not by_stage[s]]
    untargeted = [d for d in hb.deficits.values() if not targets_of.get(d.id)]
    out = [
        "\n" + _("A deficit is a specific failure that keeps us from the mission, shown by a figure. We look for them at "
                 "every stage: what we put in, how we work, what we deliver, and what changes for the people we serve.")
        + "\n",
        "\n## " + _("Overview") + " { #overview }\n\n",
        "| " + " | ".join((_("Stage"), _("Deficits"), _("With a target"))) + " |\n| --- | --: | --: |\n",
    ]
    for s in Stage:
        ds = by_stage[s]
        n_t = sum(1 for d in ds if targets_of.get(d.id))
        cell = num(len(ds)) if ds else _("**none identified**")
        out.append(f"| [{_(STAGE_LABEL[s])}](#stage-{s.value}) | {cell} | {num(n_t)} |\n")
    if empty:
        names = join_words(_(STAGE_LABEL[s]).lower() for s in empty)
        title = _("Stages with no deficit identified")
        out.append(f'\n!!! warning "{title}"\n    '
                   + ngettext("No deficit has been identified at the {stages} stage. Either that stage works well or we "
                              "have not looked yet: see [practice 2]({href}).",
                              "No deficit has been identified at the {stages} stages. Either those stages work well or "
                              "we have not looked yet: see [practice 2]({href}).", len(empty)).format(
                       stages=names, href=links.practice(2)) + "\n")
    if untargeted:
        title = _("Deficits without a target")
        out.append(f'\n!!! note "{title}"\n    ' + _("{deficits}. See [practice 3]({href}).").format(deficits=", ".join(
            f"[{inline(d.title)}]({links.deficit(d.id)})" for d in untargeted), href=links.practice(3)) + "\n")
    for s in Stage:
        out.append(f"\n## {_(STAGE_LABEL[s])} {{ #stage-{s.value} }}\n\n")
        out.append(f"*{inline(_(STAGE_MEANING[s]).capitalize())}.*\n\n")
        if not by_stage[s]:
            out.append(f'<p class="hb-none" data-stage="{s.value}"><strong>'
                       + _("No deficit identified at the {stage} stage.").format(stage=_(STAGE_LABEL[s]).lower())
                       + "</strong></p>\n")
            continue
        for d in by_stage[s]:
            ind = hb.indicators[d.indicator]
            out.append(f"\n### {inline(d.title)} {{ #deficit-{d.id} }}\n\n")
            out.append(md_block(d.description, "hb-md hb-deficit-description"))
            # The current value: over the deficit's teams when it names them, else over every team reporting it.
            teams = [t for t in d.teams if t in hb.teams] or reporters.get(d.indicator, [])
            snap = derive_snapshot(hb, d.indicator, teams)
            # Finished HTML (held back from Python-Markdown, macros/held.py): the list Markdown would make of it.
            evidence = (_("**Evidence:** {indicator} (lower is better)") if ind.better.value == "lower"
                        else _("**Evidence:** {indicator} (higher is better)"))
            to = links.html
            items = [
                bold_html(evidence).format(indicator=f'<a href="{esc(to.indicator(ind.id))}">{esc(one_line(ind.name))}</a>'),
                bold_html(_("**Current value:** {value}")).format(value=render_snapshot(hb, ind, snap)),
            ]
            if d.teams:
                items.append(bold_html(_("**Teams:** {teams}")).format(
                    teams=render_team_links(hb, list(d.teams), links)))
            tids = targets_of.get(d.id, [])
            if tids:
                rows = []
                for tid in tids:
                    t = hb.targets[tid]
                    goal = (_("{value} by {period} (passed)") if t.target.index <= hb.expected_period(t.indicator)
                            else _("{value} by {period}")).format(
                        value=esc(fmt_data_value(hb.indicators[t.indicator], t.target.value)),
                        period=esc(one_line(t.target.period)))
                    rows.append(f'<li><a href="{esc(to.target(tid))}">{esc(one_line(t.title))}</a>: {goal}'
                                f" · {render_status_summary(a, tid)}</li>\n")
                items.append(bold_html(_("**Targets:**")) + "<ul>\n" + "".join(rows) + "</ul>\n")
            else:
                items.append(bold_html(_('**Targets:** <strong class="hb-missing">none yet</strong>: this deficit has no '
                                       "target to close it.")))
            out.append("\n<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>\n")
            if len(snap.per_team) > 1 and len(snap.per_team) <= 40:
                rows = "".join(
                    f"<tr><td>{esc(hb.teams[t].name if t in hb.teams else t)}</td><td>{esc(format_period(p, hb.frequency))}</td>"
                    f'<td class="hb-num">{esc(fmt_value(ind, v))}</td></tr>'
                    for t, p, v in snap.per_team
                )
                out.append('<details class="hb-details"><summary>' + _("Latest figure per team") + "</summary>"
                           '<table class="hb-table"><thead><tr><th scope="col">' + _("Team") + '</th><th scope="col">'
                           + _("Period") + '</th><th scope="col" class="hb-num">' + _("Value") + "</th></tr></thead>"
                           f"<tbody>{rows}</tbody></table></details>\n")
    return "".join(out)
