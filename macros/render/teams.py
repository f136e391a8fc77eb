"""Team pages, unit pages and the teams index: pure functions from the analysis to Markdown with raw HTML blocks.

Everything that would otherwise be searched once per page (recognition, check failures, files, indicators by
team) is grouped once per build in a `TeamIndex` (macros/team_index.py); a page then costs time in proportion to
its own data only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..calendar import due_by
from ..checks import CHECKS, TARGET_TEAM, TEAM_CHECKS, CheckResult, Failure
from ..derive import Analysis, TeamStatus
from ..downloads import STATUS_CSV, STATUS_JSON, team_csv_path
from ..i18n import N_, _, fmt_decimal, fmt_int, ngettext
from ..model import Status, Team
from ..periods import format_period
from ..team_index import TeamIndex
from ..words import decimals_of, fmt_data_value, fmt_expected, join_words
from .charts import (
    Chart,
    build_guardrail_chart,
    build_indicator_chart,
    build_target_chart,
    render_chart,
    share_y_ranges,
)
from .common import STATUS_ORDER, STATUS_SYMBOL, edit_link, fmt_value, heading, status_badge, status_class
from .deadlines import calendar_end, chart_end, describe_deadline, expected_label, met_attr, no_figure
from .links import Links, team_src
from .pace import pace_html, pace_sentence
from .text import esc, inline, md_block, md_inline, one_line

OPEN_NEEDS = ("requested", "approved")


def _a(url: str, text_html: str) -> str:
    return f'<a href="{esc(url)}">{text_html}</a>'


def render_status_summary(statuses: list[TeamStatus]) -> str:
    """Return counts by status as inline HTML, each with its symbol and word ("✔ 2 met · ▲ 1 on track")."""
    if not statuses:
        return '<span class="hb-muted">' + esc(_("carries no target")) + "</span>"
    counts = {s: 0 for s in Status}
    for s in statuses:
        counts[s.status] += 1
    parts = [
        f'<span class="hb-status {status_class(st)}"><span aria-hidden="true">{STATUS_SYMBOL[st]}</span> '
        f"{esc(status_count(st, counts[st]))}</span>"
        for st in STATUS_ORDER if counts[st]
    ]
    return '<span class="hb-status-summary">' + " · ".join(parts) + "</span>"


def status_count(status: Status, n: int) -> str:
    """Say how many targets are in a status, in a summary: "2 met", "1 on track" (French agrees in number)."""
    if status is Status.MET:
        message = ngettext("{n} met", "{n} met", n)
    elif status is Status.ON_TRACK:
        message = ngettext("{n} on track", "{n} on track", n)
    elif status is Status.AT_RISK:
        message = ngettext("{n} at risk", "{n} at risk", n)
    elif status is Status.OFF_TRACK:
        message = ngettext("{n} off track", "{n} off track", n)
    elif status is Status.STALE:
        message = ngettext("{n} stale", "{n} stale", n)
    else:
        message = ngettext("{n} no data", "{n} no data", n)
    return message.format(n=n)


def describe_freshness(own_period: int | None, expected: int, stale_after: int, frequency: str,
                       due: str, behind: int | None = None) -> tuple[str, str, str]:
    """Return (admonition kind, title, sentence) describing how current a team's figures are against the calendar:
    `expected` is the latest period whose figures are due by today (`due`, a date), whatever other teams reported.
    `behind`: the team's lag when its indicators fall due on days of their own (derive_team_freshness)."""
    if own_period is None:
        return "note", _("No figures yet"), _("This team has not reported any figures yet.")
    own = format_period(own_period, frequency)
    newest = format_period(expected, frequency)
    behind = max(expected - own_period, 0) if behind is None else behind
    words = {"own": own, "n": fmt_int(behind), "newest": newest, "due": due}
    if behind == 0:
        return ("success", _("Up to date"),
                _("Latest figures are for {own}; figures for {newest} were due by {due}.").format(**words))
    if behind > stale_after:
        return ("warning", _("Stale data"),
                ngettext("Stale: this team's latest figures are for {own}, {n} period behind {newest}, whose figures "
                         "were due by {due}.",
                         "Stale: this team's latest figures are for {own}, {n} periods behind {newest}, whose figures "
                         "were due by {due}.", behind).format(**words)
                + " " + _("After more than {n} periods without a figure, a status on its old figures is shown as "
                          "stale, not as current.").format(n=stale_after))
    return ("info", _("Recent data"),
            ngettext("Latest figures are for {own}, {n} period behind {newest}, whose figures were due by {due}.",
                     "Latest figures are for {own}, {n} periods behind {newest}, whose figures were due by {due}.",
                     behind).format(**words))


