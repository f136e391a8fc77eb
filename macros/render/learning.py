"""Learning: the log, distortion reviews, the distortion flags the data raises, and the ratchet over time."""

from __future__ import annotations

from ..derive import Analysis
from ..i18n import N_, _, ngettext
from ..model import Learning
from ..periods import format_period
from ..ratchet import derive_ratchet
from ..words import fmt_difference, fmt_threshold
from .counts import num
from .links import Links
from .targets import describe_ratchet_step, fmt_point
from .text import esc, inline, md_block

KIND_LABEL = {"insight": N_("Insight"), "distortion-review": N_("Distortion review"), "decision": N_("Decision")}
STATUS_LABEL = {"open": N_("Open"), "done": N_("Done")}


def entry_anchor(entries: tuple[Learning, ...], item: Learning) -> str:
    """Return a stable anchor for a log entry: its date and its position among that day's entries."""
    same_day = [e for e in entries if e.date == item.date]
    n = next(i for i, e in enumerate(same_day) if e is item) + 1
    return f"log-{item.date.isoformat()}" + (f"-{n}" if n > 1 else "")


def _label(table: dict[str, str], key: str) -> str:
    """A kind or status word of the log in the build's language; a value the table does not know, as written."""
    return _(table[key]) if key in table else key


def newest_first(entries: tuple[Learning, ...]) -> list[Learning]:
    # Stable: entries of the same day keep their file order.
    return sorted(entries, key=lambda e: e.date, reverse=True)


def render_learning_page(a: Analysis, links: Links) -> str:
    """Render the learning page: flags, reviews, the ratchet, then the whole log."""
    hb = a.hb
    log = hb.learning
    flagged = [s for s in a.statuses if s.distortions]
    reviewed = {t for e in log if e.kind == "distortion-review" for t in e.targets}
    reviews = [e for e in newest_first(log) if e.kind == "distortion-review"]
    ratchet = sorted(((t, r, new) for t in hb.targets.values() for r, new in derive_ratchet(t)),
                     key=lambda x: x[1].date, reverse=True)
    open_n = sum(1 for e in log if e.status == "open")
    entries = ngettext("**{n}** entry ({open} open)", "**{n}** entries ({open} open)", len(log)).format(
        n=num(len(log)), open=num(open_n))
    flags = ngettext("**{n}** distortion flag", "**{n}** distortion flags", len(flagged)).format(n=num(len(flagged)))
    times = ngettext("**{n}** time", "**{n}** times", len(ratchet)).format(n=num(len(ratchet)))
    out = [
        "\n" + _("What the figures taught us, the distortions we watch for, and how we raised the bar. The log holds "
                 "{entries}; the data raises {flags}; targets have been revised {times}.").format(
            entries=entries, flags=flags, times=times) + "\n",
        "\n## " + _("Distortion flags the data raises") + " { #distortion-flags }\n\n",
        _("A flag goes up when a target's indicator has improved since its baseline while one of its guardrails has "
          "worsened by more than its tolerance ([the rule]({href})). A flag is a question, not a verdict: a distortion "
          "review answers it.").format(href=links.to("onboarding/status.md", "distortion")) + "\n\n",
    ]
    if flagged:
        rows = []
        for s in flagged:
            t = hb.targets[s.target]
            for g in s.guardrails:
                if not g.flagged:
                    continue
                gi = hb.indicators[g.indicator]
                done = _("yes") if t.id in reviewed else _("**not yet**")
                rows.append(
                    f"| [{inline(t.title)}]({links.target(t.id)}) | [{inline(hb.teams[s.team].name)}]({links.team(s.team)}) | "
                    f"[{inline(gi.name)}]({links.indicator(gi.id)}) | {inline(fmt_difference(gi, g.worsened_by or 0.0, g.start_value, g.end_value))} "
                    + _("({start} to {end})").format(start=inline(format_period(g.start_period, hb.frequency)),
                                                    end=inline(format_period(g.end_period, hb.frequency))) + " | "
                    f"{inline(fmt_threshold(gi, g.tolerance))} | {done} |"
                )
        head = (_("Target"), _("Team"), _("Guardrail"), _("Worsened by"), _("Tolerance"), _("Reviewed"))
        out.append("| " + " | ".join(head) + " |\n| --- | --- | --- | --: | --: | --- |\n"
                   + "\n".join(rows) + "\n")
    else:
        out.append('<p class="hb-none" data-flags="0">' + _("No distortion flag: no guardrail has worsened beyond its "
                                                             "tolerance while its target improved.") + "</p>\n")
    out.append("\n## " + _("Distortion reviews") + " { #distortion-reviews }\n\n")
    if reviews:
        out.append("".join(f"- {inline(e.date.isoformat())}: [{inline(e.title)}](#{entry_anchor(log, e)}) "
                           f"({_label(STATUS_LABEL, e.status).lower()})\n" for e in reviews))
    else:
        out.append(_("No distortion review logged yet.") + "\n")
    out.append("\n## " + _("The ratchet: every target revision") + " { #ratchet }\n\n")
    if ratchet:
        items = []
        for t, r, new in ratchet:
            ind = hb.indicators[t.indicator]
            items.append(
                f'<li class="hb-timeline__item"><time datetime="{esc(r.date.isoformat())}">{esc(r.date.isoformat())}</time> '
                f'<a href="{esc(links.href(links.target(t.id)))}">{esc(t.title)}</a>: '
                f'<span class="hb-timeline__kind">{esc(describe_ratchet_step(ind, r.was, new))}</span>: '
                f'<span class="hb-timeline__change">{esc(fmt_point(ind, r.was))} → {esc(fmt_point(ind, new))}</span>'
                f'{md_block(r.reason, "hb-md hb-timeline__reason")}</li>'
            )
        out.append('<ol class="hb-timeline" reversed>' + "".join(items).replace("\n\n", "\n") + "</ol>\n")
    else:
        out.append(_("No target has been revised yet.") + "\n")
    out.append("\n## " + _("Learning log") + " { #learning-log }\n\n")
    if not log:
        out.append(_("The log is empty. Add what the figures taught you to `data/learning.yml`.") + "\n")
    for e in newest_first(log):
        out.append(f"\n### {inline(e.date.isoformat())} · {inline(e.title)} {{ #{entry_anchor(log, e)} }}\n\n")
        out.append(
            f'<p class="hb-log-meta" data-kind="{esc(e.kind)}" data-status="{esc(e.status)}">'
            f'<span class="hb-tag hb-tag--{esc(e.kind)}">{esc(_label(KIND_LABEL, e.kind))}</span> '
            f'<span class="hb-tag hb-tag--{esc(e.status)}">{esc(_label(STATUS_LABEL, e.status))}</span></p>\n'
        )
        out.append(md_block(e.finding, "hb-md hb-log-finding"))
        if e.action.strip():
            out.append('\n<div class="hb-log-action"><p><strong>' + _("Action") + "</strong></p>" + md_block(e.action, "hb-md") + "</div>\n")
        refs = [f"[{inline(hb.targets[t].title)}]({links.target(t)})" for t in e.targets if t in hb.targets]
        refs += [f"[{inline(hb.indicators[i].name)}]({links.indicator(i)})" for i in e.indicators if i in hb.indicators]
        if refs:
            out.append("\n" + _("**About:** {refs}").format(refs=", ".join(refs)) + "\n")
    return "".join(out)
