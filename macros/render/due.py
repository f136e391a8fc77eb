"""Figures on time: a team page's "Report this period" block, the "Figures due" page and the rules they follow.

Pure: what macros/due.py derived in, HTML out. Ids in the CSV rows are slugs; every text from data is escaped.
"""

from __future__ import annotations

from ..due import TeamDue, derive_dues
from ..model import Handbook
from ..periods import PER_YEAR, due_date, format_period, period_of
from .common import heading, html_table
from .links import Links, team_src
from .text import esc

DUE_PAGE = "figures-due.md"
REPORT_ANCHOR = "report-this-period"
FIGURES_SHOWN = 300  # late figures listed one by one on the Figures due page


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _days(n: int) -> str:
    if n == 0:
        return "due today"
    return f"{_plural(n, 'day')} late" if n > 0 else f"due in {_plural(-n, 'day')}"


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
    out = [heading(2, "Report this period", REPORT_ANCHOR)]
    freq = hb.frequency
    if td is None or not td.owed:
        nxt = period_of(hb.as_of, freq)
        due = due_date(nxt, freq, hb.organization.due_days)
        out.append(f'\n<div class="hb-report" data-hb-report="{esc(team_id)}" data-owed="0"><p>Nothing to report now: '
                   "every figure this team owes for the periods that have ended is in. The next figures, for "
                   f"<strong>{esc(format_period(nxt, freq))}</strong>, are due by "
                   f"{esc(due.isoformat())}.</p></div>\n")
        return "".join(out)
    out.append("\n" + _report_html(hb, td, links, edit_base) + "\n")
    return "".join(out)


# Up to this many owed figures, the team page shows their table open; more, and it is folded under a summary.
REPORT_TABLE_OPEN = 8


def _report_html(hb: Handbook, td: TeamDue, links: Links, edit_base: str) -> str:
    freq = hb.frequency
    late = td.late
    rows_id = f"hb-rows-{td.team}"
    lead = (f"<p><strong>{_plural(len(td.owed), 'figure')}</strong> to send"
            + (f", <strong>{len(late)} late</strong> (the oldest due {esc(min(o.due_date for o in late).isoformat())})"
               if late else ", none late yet")
            + ".</p>")
    where = ("Start a new file" if not td.file_exists else "Add these rows at the end of")
    edit = edit_href(edit_base, td.file) if td.file_exists else ""
    file_html = f"<code>{esc(td.file)}</code>"
    steps = (f"<p>{where} {file_html}, then fill in each <code>value</code> (and a <code>note</code> where a figure "
             "needs explaining; leave out a row you have no figure for):</p>")
    buttons = ['<button type="button" class="md-button md-button--primary hb-copy" '
               f'data-hb-copy="{esc(rows_id)}" hidden>Copy the rows</button>']
    if edit:
        buttons.append(f'<a class="md-button hb-edit" href="{esc(edit)}">Edit {esc(td.file)}</a>')
    table = html_table(
        ["Indicator", "Id", "Period", "Due", "When"],
        [[esc(_name(hb, o.indicator)), f"<code>{esc(o.indicator)}</code>", esc(format_period(o.period, freq)),
          esc(o.due_date.isoformat()), esc(_days(o.days_late))] for o in td.owed],
        caption="What this team owes", css="hb-table hb-report__table",
    )
    if len(td.owed) > REPORT_TABLE_OPEN:  # a long list folds away: the team's targets come next on its page
        table = (f'<details class="hb-report__more"><summary>Each figure, its due date and how late '
                 f'({len(td.owed)})</summary>{table}</details>')
    due_page = links.href(links.to(DUE_PAGE))
    return (f'<div class="hb-report" data-hb-report="{esc(td.team)}" data-owed="{len(td.owed)}" '
            f'data-late="{len(late)}" data-file="{esc(td.file)}">'
            + lead + steps
            + f'<pre class="hb-report__rows"><code id="{esc(rows_id)}">{esc(td.rows(freq))}</code></pre>'
            + f'<p class="hb-report__actions">{"".join(buttons)}<span class="hb-copy__done" role="status"></span></p>'
            + table
            + f"<p>The same rows from a terminal: <code>python -m macros due --rows --team {esc(td.team)}</code>. "
            f'Every team\'s late figures: <a href="{esc(due_page)}">Figures due</a>.</p></div>')


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
        out.append(f'\n<p class="hb-due-summary" data-late-teams="0" data-late-figures="0">No figure is late as of '
                   f"{as_of}: every team has sent every figure it owes.</p>\n")
    else:
        out.append(f'\n<p class="hb-due-summary" data-late-teams="{len(teams)}" data-late-figures="{len(late)}">'
                   f"As of {as_of}, <strong>{_plural(len(teams), 'team')} late with figures</strong>: "
                   f"{_plural(len(late), 'figure')} due and not in. Most late first.</p>\n")
        show_contacts = hb.edition != "public"
        headers = ["Team", "Unit", "Figures late", "Oldest period", "Due since", "Days late"]
        if show_contacts:
            headers.append("Contacts")
        rows = []
        for td in teams:
            team = hb.teams[td.team]
            oldest = min(td.late, key=lambda o: (o.due_date, o.period))
            href = links.href(links.to(team_src(td.team), REPORT_ANCHOR))
            row = [f'<a href="{esc(href)}">{esc(" ".join(team.name.split()))}</a>', esc(" ".join(team.unit.split())),
                   str(len(td.late)), esc(format_period(oldest.period, freq)), esc(oldest.due_date.isoformat()),
                   str(td.most_late)]
            if show_contacts:
                row.append(esc(", ".join("@" + c for c in td.contacts)) or "–")
            rows.append(row)
        out.append("\n" + html_table(headers, rows, caption="Teams late with figures", css="hb-table hb-due-teams",
                                     numeric={2, 5}) + "\n")
        out.append(heading(2, "Every late figure", "late-figures"))
        if len(late) > FIGURES_SHOWN:
            # A page for a large organization stays light: each team's page lists all its own.
            out.append(f"\n<p>The {FIGURES_SHOWN} most late of {len(late)}; each team's page lists all of its own, under "
                       "Report this period.</p>\n")
            late = late[:FIGURES_SHOWN]
        out.append("\n" + html_table(
            ["Team", "Indicator", "Period", "Due", "Days late"],
            [[esc(" ".join(hb.teams[t.team].name.split())), f"{esc(_name(hb, o.indicator))} (<code>{esc(o.indicator)}</code>)",
              esc(format_period(o.period, freq)), esc(o.due_date.isoformat()), str(o.days_late)] for t, o in late],
            caption="Figures due and not in", css="hb-table hb-due-figures", numeric={4},
        ) + "\n")
    out.append(heading(2, "What is due, and when", "due-rules"))
    out.append(render_due_rules(hb))
    return "".join(out)