def describe_team_freshness(a: Analysis, team_id: str) -> tuple[str, str, str]:
    """Return (admonition kind, title, sentence) for a team: its figures overall, then each target's own indicator.

    A team whose other figures are current is not "up to date" while a target's indicator has stopped: freshness is
    judged on the target's own indicator, as its status is. The sentence is plain text with target titles from the
    data: escape it.
    """
    hb = a.hb
    expected = a.expected_period if a.expected_period is not None else hb.expected_period()
    own, stale_after = a.latest_by_team.get(team_id), hb.organization.stale_after
    behind = a.freshness.get(team_id)
    kind, title, sentence = describe_freshness(own, expected, stale_after, hb.frequency, due_by(hb, expected).isoformat(),
                                               behind)
    if behind is None or behind > stale_after:
        return kind, title, sentence
    statuses = [s for s in a.by_team.get(team_id, []) if not s.past]
    fmt = lambda i: format_period(i, hb.frequency)  # noqa: E731

    def named(s: TeamStatus) -> str:
        title = " ".join(hb.targets[s.target].title.split()) if s.target in hb.targets else s.target
        if s.period is None:
            if s.last_figure_period is not None:
                return _("{target} (no figure since {period}, before its baseline)").format(
                    target=title, period=fmt(s.last_figure_period))
            return _("{target} (no figure yet)").format(target=title)
        n = s.periods_behind or 0
        return ngettext("{target} (latest figure {period}, {n} period behind)",
                        "{target} (latest figure {period}, {n} periods behind)", n).format(
            target=title, period=fmt(s.period), n=fmt_int(n))

    def due_of(s: TeamStatus) -> str:
        exp = s.expected_period if s.expected_period is not None else expected
        return _("{period}, due by {date}").format(period=fmt(exp), date=due_by(hb, exp, s.indicator).isoformat())

    stale = [s for s in statuses if s.status is Status.STALE]
    lagging = [s for s in statuses if s.status is not Status.STALE and (s.periods_behind or s.period is None)]
    if stale:
        return ("warning", _("Stale data"),
                ngettext("Stale on {n} target: {targets}, against the period whose figures are due by today ({due}).",
                         "Stale on {n} targets: {targets}, against the period whose figures are due by today ({due}).",
                         len(stale)).format(n=fmt_int(len(stale)), targets=join_words(named(s) for s in stale),
                                            due=due_of(stale[0]))
                + " " + ngettext("After more than {n} period without a figure on a target's indicator, its status is "
                                 "shown as stale, not as current.",
                                 "After more than {n} periods without a figure on a target's indicator, its status is "
                                 "shown as stale, not as current.", stale_after).format(n=fmt_int(stale_after))
                + (" " + _("Its other figures are for {period}: they do not make a stale target current.").format(
                    period=fmt(own)) if behind == 0 and own is not None else ""))
    if lagging:
        return ("info", _("Recent data"),
                _("Not every target has a figure for the period whose figures are due by today ({due}): "
                  "{targets}.").format(due=due_of(lagging[0]), targets=join_words(named(s) for s in lagging)))
    return kind, title, sentence


def _admonition(kind: str, title: str, body_html: str, css: str = "") -> str:
    extra = f" {css}" if css else ""
    return (f'\n<div class="admonition {kind}{extra}"><p class="admonition-title">{esc(title)}</p>'
            f"<p>{body_html}</p></div>\n")


def _facts(pairs: list[tuple[str, str]], css: str = "hb-facts") -> str:
    return f'<dl class="{css}">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


@dataclass(frozen=True)
class GlanceItem:
    """One line of a team page's header: what it says (`kind`: status, distortion, stale...) and its HTML."""

    kind: str
    html: str


_MET_SYMBOL = {"yes": "✔", "no": "✘", "unknown": "?"}  # a passed deadline: met, not met, not known


