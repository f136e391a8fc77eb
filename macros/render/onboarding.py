"""Onboarding: the reading path for new managers, the glossary, the status rules, and how to propose a change."""

from __future__ import annotations

from datetime import date

from .. import projection as P
from ..calendar import due_by
from ..derive import Analysis
from ..due import derive_dues
from ..i18n import N_, _, current, fmt_int, ngettext, pgettext
from ..leagues import LEAGUE_MIN_TEAMS
from ..model import Handbook, Status, Target
from ..periods import format_period
from ..words import fmt_data_value
from .briefing import render_briefing_link
from .common import STATUS_ORDER, status_badge
from .links import CONTRIBUTOR_PAGES, Links
from .pace import pace_sentence
from .text import esc, inline


def _h(level: int, text: str, anchor: str) -> str:
    return f"\n{'#' * level} {text} {{ #{anchor} }}\n\n"


def render_reading_path(hb: Handbook, links: Links, print_note: bool = True) -> str:
    """Render the ordered reading path, each step linked, with why it matters."""
    mission = " ".join(hb.organization.mission.split())
    steps = [
        ("index.md", None, _("The mission"), _("the one sentence every target serves, and how we are doing at a glance.")),
        ("onboarding/glossary.md", None, _("The glossary"),
         _("the {n} words the handbook uses in a precise sense, and what each status means.").format(n=len(GLOSSARY))),
        ("practices/index.md", None, _("The eleven practices"),
         _("the method, in three phases, and which of its checks our data passes.")),
        ("deficits.md", None, _("The deficits register"),
         _("the key failures that keep us from the mission, at every stage.")),
        ("targets/index.md", None, _("Targets and theories"),
         _("the target set to close each deficit, and why meeting it advances the mission.")),
        ("teams/index.md", None, _("Your team's page"),
         _("its targets, figures, capacity and recognition; teams are grouped by unit.")),
        ("scoreboard.md", None, _("The scoreboard"),
         _("every team against every target it carries, so every team sees how every team is doing.")),
        ("onboarding/status.md", None, _("How a status is computed"),
         _("what met, on track, at risk, off track, stale and no data mean exactly.")),
        ("indicators.md", None, _("The indicators"),
         _("what each figure measures, where it comes from and which way is better.")),
        ("learning.md", None, _("Learning and the ratchet"),
         _("what the figures taught us, the distortions we check for, and how targets were raised.")),
        ("onboarding/add-figures.md", None, _("How to add this month's figures"),
         _("the most common pull request: a new period of figures, checked before it is merged.")),
        ("onboarding/propose-a-change.md", None, _("How to propose a change"),
         _("change a target by pull request, with the reason on record.")),
    ]
    if hb.edition == "public":  # the contributor how-tos are not in the public edition
        steps = [s for s in steps if s[0] not in CONTRIBUTOR_PAGES]
    label = _("Our mission")
    out = [f'\n<p class="hb-mission"><span class="hb-mission__label">{label}</span> {esc(mission)}</p>\n\n']
    # No possessive and no article: "Department of Transport's handbook" needs a "the" no rule can guess.
    out.append(_("Welcome. This is the performance handbook of: **{name}**. It is built from the data in this "
                 "repository, so what you read is what the figures say today. Read it in this order; an hour is "
                 "enough.").format(name=inline(" ".join(hb.organization.name.split()))) + "\n\n")
    out.append("".join(f"{i}. " + _("**[{title}]({url})**: {why}").format(
        title=inline(title), url=links.to(src, anchor), why=inline(why)) + "\n" for i, (src, anchor, title, why) in enumerate(steps, 1)))
    units = hb.units()
    if units:
        out.append("\n" + _("Teams by unit: {units}.").format(
            units=", ".join(f"[{inline(u)}]({links.unit(u)}) ({len(ts)})" for u, ts in units.items())) + "\n")
    if print_note:
        printed = links.to("onboarding/print.md")
        if hb.edition == "public":
            note = _("Prefer paper? The [print version]({url}) is the handbook to print: the mission, the practices "
                     "and their checklists, the deficits, the targets and their theories, every team's statuses on "
                     "one page, then this path, the glossary, the status rules.")
        else:
            note = _("Prefer paper? The [print version]({url}) is the handbook to print: the mission, the practices "
                     "and their checklists, the deficits, the targets and their theories, every team's statuses on "
                     "one page, then this path, the glossary, the status rules and the change procedure.")
        out.append("\n" + note.format(url=printed) + "\n")
        out.append(render_briefing_link(links))
    return "".join(out)


