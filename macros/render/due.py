"""Figures on time: a team page's "Report this period" block, the "Figures due" page and the rules they follow.

Pure: what macros/due.py derived in, HTML out. Ids in the CSV rows are slugs; every text from data is escaped.
"""

from __future__ import annotations

from ..due import TeamDue, derive_dues
from ..i18n import _, ngettext
from ..model import Handbook
from ..periods import PER_YEAR, due_date, format_period, period_of
from .common import heading, html_table
from .counts import num
from .links import Links, team_src
from .text import esc

DUE_PAGE = "figures-due.md"
REPORT_ANCHOR = "report-this-period"
FIGURES_SHOWN = 300  # late figures listed one by one on the Figures due page


def _days(n: int) -> str:
    if n == 0:
        return _("due today")
    if n > 0:
        return ngettext("{n} day late", "{n} days late", n).format(n=num(n))
    return ngettext("due in {n} day", "due in {n} days", -n).format(n=num(-n))


def edit_href(edit_base: str, file: str) -> str:
    """The editor's address of a data file, or "" when the site does not know its repository."""
    return edit_base.rstrip("/") + "/" + file if edit_base else ""


def _name(hb: Handbook, ind: str) -> str:
    i = hb.indicators.get(ind)
    return " ".join(i.name.split()) if i is not None else ind


def render_report_block(hb: Handbook, team_id: str, links: Links, edit_base: str = "") -> str:
    """A team page's "Report this period": the CSV rows it owes now, the file they go in, copy and edit."""
    dues = derive_dues(hb)
    td = dues.teams.get(team_id)
    out = [heading(2, _("Report this period"), REPORT_ANCHOR)]
    freq = hb.frequency
    if td is not None and not td.owes:  # no next figure is owed either: say so, not when the next ones are due
        out.append(f'\n<div class="hb-report" data-hb-report="{esc(team_id)}" data-owed="0"><p>'
                   + esc(_("Nothing to report: this team owes no figures. It carries no target that is still running "
                           "and has sent no figure in the year before the newest figures."))
                   + "</p></div>\n")
        return "".join(out)
    if td is None or not td.owed:
        nxt = period_of(hb.as_of, freq)
        due = due_date(nxt, freq, hb.organization.due_days)
        out.append(f'\n<div class="hb-report" data-hb-report="{esc(team_id)}" data-owed="0"><p>'
                   + _("Nothing to report now: every figure this team owes for the periods that have ended is in. The "
                       "next figures, for <strong>{period}</strong>, are due by {date}.").format(
                       period=esc(format_period(nxt, freq)), date=esc(due.isoformat()))
                   + "</p></div>\n")
        return "".join(out)
    out.append("\n" + _report_html(hb, td, links, edit_base) + "\n")
    return "".join(out)


# Up to this many owed figures, the team page shows their table open; more, and it is folded under a summary.
REPORT_TABLE_OPEN = 8
# Up to this many, the rows to paste show open (a month of a team's figures, or a few); more fold under a summary.
# "Copy the rows" copies them folded or not.
REPORT_ROWS_OPEN = 30