def derive_glance_items(team: Team, a: Analysis, links: Links) -> list[GlanceItem]:
    """Say how a team is doing, one line each: every target's status, every distortion flag, stale data.

    A new fact about a team's targets (a deadline passed, say) is one more item here; the header shows them in order.
    """
    h = links.html
    hb = a.hb
    fmt = lambda i: format_period(i, hb.frequency) if i is not None else "–"  # noqa: E731
    statuses = a.by_team.get(team.id, [])
    items: list[GlanceItem] = []
    if not statuses:
        items.append(GlanceItem("none", esc(_("Carries no target yet."))))
    for s in statuses:
        target = hb.targets[s.target]
        ind = hb.indicators[s.indicator]
        name = _a(h.page(team_src(team.id), f"target-{target.id}"), esc(" ".join(target.title.split())))
        if s.value is None:
            figure = esc(no_figure(s, hb.frequency))
        elif s.expected is not None and s.status not in (Status.MET, Status.STALE):
            figure = esc(_("{value} in {period}, expected {expected}").format(
                value=fmt_value(ind, s.value), period=fmt(s.period),
                expected=fmt_expected(ind, s.expected, s.baseline_value, s.target_value)))
        else:
            figure = esc(_("{value} in {period}").format(value=fmt_value(ind, s.value), period=fmt(s.period)))
        items.append(GlanceItem("status", _("{status} {target}: {figure}").format(
            status=status_badge(s.status), target=name, figure=figure)))
    for s in statuses:
        deadline = describe_deadline(s, hb.indicators[s.indicator], hb.frequency, hb.organization.stale_after)
        if deadline:
            target = hb.targets[s.target]
            link = _a(h.page(team_src(team.id), f"target-{target.id}"), esc(" ".join(target.title.split())))
            head, _colon, rest = deadline.partition(": ")  # "Deadline passed (2026-09)", "not met, 84 % against 90 %"
            head = head.rstrip()  # French writes a no-break space before the colon
            mark = (f'<span class="hb-deadline" data-met="{met_attr(s)}"><span aria-hidden="true">'
                    f"{_MET_SYMBOL[met_attr(s)]}</span> <strong>{esc(head)}</strong></span>")
            items.append(GlanceItem(
                "deadline",
                (_("{deadline} on {target}: {result}.") if rest else _("{deadline} on {target}.")).format(
                    deadline=mark, target=link, result=esc(rest)),
            ))
    for s in statuses:
        if s.distortions:
            target = hb.targets[s.target]
            names = ", ".join(esc(" ".join(hb.indicators[g].name.split())) for g in s.distortions if g in hb.indicators)
            link = _a(h.page(team_src(team.id), f"guardrails-{target.id}"), esc(" ".join(target.title.split())))
            items.append(GlanceItem(
                "distortion",
                _("{flag} on {target}: {names} got worse beyond its tolerance while the target improved.").format(
                    flag='<span class="hb-flag">⚠ ' + esc(_("Distortion flag")) + "</span>", target=link, names=names),
            ))
    behind = a.freshness.get(team.id)
    own = a.latest_by_team.get(team.id)
    expected = a.expected_period if a.expected_period is not None else hb.expected_period()
    if behind is not None and own is not None and behind > hb.organization.stale_after:
        mark = (f'<span class="hb-status hb-status--stale"><span aria-hidden="true">{STATUS_SYMBOL[Status.STALE]}'
                "</span> " + esc(_("Stale data")) + "</span>")
        items.append(GlanceItem(
            "stale",
            ngettext("{stale}: latest figures for {own}, {n} period behind {expected}, whose figures are due by today.",
                     "{stale}: latest figures for {own}, {n} periods behind {expected}, whose figures are due by "
                     "today.", behind).format(stale=mark, own=fmt(own), n=fmt_int(behind), expected=fmt(expected)),
        ))
    for s in statuses:  # where each target is heading at the pace kept (macros/projection.py)
        p = a.projections.get((s.target, s.team))
        sentence = pace_sentence(p, hb.indicators[s.indicator], hb.frequency)
        if sentence:
            link = _a(h.page(team_src(team.id), f"target-{s.target}"), esc(" ".join(hb.targets[s.target].title.split())))
            items.append(GlanceItem("pace", _("{target}: {projection}").format(target=link,
                                                                                 projection=pace_html(p, sentence))))
    return items


def render_freshness(team: Team, a: Analysis) -> str:
    """How current a team's figures are: a quiet line when they are current, a warning box only when stale."""
    kind, title, sentence = describe_team_freshness(a, team.id)
    if kind == "warning":
        quotes = "".join('<br><span class="hb-freshness__note">' + _("Latest note on {indicator} ({period}): {note}").format(
            indicator=esc(name), period=esc(when), note=f"<q>{esc(note)}</q>") + "</span>"
            for name, when, note in stale_series_notes(team.id, a))
        return _admonition(kind, title, esc(sentence) + quotes, "hb-freshness")
    line = esc(_("{title}: {text}").format(title=title, text=sentence))
    return f'\n<p class="hb-freshness hb-freshness--{kind}">{line}</p>\n'


def stale_series_notes(team_id: str, a: Analysis) -> list[tuple[str, str, str]]:
    """Return (indicator name, period, note) of the newest note of each of a team's stale series: the stale targets'
    indicators, or every indicator of a team whose figures are all stale. Notes are data: escape them."""
    hb = a.hb
    indicators = list(dict.fromkeys(s.indicator for s in a.by_team.get(team_id, []) if s.status is Status.STALE))
    behind = a.freshness.get(team_id)
    if not indicators and behind is not None and behind > hb.organization.stale_after:
        indicators = [i for (t, i) in hb.series if t == team_id]
    out = []
    for ind_id in indicators:
        series = hb.series_for(team_id, ind_id)
        if series is None or ind_id not in hb.indicators:
            continue
        noted = [(p, n) for p, n in zip(series.periods, series.notes, strict=True) if n.strip()]
        if noted:
            p, n = noted[-1]
            out.append((" ".join(hb.indicators[ind_id].name.split()), format_period(p, hb.frequency), one_line(n)))
    return out