GLOSSARY: list[tuple[str, str, str]] = [
    ("mission", N_("Mission"), N_("The one sentence that says what the organization is for. Every target must trace back to it.")),
    ("practice", N_("Practice"), N_("One of the eleven practices of performance leadership (after Robert D. Behn) this handbook is organized around.")),
    ("deficit", N_("Deficit"), N_("A specific failure that keeps the organization from its mission, shown by a figure: not a wish to do better, but a gap you can measure.")),
    ("stage", N_("Stage"), N_("Where a deficit or an indicator sits: input (what we put in), process (how we work), output (what we deliver) or outcome (what changes for the people we serve).")),
    ("indicator", N_("Indicator"), N_("A figure a team reports each period, with a unit and a direction: higher is better or lower is better.")),
    ("target", N_("Target"), N_("A specific value of an indicator that a team commits to reach by a deadline, to close a deficit.")),
    ("baseline", N_("Baseline"), N_("Where a target starts: a period and a value. Without a value, each team's own figure for that period (or its first figure after it) is its baseline.")),
    ("deadline", N_("Deadline"), N_("The period by which the target value should be reached. Once the deadline period's figures are due (by the reporting calendar), the deadline has passed, and the pages say whether each team met it, judged on its last figure at or before the deadline.")),
    ("trajectory", N_("Trajectory"), N_("The straight line from the baseline to the target value at the deadline; after the deadline it stays at the target. A team's expected value for a period is read off this line.")),
    ("theory", N_("Theory"), N_("Why meeting a target advances the mission: a narrative, a chain of steps from the target to the mission, and the assumptions it rests on.")),
    ("guardrail", N_("Guardrail"), N_("A counter-indicator a target must not worsen, with a tolerance: how much worse it may get, in its own unit (in points for a percentage), from the baseline.")),
    ("distortion", N_("Distortion"), N_("A target met the wrong way: the figure improves while something that matters gets worse (quality traded for speed, work pushed elsewhere). A distortion flag is raised when a guardrail worsens beyond its tolerance while the target's indicator improves.")),
    ("distortion-review", N_("Distortion review"), N_("A learning-log entry that examines a distortion flag and says what was found and done.")),
    ("ratchet", N_("Ratchet"), N_("Raising a target once it is met or nearly met, recorded as a revision with its reason. Every revision is labelled by what it did: raised or lowered the bar, moved the deadline later or earlier.")),
    ("revision", N_("Revision"), N_("A change to a target, kept in its history: the date, what it was, and why it changed.")),
    ("period", N_("Period"), N_("The reporting interval: a month (YYYY-MM) or a quarter (YYYY-Qn), as the organization reports. Periods start in 1900: a figure may not be for a period that has not begun, a target's deadline may be up to 50 years ahead.")),
    ("stale", N_("Stale"), N_("A team's figures on a target are stale when its latest figure for the target's own indicator is more than the allowed number of periods older than the period whose figures are due by today, whatever other teams reported. A stale status hides any status computed from old figures.")),
    ("expected-period", N_("Expected period"), N_("The latest period whose figures are due by today: a period's figures are due a set number of days after it ends (the reporting calendar). Freshness and deadlines are judged against it.")),
    ("past-target", N_("Past target"), N_("A target whose deadline passed more than a year before the expected period, or that a later target of the same indicator and teams replaced. Past targets are counted apart from the live ones.")),
    ("capacity", N_("Capacity"), N_("What a team has to work with (staff, budget, resources) and what it needs and has asked for.")),
    ("recognition", N_("Recognition"), N_("Public credit for an accomplishment, such as meeting a target.")),
    ("esteem", N_("Esteem opportunity"), N_("A chance for a team to be seen doing good work: presenting its method, hosting peers, teaching others.")),
    ("checklist", N_("Checklist"), N_("Each practice's list: items computed from the data (pass or fail, with what fails named) and items for people to tick.")),
    ("pace", N_("Pace"), N_("How much a team's figure changes per period. The pace kept is read from its recent figures (the median of the slopes between every two of them), with a range; the pace needed is what takes its latest figure to the target by the deadline.")),
    ("projection", N_("Projection"), N_("The period in which a team reaches its target if it keeps its pace, with a range, and whether that is before or after the deadline; \"too early to tell\" with too few figures.")),
]