def _report_html(hb: Handbook, td: TeamDue, links: Links, edit_base: str) -> str:
    freq = hb.frequency
    late = td.late
    rows_id = f"hb-rows-{td.team}"
    owed = len(td.owed)
    if late:
        lead = ngettext(
            "<strong>{n} figure</strong> to send, <strong>{late} late</strong> (the oldest due {date}).",
            "<strong>{n} figures</strong> to send, <strong>{late} late</strong> (the oldest due {date}).", owed)
    else:
        lead = ngettext("<strong>{n} figure</strong> to send, none late yet.",
                        "<strong>{n} figures</strong> to send, none late yet.", owed)
    lead = "<p>" + lead.format(n=num(owed), late=num(len(late)),
                               date=esc(min(o.due_date for o in late).isoformat()) if late else "") + "</p>"
    edit = edit_href(edit_base, td.file) if td.file_exists else ""
    file_html = f"<code>{esc(td.file)}</code>"
    if td.file_exists:
        steps = _("Add these rows at the end of {file}, then fill in each <code>value</code> (and a <code>note</code> "
                  "where a figure needs explaining; leave out a row you have no figure for):")
    else:
        steps = _("Start a new file {file}, then fill in each <code>value</code> (and a <code>note</code> where a "
                  "figure needs explaining; leave out a row you have no figure for):")
    steps = "<p>" + steps.format(file=file_html) + "</p>"
    copy = _("Copy the rows")
    buttons = ['<button type="button" class="md-button md-button--primary hb-copy" '
               f'data-hb-copy="{esc(rows_id)}" hidden>{copy}</button>']
    if edit:
        buttons.append(f'<a class="md-button hb-edit" href="{esc(edit)}">' + _("Edit {file}").format(file=esc(td.file)) + "</a>")
    # A team owes ~30 indicators over a few periods: each indicator's cells and each due period's cells are made
    # once per page (at 1,000 teams, 110,000 rows were five escapes each).
    indicator_cells: dict[str, list[str]] = {}
    when_cells: dict[tuple[int, int], list[str]] = {}
    rows = []
    for o in td.owed:
        what = indicator_cells.get(o.indicator)
        if what is None:
            what = indicator_cells[o.indicator] = [esc(_name(hb, o.indicator)), f"<code>{esc(o.indicator)}</code>"]
        when = when_cells.get((o.period, o.days_late))
        if when is None:
            when = when_cells[(o.period, o.days_late)] = [
                esc(format_period(o.period, freq)), esc(o.due_date.isoformat()), esc(_days(o.days_late))]
        rows.append(what + when)
    table = html_table([_("Indicator"), _("Id"), _("Period"), _("Due"), _("When")], rows,
                       caption=_("What this team owes"), css="hb-table hb-report__table")
    rows_html = f'<pre class="hb-report__rows"><code id="{esc(rows_id)}">{esc(td.rows(freq))}</code></pre>'
    if len(td.owed) > REPORT_TABLE_OPEN:  # a long list folds away: the team's targets come next on its page
        summary = _("Each figure, its due date and how late ({n})").format(n=num(len(td.owed)))
        table = f'<details class="hb-report__more"><summary>{summary}</summary>{table}</details>'
    if len(td.owed) > REPORT_ROWS_OPEN:  # more rows than a screen (a feed stopped a year ago owes twelve an indicator)
        shown = ngettext("The row to paste ({n})", "The rows to paste ({n})", len(td.owed)).format(n=num(len(td.owed)))
        rows_html = f'<details class="hb-report__more hb-report__paste"><summary>{shown}</summary>{rows_html}</details>'
    due_page = links.href(links.to(DUE_PAGE))
    return (f'<div class="hb-report" data-hb-report="{esc(td.team)}" data-owed="{len(td.owed)}" '
            f'data-late="{len(late)}" data-file="{esc(td.file)}">'
            + lead + steps
            + rows_html
            + f'<p class="hb-report__actions">{"".join(buttons)}<span class="hb-copy__done" role="status"></span></p>'
            + table
            + "<p>" + _("The same rows from a terminal: {command}. Every team's late figures: {link}.").format(
                command=f"<code>python -m macros due --rows --team {esc(td.team)}</code>",
                link=f'<a href="{esc(due_page)}">' + _("Figures due") + "</a>") + "</p></div>")


def render_due_tile_count(hb: Handbook) -> int:
    """How many teams are late with figures (the home page's tile)."""
    return len(derive_dues(hb).late_teams())