def render_team_glance(team: Team, a: Analysis, links: Links) -> str:
    """The header of a team's page, before any chart: its statuses, flags and stale data, then its freshness."""
    # Stale data is said once, by the freshness warning below the list (the only loud box on the page).
    items = [i for i in derive_glance_items(team, a, links) if i.kind != "stale"]
    lis = "".join(f'<li class="hb-team-glance__item hb-team-glance__item--{esc(i.kind)}">{i.html}</li>' for i in items)
    doing = esc(_("How this team is doing"))
    return (f'\n<div class="hb-search hb-team-glance" role="group" aria-label="{doing}">'
            f'<p class="hb-team-glance__title">{doing}</p><ul>{lis}</ul>'
            + render_freshness(team, a).strip() + "</div>\n")


def render_team_head(team: Team, a: Analysis, links: Links) -> str:
    """The top of a team's page below its title: how it is doing, its facts (unit, lead) and its description.

    All stay in the page's Markdown when the rest is held back, so search finds a team by its unit or lead.
    """
    h = links.html
    facts = [(_("Unit"), _a(h.unit(team.unit), esc(" ".join(team.unit.split()))))]
    if team.lead:
        facts.append((_("Lead"), esc(" ".join(team.lead.split()))))
    return (render_team_glance(team, a, links)
            + '\n<div class="hb-search">\n' + _facts(facts, "hb-facts hb-facts--team") + "\n</div>\n"
            + md_block(team.description))


def render_team_page(team: Team, a: Analysis, ix: TeamIndex, checks: dict[str, CheckResult], links: Links,
                     edit_base: str = "", report: str = "") -> str:
    """Render one team's page: targets with charts, guardrails, freshness, other indicators, capacity, recognition,
    checklist results, related pages and downloads."""
    h = links.html
    hb = a.hb
    statuses = a.by_team.get(team.id, [])
    out = [f"# {inline(team.name)}\n\n", render_team_head(team, a, links), report]

    out.append(heading(2, _("Targets"), "targets"))
    charted: set[str] = set()
    if not statuses:
        out.append("\n<p>" + _("This team carries no target yet. See the {targets} the organization has set.").format(
            targets=_a(h.page("targets/index.md"), esc(_("targets")))) + "</p>\n")
    for s in statuses:
        charted.add(s.indicator)
        charted.update(g.indicator for g in s.guardrails)
    others = [i for i in ix.indicators.get(team.id, []) if i not in charted]
    charts = build_team_charts(team, statuses, others, a)
    for s in statuses:
        out.append(_render_team_target(s, a, links, charts))

    out.append(heading(2, _("Other indicators"), "indicators"))
    if others:
        figures = []
        for ind_id in others:
            ind = hb.indicators[ind_id]
            chart = charts.get(("other", ind_id))
            if chart is None:
                continue
            figures.append(render_chart(chart, title_html=_a(h.indicator(ind_id), esc(" ".join(ind.name.split()))),
                                        data_href=h.file(team_csv_path(team.id))))
        out.append('\n<div class="hb-chart-grid">' + "".join(f.strip() for f in figures) + "</div>\n")
    else:
        none = _("No other indicators reported.") if ix.indicators.get(team.id) else _("No figures reported yet.")
        out.append(f"\n<p>{esc(none)}</p>\n")

    out.append(_render_capacity(team, a, links))
    out.append(_render_recognition(team, ix, a, links))
    out.append(_render_checklist(team, a, ix, checks, links))
    out.append(_render_related(team, statuses, ix, a, links))

    out.append(heading(2, _("Downloads"), "downloads"))
    out.append(
        f'\n<ul class="hb-downloads"><li><a href="{esc(h.file(team_csv_path(team.id)))}" download>'
        + _("This team's figures (CSV)") + "</a></li>"
        f'<li><a href="{esc(h.file(STATUS_CSV))}" download>' + _("Every team's statuses (CSV)") + "</a></li>"
        f'<li><a href="{esc(h.file(STATUS_JSON))}" download>' + _("Every team's statuses (JSON)") + "</a></li></ul>\n"
    )
    files = ["data/teams.yml"]
    if statuses:
        files.append("data/targets.yml")
    if team.id in hb.capacity:
        files.append("data/capacity.yml")
    if ix.recognition.get(team.id):
        files.append("data/recognition.yml")
    files += ix.files.get(team.id, [])
    if hb.edition != "public":  # repository paths are for the people who edit the data, not public readers
        out.append(edit_link(edit_base, *files))
    return "".join(out)


