"""Macros for the handbook's pages: practices, deficits, targets, indicators, learning, onboarding.

Each macro is called from a page by id and renders from the build's validated data (see site.Site).
"""

from __future__ import annotations

from .checks import (
    CHECK_NAMES,
    CHECKS,
    DEFICITS,
    INDICATORS,
    LEARNING,
    MEASUREMENTS,
    ORG,
    TARGETS,
    TEAMS,
)
from .i18n import _
from .macrocall import macro
from .pagesite import PageSite
from .render.briefing import render_briefing
from .render.common import edit_link, hold_html_blocks, raw_html
from .render.deficits import render_deficits_page
from .render.due import render_due_page
from .render.editions import render_editions
from .render.handbook import render_print_handbook
from .render.home import render_home
from .render.indicators import render_indicators_page
from .render.learning import render_learning_page
from .render.links import Links, target_src
from .render.onboarding import (
    render_change_example,
    render_change_procedure,
    render_figures_procedure,
    render_glossary,
    render_projection_rules,
    render_reading_path,
    render_status_rules,
)
from .render.page_text import PAGE_TEXT, render_page_heading
from .render.practices import render_practice, render_practices_index
from .render.reference import render_reference
from .render.targets import render_target_page, render_targets_index
from .render.text import esc
from .signals import site_signals

PRACTICES = "data/practices.yml"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _practice_arg(site: PageSite, number: object = None) -> tuple[str, str, str] | None:
    numbers = [p.number for p in site.hb.practices]
    if _is_int(number) and number in numbers:
        return None
    return "number", f"a practice number from data/practices.yml ({min(numbers)} to {max(numbers)})", repr(number)


def _target_arg(site: PageSite, target_id: object = None) -> tuple[str, str, str] | None:
    if isinstance(target_id, str) and target_id in site.hb.targets:
        return None
    return "target_id", "a target id from data/targets.yml", repr(target_id)


HEADING_LEVELS = (1, 6)


def _level_arg(site: PageSite, level: object = 2) -> tuple[str, str, str] | None:
    low, high = HEADING_LEVELS
    if _is_int(level) and low <= level <= high:
        return None
    return "level", f"a heading level from {low} to {high}", repr(level)


def _files_arg(site: PageSite, *files: object) -> tuple[str, str, str] | None:
    for f in files:
        if not isinstance(f, str) or len(f) > 200:
            return "files", "paths of data files like \"data/targets.yml\"", repr(f)[:80]
    if len(files) > 20:
        return "files", "at most 20 files", f"{len(files)}"
    return None


def _source(site: PageSite, *files: str) -> str:
    if site.edition == "public":  # repository paths are for the people who edit the data, not public readers
        return ""
    return edit_link(site.edit_base, *files)


def _page_text_arg(site: PageSite, page: object = None) -> tuple[str, str, str] | None:
    if isinstance(page, str) and page in PAGE_TEXT:
        return None
    return "page", "one of the handbook's own pages: " + ", ".join(f'"{p}"' for p in PAGE_TEXT), repr(page)[:80]


@macro("page_heading", check=_page_text_arg)
def page_heading(site: PageSite, links: Links, page: str) -> str:
    """A shipped page's title (its H1) and opening text, in the build's language."""
    return render_page_heading(str(page))


@macro("data_source", check=_files_arg)
def data_source(site: PageSite, links: Links, *files: str) -> str:
    """Say which data files a hand-written page comes from."""
    return _source(site, *[str(f) for f in files])


@macro("practices_index")
def practices_index(site: PageSite, links: Links) -> str:
    """The eleven practices grouped by phase, with each one's automated checks passed."""
    return render_practices_index(site.hb, site.checks, links) + _source(site, PRACTICES)


@macro("practice_page", check=_practice_arg)
def practice_page(site: PageSite, links: Links, number: int) -> str:
    """One practice: what it means, then its checklist (automated results and manual items)."""
    practice = next((p for p in site.hb.practices if p.number == int(number)), None)
    if practice is None:
        raise ValueError(f"no practice {number} in data/practices.yml")
    files = [PRACTICES]
    for item in practice.checklist:
        for f in CHECKS[item.check].files if item.check in CHECKS else ():
            if f not in files:
                files.append(f)
    # Its checklist's finished HTML (at 1,000 teams, a list of every team) skips Markdown and the search index.
    return hold_html_blocks(render_practice(practice, site.hb, site.checks, links)) + _source(site, *files)


@macro("targets_index")
def targets_index(site: PageSite, links: Links) -> str:
    """Every target with its deficit, indicator, baseline, target, deadline, owner and statuses."""
    return render_targets_index(site.analysis, links) + _source(site, TARGETS, MEASUREMENTS)


@macro("target_page", check=_target_arg)
def target_page(site: PageSite, links: Links, target_id: str) -> str:
    """One target: facts, status by team, theory with its chain to the mission, guardrails, revisions."""
    target = site.hb.targets.get(str(target_id))
    if target is None:
        raise ValueError(f"no target {target_id!r} in data/targets.yml")
    # Made once per target: held back from Markdown below its title, but for its prose from data (as a team page).
    page = render_target_page(site.analysis, target, links) + _source(site, TARGETS, MEASUREMENTS)
    return site.held.hold_page(target_src(target.id), page)


