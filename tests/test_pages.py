"""The handbook's pages, from fixture organizations, read back as parsed HTML.

One build: a monthly organization (every check wired to a checklist item, one failing, a revision, a distortion flag,
hostile text), for what needs the whole site (every link resolves, the navigation, the search index). By direct
macro calls, no build (tests/pages.py): a quarterly organization (a team without targets, stages without a deficit),
the odd organization (Unicode and 300-character names) and the messy one (tolerances, revisions, wording).
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urldefrag

import pages
import pytest
from bs4 import BeautifulSoup
from pages import page_soup, site_of
from test_checks import beta_no_capacity, distortion_unreviewed, full_org

from conftest import build_ok
from macros.checks import CHECKS, run_checks
from macros.derive import derive_analysis
from macros.generate import plan_pages
from macros.periods import format_period
from macros.render.common import STATUS_LABEL
from macros.validate import validate_data
from orgs import (
    ARABIC,
    EMOJI,
    HEBREW,
    LONG_INDICATOR,
    LONG_TARGET,
    LONG_UNIT,
    UNIT_EMOJI,
    UNIT_RTL,
    base_org,
    odd_org,
    quarterly,
    write_org,
)

HOSTILE = "<script>alert(1)</script> {{ 7 * 7 }} **bold**"

MY_PAGES = [
    "", "practices/", "deficits/", "targets/", "indicators/", "learning/", "onboarding/", "onboarding/glossary/",
    "onboarding/status/", "onboarding/propose-a-change/", "onboarding/add-figures/", "onboarding/print/",
    "briefing/",
]


def monthly_org() -> dict:
    org = full_org()
    beta_no_capacity(org)  # capacity-recorded fails, naming beta
    distortion_unreviewed(org)  # alpha's rework worsened while its waiting improved: a flag, not reviewed
    faster = org["targets.yml"][0]
    faster["revisions"] = [
        {"date": "2024-02-01", "was": {"period": "2024-12", "value": 4.0}, "reason": "First raise."},
        {"date": "2024-04-01", "was": {"period": "2024-12", "value": 3.0}, "reason": "Second raise, *early*."},
    ]
    faster["theory"]["assumptions"] = ["Crews stay staffed"]
    org["deficits.yml"][1]["description"] = HOSTILE
    org["practices.yml"][2]["title"] = "Set <b>targets</b> {{ 6 * 7 }} | [x](javascript:alert(1))"
    org["targets.yml"][1]["theory"]["chain"] = ["<img src=x onerror=alert(1)>", "{% raw %}done"]
    org["learning.yml"] += [
        {"date": "2024-03-05", "kind": "decision", "title": "Old decision", "finding": "Decided.", "status": "done"},
        {"date": "2024-05-20", "kind": "distortion-review", "title": "Review of hours", "finding": "Fine.",
         "targets": ["more-hours"], "status": "done"},
    ]
    return org


def quarterly_org() -> dict:
    org = base_org("quarterly")
    rows = quarterly("alpha", "wait-days", (2024, 1), [6, 5, 4.5, 4])
    rows += quarterly("beta", "wait-days", (2024, 1), [6])  # beta stops reporting: 3 quarters behind, stale
    rows += quarterly("alpha", "rework", (2024, 1), [3, 3, 3, 3])
    rows += quarterly("gamma", "satisfaction", (2024, 1), [80, 81, 82, 83])
    org["measurements"] = {"figures.csv": rows}
    return org


@pytest.fixture(scope="module")
def monthly_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("monthly")
    return build_ok(write_org(root, monthly_org()), root / "site")


@pytest.fixture(scope="module")
def monthly_checks(tmp_path_factory):
    root = tmp_path_factory.mktemp("monthly-checks")
    return run_checks(derive_analysis(validate_data(write_org(root, monthly_org()))))


@pytest.fixture(scope="module")
def quarterly_site(tmp_path_factory):
    """The quarterly organization's build context: its pages by direct macro calls (tests/pages.py), no build."""
    return site_of(write_org(tmp_path_factory.mktemp("quarterly"), quarterly_org()))


