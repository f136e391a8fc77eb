"""Two editions from one data set: the public edition leaks nothing internal, the rules `check` enforces, and an
organization that marks nothing builds its intranet edition exactly as before."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_ok, run_cli
from macros.edition import RULES, EditionError, check_edition_rules, edition_from_env, public_view
from macros.validate import validate_data
from orgs import base_org, clone, monthly, write_org

# ---------------------------------------------------------------------------------------------------------------
# A fixture organization with public and internal records. Every text of an internal record holds a marker
# (QZINT..., ids qzint-...), every public record a public one (QZPUB...).

INTERNAL_IDS = ["qzint-team", "qzint-indicator", "qzint-guard", "qzint-deficit", "qzint-target", "qzint-target2"]


def marked_org() -> dict:
    org = base_org()
    org["organization.yml"]["big_picture"] = "We serve QZPUBbigpicture everyone."
    org["teams.yml"] = [
        {"id": "alpha", "name": "QZPUBteamalpha", "unit": "QZPUBunit", "lead": "QZPUBlead",
         "description": "QZPUBteamdesc", "visibility": "public"},
        {"id": "beta", "name": "QZPUBteambeta", "unit": "QZPUBunit", "visibility": "public"},
        {"id": "qzint-team", "name": "QZINTteamname", "unit": "QZINTunit", "lead": "QZINTlead",
         "description": "QZINTteamdesc"},
    ]
    org["indicators.yml"] = [
        {"id": "wait-days", "name": "QZPUBindname", "unit": "days", "stage": "output", "better": "lower",
         "decimals": 1, "description": "QZPUBinddesc", "source": "QZPUBindsource", "visibility": "public"},
        {"id": "satisfaction", "name": "QZPUBsatisfaction", "unit": "%", "stage": "outcome", "better": "higher",
         "visibility": "public"},
        {"id": "qzint-indicator", "name": "QZINTindname", "unit": "QZINTindunit", "stage": "input",
         "better": "higher", "description": "QZINTinddesc", "source": "QZINTindsource"},
        {"id": "qzint-guard", "name": "QZINTguardname", "unit": "QZINTguardunit", "stage": "process",
         "better": "lower", "description": "QZINTguarddesc"},
    ]
    org["deficits.yml"] = [
        {"id": "slow", "title": "QZPUBdeficit", "stage": "output", "indicator": "wait-days", "teams": ["alpha"],
         "description": "QZPUBdeficitdesc", "visibility": "public"},
        {"id": "qzint-deficit", "title": "QZINTdeficit", "stage": "input", "indicator": "qzint-indicator",
         "teams": ["qzint-team"], "description": "QZINTdeficitdesc"},
    ]
    theory = {"link": "QZPUBlink", "chain": ["QZPUBchain1", "QZPUBchain2"], "assumptions": ["QZPUBassumption"]}
    org["targets.yml"] = [
        {"id": "faster", "title": "QZPUBtarget", "deficit": "slow", "indicator": "wait-days",
         "teams": ["alpha", "beta"], "owner": "QZPUBowner",
         "baseline": {"period": "2024-01"}, "target": {"period": "2024-12", "value": 2.0}, "theory": theory,
         # The documented exception: a guardrail on an internal indicator, left out of the public edition.
         "guardrails": [{"indicator": "qzint-guard", "tolerance": 0.5}],
         "revisions": [{"date": "2024-03-01", "was": {"period": "2024-12", "value": 3.0}, "reason": "QZPUBreason"}],
         "visibility": "public"},
        {"id": "qzint-target", "title": "QZINTtarget", "deficit": "slow", "indicator": "satisfaction",
         "teams": ["alpha"], "owner": "QZINTowner",
         "baseline": {"period": "2024-01", "value": 60}, "target": {"period": "2024-12", "value": 80},
         "theory": {"link": "QZINTlink", "chain": ["QZINTchain"], "assumptions": ["QZINTassumption"]},
         "revisions": [{"date": "2024-02-01", "was": {"period": "2024-12", "value": 70}, "reason": "QZINTreason"}]},
        {"id": "qzint-target2", "title": "QZINTtargettwo", "deficit": "qzint-deficit", "indicator": "qzint-indicator",
         "teams": ["qzint-team"], "owner": "QZINTownertwo",
         "baseline": {"period": "2024-01", "value": 10}, "target": {"period": "2024-12", "value": 20},
         "theory": {"link": "QZINTlinktwo", "chain": ["QZINTchaintwo"]}},
    ]
    org["capacity.yml"] = [
        {"team": "alpha", "staff": 7, "resources": ["QZPUBresource"], "visibility": "public",
         "needs": [{"need": "QZPUBneed", "kind": "people", "status": "requested", "date": "2024-02-01"}]},
        {"team": "beta", "staff": 3, "budget": 123456789, "resources": ["QZINTresource"],
         "needs": [{"need": "QZINTneed", "kind": "money", "status": "requested", "date": "2024-02-01"}]},
        {"team": "qzint-team", "staff": 5, "resources": ["QZINTresourcetwo"]},
    ]
    org["recognition.yml"] = [
        {"date": "2024-05-01", "team": "alpha", "kind": "recognition", "title": "QZPUBrecognition",
         "target": "faster", "description": "QZPUBrecdesc", "visibility": "public"},
        {"date": "2024-06-01", "team": "alpha", "kind": "esteem", "title": "QZINTrecognition",
         "target": "qzint-target", "description": "QZINTrecdesc"},
        {"date": "2024-06-02", "team": "qzint-team", "kind": "recognition", "title": "QZINTrecognitiontwo"},
    ]
    org["learning.yml"] = [
        {"date": "2024-07-01", "kind": "insight", "title": "QZPUBlearning", "finding": "QZPUBfinding",
         "action": "QZPUBaction", "targets": ["faster"], "indicators": ["wait-days"], "visibility": "public"},
        {"date": "2024-07-02", "kind": "distortion-review", "title": "QZINTlearning", "finding": "QZINTfinding",
         "action": "QZINTaction", "targets": ["qzint-target", "faster"], "indicators": ["qzint-guard"]},
    ]
    rows = monthly("alpha", "wait-days", (2024, 1), [6.0, 5.0, 4.0, 3.5])
    rows += monthly("beta", "wait-days", (2024, 1), [7.0, 6.5, 6.0, 5.0])
    rows += monthly("alpha", "satisfaction", (2024, 1), [60, 65, 70, 72])
    rows += monthly("alpha", "qzint-guard", (2024, 1), [1.0, 2.0, 3.0, 4.0])  # flags a distortion, internally
    rows += monthly("qzint-team", "wait-days", (2024, 1), [9.0, 9.0, 9.0, 9.0])
    rows += monthly("qzint-team", "qzint-indicator", (2024, 1), [10, 12, 14, 16])
    # A later period, reported only by an internal team: the public edition's latest period is 2024-04.
    rows += [("qzint-team", "qzint-indicator", "2024-05", 18)]
    rows = [(*r, "") for r in rows]
    rows[1] = (*rows[1][:4], "QZPUBnote")  # alpha, wait-days, 2024-02: a public figure's note
    rows[10] = (*rows[10][:4], "QZPUBnotesat")  # alpha, satisfaction: a public team and indicator
    rows[13] = (*rows[13][:4], "QZINTnoteguard")  # alpha on the internal guardrail indicator
    rows[17] = (*rows[17][:4], "QZINTnoteteam")  # the internal team on a public indicator
    org["measurements"] = {"figures.csv": rows, "qzint-team.csv": []}
    return org


def _markers(org: dict, prefix: str) -> set[str]:
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            found.update(w.strip(".,*") for w in value.split() if w.startswith(prefix))

    walk(org)
    return found


def _site_texts(site: Path) -> dict[str, str]:
    """Every output file's text (gzipped files decompressed), lowercased, by path."""
    out = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        out[path.relative_to(site).as_posix()] = raw.decode("utf-8", errors="replace").lower()
    return out


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    root = tmp_path_factory.mktemp("marked")
    org = marked_org()
    data = write_org(root, org)
    return org, data, build_ok(data, root / "public", edition="public"), build_ok(data, root / "intranet")