def build_team_charts(team: Team, statuses: list[TeamStatus], others: list[str], a: Analysis) -> dict[tuple[str, ...], Chart]:
    """Build a team page's charts, keyed ("target", target), ("guardrail", target, indicator) and ("other", indicator).

    Periods the team missed up to the latest period reported are gaps in each chart (up to the period whose figures
    are due by today when that is later: a stopped feed shows its gap); charts of the same
    indicator on the page (a target's indicator that is also another target's guardrail) share their y range.
    """
    hb = a.hb
    freq, end = hb.frequency, hb.latest_period
    charts: dict[tuple[str, ...], Chart] = {}
    on_page: list[tuple[str, Chart]] = []
    for s in statuses:
        ind = hb.indicators[s.indicator]
        chart = build_target_chart(s, ind, hb.series_for(s.team, s.indicator), freq, hb.targets[s.target].title,
                                   chart_end(end, s), a.projections.get((s.target, s.team)))
        charts[("target", s.target)] = chart
        on_page.append((s.indicator, chart))
        for g in s.guardrails:
            g_ind = hb.indicators.get(g.indicator)
            if g_ind is None:
                continue
            chart = build_guardrail_chart(g, g_ind, hb.series_for(s.team, g.indicator), freq,
                                          calendar_end(end, hb.expected_period(g.indicator)))
            charts[("guardrail", s.target, g.indicator)] = chart
            on_page.append((g.indicator, chart))
    for ind_id in others:
        series = hb.series_for(team.id, ind_id)
        if series is not None and series.periods:
            charts[("other", ind_id)] = build_indicator_chart(hb.indicators[ind_id], series, freq,
                                                              calendar_end(end, hb.expected_period(ind_id)))
    share_y_ranges(on_page)
    return charts


def _render_team_target(s: TeamStatus, a: Analysis, links: Links, charts: dict[tuple[str, ...], Chart]) -> str:
    h = links.html
    hb = a.hb
    freq = hb.frequency
    target = hb.targets[s.target]
    ind = hb.indicators[s.indicator]
    fmt = lambda i: format_period(i, freq) if i is not None else "–"  # noqa: E731
    out = [heading(3, target.title, f"target-{target.id}")]
    in_period = lambda value, i: esc(_("{value} in {period}").format(value=value, period=fmt(i)))  # noqa: E731
    baseline = (in_period(fmt_value(ind, s.baseline_value), s.baseline_period)
                if s.baseline_value is not None else _("– (the team's own first figure; none yet)"))
    goal = esc(_("{value} by {period}").format(value=fmt_data_value(ind, s.target_value), period=fmt(s.target_period)))
    if s.deadline_passed:
        goal = esc(_("{goal} (passed)")).format(goal=goal)
    if s.past:
        goal = esc(_("{goal} · a past target, counted apart")).format(goal=goal)
    facts = [
        (_("Status"), status_badge(s.status)),
        (_("Latest"), in_period(fmt_value(ind, s.value), s.period) if s.value is not None else esc(no_figure(s, freq))),
        (expected_label(s, freq), esc(fmt_expected(ind, s.expected, s.baseline_value, s.target_value)) if s.expected is not None else "–"),
        (_("Baseline"), baseline),
        (_("Target"), goal),
    ]
    deadline = describe_deadline(s, ind, freq, hb.organization.stale_after)
    if deadline:
        facts.append((_("Deadline"), f'<span class="hb-deadline" data-met="{met_attr(s)}">{esc(deadline)}</span>'))
    p = a.projections.get((s.target, s.team))
    if sentence := pace_sentence(p, ind, freq):
        facts.append((_("At this pace"), pace_html(p, sentence)))
    better = _("higher is better") if ind.better.value == "higher" else _("lower is better")
    facts += [
        (_("Indicator"), _a(h.indicator(ind.id), esc(" ".join(ind.name.split())))
         + f' <span class="hb-muted">({esc(better)})</span>'),
        (_("More"), _a(h.target(target.id), esc(_("Target and theory"))) + " · "
         + _a(h.deficit(target.deficit), esc(_("the deficit it closes")))),
    ]
    out.append("\n" + _facts(facts, "hb-facts hb-facts--target") + "\n")
    chart = charts[("target", s.target)]
    csv_href = h.file(team_csv_path(s.team))
    out.append(render_chart(chart, data_href=csv_href))
    if s.guardrails:
        flagged = [g for g in s.guardrails if g.flagged]
        out.append(heading(4, _("Guardrails: {target}").format(target=target.title), f"guardrails-{target.id}"))
        if flagged:
            names = join_words(esc(" ".join(hb.indicators[g.indicator].name.split())) for g in flagged)
            out.append(_admonition(
                "danger", _("Distortion flag"),
                _("{raised} while this target improved, {names} got worse by more than the tolerance. Check whether "
                  "the gain is real ({practice}).").format(
                    raised="<strong>" + esc(_("Distortion flag raised:")) + "</strong>", names=names,
                    practice=_a(h.practice(9), esc(_("practice {n}").format(n=9)))),
                "hb-distortion",
            ))
        else:
            out.append('\n<p class="hb-no-distortion">'
                       + esc(_("No distortion flag: no guardrail has worsened beyond its tolerance.")) + "</p>\n")
        figures = []
        for g in s.guardrails:
            g_ind = hb.indicators.get(g.indicator)
            if g_ind is None:
                continue
            chart = charts[("guardrail", s.target, g.indicator)]
            title = _a(h.indicator(g_ind.id), esc(" ".join(g_ind.name.split())))
            if g.flagged:
                title += ' <span class="hb-flag">⚠ ' + esc(_("distortion flag")) + "</span>"
            figures.append(render_chart(chart, title_html=title, data_href=csv_href).strip())
        out.append('\n<div class="hb-chart-grid">' + "".join(figures) + "</div>\n")
    return "".join(out)