def page(site: Path, url: str) -> BeautifulSoup:
    path = site / url / "index.html"
    assert path.is_file(), f"no page at {url}"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site, url: str):
    """The article of a built site's page, or of a page made by direct macro calls from a Site (tests/pages.py)."""
    if not isinstance(site, Path):
        return pages.article(site, url.strip("/"))
    node = page(site, url).select_one("article")
    assert node is not None
    return node


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def resolve(site: Path, url: str, href: str) -> tuple[Path, str]:
    """Return the file and fragment a relative link on page `url` points to."""
    path, frag = urldefrag(href)
    path = path.partition("?")[0]  # a query (the scoreboard's filters) leads to the same page
    target = posixpath.normpath(posixpath.join(url, path)) if path else url.rstrip("/")
    file = site / target / "index.html" if not target.endswith(".html") else site / target
    if target in (".", ""):
        file = site / "index.html"
    return file, frag


def assert_link(site: Path, url: str, a) -> Path:
    file, frag = resolve(site, url, a["href"])
    assert file.is_file(), f"{url}: {a['href']} leads nowhere"
    if frag:
        target = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        assert target.find(id=frag) is not None, f"{url}: {a['href']} has no #{frag}"
    return file


# --- every page exists, and every link on it leads somewhere ---------------------------------------------------

@pytest.mark.parametrize("url", MY_PAGES + [f"practices/practice-{n}/" for n in range(1, 12)]
                         + ["targets/faster/", "targets/happier/"])
def test_page_exists_links_resolve_and_names_its_data(monthly_site, url):
    body = article(monthly_site, url)
    assert body.find("h1") is not None
    for a in body.find_all("a", href=True):
        if a["href"].startswith(("http:", "https:", "mailto:")) or "headerlink" in (a.get("class") or []):
            continue
        if a.has_attr("data-hb-pdf"):  # the briefing book's PDF: `make pdf` writes it after the build
            continue
        assert_link(monthly_site, url, a)
    source = body.select_one(".hb-source")
    assert source is not None and "data/" in text(source), f"{url} does not say which data file it comes from"


def test_nav_has_the_onboarding_pages(monthly_site):
    nav = page(monthly_site, "onboarding/").select_one("nav.md-nav--primary")  # pruned: open the section
    labels = [text(a) for a in nav.find_all("a")]
    for label in ("Glossary", "How a status is computed", "How to propose a change", "Print version"):
        assert label in labels


# --- practices ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", range(1, 12))
def test_practice_page_title_summary_and_checklist(monthly_site, monthly_checks, n):
    org = monthly_org()
    practice = org["practices.yml"][n - 1]
    body = article(monthly_site, f"practices/practice-{n}/")
    assert text(body.find("h1")).rstrip("¶ ").strip() == practice["title"]
    assert practice["summary"] in text(body.select_one(".hb-practice-summary"))
    for item in practice["checklist"]:
        li = body.find(id=f"check-{item['id']}")
        assert li is not None, item["id"]
        if "check" in item:
            result = monthly_checks[item["check"]]
            expected = "not-judged" if not result.judged else "pass" if result.passed else "fail"
            assert li["data-result"] == expected
            assert {"pass": "Pass", "fail": "Fail", "not-judged": "Not judged"}[expected] in text(li.select_one(".hb-result"))
            # Stated once, in the item's own words: the check's description and its key are not repeated.
            assert item["text"] in text(li)
            if CHECKS[item["check"]].description != item["text"]:
                assert CHECKS[item["check"]].description not in text(li)
            assert li.find("code") is None  # no check key shown beside it
        else:
            box = li.find("input", attrs={"type": "checkbox"})
            assert box is not None and box["data-hb-item"] == item["id"]


def test_failing_check_names_and_links_the_record(monthly_site):
    body = article(monthly_site, "practices/practice-6/")
    li = body.find(id="check-p6-capacity-recorded")
    assert li["data-result"] == "fail"
    failures = li.select(".hb-check__failures li")
    assert [(f["data-kind"], f["data-id"]) for f in failures] == [("team", "beta")]
    a = failures[0].find("a")
    assert text(a) == "Beta Team"
    assert assert_link(monthly_site, "practices/practice-6/", a) == monthly_site / "teams" / "beta" / "index.html"


def test_failing_target_check_links_the_target(monthly_site):
    li = article(monthly_site, "practices/practice-9/").find(id="check-p9-distortions-reviewed")
    a = li.select_one(".hb-check__failures a")
    assert text(a) == "Cut waiting to 2 days"
    assert assert_link(monthly_site, "practices/practice-9/", a) == monthly_site / "targets" / "faster" / "index.html"