def test_the_marked_organization_is_valid_and_marks_what_it_says(tmp_path):
    hb = validate_data(write_org(tmp_path, marked_org()))
    pub = public_view(hb)
    assert sorted(pub.teams) == ["alpha", "beta"]
    assert sorted(pub.indicators) == ["satisfaction", "wait-days"]
    assert sorted(pub.deficits) == ["slow"] and sorted(pub.targets) == ["faster"]
    assert pub.targets["faster"].guardrails == ()  # the internal guardrail is left out
    assert hb.targets["faster"].guardrails[0].indicator == "qzint-guard"
    assert sorted(pub.capacity) == ["alpha"]
    assert [r.title for r in pub.recognition] == ["QZPUBrecognition"]
    assert [e.title for e in pub.learning] == ["QZPUBlearning"]
    assert set(pub.series) == {("alpha", "wait-days"), ("beta", "wait-days"), ("alpha", "satisfaction")}
    assert len(pub.measurements) == 12
    # No internal spelling stays in the frame, not even as an unused category.
    for column in ("team", "indicator", "note"):
        assert not any("qzint" in str(c).lower() for c in pub.measurements[column].cat.categories), column
    # Freshness is judged on the public figures: the internal team's later period is not the latest.
    assert hb.latest_period != pub.latest_period and pub.latest_period == int(pub.measurements["index"].max())