def _sort_key(text: str) -> str:
    """A term as a glossary sorts it: case and accents aside ("Échéance" among the E)."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def _periods(n: int, frequency: str) -> str:
    """A number of reporting periods in words: "2 months", "1 quarter"."""
    if frequency == "monthly":
        return ngettext("{n} month", "{n} months", n).format(n=n)
    return ngettext("{n} quarter", "{n} quarters", n).format(n=n)


def render_glossary(hb: Handbook, links: Links) -> str:
    """Render the glossary as a definition list, each term with a stable anchor, status names included."""
    stale_after = hb.organization.stale_after
    terms = [(anchor, _(term), _(text)) for anchor, term, text in GLOSSARY]
    status_text = {
        Status.MET: _("The latest figure meets or beats the target value."),
        Status.ON_TRACK: _("Not met yet, but at least as good as the trajectory's expected value for that period."),
        Status.AT_RISK: _("Behind the trajectory, but better than the baseline."),
        Status.OFF_TRACK: _("No better than the baseline."),
        Status.STALE: _("The team's latest figure for the target's indicator is more than {duration} older than the "
                        "period whose figures are due by today.").format(duration=_periods(stale_after, hb.frequency)),
        Status.NO_DATA: _("No figure for the target's indicator since the baseline period."),
    }
    items = []
    for anchor, term, text in sorted(terms, key=lambda x: _sort_key(x[1])):
        items.append(f'<dt id="term-{anchor}">{esc(term)}</dt><dd>{esc(text)}</dd>')
    out = ['\n<dl class="hb-glossary">' + "".join(items) + "</dl>\n"]
    rules = esc(links.href(links.to("onboarding/status.md")))
    out.append('\n<p class="hb-glossary__statuses-intro">' + _(
        '<strong>Status names</strong>: the status of a target for a team (<a href="{url}">the exact rules</a>).'
    ).format(url=rules) + "</p>\n")
    out.append('<dl class="hb-glossary hb-glossary--statuses">' + "".join(
        f'<dt id="term-status-{s.value.replace(" ", "-")}">{status_badge(s)}</dt><dd>{esc(status_text[s])}</dd>' for s in STATUS_ORDER
    ) + "</dl>\n")
    return "".join(out)


def render_status_rules(hb: Handbook, links: Links, level: int = 2) -> str:
    """Explain exactly how derive.derive_status computes a status and a distortion flag, with this organization's settings."""
    n = hb.organization.stale_after
    expected = hb.expected_period()
    due_days = hb.organization.due_days
    calendar = _("now {period}, whose figures were due by {date}").format(
        period=inline(format_period(expected, hb.frequency)), date=due_by(hb, expected).isoformat())
    reporting = _("with monthly reporting") if hb.frequency == "monthly" else _("with quarterly reporting")
    out = [
        _("\nEvery target is measured team by team: each team it applies to gets its own status, computed from that "
        "team's own figures for the target's indicator. A status is never averaged across teams, and figures of "
        "different teams are combined only when their indicator says they may be ([combining teams](#combining)).\n"),
        _h(level, _("The rules, in order"), "rules"),
        _("The first rule that applies gives the status.\n\n"),
        "1. " + _("{status}: the team has no figure for the indicator, or its latest figure is from before the "
                  "baseline period.").format(status=status_badge(Status.NO_DATA)) + "\n",
        "2. " + _("{status}: the team's latest figure for the target's indicator is more than **{duration}** older "
                  "than the **expected period** of the target's indicator ({calendar}), whatever other teams "
                  "reported: a feed that stops for every team goes stale too. Freshness is judged on the target's "
                  "own indicator: current figures on other indicators do not make a target current. A status "
                  "computed from old figures is never shown as current.").format(
            status=status_badge(Status.STALE), duration=_periods(n, hb.frequency), calendar=calendar) + "\n",
        "3. " + _("{status}: the latest figure meets or beats the target value (equal counts as met).").format(
            status=status_badge(Status.MET)) + "\n",
        "4. " + _("{status}: the latest figure is at least as good as the trajectory's expected value for that "
                  "same period.").format(status=status_badge(Status.ON_TRACK)) + "\n",
        "5. " + _("{status}: behind the trajectory, but strictly better than the baseline.").format(
            status=status_badge(Status.AT_RISK)) + "\n",
        "6. " + _("{status}: no better than the baseline.").format(status=status_badge(Status.OFF_TRACK)) + "\n",
        _("\n\"Better\" follows the indicator's direction: for a lower-is-better indicator, smaller is better.\n"),
        _h(level, _("The pieces"), "pieces"),
        _("- **The latest figure** is the team's most recent figure for the target's indicator, whatever its period: "
        "the status is as of that period, which the tables show next to it.\n"),
        _("- **The baseline** is the target's baseline value. When the target gives only a baseline period, each team's "
        "own figure for that period is its baseline; a team without a figure for that period uses its first figure after it.\n"),
        _("- **The expected value** is read off the trajectory: the straight line from the baseline (period and value) "
        "to the target value at the deadline. Before the baseline period it is the baseline; from the deadline on, "
        "it is the target value. It is read at the period of the team's latest figure: a page labels it \"Expected "
        "now\" only when that figure is for the expected period (below) or a later one, and \"Expected in\" that "
        "figure's period otherwise.\n"),
        "- " + _("**The expected period** (the reporting calendar) is the latest period whose figures are due by "
                 "today: a period's figures are due {days} after it ends (`reporting.due_days` in "
                 "`data/organization.yml`; an indicator whose figures arrive later says so with its own `due_days` "
                 "in `data/indicators.yml`). Today is the day the handbook is built (or `HANDBOOK_TODAY`, "
                 "`YYYY-MM-DD`). When even the newest figures are older than that, every page says so in a banner "
                 "(\"Newest figures: ..., N months ago; figures for ... were due by ...\").").format(
            days=ngettext("{n} day", "{n} days", due_days).format(n=fmt_int(due_days))) + "\n",
        "- " + _("**Stale** counts periods: {reporting} and a limit of {n}, a team whose latest figure is {behind} "
                 "behind the expected period is stale; {n} behind is not. The limit is `reporting.stale_after` in "
                 "`data/organization.yml`. `periods_behind` in `status --json` is that count: the periods between "
                 "the team's latest figure and the expected period (0 when it has a figure for it).").format(
            reporting=reporting, n=n, behind=_periods(n + 1, hb.frequency)) + "\n",
        _("- **No figure**: a team with figures on the indicator, all before the baseline period (a closed site, say), "
        "reads \"no figure since\" its last period; \"no figure yet\" means no figure at all.\n"),
        _h(level, _("When the deadline has passed"), "deadline"),
        _("A target's deadline has **passed** once its period's figures are due: the deadline is at or before the "
        "expected period of the target's indicator (the calendar, not the figures any team sent). From then on its pages "
        "say so and whether each team met it, for example \"Deadline passed (2026-09): not met, 84 % against "
        "90 %\"; no sentence speaks of the deadline as still ahead.\n\n"),
        "- " + _("**Met at the deadline** is judged on the team's last figure at or before the deadline period. "
                 "When the deadline period itself has no figure, the last earlier one is used and named with its "
                 "period (\"84 % in 2026-07 against 90 %\"), provided it is no more than {duration} before the "
                 "deadline and not before the baseline; otherwise the result is *not known*: \"Deadline passed "
                 "(2025-12), no figure since 2025-03: result not known\".").format(
            duration=_periods(n, hb.frequency)) + "\n",
        _("- A **past target** is one whose deadline passed more than a year before the expected period, or that a "
        "later target of the same indicator, carried by all of its teams, replaced. The home page, the targets "
        "index and the scoreboard count past targets apart (\"Past targets: 3\"), not in the live counts, and the "
        "checks of a live target's figures (figures for the period due, none stale) do not judge them. A team that "
        "met one at its deadline has still met it (it is owed recognition), and the figures it still owes on its "
        "indicators are still judged late (see Figures due).\n"),
        _("- A team that reaches the target only after the deadline did **not** meet it by the deadline: its pages say "
        "\"not met\" and then \"met since\", with the later figure. Its status (above) still describes its "
        "latest figure: after the deadline the expected value is the target value itself.\n"),
        _("- `python -m macros status --json` adds, for every row, `deadline_passed` (true or false), "
        "`met_at_deadline` (true, false, or null when not known or the deadline is ahead), `value_at_deadline` and "
        "`period_at_deadline` (the figure judged, or null), and, from v1.2, `expected_period` (the period whose "
        "figures are due by today) and `past_target` (true for a past target). Every other field is unchanged.\n"),
        _h(level, _("Combining the figures of different teams"), "combining"),
        _("Each indicator says in `data/indicators.yml` whether figures of different teams may be combined "
        "(`aggregate`):\n\n"),
        _("- `none` (the default): never combined. Where a page sums up several teams it shows the **best**, the "
        "**median** (the figure in the middle; with an even number of teams, the two figures in the middle) and the "
        "**worst** figure of the teams that reported the latest period, each with its team; no page shows a mean or "
        "a total.\n"),
        _("- `sum`: the figures are counts that add up. Pages show the **total** of the teams that reported the "
        "latest period. A count grows with a team's size, so its league table on the scoreboard lists the teams "
        "by their count without ranking them, with the total below.\n"),
        _("- `mean`: the figures may be averaged (for example, comparable rates of teams of similar size). Pages show "
        "the **mean** of the teams that reported the latest period, and the league table its mean.\n"),
        _h(level, _("Ranking teams"), "ranking"),
        _("Teams are ranked against each other (league tables, best and worst) only on figures that are comparable "
        "whatever a team's size: rates, percentages, times and scores. An indicator says so with `comparable: true` "
        "or `comparable: false` in `data/indicators.yml`; without it, counts that add up (`aggregate: sum`) are not "
        "ranked and every other indicator is.\n\n"),
        _("- Stale figures (a team whose latest figure is older than the organization allows) are listed after the "
        "ranked teams in every league table, without a rank: an old figure does not compete with this month's.\n"),
        _("- The indicators page follows the league tables' rules: when the latest figures of an indicator are stale "
          "(older than the reporting calendar allows), it lists them as stale, neither ranked nor combined; and it "
          "names the best, median and worst only when at least {n} teams reported the latest period (a league table "
          "needs as many), else it lists their figures as too few to rank.\n").format(n=LEAGUE_MIN_TEAMS),
        _("- With more teams than a chart can draw as lines, the indicators page draws lines computed **period by "
        "period** from the teams that reported that period (the best, the median and the worst; the total, for "
        "counts), never one team's line picked at the latest period and drawn back in time.\n"),
        _("- A target that states its baseline value, for a team whose recorded figure for that period differs, shows "
        "both on its page (\"stated baseline 40; recorded 38 in 2024-11\"), and `make check` warns.\n"),
        _h(level, _("Differences and tolerances"), "differences"),
        _("- For an indicator whose unit is `%`, a difference between two figures, or a guardrail's tolerance, is in "
        "**percentage points**: from 4.1 % to 7.9 % is \"worse by 3.8 points\", and a tolerance of 2 reads "
        "\"2 points\".\n"),
        _("- A threshold from the data (a tolerance, a target value) is shown at its own precision, or the "
        "indicator's when that is finer: a tolerance of 0.5 on an indicator shown without decimals reads 0.5, "
        "never 0 or 1.\n"),
        _h(level, _("Revisions"), "revisions"),
        _("Each revision of a target is labelled by what it did, on the target's page, on the learning page and in "
        "the `diff` report: **raised the bar** or **lowered the bar** (by the indicator's direction: for a "
        "lower-is-better indicator a smaller target raises the bar), and **moved the deadline later** or "
        "**earlier**; a revision may do two at once.\n"),
        _h(level, _("Distortion flags"), "distortion"),
        _("A target's guardrail raises a distortion flag for a team when both hold:\n\n"),
        _("1. the target's indicator is better at the team's latest figure than at its baseline, and\n"),
        _("2. the guardrail indicator got worse, by more than its tolerance (in the guardrail's own unit; in points for "
        "a percentage), between the "
        "team's first guardrail figure at or after the baseline period and its last guardrail figure at or before "
        "the period of the latest target figure.\n"),
        "\n" + _("A guardrail without figures over those periods cannot flag. A flag calls for a distortion review "
                  "in the [learning log]({url}).").format(url=links.to("learning.md", "learning-log")) + "\n",
        render_gap_rules(hb, level),
        _h(level, _("Where to check a status yourself"), "cli"),
        _("Run `python -m macros status` in the repository for every team's status on every target, with the latest "
        "period and value, the expected value and the distortion flags; `--json` gives the same for other tools.\n"),
    ]
    return "".join(out)