def render_due_rules(hb: Handbook) -> str:
    """The rules of macros/due.py, with this organization's settings."""
    freq = hb.frequency
    year = PER_YEAR[freq]
    word = "month" if freq == "monthly" else "quarter"
    own = sorted(i.id for i in hb.indicators.values() if i.due_days is not None)
    own_text = (" Some indicators set their own (<code>due_days</code> in <code>indicators.yml</code>): "
                + ", ".join(f"<code>{esc(i)}</code> ({hb.due_days_of(i)} days)" for i in own) + ".") if own else ""
    return (
        "\n<ul class=\"hb-due-rules\">"
        f"<li><strong>What a team owes.</strong> Each {word}, a figure on the indicator of every target it carries and "
        "on each of that target's guardrails, from the later of the target's baseline and the team's first figure; "
        f"and a figure on any indicator it reported in the last year ({year} periods).</li>"
        f"<li><strong>When.</strong> A period's figures are due {hb.organization.due_days} days after it ends "
        f"(<code>reporting.due_days</code> in <code>organization.yml</code>).{own_text} A figure not in by the "
        "end of that day is late, and is listed from the due date itself (0 days late). Only the last year counts: an older gap stays a gap in the charts.</li>"
        "<li><strong>A team that stops.</strong> A team with no figure on anything for a year before the newest "
        "figure any team sent, and no target whose deadline is still ahead, owes nothing: it stopped while others "
        "carried on. When the whole feed stops, every team stays late. The data narrows what a team owes: taken off a target's "
        "<code>teams</code>, it no longer owes that target's indicators; an indicator no target of its needs stops "
        "being owed a year after the team's last figure on it.</li>"
        "<li><strong>Reminders.</strong> Where the repository runs the reminder workflow, each team late with "
        "figures gets one issue per period, naming its <code>contacts</code> (in <code>teams.yml</code>), updated "
        "while figures stay missing and closed when they land.</li></ul>\n"
    )