def test_the_public_edition_carries_no_internal_marker_in_any_file(marked):
    org, _data, public, intranet = marked
    internal = {m.lower() for m in _markers(org, "QZINT")} | set(INTERNAL_IDS)
    public_files = _site_texts(public)
    kinds = {Path(p).suffix for p in public_files}
    assert {".html", ".json", ".csv", ".xml", ".gz"} <= kinds, kinds
    assert "search/search_index.json" in public_files and "downloads/status.json" in public_files
    leaks = {m: [p for p, text in public_files.items() if m in text] for m in internal}
    assert {m: files for m, files in leaks.items() if files} == {}
    # The markers are real: the intranet edition shows every one of them somewhere.
    intranet_text = "\n".join(_site_texts(intranet).values())
    assert [m for m in sorted(internal) if m not in intranet_text] == []


def test_the_public_edition_shows_every_public_record(marked):
    org, _data, public, _intranet = marked
    texts = _site_texts(public)
    everything = "\n".join(texts.values())
    expected = {m.lower() for m in _markers(org, "QZPUB")}
    assert [m for m in sorted(expected) if m not in everything] == []
    # On a page, too (figures' notes are on the charts and data tables as well as in the downloads).
    html = "\n".join(t for p, t in texts.items() if p.endswith(".html"))
    assert [m for m in sorted(expected) if m not in html] == []
    assert "teams/alpha/index.html" in texts and "teams/beta/index.html" in texts
    assert "targets/faster/index.html" in texts
    assert not any("qzint" in p for p in texts)


def test_public_downloads_and_status_are_the_public_records(marked):
    _org, _data, public, intranet = marked
    rows = json.loads((public / "downloads" / "status.json").read_text(encoding="utf-8"))
    rows = rows["statuses"] if isinstance(rows, dict) else rows
    assert sorted({(r["target"], r["team"]) for r in rows}) == [("faster", "alpha"), ("faster", "beta")]
    # No distortion flag from the internal guardrail in the public edition; the intranet edition has it.
    assert all(r["distortions"] == [] for r in rows)
    inner = json.loads((intranet / "downloads" / "status.json").read_text(encoding="utf-8"))
    inner = inner["statuses"] if isinstance(inner, dict) else inner
    assert any(r["distortions"] == ["qzint-guard"] for r in inner if r["target"] == "faster")
    csvs = sorted(p.name for p in (public / "downloads").rglob("*.csv"))
    assert not any("qzint" in name for name in csvs)
    team_csv = next((public / "downloads").rglob("alpha*.csv")).read_text(encoding="utf-8")
    assert "wait-days" in team_csv and "satisfaction" in team_csv and "qzint" not in team_csv.lower()