def _render_capacity(team: Team, a: Analysis, links: Links) -> str:
    cap = a.hb.capacity.get(team.id)
    out = [heading(2, _("Capacity"), "capacity")]
    if cap is None and team.id in a.hb.withheld.get("capacity.yml", ()):
        out.append("\n<p>" + esc(_("This team's capacity is not published in this edition.")) + "</p>\n")
        return "".join(out)
    if cap is None:
        out.append("\n<p>" + _("No capacity recorded yet (see {practice}).").format(
            practice=_a(links.html.practice(6), esc(_("practice {n}").format(n=6)))) + "</p>\n")
        return "".join(out)
    facts = []
    if cap.staff is not None:
        staff = float(cap.staff)
        facts.append((_("Staff"), esc(fmt_decimal(staff, 0) if staff.is_integer() else
                                      fmt_decimal(staff, decimals_of(staff)))))
    if cap.budget is not None:
        currency = a.hb.organization.currency
        facts.append((_("Budget"), esc(fmt_decimal(cap.budget, 0) + (f" {currency}" if currency else ""))))
    if cap.resources:
        facts.append((_("Resources"), "<ul>" + "".join(f"<li>{esc(one_line(r))}</li>" for r in cap.resources) + "</ul>"))
    if facts:
        out.append("\n" + _facts(facts, "hb-facts hb-facts--capacity") + "\n")
    open_needs = [n for n in cap.needs if n.status in OPEN_NEEDS]
    out.append(heading(3, _("Open needs"), "open-needs"))
    if open_needs:
        rows = "".join(
            f"<tr><td>{esc(' '.join(n.need.split()))}</td><td>{esc(_need_word(n.kind))}</td>"
            f"<td>{esc(_need_word(n.status))}</td>"
            f"<td>{esc(n.date.isoformat()) if n.date else '–'}</td></tr>"
            for n in open_needs
        )
        head = "".join(f'<th scope="col">{esc(x)}</th>' for x in (_("Need"), _("Kind"), _("Status"), _("Since")))
        out.append(f'\n<table class="hb-table hb-needs"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>\n')
    else:
        out.append("\n<p>" + esc(_("No open needs.")) + "</p>\n")
    closed = [n for n in cap.needs if n.status not in OPEN_NEEDS]
    if closed:
        items = "".join("<li>" + (_("{need}: {status} on {date}") if n.date else _("{need}: {status}")).format(
            need=esc(" ".join(n.need.split())), status=esc(_need_word(n.status)),
            date=esc(n.date.isoformat()) if n.date else "") + "</li>" for n in closed)
        answered = esc(_("Answered needs ({n})").format(n=fmt_int(len(closed))))
        out.append(f'\n<details class="hb-closed-needs"><summary>{answered}</summary><ul>{items}</ul></details>\n')
    return "".join(out)


# The words of a capacity need's kind and status (contract.NEED_KINDS and NEED_STATUSES, written as in English).
_NEED_WORDS = {
    "money": N_("money"), "people": N_("people"), "training": N_("training"), "technology": N_("technology"),
    "production": N_("production"), "partners": N_("partners"),
    "requested": N_("requested"), "approved": N_("approved"), "provided": N_("provided"), "declined": N_("declined"),
}


def _need_word(value: str) -> str:
    """Say a need's kind or status in the build's language (a value outside the contract's list as written)."""
    word = _NEED_WORDS.get(value)
    return _(word) if word is not None else value


