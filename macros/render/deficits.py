"""The deficits register: every key failure by stage, its evidence and the targets that close it."""

from __future__ import annotations

from ..derive import Analysis, derive_counts
from ..model import Stage
from ..periods import format_period
from ..snapshot import derive_reporters, derive_snapshot
from ..words import fmt_data_value, join_words
from .common import STATUS_ORDER, fmt_value, status_badge
from .indicators import (
    STAGE_LABEL,
    STAGE_MEANING,
    render_snapshot,
    render_team_links,
)
from .links import Links
from .text import esc, inline, md_block


def render_status_summary(a: Analysis, target_id: str) -> str:
    """Count a target's team statuses as badges with numbers (HTML)."""
    counts = derive_counts(a.by_target.get(target_id, []))
    parts = [f'<span class="hb-count">{counts[s]} × {status_badge(s)}</span>' for s in STATUS_ORDER if counts[s]]
    return '<span class="hb-status-summary">' + " ".join(parts) + "</span>" if parts else "no team"


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
        "\nA deficit is a specific failure that keeps us from the mission, shown by a figure. We look for them at "
        "every stage: what we put in, how we work, what we deliver, and what changes for the people we serve.\n",
        "\n## Overview { #overview }\n\n",
        "| Stage | Deficits | With a target |\n| --- | --: | --: |\n",
    ]
    for s in Stage:
        ds = by_stage[s]
        n_t = sum(1 for d in ds if targets_of.get(d.id))
        cell = str(len(ds)) if ds else "**none identified**"
        out.append(f"| [{STAGE_LABEL[s]}](#stage-{s.value}) | {cell} | {n_t} |\n")
    if empty:
        names = join_words(STAGE_LABEL[s].lower() for s in empty)
        out.append(f'\n!!! warning "Stages with no deficit identified"\n    No deficit has been identified at the {names} '
                   f"stage{'s' if len(empty) > 1 else ''}. Either {'those stages work' if len(empty) > 1 else 'that stage works'} well or we have not looked yet: "
                   f"see [practice 2]({links.practice(2)}).\n")
    if untargeted:
        out.append("\n!!! note \"Deficits without a target\"\n    " + ", ".join(
            f"[{inline(d.title)}]({links.deficit(d.id)})" for d in untargeted) + f". See [practice 3]({links.practice(3)}).\n")
    for s in Stage:
        out.append(f"\n## {STAGE_LABEL[s]} {{ #stage-{s.value} }}\n\n")
        out.append(f"*{inline(STAGE_MEANING[s].capitalize())}.*\n\n")
        if not by_stage[s]:
            out.append(f'<p class="hb-none" data-stage="{s.value}"><strong>No deficit identified at the {s.value} stage.</strong></p>\n')
            continue
        for d in by_stage[s]:
            ind = hb.indicators[d.indicator]
            out.append(f"\n### {inline(d.title)} {{ #deficit-{d.id} }}\n\n")
            out.append(md_block(d.description, "hb-md hb-deficit-description"))
            # The current value: over the deficit's teams when it names them, else over every team reporting it.
            teams = [t for t in d.teams if t in hb.teams] or reporters.get(d.indicator, [])
            snap = derive_snapshot(hb, d.indicator, teams)
            out.append(f"\n- **Evidence:** [{inline(ind.name)}]({links.indicator(ind.id)})"
                       f" ({'lower' if ind.better.value == 'lower' else 'higher'} is better)\n")
            out.append(f"- **Current value:** {render_snapshot(hb, ind, snap, markdown=True)}\n")
            if d.teams:
                out.append(f"- **Teams:** {render_team_links(hb, list(d.teams), links)}\n")
            tids = targets_of.get(d.id, [])
            if tids:
                out.append("- **Targets:**\n")
                for tid in tids:
                    t = hb.targets[tid]
                    out.append(f"    - [{inline(t.title)}]({links.target(tid)}): {inline(fmt_data_value(hb.indicators[t.indicator], t.target.value))}"
                               f" by {inline(t.target.period)}"
                               f"{' (passed)' if t.target.index <= hb.expected_period(t.indicator) else ''}"
                               f" · {render_status_summary(a, tid)}\n")
            else:
                out.append('- **Targets:** <strong class="hb-missing">none yet</strong>: this deficit has no target to close it.\n')
            if len(snap.per_team) > 1 and len(snap.per_team) <= 40:
                rows = "".join(
                    f"<tr><td>{esc(hb.teams[t].name if t in hb.teams else t)}</td><td>{esc(format_period(p, hb.frequency))}</td>"
                    f'<td class="hb-num">{esc(fmt_value(ind, v))}</td></tr>'
                    for t, p, v in snap.per_team
                )
                out.append(f'\n<details class="hb-details"><summary>Latest figure per team</summary>'
                           f'<table class="hb-table"><thead><tr><th scope="col">Team</th><th scope="col">Period</th>'
                           f'<th scope="col" class="hb-num">Value</th></tr></thead><tbody>{rows}</tbody></table></details>\n')
    return "".join(out)