def render_gap_rules(hb: Handbook, level: int = 2) -> str:
    """Say how charts and tables show a missing period and a figure's note (macros/render/charts.py)."""
    if hb.frequency == "monthly":
        missing = _("A month with no figure, between a team's first figure for an indicator and the latest month any "
                    "team reported, is **missing**. Charts break their line there: a missing month is never drawn as "
                    "if it had been reported. The chart's data table lists it as \"no figure\", and the chart's "
                    "summary counts it (\"2 months missing\"). Nothing is missing before a team's first figure: it "
                    "had not started reporting. Statuses and flags are computed from the figures there are: a "
                    "missing figure is never filled in or guessed.")
    else:
        missing = _("A quarter with no figure, between a team's first figure for an indicator and the latest quarter "
                    "any team reported, is **missing**. Charts break their line there: a missing quarter is never "
                    "drawn as if it had been reported. The chart's data table lists it as \"no figure\", and the "
                    "chart's summary counts it (\"2 quarters missing\"). Nothing is missing before a team's first "
                    "figure: it had not started reporting. Statuses and flags are computed from the figures there "
                    "are: a missing figure is never filled in or guessed.")
    return "".join([
        _h(level, _("Missing periods and notes"), "gaps"),
        missing + "\n\n",
        _("A figure's note (the `note` column of the figures' CSV files) is shown where the figure is read: in the "
        "chart's hover label, as a star on the chart, and in the Note column of the chart's data table.\n"),
    ])