@macro("deficits_page")
def deficits_page(site: PageSite, links: Links) -> str:
    """The register of key failures by stage, with evidence, current value and targets."""
    # Each deficit's list and table: finished HTML, held back from Markdown and the search index (its title and
    # description stay in both).
    return hold_html_blocks(render_deficits_page(site.analysis, links)) + _source(site, DEFICITS, TARGETS, MEASUREMENTS)


@macro("indicators_page")
def indicators_page(site: PageSite, links: Links) -> str:
    """The indicator catalogue by stage, with coverage of the four stages."""
    return hold_html_blocks(render_indicators_page(site.hb, links)) + _source(site, INDICATORS, MEASUREMENTS)


@macro("learning_page")
def learning_page(site: PageSite, links: Links) -> str:
    """The learning log, distortion reviews and flags, and the timeline of target revisions."""
    return render_learning_page(site.analysis, links) + _source(site, LEARNING, TARGETS, MEASUREMENTS)


@macro("figures_due")
def figures_due(site: PageSite, links: Links) -> str:
    """Practice 5: teams late with figures, what they owe and since when, most late first."""
    return hold_html_blocks(render_due_page(site.hb, links, site.edit_base)) + _source(
        site, MEASUREMENTS, TEAMS, INDICATORS, ORG)


@macro("onboarding_path")
def onboarding_path(site: PageSite, links: Links) -> str:
    """The reading path for new managers."""
    return render_reading_path(site.hb, links) + _source(site, ORG, TEAMS)


@macro("glossary")
def glossary(site: PageSite, links: Links) -> str:
    """The glossary of the handbook's terms and status names."""
    return render_glossary(site.hb, links) + _source(site, ORG)


@macro("status_rules", check=_level_arg)
def status_rules(site: PageSite, links: Links, level: int = 2) -> str:
    """How a status and a distortion flag are computed, with this organization's settings."""
    return render_status_rules(site.hb, links, int(level)) + _source(site, ORG, TARGETS, MEASUREMENTS)


@macro("projection_rules", check=_level_arg)
def projection_rules(site: PageSite, links: Links, level: int = 2) -> str:
    """How a projection is made, with a worked example and the back-test on this organization's own figures."""
    return render_projection_rules(site.analysis, links, int(level), site.backtest) + _source(site, TARGETS, MEASUREMENTS)


@macro("editions", check=_level_arg)
def editions(site: PageSite, links: Links, level: int = 2) -> str:
    """The two editions: which one this is, how a record is marked public, and the rules `check` enforces."""
    return render_editions(site.hb, site.edition, links, int(level)) + _source(site, ORG)


@macro("change_example", check=_level_arg)
def change_example(site: PageSite, links: Links, level: int = 2) -> str:
    """A worked example of a target change, built from the organization's own first target."""
    return render_change_example(site.analysis, links, int(level)) + _source(site, TARGETS)


@macro("print_button")
def print_button(site: PageSite, links: Links) -> str:
    """A button that opens the browser's print dialog (pages.js wires it; hidden in print)."""
    return ('\n<p class="hb-print-actions"><button type="button" class="md-button md-button--primary" data-hb-print>'
            + esc(_("Print or save as PDF")) + "</button></p>\n")


@macro("change_procedure", check=_level_arg)
def change_procedure(site: PageSite, links: Links, level: int = 2) -> str:
    """How to propose a change to a target by pull request."""
    return render_change_procedure(site.hb, links, int(level))


@macro("figures_procedure", check=_level_arg)
def figures_procedure(site: PageSite, links: Links, level: int = 2) -> str:
    """How to add a period's figures by pull request, with an example from the organization's latest figures."""
    return render_figures_procedure(site.analysis, links, int(level)) + _source(site, MEASUREMENTS)


@macro("print_onboarding")
def print_onboarding(site: PageSite, links: Links) -> str:
    """The handbook for print or PDF: cover, mission, practices, deficits, targets, every team's statuses, onboarding."""
    changed = site_signals(site).get("changed_label", "")
    return hold_html_blocks(render_print_handbook(site.analysis, site.checks, links, changed, site.backtest)) + _source(
        site, ORG, PRACTICES, DEFICITS, TARGETS, TEAMS, MEASUREMENTS)


@macro("briefing_book")
def briefing_book(site: PageSite, links: Links) -> str:
    """The briefing book for paper and PDF: cover, contents, summary, mission, deficits, targets, teams, practices."""
    changed = site_signals(site).get("changed_label", "")
    return "\n" + raw_html(render_briefing(site.analysis, site.checks, links, site.edition, changed)) + "\n" + _source(
        site, ORG, PRACTICES, DEFICITS, TARGETS, TEAMS, MEASUREMENTS)


@macro("home")
def home(site: PageSite, links: Links) -> str:
    """The home page: mission, big picture, the organization at a glance, where to start."""
    return render_home(site.analysis, links, site.checks)


@macro("data_reference")
def data_reference(site: PageSite, links: Links) -> str:
    """Every data file and field of the contract, with types, allowed values and examples."""
    schema_url = links.to("schemas/x")[: -len("x")]  # the committed JSON Schemas under docs/, published as they are
    return render_reference(tuple(sorted(CHECK_NAMES)), schema_url)