def test_public_home_counts_are_the_public_records(marked):
    _org, _data, public, intranet = marked

    def counts(site: Path) -> tuple:
        # The glance's tiles since the glance issue: statuses, then what needs a look, then the sizes.
        soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").select_one("article")
        n = lambda sel: soup.select_one(sel).select_one(".hb-tile__n").get_text(strip=True)  # noqa: E731
        period = re.search(r"latest reported period, (\S+):", " ".join(soup.select_one(".hb-glance-note").get_text().split()))
        return (period.group(1), n('.hb-tile[data-status="on track"]'), n('[data-fact="teams"]'), n('[data-fact="targets"]'),
                n('[data-fact="indicators"]'), n('[data-fact="distortion flags"]'))

    # period, teams on track, teams, targets, indicators, distortion flags
    assert counts(public) == ("2024-04", "2", "2", "1", "2", "0")
    assert counts(intranet) == ("2024-05", "4", "3", "3", "4", "1")


def test_the_public_sitemap_lists_no_internal_page(marked):
    _org, _data, public, _intranet = marked
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert any("teams/alpha" in loc for loc in locs)
    assert not any("qzint" in loc for loc in locs)


def test_the_editions_page_says_which_edition_and_states_the_rules(marked):
    _org, _data, public, intranet = marked

    def article(site: Path):
        return BeautifulSoup((site / "onboarding" / "editions" / "index.html").read_text(encoding="utf-8"),
                             "html.parser").select_one("article")

    inner = article(intranet)
    assert inner.select_one(".admonition-title").get_text(strip=True) == "This is the intranet edition"
    # The editions page is for the people who edit the data: the public edition leaves it out, and says which
    # edition it is in its header and on its home page instead.
    assert not (public / "onboarding" / "editions").exists()
    home = BeautifulSoup((public / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".md-header__topic").get_text(" ", strip=True).endswith("Public edition")
    assert home.select_one(".hb-edition-note").get_text(" ", strip=True).startswith("Public edition")
    intranet_home = BeautifulSoup((intranet / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Public edition" not in intranet_home.get_text()
    note = " ".join(inner.select_one(".admonition").get_text(" ", strip=True).split())
    assert note.endswith("the public edition leaves out 1 team, 2 indicators, 1 deficit, 2 targets, 2 capacity "
                         "records, 2 recognition entries, 1 learning entry, 13 figures, 1 guardrail of a public "
                         "target.")
    for body in (inner,):
        rules = body.find(id="rules").find_next("ul")
        assert [" ".join(li.get_text(" ", strip=True).split()) for li in rules.find_all("li")] == [
            " ".join(r.split()) for r in RULES]


# ---------------------------------------------------------------------------------------------------------------
# Nothing changes for an organization that marks nothing


def _every_record(org: dict, visibility: str) -> dict:
    org = clone(org)
    org["organization.yml"]["default_visibility"] = visibility
    for name in ("teams.yml", "indicators.yml", "deficits.yml", "targets.yml", "capacity.yml", "recognition.yml",
                 "learning.yml"):
        for record in org.get(name) or []:
            record["visibility"] = visibility
    return org


def _unmarked_org() -> dict:
    org = base_org()
    org["capacity.yml"] = [{"team": "alpha", "staff": 4, "needs": [{"need": "A van", "kind": "technology",
                                                                     "status": "requested"}]}]
    org["recognition.yml"] = [{"date": "2024-05-01", "team": "alpha", "kind": "recognition", "title": "Well done",
                               "target": "faster"}]
    org["learning.yml"] = [{"date": "2024-07-01", "kind": "insight", "title": "Learned", "finding": "Things.",
                            "targets": ["faster"]}]
    rows = monthly("alpha", "wait-days", (2024, 1), [6.0, 5.0, 4.0]) + monthly("beta", "rework", (2024, 1), [3, 4, 5])
    org["measurements"] = {"figures.csv": rows}
    return org


def test_marking_every_record_internal_builds_the_same_intranet_files(tmp_path):
    plain = build_ok(write_org(tmp_path / "plain", _unmarked_org()), tmp_path / "plain-site")
    marked = build_ok(write_org(tmp_path / "marked", _every_record(_unmarked_org(), "internal")), tmp_path / "marked-site")
    a, b = _site_texts(plain), _site_texts(marked)
    assert sorted(a) == sorted(b)
    assert [p for p in a if (plain / p).read_bytes() != (marked / p).read_bytes()] == []
    # Every record public gives the same intranet edition too, but for the page on the editions, which says what
    # the public edition leaves out (and the search index, which holds that page's text).
    public = build_ok(write_org(tmp_path / "pub", _every_record(_unmarked_org(), "public")), tmp_path / "pub-site")
    differ = [p for p in a if (plain / p).read_bytes() != (public / p).read_bytes()]
    assert sorted(differ) == ["onboarding/editions/index.html", "search/search_index.json"]


def test_an_organization_that_marks_nothing_has_an_empty_public_edition(tmp_path):
    data = write_org(tmp_path, _unmarked_org())
    hb = public_view(validate_data(data))
    assert (hb.teams, hb.indicators, hb.targets, hb.capacity, hb.recognition, hb.learning) == ({}, {}, {}, {}, (), ())
    assert len(hb.measurements) == 0 and hb.series == {} and hb.latest_period is None
    site = build_ok(data, tmp_path / "site", edition="public")
    assert not (site / "teams" / "alpha").exists()
    assert "alpha team" not in "\n".join(_site_texts(site).values())


# ---------------------------------------------------------------------------------------------------------------
# The rules `check` enforces (in either edition): each problem names both records. Their messages are pinned in the
# tables of tests/test_validation_messages.py (with the helpers below).


def _public(org: dict) -> dict:
    """The fixture organization with every record public."""
    return _every_record(org, "public")


def _set(org: dict, file: str, match: dict, **changes) -> dict:
    for record in org[file]:
        if all(record.get(k) == v for k, v in match.items()):
            record.update(changes)
            return org
    raise KeyError(match)


def test_an_internal_guardrail_of_a_public_target_is_allowed_and_left_out(tmp_path):
    org = _set(_public(base_org()), "indicators.yml", {"id": "rework"}, visibility="internal")
    hb = validate_data(write_org(tmp_path, org))
    assert check_edition_rules(hb) == []
    assert public_view(hb).targets["faster"].guardrails == ()


def test_default_visibility_decides_unmarked_records(tmp_path):
    org = base_org()
    org["organization.yml"]["default_visibility"] = "public"
    _set(org, "teams.yml", {"id": "gamma"}, visibility="internal")
    hb = validate_data(write_org(tmp_path, org))
    assert sorted(public_view(hb).teams) == ["alpha", "beta"]
    assert {t.visibility for t in hb.teams.values()} == {"public", "internal"}


def test_check_reports_an_edition_rule(tmp_path):
    data = write_org(tmp_path, _set(_public(base_org()), "teams.yml", {"id": "beta"}, visibility="internal"))
    result = run_cli("check", data=data)
    assert result.returncode == 1
    assert "target 'faster', field 'teams': expected a public team" in result.stderr
    assert "found team 'beta' (data/teams.yml:5), which is internal." in result.stderr


# ---------------------------------------------------------------------------------------------------------------
# The switch: HANDBOOK_EDITION and --edition


def test_edition_from_env():
    assert edition_from_env({}) == "intranet"
    assert edition_from_env({"HANDBOOK_EDITION": "public"}) == "public"
    assert edition_from_env({"HANDBOOK_EDITION": ""}) == "intranet"
    with pytest.raises(EditionError) as caught:
        edition_from_env({"HANDBOOK_EDITION": "Public"})
    assert str(caught.value) == "HANDBOOK_EDITION is 'Public': expected one of intranet, public (default intranet)"


def test_status_json_takes_the_switch(tmp_path):
    data = write_org(tmp_path, marked_org())
    every = json.loads(run_cli("status", "--json", data=data).stdout)
    assert {r["target"] for r in every} == {"faster", "qzint-target", "qzint-target2"}
    for result in (run_cli("status", "--json", "--edition", "public", data=data),
                   run_cli("status", "--json", data=data, env={"HANDBOOK_EDITION": "public"})):
        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout)
        assert sorted((r["target"], r["team"]) for r in rows) == [("faster", "alpha"), ("faster", "beta")]
        assert "qzint" not in result.stdout.lower()
    # --edition wins over the environment.
    rows = json.loads(run_cli("status", "--json", "--edition", "intranet", data=data,
                              env={"HANDBOOK_EDITION": "public"}).stdout)
    assert len(rows) == len(every)


def test_an_unknown_edition_is_a_clear_error(tmp_path):
    data = write_org(tmp_path, base_org())
    result = run_cli("status", "--edition", "extranet", data=data)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --edition is 'extranet': expected one of intranet, public (default intranet)"
    result = run_cli("check", data=data, env={"HANDBOOK_EDITION": "pubic"})
    assert result.returncode == 2
    assert "HANDBOOK_EDITION is 'pubic'" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_edition_fails_the_build(tmp_path):
    data = write_org(tmp_path, base_org())
    env = dict(os.environ, HANDBOOK_DATA=str(data), NO_MKDOCS_2_WARNING="1", HANDBOOK_EDITION="publik")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "s")]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "HANDBOOK_EDITION is 'publik': expected one of intranet, public" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "s" / "index.html").exists()


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)