def test_practices_index_groups_by_phase_with_pass_counts(monthly_site, monthly_checks):
    body = article(monthly_site, "practices/")
    org = monthly_org()
    for phase in ("framework", "driving", "learning"):
        heading = body.find(id=f"phase-{phase}")
        cards = heading.find_next("ul", class_="hb-practice-cards").select("li")
        expected = [p for p in org["practices.yml"] if p["phase"] == phase]
        assert [int(c["data-practice"]) for c in cards] == [p["number"] for p in expected]
        for card, p in zip(cards, expected, strict=True):
            # A check with nothing to judge is in neither count: the card says so beside them.
            checks = [i["check"] for i in p["checklist"] if "check" in i and monthly_checks[i["check"]].judged]
            unjudged = sum(1 for i in p["checklist"] if "check" in i and not monthly_checks[i["check"]].judged)
            assert int(card["data-total"]) == len(checks)
            assert int(card["data-passed"]) == sum(monthly_checks[c].passed for c in checks)
            if checks:
                assert f"{card['data-passed']} of {card['data-total']} pass" in text(card)
            assert (f"({unjudged} not judged)" in text(card) or "Automated checks: not judged" in text(card)) == bool(unjudged)


# --- deficits -------------------------------------------------------------------------------------------------

def test_deficits_by_stage_with_evidence_value_and_targets(monthly_site):
    body = article(monthly_site, "deficits/")
    org = monthly_org()
    headings = [h["id"] for h in body.find_all("h2") if h.get("id", "").startswith("stage-")]
    assert headings == ["stage-input", "stage-process", "stage-output", "stage-outcome"]
    for d in org["deficits.yml"]:
        h = body.find(id=f"deficit-{d['id']}")
        assert h is not None and h.name == "h3"
        assert h.find_previous("h2")["id"] == f"stage-{d['stage']}"
    slow = body.find(id="deficit-slow")
    facts = slow.find_next("ul")
    evidence = facts.find("a")
    assert evidence["href"].endswith("#indicator-wait-days")
    # the current value over the deficit's own teams (here alpha only)
    latest = facts.select_one(".hb-latest")
    assert latest["data-period"] == "2024-06" and text(latest) == "4.0 days in 2024-06 (reported by Alpha Team)"
    target_links = [a for a in facts.find_all("a") if "targets/" in a["href"]]
    assert [text(a) for a in target_links] == ["Cut waiting to 2 days"]


def test_hostile_text_is_shown_not_run(monthly_site):
    body = article(monthly_site, "deficits/")
    desc = body.find(id="deficit-few-hours").find_next(class_="hb-deficit-description")
    assert desc.find("script") is None
    assert "<script>alert(1)</script>" in desc.get_text()
    assert "{{ 7 * 7 }}" in desc.get_text() and "49" not in desc.get_text()


def test_hostile_titles_and_chain_steps_are_text(monthly_site):
    h1 = article(monthly_site, "practices/practice-3/").find("h1")
    assert h1.find("b") is None and h1.find("a", href=re.compile("^javascript:")) is None
    assert "{{ 6 * 7 }}" in h1.get_text() and "42" not in h1.get_text()
    chain = article(monthly_site, "targets/more-hours/").select("ol.hb-chain .hb-chain__text")
    assert [c.get_text() for c in chain[1:3]] == ["<img src=x onerror=alert(1)>", "{% raw %}done"]
    assert article(monthly_site, "targets/more-hours/").find("img") is None


def test_stages_without_deficit_called_out(quarterly_site):
    body = article(quarterly_site, "deficits/")
    called = sorted(p["data-stage"] for p in body.select("p.hb-none[data-stage]"))
    assert called == ["input", "outcome", "process"]
    warning = body.select_one(".admonition.warning")
    assert warning is not None and "input, process and outcome stages" in text(warning)


# --- targets --------------------------------------------------------------------------------------------------

def test_targets_index_lists_every_target(monthly_site):
    body = article(monthly_site, "targets/")
    links = [a for a in body.select("table a") if re.search(r"^(\.\./)?[a-z-]+/$", a["href"]) and "indicators" not in a["href"]]
    titles = {text(a) for a in links}
    assert {t["title"] for t in monthly_org()["targets.yml"]} <= titles