def render_due_page(hb: Handbook, links: Links, edit_base: str = "") -> str:
    """The "Figures due" page: teams late with figures, what they owe and since when, most late first."""
    dues = derive_dues(hb)
    freq = hb.frequency
    teams = dues.late_teams()
    late = dues.late()
    out = []
    as_of = esc(dues.as_of.isoformat())
    if not teams:
        out.append('\n<p class="hb-due-summary" data-late-teams="0" data-late-figures="0">'
                   + _("No figure is late as of {date}: every team has sent every figure it owes.").format(date=as_of)
                   + "</p>\n")
    else:
        out.append(f'\n<p class="hb-due-summary" data-late-teams="{len(teams)}" data-late-figures="{len(late)}">'
                   + _("As of {date}, <strong>{teams}</strong>: {figures}. Most late first.").format(
                       date=as_of,
                       teams=ngettext("{n} team late with figures", "{n} teams late with figures", len(teams)).format(
                           n=num(len(teams))),
                       figures=ngettext("{n} figure due and not in", "{n} figures due and not in", len(late)).format(
                           n=num(len(late))))
                   + "</p>\n")
        show_contacts = hb.edition != "public"
        headers = [_("Team"), _("Unit"), _("Figures late"), _("Oldest period"), _("Due since"), _("Days late")]
        if show_contacts:
            headers.append(_("Contacts"))
        rows = []
        for td in teams:
            team = hb.teams[td.team]
            oldest = min(td.late, key=lambda o: (o.due_date, o.period))
            href = links.href(links.to(team_src(td.team), REPORT_ANCHOR))
            row = [f'<a href="{esc(href)}">{esc(" ".join(team.name.split()))}</a>', esc(" ".join(team.unit.split())),
                   num(len(td.late)), esc(format_period(oldest.period, freq)), esc(oldest.due_date.isoformat()),
                   num(td.most_late)]
            if show_contacts:
                row.append(esc(", ".join("@" + c for c in td.contacts)) or "–")
            rows.append(row)
        out.append("\n" + html_table(headers, rows, caption=_("Teams late with figures"), css="hb-table hb-due-teams",
                                     numeric={2, 5}) + "\n")
        out.append(heading(2, _("Every late figure"), "late-figures"))
        if len(late) > FIGURES_SHOWN:
            # A page for a large organization stays light: each team's page lists all its own.
            out.append("\n<p>" + _("The {shown} most late of {n}; each team's page lists all of its own, under Report "
                                   "this period.").format(shown=num(FIGURES_SHOWN), n=num(len(late))) + "</p>\n")
            late = late[:FIGURES_SHOWN]
        out.append("\n" + html_table(
            [_("Team"), _("Indicator"), _("Period"), _("Due"), _("Days late")],
            [[esc(" ".join(hb.teams[t.team].name.split())), f"{esc(_name(hb, o.indicator))} (<code>{esc(o.indicator)}</code>)",
              esc(format_period(o.period, freq)), esc(o.due_date.isoformat()), num(o.days_late)] for t, o in late],
            caption=_("Figures due and not in"), css="hb-table hb-due-figures", numeric={4},
        ) + "\n")
    out.append(heading(2, _("What is due, and when"), "due-rules"))
    out.append(render_due_rules(hb))
    return "".join(out)


def render_due_rules(hb: Handbook) -> str:
    """The rules of macros/due.py, with this organization's settings."""
    freq = hb.frequency
    year = PER_YEAR[freq]
    own = sorted(i.id for i in hb.indicators.values() if i.due_days is not None)
    own_text = (" " + _("Some indicators set their own (<code>due_days</code> in <code>indicators.yml</code>): {list}.").format(
        list=", ".join(ngettext("{id} ({n} day)", "{id} ({n} days)", hb.due_days_of(i)).format(
            id=f"<code>{esc(i)}</code>", n=num(hb.due_days_of(i))) for i in own))) if own else ""
    if freq == "monthly":
        owes = _("<strong>What a team owes.</strong> Each month, a figure on the indicator of every target it carries "
                 "and on each of that target's guardrails, from the later of the target's baseline and the team's first "
                 "figure; and a figure on any indicator it reported in the last year ({n} periods).")
    else:
        owes = _("<strong>What a team owes.</strong> Each quarter, a figure on the indicator of every target it carries "
                 "and on each of that target's guardrails, from the later of the target's baseline and the team's first "
                 "figure; and a figure on any indicator it reported in the last year ({n} periods).")
    when = ngettext(
        "<strong>When.</strong> A period's figures are due {n} day after it ends (<code>reporting.due_days</code> in "
        "<code>organization.yml</code>).{own} A figure not in by the end of that day is late, and is listed from the "
        "due date itself (0 days late). Only the last year counts: an older gap stays a gap in the charts.",
        "<strong>When.</strong> A period's figures are due {n} days after it ends (<code>reporting.due_days</code> in "
        "<code>organization.yml</code>).{own} A figure not in by the end of that day is late, and is listed from the "
        "due date itself (0 days late). Only the last year counts: an older gap stays a gap in the charts.",
        hb.organization.due_days)
    stops = _("<strong>A team that stops.</strong> A team with no figure on anything for a year before the newest figure "
              "any team sent, and no target whose deadline is still ahead, owes nothing: it stopped while others carried "
              "on. When the whole feed stops, every team stays late. The data narrows what a team owes: taken off a "
              "target's <code>teams</code>, it no longer owes that target's indicators; an indicator no target of its "
              "needs stops being owed a year after the team's last figure on it, while other teams still send theirs.")
    reminders = _("<strong>Reminders.</strong> Where the repository runs the reminder workflow, each team late with "
                  "figures gets one issue per period, naming its <code>contacts</code> (in <code>teams.yml</code>), "
                  "updated while figures stay missing and closed when they land.")
    items = [owes.format(n=num(year)), when.format(n=num(hb.organization.due_days), own=own_text), stops, reminders]
    return "\n<ul class=\"hb-due-rules\">" + "".join(f"<li>{item}</li>" for item in items) + "</ul>\n"