def _render_recognition(team: Team, ix: TeamIndex, a: Analysis, links: Links) -> str:
    h = links.html
    out = [heading(2, _("Recognition"), "recognition")]
    entries = ix.recognition.get(team.id, [])
    withheld = team.id in a.hb.withheld.get("recognition.yml", ())
    if not entries and withheld:
        out.append("\n<p>" + esc(_("This team's recognition is not published in this edition.")) + "</p>\n")
        return "".join(out)
    if not entries:
        out.append("\n<p>" + _("No recognition or esteem opportunity recorded yet (see {practice7} and "
                                "{practice8}).").format(
            practice7=_a(h.practice(7), esc(_("practice {n}").format(n=7))),
            practice8=_a(h.practice(8), esc(_("practice {n}").format(n=8)))) + "</p>\n")
        return "".join(out)
    items = []
    for r in entries:
        kind = esc(_("Recognition") if r.kind == "recognition" else _("Esteem opportunity"))
        target = ""
        if r.target and r.target in a.hb.targets:
            target = " · " + _("for {target}").format(
                target=_a(h.target(r.target), esc(" ".join(a.hb.targets[r.target].title.split()))))
        desc = md_inline(r.description) if r.description else ""
        items.append(
            f'<li><span class="hb-rec__meta">{esc(r.date.isoformat())} · {kind}</span> '
            f'<strong>{esc(" ".join(r.title.split()))}</strong>{target}'
            + (f'<div class="hb-md">{desc}</div>' if desc else "") + "</li>"
        )
    out.append('\n<ul class="hb-recognition">' + "".join(items) + "</ul>\n")
    if withheld:
        out.append("\n<p>" + esc(_("Other entries for this team are not published in this edition.")) + "</p>\n")
    return "".join(out)


def _render_checklist(team: Team, a: Analysis, ix: TeamIndex, checks: dict[str, CheckResult], links: Links) -> str:
    h = links.html
    out = [heading(2, _("Checklist"), "checklist")]
    failures: dict[str, list[Failure]] = {}
    for name, f in ix.failures.get(team.id, []):
        failures.setdefault(name, []).append(f)
    names = [n for n in TEAM_CHECKS if n in checks] + [n for n in failures if n not in TEAM_CHECKS]
    rows = []
    for name in names:
        number, text = ix.check_items.get(name, (CHECKS[name].practice if name in CHECKS else 0, ""))
        if not text:
            text = _(CHECKS[name].description) if name in CHECKS else name
        practice = _a(h.practice(number), esc(_("Practice {n}").format(n=number))) if number else "–"
        result_of = checks.get(name)
        na = '<span class="hb-check hb-check--na"><span aria-hidden="true">–</span> {word}</span>'
        fails = '<span class="hb-check hb-check--fail"><span aria-hidden="true">✘</span> {word}</span>'
        if result_of is not None and result_of.unstated:
            result = _("{result}: not published in this edition").format(
                result=na.format(word=esc(_("Not published"))))
        elif result_of is not None and any(f.id == team.id and f.kind == "team" for f in result_of.unpublished):
            result = _("{result}: the detail is not published in this edition").format(
                result=fails.format(word=esc(_("Fails"))))
        elif name in failures:
            reasons = "; ".join(esc(f.reason) for f in failures[name])
            result = _("{result}: {reasons}").format(result=fails.format(word=esc(_("Fails"))), reasons=reasons)
        elif name in CHECKS and CHECKS[name].scope == TARGET_TEAM and CHECKS[name].nothing_to_judge(a, team.id):
            # Nothing of this team's to judge (no target, or no live one): no pass.
            result = _("{result}: {reasons}").format(result=na.format(word=esc(_("Not applicable"))),
                                                     reasons=esc(_(CHECKS[name].nothing_to_judge(a, team.id))))
        else:
            result = ('<span class="hb-check hb-check--pass"><span aria-hidden="true">✔</span> '
                      + esc(_("Passes")) + "</span>")
        rows.append(f"<tr><td>{practice}</td><td>{esc(' '.join(text.split()))}</td><td>{result}</td></tr>")
    head = "".join(f'<th scope="col">{esc(x)}</th>' for x in (_("Practice"), _("Check"), _("Result for this team")))
    out.append(f'\n<table class="hb-table hb-team-checks"><thead><tr>{head}</tr></thead><tbody>'
               + "".join(rows) + "</tbody></table>\n")
    return "".join(out)