def test_target_page_facts_status_theory_guardrails_revisions(monthly_site, tmp_path):
    body = article(monthly_site, "targets/faster/")
    assert text(body.find("h1")).rstrip("¶ ").strip() == "Cut waiting to 2 days"
    table = body.find("table")
    assert table.find("thead") is None  # row headers name the facts: no "Fact / Value" header row
    facts = {text(r.find("th")): text(r.find("td")) for r in table.select("tbody tr")}
    assert facts["Owner"] == "Director"
    assert facts["Deadline"] == "2024-12"
    assert facts["Target"] == "2.0 days"
    assert facts["Baseline"] == "each team's own figure for 2024-01"
    # status per team, as derive computes it
    hb = validate_data(write_org(tmp_path, monthly_org()))
    expected = {s.team: s for s in derive_analysis(hb).by_target["faster"]}
    rows = body.find(id="status").find_next("table").select("tbody tr")
    assert len(rows) == 2
    for row in rows:
        cells = row.find_all("td")
        team = {"Alpha Team": "alpha", "Beta Team": "beta"}[text(cells[0])]
        assert cells[1].select_one(".hb-status")["data-status"] == expected[team].status.value
        assert STATUS_LABEL[expected[team].status] in text(cells[1])
        assert text(cells[2]) == "2024-06"
    flagged = {text(r.find_all("td")[0]): text(r.find_all("td")[6]) for r in rows}
    assert "Rework rate" in flagged["Alpha Team"] and flagged["Beta Team"] == "none"
    # the chain: target, each step, the mission, in order
    chain = body.select("ol.hb-chain > li")
    assert [text(li.select_one(".hb-chain__text")) for li in chain] == [
        "Cut waiting to 2 days", "Faster service", "Happier residents", "Serve residents well."]
    assert "Crews stay staffed" in text(body.find(id="assumptions").find_next("ul"))
    guard = body.find(id="guardrails").find_next("ul")
    assert "Distortion flag" in text(guard) and "worsened by 4" in text(guard)
    revs = body.select("table.hb-revisions tbody tr")
    assert [text(r.find_all("td")[0]) for r in revs] == ["2024-04-01", "2024-02-01"]
    assert [text(r.find_all("td")[2]) for r in revs] == ["2.0 days in 2024-12", "3.0 days in 2024-12"]
    assert revs[0].find("em") is not None  # the reason is rendered Markdown