def test_diff_takes_the_switch(tmp_path):
    org = marked_org()
    _git(tmp_path, "init", "-q")
    write_org(tmp_path, org)
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    changed = clone(org)
    for t in changed["targets.yml"]:
        t["target"]["value"] = t["target"]["value"] + 1  # every target moves
    changed["targets.yml"].append({**clone(changed["targets.yml"][1]), "id": "qzint-new", "title": "QZINTnew"})
    data = write_org(tmp_path, changed)
    intranet = run_cli("diff", "HEAD", data=data, cwd=tmp_path)
    assert intranet.returncode == 0, intranet.stderr
    assert "qzint-target" in intranet.stdout and "QZINTnew" in intranet.stdout
    public = run_cli("diff", "HEAD", "--edition", "public", data=data, cwd=tmp_path)
    assert public.returncode == 0, public.stderr
    assert "`faster`" in public.stdout and "Added" not in public.stdout
    assert "qzint" not in public.stdout.lower()


# ---------------------------------------------------------------------------------------------------------------
# Publishing: both workflows build both editions, each its own artifact


def _steps(workflow: str, job: str) -> list[dict]:
    import yaml

    doc = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    return doc["jobs"][job]["steps"]


@pytest.mark.parametrize("workflow, artifact", [("pr.yml", "site-public-preview"), ("publish.yml", "site-public")])
def test_the_workflows_build_and_upload_the_public_edition(workflow, artifact):
    steps = _steps(workflow, "check")
    builds = [s for s in steps if "mkdocs build --strict" in s.get("run", "")]
    assert [(s.get("env") or {}).get("HANDBOOK_EDITION") for s in builds] == [None, "public"]
    assert builds[1]["run"].endswith("-d site-public")
    uploads = {s["with"].get("name"): s["with"]["path"].rstrip("/") for s in steps
               if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads[artifact] == "site-public"
    assert "site-public" not in {s.get("with", {}).get("path", "").rstrip("/") for s in steps
                                 if s.get("uses", "").startswith("actions/upload-pages-artifact@")}


def test_public_view_decides_every_field_of_the_handbook(tmp_path):
    import dataclasses

    from macros import edition
    from macros.model import Handbook

    assert {f.name for f in dataclasses.fields(Handbook)} == edition.SHARED_FIELDS | edition.CUT_FIELDS
    hb = validate_data(write_org(tmp_path, base_org()))
    odd = type("Odd", (Handbook,), {"__annotations__": {"secret": str}, "secret": ""})
    odd = dataclasses.dataclass(frozen=True)(odd)
    with pytest.raises(RuntimeError, match="does not say how to cut Handbook.secret"):
        public_view(odd(**{f.name: getattr(hb, f.name) for f in dataclasses.fields(hb)}, secret="x"))


def test_check_in_the_public_edition_counts_what_it_holds(tmp_path):
    data = write_org(tmp_path, marked_org())
    result = run_cli("check", data=data, env={"HANDBOOK_EDITION": "public"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        ": valid. 3 teams, 4 indicators, 2 deficits, 3 targets, 25 figures. "
        "The public edition: 2 teams, 2 indicators, 1 deficit, 1 target, 12 figures.")
    assert "public edition" not in run_cli("check", data=data).stdout
    found = json.loads(run_cli("check", "--format", "json", data=data, env={"HANDBOOK_EDITION": "public"}).stdout)
    assert found["public_counts"] == {"teams": 2, "indicators": 2, "deficits": 1, "targets": 1, "figures": 12}


def test_a_public_target_whose_guardrails_are_internal_says_none_is_published(marked):
    _org, _data, public, intranet = marked
    from bs4 import BeautifulSoup

    def missing(site):
        soup = BeautifulSoup((site / "targets" / "faster" / "index.html").read_text(encoding="utf-8"), "html.parser")
        return [p.get_text(" ", strip=True) for p in soup.select("p.hb-missing") if "guardrail" in p.get_text()]

    # Not "this target has no guardrail" (untrue: it has an internal one), and nothing about the internal one.
    assert missing(public) == ["No guardrail of this target is published in this edition. See practice 9 ."]
    assert missing(intranet) == []


def test_a_public_team_whose_records_are_internal_says_they_are_not_published(marked):
    """Not "no capacity recorded yet" for a team whose capacity record is internal (untrue), and nothing of it."""
    _org, _data, public, intranet = marked

    def section(site, team, anchor):
        soup = BeautifulSoup((site / "teams" / team / "index.html").read_text(encoding="utf-8"), "html.parser")
        texts, node = [], soup.find(id=anchor).find_next_sibling()
        while node is not None and node.name != "h2":
            texts.append(node.get_text(" ", strip=True))
            node = node.find_next_sibling()
        return " ".join(texts)

    # beta's capacity record is internal: the public page says so; the intranet shows it.
    assert section(public, "beta", "capacity") == "This team's capacity is not published in this edition."
    assert "Staff" in section(intranet, "beta", "capacity")
    # alpha's capacity is public: shown in both, with no such sentence.
    assert "not published" not in section(public, "alpha", "capacity") and "Staff" in section(public, "alpha", "capacity")
    # alpha has a public recognition and an internal esteem entry: the public page shows the first and says there is
    # more; beta has none at all: "none recorded yet" stays true in both editions.
    alpha = section(public, "alpha", "recognition")
    assert "QZPUBrecognition" in alpha and "QZINT" not in alpha
    assert alpha.endswith("Other entries for this team are not published in this edition.")
    assert "not published" not in section(intranet, "alpha", "recognition")
    for site in (public, intranet):
        assert section(site, "beta", "recognition").startswith("No recognition or esteem opportunity recorded yet")