def _pct(value: float) -> str:
    """A share as a whole percentage, for the build's locale: "80%", "80\u202f%"."""
    from babel.numbers import format_percent

    whole = int(f"{value:.0%}"[:-1])  # rounded as Python rounds, so English reads as it always did
    return format_percent(whole / 100, locale=current().replace("-", "_"))


def _example_target(hb: Handbook) -> Target | None:
    return next(iter(hb.targets.values()), None)


def _num(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text


def render_change_example(a: Analysis, links: Links, level: int = 2) -> str:
    """Show, on a real target of this organization, the YAML diff that raises it and records the revision."""
    hb = a.hb
    t = _example_target(hb)
    if t is None:
        return "\n" + _("There are no targets yet, so there is nothing to revise. Add the first one to "
                         "`data/targets.yml` with the same pull-request steps.") + "\n"
    ind = hb.indicators[t.indicator]
    old = float(t.target.value or 0.0)
    base = t.baseline.value if t.baseline.value is not None else old
    step = abs(old - base) * 0.25 or max(abs(old) * 0.1, 10 ** -ind.decimals)
    new = old - step if ind.better.value == "lower" else old + step
    decimals = max(ind.decimals, 1 if abs(step) < 1 else 0)
    when = a.reference_date or date(2025, 1, 15)
    q = lambda s: '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    tq = q(t.target.period)
    lines = [
        (" ", f"- id: {t.id}"),
        (" ", "  ..."),
        ("-", f"  target: {{period: {tq}, value: {_num(old, decimals)}}}"),
        ("+", f"  target: {{period: {tq}, value: {_num(new, decimals)}}}"),
        (" ", "  ..."),
    ]
    lines.append((" ", "  revisions:") if t.revisions else ("+", "  revisions:"))
    if t.revisions:
        lines.append((" ", "    ..."))
    lines += [
        ("+", f"    - date: {when.isoformat()}"),
        ("+", f"      was: {{period: {tq}, value: {_num(old, decimals)}}}"),
        ("+", "      reason: >-"),
        ("+", "        " + _("Every team met {old} before the deadline; raised the bar to {new}.").format(
            old=_num(old, decimals), new=_num(new, decimals))),
    ]
    diff = "\n".join(f"{mark}{line}" for mark, line in lines)
    better = _("lower is better") if ind.better.value == "lower" else _("higher is better")
    out = [
        "\n" + _("Suppose the teams on [{target}]({target_url}) have reached its target of **{old}** {unit} early, "
                  "and the owner agrees to ratchet it up: {better} for [{indicator}]({indicator_url}), so the new "
                  "target is **{new}**, same deadline. In `data/targets.yml` the change is one edited line and one "
                  "new revision that keeps the old value and states the reason (newest revision last):").format(
            target=inline(t.title), target_url=links.target(t.id), old=inline(ind.format(old)),
            unit=inline(ind.unit), better=better, indicator=inline(ind.name), indicator_url=links.indicator(ind.id),
            new=inline(_num(new, decimals))) + "\n\n",
        f'<pre class="hb-diff"><code class="language-diff">{esc(diff)}</code></pre>\n',
        "\n" + _("The figures and the page history keep the old target: the revision is how the ratchet becomes "
                  "visible on the target's page and in [the timeline]({url}).").format(
            url=links.to("learning.md", "ratchet")) + "\n",
    ]
    return "".join(out)


def render_change_procedure(hb: Handbook, links: Links, level: int = 2) -> str:
    """Explain, step by step, how a target changes by pull request."""
    return "".join([
        _("\nTargets live in `data/targets.yml`, in the same repository as this site. Nobody edits a target in a "
        "spreadsheet or by e-mail: a change is a pull request that states its reason, is reviewed by the target's "
        "owner, and is published when merged. The history of every target stays on record.\n"),
        _h(level, _("Step by step"), "steps"),
        _("1. **Talk to the owner first.** Each target names its owner; a change nobody expected is hard to review.\n"),
        _("2. **Open a branch** (or use your git host's web editor, which opens one for you) and edit `data/targets.yml`.\n"),
        _("3. **Change the target, and record the old value.** Add an entry at the end of the target's `revisions` list "
        "with today's `date`, the old target as `was` (`period` and `value`), and a `reason` a colleague can "
        "understand in a year. Raising a met target is the ratchet; lowering one needs a strong reason.\n"),
        _("4. **Check it locally** if you can: `make check` lists every problem in the data at once, with the file, "
        "line and field; `make preview` builds the site as CI does and serves it on http://127.0.0.1:8000/; "
        "`.venv/bin/python -m macros diff main` prints the change, and the statuses it moves, as Markdown.\n"),
        _("5. **Open the pull request** and fill in its template's checklist for a target change. CI validates the "
        "data (a problem is marked on its line of the pull request's diff), builds the site and writes the "
        "target-change report, with the statuses the change moves, into the checks' summary; a bad edit gets a "
        "precise error, never a broken site. `.github/CODEOWNERS` asks the performance office to review every "
        "change to `data/targets.yml`; ask the target's owner to review too.\n"),
        "6. " + _("**Merge.** The site is rebuilt and the target page shows the new value and the revision, and "
                  "the [ratchet timeline]({url}) gains a line.").format(url=links.to("learning.md", "ratchet")) + "\n",
        _h(level, _("A worked example"), "example"),
    ])


def _or_list(words: list[str]) -> str:
    """Words joined by "or" ("stale or off track"; in French "pas à jour ou hors trajectoire")."""
    if current() == "en":
        return " or ".join(words)
    from babel.lists import format_list

    return format_list(words, style="or", locale=current().replace("-", "_"))


def render_figures_procedure(a: Analysis, links: Links, level: int = 2) -> str:
    """Explain, step by step, how a team adds a period's figures by pull request, with an example from the data."""
    hb = a.hb
    freq = hb.frequency
    spelled = _("`YYYY-MM`, like `2025-03`") if freq == "monthly" else _("`YYYY-Qn`, like `2025-Q1`")
    due_page = links.to("figures-due.md")
    required = hb.organization.notes_required
    notes = (" " + _("This organization asks for a note on the newest figure when it leaves a team {statuses} "
                     "(`reporting.notes_required`): `check` points at the row until it has one.").format(
        statuses=_or_list([pgettext("status", s) for s in required]))
             if required else "")
    if freq == "monthly":
        intro = _("Figures live in `data/measurements/`, in CSV files with the header "
                  "`team,indicator,period,value,note`: one row per team, indicator and period. Every status, chart "
                  "and scoreboard line is computed from them, so adding a month's figures is the most common pull "
                  "request. Figures for a period are due {days} days after it ends; the [Figures due]({url}) page "
                  "lists every team late with figures.")
    else:
        intro = _("Figures live in `data/measurements/`, in CSV files with the header "
                  "`team,indicator,period,value,note`: one row per team, indicator and period. Every status, chart "
                  "and scoreboard line is computed from them, so adding a quarter's figures is the most common pull "
                  "request. Figures for a period are due {days} days after it ends; the [Figures due]({url}) page "
                  "lists every team late with figures.")
    out = [
        "\n" + intro.format(days=hb.organization.due_days, url=due_page) + "\n",
        _h(level, _("Step by step"), "figures-steps"),
        _("1. **Open your team's page**, section **Report this period**. It holds the exact rows your team owes now "
        "(one per indicator and period, with the team, indicator id and period filled in and the value empty), the "
        "file they go in, a **Copy the rows** button and, where the site knows its repository, an **Edit** link to "
        "that file. From a terminal, `python -m macros due --rows --team ID` prints the same rows.\n"),
        _("2. **Open the file** with the edit link (your git host's web editor opens a branch for you) or in your "
        "own branch, and **paste the rows at its end**.\n"),
        "3. " + _("**Fill in each value**: a plain number in the indicator's unit, with no unit and no thousands "
                  "separator (`period` is written {spelled}). Delete a row you have no figure for: a missing figure "
                  "is shown as a gap; a zero is a figure. Use `note` to explain an outlier, a late figure or a "
                  'correction, and put a note holding a comma in double quotes (`"Ice, snow"`).').format(
            spelled=spelled) + notes + "\n",
        _("4. **Check it locally** if you can: `make check` lists every problem with its file and line (a typo'd id "
        "gets the id it was probably meant to be); `make preview` serves the site as CI builds it on "
        "http://127.0.0.1:8000/, or `make serve` rebuilds as you save.\n"),
        _("5. **Open the pull request** and fill in its template's checklist for figures. CI validates the data "
        "(a problem is marked on its line of the diff), builds the site and lists in the checks' summary the "
        "statuses your figures move, such as *on track -> at risk*, with the figure that moved each and its note. "
        "Reviewers are whoever branch protection requires: `.github/CODEOWNERS` names no owner for figures, only "
        "for targets and the engine. Explain a surprising figure in its note or in `data/learning.yml`.\n"),
        _("6. **Merge.** The site is rebuilt: the team's page, the scoreboard and the charts show the new period, the "
        "team leaves the Figures due page, and its reminder issue, if one was opened, is closed.\n"),
        _h(level, _("An example"), "figures-example"),
    ]
    out.append(_figures_example(a, links, spelled))
    return "".join(out)


def _figures_example(a: Analysis, links: Links, spelled: str) -> str:
    """A complete example: one team's rows as its page shows them, pasted at the end of its file and filled in."""
    hb = a.hb
    frame = hb.measurements
    header = "team,indicator,period,value,note"
    if hb.latest_period is None or not len(frame):
        return "\n" + _("No figures are recorded yet. The first file starts with the header `{header}`, then one "
                         "row per team, indicator and period, the period written {spelled}.").format(
            header=header, spelled=spelled) + "\n"
    dues = derive_dues(hb)
    owing = [t for t in dues.teams.values() if t.owed]
    # The plainest case first: a team that owes only figures not yet late, then any team that owes some.
    chosen = next((t for t in owing if not t.late), owing[0] if owing else None)
    if chosen is None:
        latest = frame[frame["index"] == hb.latest_period]
        team = str(latest["team"].iloc[0])
        file = str(latest[latest["team"] == team]["file"].iloc[-1])
        owed = [(str(i), hb.latest_period + 1) for i in latest[latest["team"] == team]["indicator"]]
        intro = _("Every figure due is in. When {period} ends, the page of {team} will show these rows to add to "
                  "<code>{file}</code>:").format(period=inline(format_period(hb.latest_period + 1, hb.frequency)),
                                                 team=inline(hb.teams[team].name), file=esc(file))
    else:
        team, file = chosen.team, chosen.file
        owed = [(o.indicator, o.period) for o in chosen.owed]
        page = links.to(f"teams/{team}.md", "report-this-period")
        intro = ngettext("As of {date}, the page of [{team}]({url}) shows {n} row to add at the end of "
                         "<code>{file}</code>:",
                         "As of {date}, the page of [{team}]({url}) shows {n} rows to add at the end of "
                         "<code>{file}</code>:", len(owed)).format(
            date=hb.as_of.isoformat(), team=inline(hb.teams[team].name), url=page, n=fmt_int(len(owed)),
            file=esc(file))
    rows = [f"{team},{ind},{format_period(p, hb.frequency)},," for ind, p in owed]
    in_file = frame[frame["file"] == file]
    last = in_file.loc[in_file["line"].idxmax()] if len(in_file) else None
    lines = [f" {header}"]
    if last is not None:
        note = str(last["note"])
        lines += [" ...", f" {last['team']},{last['indicator']},{last['period']},{float(last['value']):g},"
                  + (f'"{note}"' if "," in note else note)]
    filled = []
    for ind, p in owed:
        s = hb.series_for(team, ind)
        prev = s.last_until(10**9) if s is not None else None
        value = f"{prev[1]:g}" if prev else "0"
        filled.append(f"+{team},{ind},{format_period(p, hb.frequency)},{value},")
    diff = "\n".join(lines + filled)
    return (
        f"\n{intro}\n\n"
        f'<pre class="hb-report__rows"><code>{esc(chr(10).join(rows))}</code></pre>\n\n'
        + _("Pasted at the end of the file (after whatever row is last, whichever team's it is) and filled in, "
            "they make this change (the values here repeat each indicator's last figure, to show the shape):")
        + "\n\n"
        + f'<pre class="hb-diff"><code class="language-diff">{esc(diff)}</code></pre>\n'
    )


def render_projection_rules(a: Analysis, links: Links, level: int = 2, tested=None) -> str:
    """Explain how a projection is made (macros/projection.py), with a worked example from this organization's own
    figures and, when its history allows, how often the band held in a back-test (`tested`, a projection.Backtest)."""
    hb = a.hb
    unit = pgettext("period", "month") if hb.frequency == "monthly" else pgettext("period", "quarter")
    window, least = P.WINDOW[hb.frequency], P.MIN_FIGURES[hb.frequency]
    out = [
        _h(level, _("Will we make it? The projection"), "projection"),
        _("Where a target is not met yet, its deadline is ahead and the team's figures are current, the team's page, "
        "the target's page and the scoreboard say where the team is heading at the pace it keeps.\n\n"),
        "- " + _("**The pace kept** is the change per {unit} over the team's figures of the last {window}, counted "
                 "from its latest figure and never from before the baseline period. It is the median of the slopes "
                 "between every two of those figures (the Theil-Sen estimate, from the statistics library SciPy), so "
                 "one odd {unit} barely moves it. A {unit} with no figure is left out, never filled in.").format(
            unit=unit, window=_periods(window, hb.frequency)) + "\n",
        "- " + _("**The pace needed** is the change per {unit} that takes the latest figure to the target value by "
                 "the deadline.").format(unit=unit) + "\n",
        _("- **The projection** draws a line from the latest figure at the pace kept: the first period in which that "
        "line meets the target is the projected period. The pace comes with a range (the slowest and the fastest "
        "pace the figures support), and the same line at both ends gives the projected range; the target's chart "
        "draws the line dotted and the range shaded, from the latest figure to the projected period or the "
        "deadline, whichever comes first.\n"),
        "- " + _("**Too early to tell** with fewer than {least} figures in the window. **No sign of reaching it at "
                 "this pace** when the pace is flat or goes the wrong way. A projected period more than {years} "
                 "years after the latest figure is said as \"not before\" that year.").format(
            least=least, years=P.HORIZON_YEARS) + "\n",
        "- " + _("**A projection shows its range** wherever it is said, in a table's cell too. The slow end of the "
                 "range is said as \"beyond\" a year when it comes more than {years} years after the latest figure, "
                 "and as \"never\" when the slowest pace of the range is flat or goes the wrong way: at that pace "
                 "the team may never reach the target.").format(years=P.HORIZON_YEARS) + "\n",
        _("- Nothing is projected for a target already met, a stale series, a target whose deadline has passed (the "
        "deadline's result speaks instead) or a team without figures.\n"),
        "- " + _("The range is set so that about {band} of actual figures {ahead} later fall inside it: on a "
                 "synthetic organization with straight-line trends plus noise, the pace's range is SciPy's "
                 "{confidence} confidence interval (a narrower interval leaves out too many later figures, because "
                 "the line starts at the latest figure, which is itself noisy).").format(
            band=_pct(P.BAND), ahead=_periods(P.BACKTEST_AHEAD, hb.frequency),
            confidence=_pct(P.CONFIDENCE[hb.frequency])) + "\n",
        _("- `python -m macros status --json` and the downloads carry `pace`, `pace_low`, `pace_high`, "
        "`pace_needed` (per period), `projected_period`, `projected_low`, `projected_high`, `projection` "
        "(`before deadline`, `after deadline`, `not at this pace`, `too early`, or null, with the reason in "
        "`projection_reason`) and `forecast`: the line and its range for every period from the latest figure to "
        "the deadline.\n"),
    ]
    out.append(_h(level + 1, _("A worked example from our own figures"), "projection-example"))
    shown = [(s, p) for s in a.statuses if (p := a.projections.get((s.target, s.team))) is not None
             and p.kind in (P.BEFORE, P.AFTER) and p.projected_high is not None and p.pace_needed is not None]
    # The example that shows most: a range that spans several periods, then any.
    shown.sort(key=lambda sp: sp[1].projected_low == sp[1].projected_high)
    if not shown:
        out.append(_("No team's figures give a projection yet.\n"))
    else:
        s, p = shown[0]
        ind = hb.indicators[s.indicator]
        fmt = lambda i: format_period(i, hb.frequency)  # noqa: E731
        low, high = sorted((p.pace_low, p.pace_high))  # type: ignore[type-var]
        assert p.window_start is not None and p.latest_period is not None and p.pace is not None
        when = (_("At the pace kept, the line meets the target in **{period}** ({low} at the fastest pace of the "
                  "range, {high} at the slowest): before the deadline.") if p.kind == P.BEFORE else
                _("At the pace kept, the line meets the target in **{period}** ({low} at the fastest pace of the "
                  "range, {high} at the slowest): after the deadline."))
        out.append(
            _("{team}, on *{target}*:").format(team=inline(hb.teams[s.team].name),
                                               target=inline(hb.targets[s.target].title)) + "\n\n"
            + "1. " + _("Its {n} figures from {start} to {end} change by {pace} a {unit} at the median of their "
                        "slopes; the range is {low} to {high}.").format(
                n=p.figures, start=fmt(p.window_start), end=fmt(p.latest_period),
                pace=inline(P.fmt_pace(ind, p.pace)), unit=unit, low=inline(P.fmt_pace(ind, low, False)),
                high=inline(P.fmt_pace(ind, high, False))) + "\n"
            + "2. " + _("Its latest figure is {value} in {period}; the target is {target} by {deadline}, so it "
                        "needs {pace} a {unit}.").format(
                value=inline(fmt_data_value(ind, p.latest_value)), period=fmt(p.latest_period),
                target=inline(fmt_data_value(ind, p.target_value)), deadline=fmt(p.deadline),  # type: ignore[arg-type]
                pace=inline(P.fmt_pace(ind, p.pace_needed)), unit=unit) + "\n"
            + "3. " + when.format(period=fmt(p.projected), low=fmt(p.projected_low),  # type: ignore[arg-type]
                                  high=fmt(p.projected_high)) + "\n\n"  # type: ignore[arg-type]
            + _("Its page says: \"{sentence}\"").format(sentence=inline(pace_sentence(p, ind, hb.frequency))) + "\n"
        )
    out.append(_h(level + 1, _("How often the range held, on our own figures"), "projection-backtest"))
    if tested is None or tested.series < P.BACKTEST_MIN_SERIES:
        n = 0 if tested is None else tested.series
        out.append(_("Not enough history yet to check the range on this organization's own figures: {n} of the "
                     "teams' series on a target reach {ahead} past {least} figures since their baseline (at least "
                     "{needed} are needed).").format(n=n, ahead=_periods(P.BACKTEST_AHEAD, hb.frequency),
                                                     least=least, needed=P.BACKTEST_MIN_SERIES) + "\n")
    else:
        capped = (" " + _("(the first {n} of {total})").format(n=fmt_int(tested.series), total=fmt_int(tested.available))
                  if tested.available > tested.series else "")
        out.append(
            _("Each team's series of figures on a target, with enough history, was cut {ahead} before its latest "
              "figure and projected from what was left: the range held that latest figure in **{inside} of "
              "{series}** series{capped}, {coverage}, against the {band} it aims for. It is computed at every "
              "build.").format(ahead=_periods(P.BACKTEST_AHEAD, hb.frequency), inside=fmt_int(tested.inside),
                               series=fmt_int(tested.series), capped=capped, coverage=_pct(tested.coverage),
                               band=_pct(P.BAND)) + "\n"
        )
    return "".join(out)