def _render_related(team: Team, statuses: list[TeamStatus], ix: TeamIndex, a: Analysis, links: Links) -> str:
    h = links.html
    hb = a.hb
    out = [heading(2, _("Related pages"), "related")]
    target_ids = [s.target for s in statuses]
    deficit_ids = list(dict.fromkeys([hb.targets[t].deficit for t in target_ids] + ix.deficits.get(team.id, [])))
    numbers = {5, 10}
    if target_ids:
        numbers |= {3, 4, 11}
    if any(s.guardrails for s in statuses):
        numbers.add(9)
    if team.id in hb.capacity:
        numbers.add(6)
    for r in ix.recognition.get(team.id, []):
        numbers.add(7 if r.kind == "recognition" else 8)
    if deficit_ids:
        numbers.add(2)
    for name, _failure in ix.failures.get(team.id, []):
        if name in ix.check_items:
            numbers.add(ix.check_items[name][0])
    titles = {p.number: p.title for p in hb.practices}
    lines = []
    if target_ids:
        lines.append(_("Targets: {links}").format(links=", ".join(
            _a(h.target(t), esc(" ".join(hb.targets[t].title.split()))) for t in target_ids)))
    if deficit_ids:
        lines.append(_("Deficits: {links}").format(links=", ".join(
            _a(h.deficit(d), esc(" ".join(hb.deficits[d].title.split()))) for d in deficit_ids if d in hb.deficits)))
    lines.append(_("Practices: {links}").format(links=", ".join(
        _a(h.practice(n), f"{n}. {esc(' '.join(titles[n].split()))}") for n in sorted(numbers) if n in titles)))
    lines.append(_a(h.page("scoreboard.md"), esc(_("The scoreboard: every team against every target"))))
    out.append('\n<ul class="hb-related">' + "".join(f"<li>{line}</li>" for line in lines) + "</ul>\n")
    return "".join(out)


def render_unit_page(unit: str, members: list[Team], a: Analysis, links: Links) -> str:
    """Render a unit's page: its teams with their status summary and freshness."""
    h = links.html
    hb = a.hb
    out = [f"# {inline(unit)}\n\n"]
    n = len(members)
    out.append(ngettext("{n} team in this unit. The [scoreboard]({scoreboard}) compares every team on every target.",
                        "{n} teams in this unit. The [scoreboard]({scoreboard}) compares every team on every target.",
                        n).format(n=n, scoreboard=links.to("scoreboard.md")) + "\n\n")
    rows = []
    for team in members:
        behind = a.freshness.get(team.id)
        own = a.latest_by_team.get(team.id)
        if behind is None or own is None:
            fresh = esc(_("no figures yet"))
        else:
            fresh = format_period(own, hb.frequency)
            stale_targets = sum(1 for s in a.by_team.get(team.id, []) if s.status is Status.STALE and not s.past)
            if behind > hb.organization.stale_after:
                fresh += (' <span class="hb-status hb-status--stale"><span aria-hidden="true">◷</span> '
                          + esc(_("stale")) + "</span>")
            elif stale_targets:
                # Judged on each target's own indicator: current figures elsewhere do not make a target current.
                fresh += (' <span class="hb-status hb-status--stale"><span aria-hidden="true">◷</span> '
                          + esc(ngettext("stale on {n} target", "stale on {n} targets", stale_targets).format(
                              n=fmt_int(stale_targets))) + "</span>")
        rows.append(
            f"<tr><td>{_a(h.team(team.id), esc(' '.join(team.name.split())))}</td>"
            f"<td>{esc(' '.join(team.lead.split())) if team.lead else '–'}</td>"
            f"<td>{render_status_summary(a.by_team.get(team.id, []))}</td><td>{fresh}</td></tr>"
        )
    head = "".join(f'<th scope="col">{esc(x)}</th>'
                   for x in (_("Team"), _("Lead"), _("Targets by status"), _("Latest figures")))
    out.append(f'\n<table class="hb-table hb-unit-teams"><thead><tr>{head}</tr></thead><tbody>'
               + "".join(rows) + "</tbody></table>\n")
    return "".join(out)


def render_teams_index(a: Analysis, unit_slug: dict[str, str], links: Links) -> str:
    """Render the teams index: units and their teams as a compact list (it must stay small for 1,000 teams)."""
    h = links.html
    hb = a.hb
    units = hb.units()
    teams = ngettext("{n} team", "{n} teams", len(hb.teams)).format(n=fmt_int(len(hb.teams)))
    message = ngettext("{teams} in {n} unit. Each team's page shows its targets, charts, capacity and recognition; "
                       "the [scoreboard]({scoreboard}) compares them all.",
                       "{teams} in {n} units. Each team's page shows its targets, charts, capacity and recognition; "
                       "the [scoreboard]({scoreboard}) compares them all.", len(units))
    out = [message.format(teams=teams, n=fmt_int(len(units)), scoreboard=links.to("scoreboard.md")) + "\n\n"]
    for unit, members in units.items():
        out.append(f"\n## [{inline(unit)}]({links.unit(unit)}) {{ #unit-{unit_slug.get(unit, 'unit')} }}\n\n")
        # The same symbols and words as every other page; a team without a target says so.
        items = "".join(
            f"<li>{_a(h.team(t.id), esc(' '.join(t.name.split())))} {render_status_summary(a.by_team.get(t.id, []))}</li>"
            for t in members
        )
        out.append(f'\n<ul class="hb-team-list">{items}</ul>\n')
    return "".join(out)