def test_target_page_search_entry_keeps_its_facts_prose_and_guardrails(monthly_site):
    import json

    docs = json.loads((monthly_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    entries = [d for d in docs if d["location"].startswith("targets/faster/")]
    assert entries and entries[0]["title"] == "Cut waiting to 2 days"
    words = " ".join(BeautifulSoup(d["text"], "html.parser").get_text(" ") for d in entries)
    org = monthly_org()
    faster = org["targets.yml"][0]
    assert "Director" in words  # the owner, from the facts table
    assert "Alpha Team" in words and "Beta Team" in words  # its teams
    assert " ".join(faster["theory"]["link"].split())[:40] in " ".join(words.split())  # the theory's prose
    assert "Crews stay staffed" in words  # an assumption
    assert "Distortion flag" in words  # a guardrail's flag
    assert "hb-slot" not in json.dumps(entries)  # no placeholder of held-back HTML


def test_quarterly_target_statuses_use_quarters(quarterly_site):
    rows = article(quarterly_site, "targets/faster/").find(id="status").find_next("table").select("tbody tr")
    got = {text(r.find_all("td")[0]): (r.select_one(".hb-status")["data-status"], text(r.find_all("td")[2])) for r in rows}
    assert got == {"Alpha Team": ("on track", "2024-Q4"), "Beta Team": ("stale", "2024-Q1")}


# --- indicators -----------------------------------------------------------------------------------------------

def test_indicators_catalogue(monthly_site):
    body = article(monthly_site, "indicators/")
    org = monthly_org()
    for ind in org["indicators.yml"]:
        h = body.find(id=f"indicator-{ind['id']}")
        assert h is not None and h.find_previous("h2")["id"] == f"stage-{ind['stage']}"
        facts = h.find_next("dl")
        values = {text(dt): text(dt.find_next("dd")) for dt in facts.find_all("dt")}
        assert values["Unit"] == ind["unit"]
        assert ("Lower" if ind["better"] == "lower" else "Higher") in values["Direction"]
    # rework has no `aggregate` (none): never the mean of the teams (6 %), but best, median and worst, each named
    latest = body.find(id="indicator-rework").find_next("dl").select_one(".hb-latest")
    assert text(latest).replace(" ,", ",") == (
        "In 2024-06, of the 3 teams that reported: best 3 % (Gamma Team), median 5 % (Beta Team), worst 9 % (Alpha Team)")
    reporters = [text(a) for a in body.find(id="indicator-rework").find_next(
        lambda tag: tag.name == "p" and "Reported by" in tag.get_text()).find_all("a")]
    assert reporters == ["Alpha Team", "Beta Team", "Gamma Team"]


def test_indicator_coverage_called_out(tmp_path):
    org = base_org()
    org["indicators.yml"] = [i for i in org["indicators.yml"] if i["stage"] != "input"]
    body = article(site_of(write_org(tmp_path, org)), "indicators/")
    assert "no indicator at this stage" in text(body.find(id="coverage").find_next("table"))
    assert body.select_one("p.hb-none[data-stage=input]") is not None
    # and the practice page for indicators-cover-stages is not wired here, but the deficit register is empty too
    assert body.find(id="stage-input") is not None


# --- learning -------------------------------------------------------------------------------------------------

def test_learning_log_newest_first_with_kind_and_status(monthly_site):
    body = article(monthly_site, "learning/")
    metas = body.find(id="learning-log").find_all_next("p", class_="hb-log-meta")
    dates = [m.find_previous("h3")["id"] for m in metas]
    assert dates == ["log-2024-06-10", "log-2024-05-20", "log-2024-03-05"]
    assert [(m["data-kind"], m["data-status"]) for m in metas] == [
        ("insight", "open"), ("distortion-review", "done"), ("decision", "done")]


def test_learning_flags_reviews_and_ratchet(monthly_site):
    body = article(monthly_site, "learning/")
    flags = body.find(id="distortion-flags").find_next("table").select("tbody tr")
    assert len(flags) == 1
    cells = [text(c) for c in flags[0].find_all("td")]
    assert cells[:3] == ["Cut waiting to 2 days", "Alpha Team", "Rework rate"] and cells[5] == "not yet"
    reviews = body.find(id="distortion-reviews").find_next("ul").find_all("a")
    assert [text(a) for a in reviews] == ["Review of hours"] and reviews[0]["href"] == "#log-2024-05-20"
    timeline = body.select("ol.hb-timeline > li")
    assert [li.find("time")["datetime"] for li in timeline] == ["2024-04-01", "2024-02-01"]
    assert "3.0 days in 2024-12 → 2.0 days in 2024-12" in text(timeline[0])


def test_learning_without_flags_says_so(quarterly_site):
    body = article(quarterly_site, "learning/")
    assert body.select_one("p.hb-none[data-flags='0']") is not None
    assert "No target has been revised yet" in text(body.find(id="ratchet").find_next("p"))


# --- onboarding -----------------------------------------------------------------------------------------------

def test_reading_path_links_every_step(monthly_site):
    body = article(monthly_site, "onboarding/")
    steps = body.find("ol").find_all("li", recursive=False)
    assert len(steps) >= 8
    targets = [assert_link(monthly_site, "onboarding/", li.find("a")) for li in steps]
    assert monthly_site / "deficits" / "index.html" in targets
    assert monthly_site / "onboarding" / "propose-a-change" / "index.html" in targets
    assert "Serve residents well." in text(body.select_one(".hb-mission"))


def test_glossary_terms(monthly_site):
    body = article(monthly_site, "onboarding/glossary/")
    for term in ("deficit", "target", "trajectory", "guardrail", "distortion", "ratchet", "stage", "baseline", "stale",
                 "status-met", "status-on-track", "status-at-risk", "status-off-track", "status-no-data", "status-stale"):
        dt = body.find("dt", id=f"term-{term}")
        assert dt is not None, term
        assert text(dt.find_next_sibling("dd"))


def test_status_rules_use_the_organization_settings(quarterly_site):
    body = article(quarterly_site, "onboarding/status/")
    rules = body.find(id="rules").find_next("ol").find_all("li", recursive=False)
    order = [li.select_one(".hb-status")["data-status"] for li in rules]
    assert order == ["no data", "stale", "met", "on track", "at risk", "off track"]
    assert "2 quarters" in text(rules[1]) and "2024-Q4" in text(rules[1])


def test_propose_a_change_worked_example(monthly_site):
    body = article(monthly_site, "onboarding/propose-a-change/")
    diff = body.select_one("pre.hb-diff code").get_text()
    added = [line[1:] for line in diff.splitlines() if line.startswith("+")]
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-")]
    assert removed == ['  target: {period: "2024-12", value: 2.0}']
    assert any("was: {period: \"2024-12\", value: 2.0}" in line for line in added)
    assert any(line.strip().startswith("reason:") for line in added)
    assert any("date: 2024-06-30" in line for line in added)
    assert body.find(id="steps") is not None


def test_add_figures_example_adds_the_period_after_the_latest(tmp_path, monthly_site):
    body = article(monthly_site, "onboarding/add-figures/")
    assert body.find(id="figures-steps") is not None and "make check" in text(body)
    assert "Report this period" in text(body) and "--rows --team" in text(body)
    hb = validate_data(write_org(tmp_path, monthly_org()))
    frame = hb.measurements
    latest = frame[frame["index"] == hb.latest_period]
    team = str(latest["team"].iloc[0])
    diff = body.select_one("pre.hb-diff code").get_text().splitlines()
    assert diff[0] == " team,indicator,period,value,note"
    # The context is the file's last row, whichever team's it is; then one row per indicator the team reported.
    last = frame.loc[frame["line"].idxmax()]
    assert diff[1:3] == [" ...", f" {last['team']},{last['indicator']},{last['period']},{float(last['value']):g},"]
    added = [line[1:].split(",") for line in diff if line.startswith("+")]
    assert sorted(a[1] for a in added) == sorted(str(i) for i in latest[latest["team"] == team]["indicator"])
    following = format_period(hb.latest_period + 1, "monthly")
    for new in added:
        assert new[0] == team and new[2] == following
        assert float(new[3]) == float(hb.series_for(team, new[1]).last_until(10**9)[1])
    rows = body.select_one("pre.hb-report__rows code").get_text().splitlines()
    assert rows == [f"{team},{a[1]},{following},," for a in added]
    assert "on track -> at risk" in text(body)


def test_print_page_combines_the_path(monthly_site):
    body = article(monthly_site, "onboarding/print/")
    for anchor in ("path", "glossary", "status", "change", "rules", "steps", "example", "figures", "figures-steps"):
        assert body.find(id=anchor) is not None, anchor
    assert body.select_one("dt#term-ratchet") is not None
    assert body.select_one("[data-hb-print]") is not None


def test_print_stylesheet_hides_the_site_chrome():
    css = (Path(__file__).resolve().parent.parent / "docs/assets/css/pages.css").read_text()
    block = css[css.index("@media print"):]
    assert ".md-header" in block and ".md-sidebar" in block and "display: none" in block


# --- home -----------------------------------------------------------------------------------------------------

def test_home_counts_and_start(monthly_site, tmp_path):
    body = article(monthly_site, "")
    a = derive_analysis(validate_data(write_org(tmp_path, monthly_org())))
    tiles = {t["data-status"]: int(text(t.select_one(".hb-tile__n"))) for t in body.select(".hb-tile[data-status]")}
    for s in a.statuses:
        assert tiles[s.status.value] >= 1
    assert sum(tiles.values()) == len(a.statuses)
    facts = {t["data-fact"]: int(text(t.select_one(".hb-tile__n"))) for t in body.select(".hb-tile[data-fact]")}
    assert facts["distortion flags"] == 1 and facts["teams"] == 3


# ---- Unicode, right-to-left, emoji and 300-character names (orgs.odd_org), by direct macro calls -------------------


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    return site_of(write_org(tmp_path_factory.mktemp("odd"), odd_org()))


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_units_with_rtl_emoji_and_long_names_get_distinct_pages(odd):
    units = sorted(args[0] for name, *args in plan_pages(odd).values() if name == "unit_page")
    assert len(units) == len(set(units)) == 6, units  # Operations, Support, Opérations spéciales, RTL, emoji, long
    shown = {_squash(page_soup(odd, "unit_page", f"units/{u}.md", u).select_one("h1").get_text(" ", strip=True))
             for u in units}
    for unit in (UNIT_RTL, UNIT_EMOJI, "Opérations spéciales", LONG_UNIT):
        assert any(s.startswith(_squash(unit)) for s in shown), unit
    assert all(len(u) <= 100 for u in units), "unit slugs must stay short enough for file systems"


def test_long_and_unicode_text_on_target_indicator_and_scoreboard_pages(odd):
    target = page_soup(odd, "target_page", "targets/long-target.md", "long-target")
    assert _squash(target.select_one("h1").get_text(" ", strip=True)).startswith(_squash(LONG_TARGET))
    chain = [_squash(li.get_text(" ", strip=True)) for li in target.select("ol.hb-chain li")]
    assert any(ARABIC in c for c in chain) and any(HEBREW in c for c in chain) and any(EMOJI in c for c in chain)
    indicators = _squash(page_soup(odd, "indicators_page", "indicators.md").get_text(" ", strip=True))
    assert _squash(LONG_INDICATOR) in indicators and "😊" in indicators
    text = _squash(page_soup(odd, "scoreboard", "scoreboard.md").get_text(" ", strip=True))
    assert ARABIC in text and EMOJI in text
    # A chart's figure carries the Unicode names as data.
    emoji_page = page_soup(odd, "team_page", "teams/emoji.md", "emoji")
    figures = [json.loads(c["data-figure"]) for c in emoji_page.select("[data-figure]")]
    assert figures


# ---- the messy organization (orgs.messy_org) by direct macro calls: tolerances, revisions, wording --------------


def test_a_tolerance_finer_than_the_display_precision_is_shown_in_points(messy):
    page = pages.article(messy, "targets/late-under-5")
    guard = page.find(id="guardrails").find_next("ul")
    assert pages.text(guard.find("p")) == "Satisfaction must not get worse by more than 0.5 points from the baseline (higher is better)."
    north = next(li for li in guard.select("ul ul li") if "North Depot" in pages.text(li))
    assert "worsened by 1 point (80 % to 79 %, 2024-01 to 2024-12)" in pages.text(north)
    south = next(li for li in guard.select("ul ul li") if "South Depot" in pages.text(li))
    assert pages.text(south) == "South Depot: unchanged (70 % to 70 %, 2024-01 to 2024-12)"
    flags = pages.article(messy, "learning").find(id="distortion-flags").find_next("table").select("tbody tr")
    cells = [pages.text(td) for td in flags[0].find_all("td")]
    assert cells[3:5] == ["1 point (2024-01 to 2024-12)", "0.5 points"]
    summary = [pages.text(f) for f in pages.article(messy, "teams/north").select(".hb-chart__summary") if pages.text(f).startswith("Satisfaction")]
    assert summary == ["Satisfaction: worse by 1 point (80 % in 2024-01 to 79 % in 2024-12); distortion flag: worse by "
                       "more than the tolerance of 0.5 points while the target improved."]


def test_learning_and_target_pages_label_every_revision(messy):
    expected = ["Raised the bar and moved the deadline later", "Moved the deadline earlier", "Moved the deadline later",
                "Lowered the bar", "Raised the bar"]  # newest first
    timeline = pages.article(messy, "learning").select("ol.hb-timeline > li .hb-timeline__kind")
    assert [pages.text(k) for k in timeline] == expected
    table = pages.article(messy, "targets/fewer-claims").select("table.hb-revisions tbody tr")
    assert [pages.text(r.select_one(".hb-revision-kind")) for r in table] == expected
    assert [pages.text(r.find_all("td")[1]) + " → " + pages.text(r.find_all("td")[2]) for r in table][3] == (
        "25 claims in 2025-06 → 28 claims in 2025-06")


def test_an_organization_name_that_needs_the_is_not_made_possessive(messy):
    page = pages.article(messy, "onboarding")
    intro = next(p for p in page.find_all("p") if "performance handbook" in p.get_text())
    assert pages.text(intro).startswith("Welcome. This is the performance handbook of: Department of Transport.")
    assert "Transport's" not in pages.text(page)


def test_counts_agree_with_their_nouns_and_lists_are_joined(messy):
    home = pages.article(messy, "")
    tiles = {t["data-fact"]: pages.text(t) for t in home.select(".hb-tile[data-fact]")}
    assert tiles["stale teams"] == "1 stale team" and tiles["distortion flags"] == "1 distortion flag"
    learning = pages.text(pages.article(messy, "learning"))
    assert "raises 1 distortion flag;" in learning and "revised 5 times" in learning
    deficits = pages.text(pages.article(messy, "deficits"))
    assert "No deficit has been identified at the input and process stages. Either those stages work well" in deficits


def test_a_practice_with_one_automated_check_says_so_in_the_singular(sample_site):
    score = BeautifulSoup((sample_site / "practices" / "practice-3" / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("article").select_one(".hb-practice-score")
    assert score["data-total"] == "1"
    assert pages.text(score) == f"{score['data-passed']} of 1 automated check passes"
