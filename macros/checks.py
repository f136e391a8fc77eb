"""Automated checklist checks: each computes, from the data, whether a practice's item holds and what fails it.

A checklist item in data/practices.yml names one of these by its key in `check`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from .derive import Analysis
from .due import derive_dues
from .i18n import N_, _, ngettext
from .model import Stage, Status


@dataclass(frozen=True)
class Failure:
    """One record that fails a check, named so a page can link to it."""

    kind: str  # team | target | deficit | indicator | stage | organization | learning
    id: str
    reason: str


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    failures: tuple[Failure, ...] = field(default_factory=tuple)
    note: str = ""  # why the check judged nothing (`judged` False), or why its result is not published (`unstated`)
    # The public edition (reconcile_public): `unstated` when the result depends on records kept internal, so the
    # edition cannot state it; `unpublished` the records that fail it whose detail is internal (reason left out).
    unstated: bool = False
    unpublished: tuple[Failure, ...] = ()
    # False when the check had nothing to judge (no team carries a live target, say): `passed` is then True, as
    # nothing fails it, but the result is no pass: pages say "Not judged" with the note, and counts leave it out.
    judged: bool = True

    @property
    def passes(self) -> bool:
        """Return whether the check was judged and passed: what the pages count as a pass."""
        return self.passed and self.judged and not self.unstated


# A check's scope: the whole organization, each team, or each team that carries a target (a team page shows the
# result of the team checks for the team; those of the last scope are "not applicable" to a team with no target).
ORGANIZATION, TEAM, TARGET_TEAM = "organization", "team", "team with a target"

# The data files a check reads, so a practice page can say where to fix a failure.
ORG, TEAMS, INDICATORS = "data/organization.yml", "data/teams.yml", "data/indicators.yml"
DEFICITS, TARGETS, LEARNING = "data/deficits.yml", "data/targets.yml", "data/learning.yml"
CAPACITY, RECOGNITION, MEASUREMENTS = "data/capacity.yml", "data/recognition.yml", "data/measurements/"


@dataclass(frozen=True)
class Check:
    """One automated checklist check, declared once (CHECK_TABLE below): what data/practices.yml names in `check`."""

    name: str
    practice: int
    description: str
    files: tuple[str, ...]
    scope: str
    run: Callable[[Analysis], list[Failure]]
    # Why the check has nothing to judge, "" when it has something: for the organization (team None), and for one
    # team on its page (a check of the last scope). None: always something to judge.
    unjudged: Callable[[Analysis, str | None], str] | None = None

    def nothing_to_judge(self, a: Analysis, team: str | None = None) -> str:
        """Return why the check has nothing to judge, for the organization or one team ("" when it has something)."""
        return self.unjudged(a, team) if self.unjudged is not None else ""


# Reasons are read on pages: they name records by their titles and names, never by their ids.
def _name(records: dict, record_id: str) -> str:
    record = records.get(record_id)
    return " ".join(record.name.split()) if record is not None else record_id


def _title(a: Analysis, target_id: str) -> str:
    target = a.hb.targets.get(target_id)
    return _('"{title}"').format(title=" ".join(target.title.split())) if target is not None else target_id


def _teams_with_targets(a: Analysis) -> list[str]:
    return [t for t in a.hb.teams if a.by_team.get(t)]


# What leaves a check nothing to judge (Check.unjudged): the reasons are read on pages after "Not judged: " or, for
# one team, "Not applicable: ".
def _no_live_target(a: Analysis, team: str | None) -> str:
    no_target = _no_target(a, team)
    if no_target:
        return no_target
    if team is None:
        return "" if a.live else N_("no team carries a live target")
    return "" if any(not s.past for s in a.by_team.get(team, ())) else N_("carries no live target")


def _no_target(a: Analysis, team: str | None) -> str:
    if team is None:
        return "" if _teams_with_targets(a) else N_("no team carries a target")
    return "" if a.by_team.get(team) else N_("carries no target")


def _none_met(a: Analysis, team: str | None) -> str:
    if team is None:
        return "" if any(s.has_met for s in a.statuses) else N_("no team has met a target")
    return _no_target(a, team) or ("" if any(s.has_met for s in a.by_team.get(team, ())) else N_("has met no target"))


def _mission(a: Analysis) -> list[Failure]:
    org = a.hb.organization
    out = []
    if not org.mission.strip():
        out.append(Failure("organization", "mission", _("no mission sentence")))
    if not org.big_picture.strip():
        out.append(Failure("organization", "big_picture", _("no big picture")))
    return out


def _stage(stage: str) -> str:
    """A stage's name in a sentence ("input", "entrée")."""
    names = {"input": _("input"), "process": _("process"), "output": _("output"), "outcome": _("outcome")}
    return names.get(stage, stage)


def _deficit_stages(a: Analysis) -> list[Failure]:
    found = {d.stage for d in a.hb.deficits.values()}
    return [Failure("stage", s.value, _("no deficit at the {stage} stage").format(stage=_stage(s.value)))
            for s in Stage if s not in found]


def _deficit_evidence(a: Analysis) -> list[Failure]:
    reported = set(a.hb.measurements["indicator"].unique()) if len(a.hb.measurements) else set()
    return [
        Failure("deficit", d.id, _("no figures for its indicator, {indicator}").format(
            indicator=_name(a.hb.indicators, d.indicator)))
        for d in a.hb.deficits.values()
        if d.indicator not in reported
    ]


def _deficit_targets(a: Analysis) -> list[Failure]:
    covered = {t.deficit for t in a.hb.targets.values()}
    return [Failure("deficit", d.id, _("no target")) for d in a.hb.deficits.values() if d.id not in covered]


def _theory(a: Analysis) -> list[Failure]:
    out = []
    for t in a.hb.targets.values():
        if not t.theory.link.strip():
            out.append(Failure("target", t.id, _("no narrative link")))
        elif len(t.theory.chain) < 2:
            n = len(t.theory.chain)
            out.append(Failure("target", t.id, ngettext("a chain of {n} step", "a chain of {n} steps", n).format(n=n)))
    return out


def _guardrails(a: Analysis) -> list[Failure]:
    reason = _("no published guardrail") if a.hb.edition == "public" else _("no guardrail")
    return [Failure("target", t.id, reason) for t in a.hb.targets.values() if not t.guardrails]


def _report_latest(a: Analysis) -> list[Failure]:
    # Judged on each target's own indicator, against the period whose figures are due by today (spec v1.2): figures
    # for another indicator, or other teams' silence, do not make a target current. Past targets are not judged here
    # (with none live, the check says it judged nothing); the figures a team still owes for them are judged late by
    # figures-on-time (macros/due.py), which does not leave past targets out.
    out = []
    for team in _teams_with_targets(a):
        for s in a.by_team[team]:
            if s.past:
                continue
            if s.period is None:
                out.append(Failure("team", team, _("no figure on {indicator} for {target} since its baseline").format(
                    indicator=_name(a.hb.indicators, s.indicator), target=_title(a, s.target))))
            elif s.periods_behind:
                out.append(Failure("team", team, ngettext(
                    "latest figure on {indicator} for {target} {n} period behind",
                    "latest figure on {indicator} for {target} {n} periods behind", s.periods_behind).format(
                    indicator=_name(a.hb.indicators, s.indicator), target=_title(a, s.target),
                    n=f"{s.periods_behind:,}")))
    return out


def _fresh(a: Analysis) -> list[Failure]:
    return [Failure("team", s.team, _("stale on {target}").format(target=_title(a, s.target))) for s in a.live if s.status is Status.STALE]


def _on_time(a: Analysis) -> list[Failure]:
    out = []
    for td in derive_dues(a.hb).late_teams():
        oldest = min(o.due_date for o in td.late)
        late = ngettext("{n} figure late", "{n} figures late", len(td.late)).format(n=f"{len(td.late):,}")
        ago = ngettext("{n} day ago", "{n} days ago", td.most_late).format(n=f"{td.most_late:,}")
        out.append(Failure("team", td.team, _("{late}, the oldest due {date} ({ago})").format(
            late=late, date=oldest.isoformat(), ago=ago)))
    return out


def _capacity(a: Analysis) -> list[Failure]:
    return [Failure("team", t, _("no capacity record")) for t in _teams_with_targets(a) if t not in a.hb.capacity]


def _needs(a: Analysis) -> list[Failure]:
    if a.reference_date is None:
        return []
    limit = a.reference_date - timedelta(days=90)
    out = []
    for cap in a.hb.capacity.values():
        for need in cap.needs:
            if need.status == "requested" and need.date is not None and need.date < limit:
                out.append(Failure("team", cap.team, _("'{need}' requested on {date}").format(
                    need=need.need, date=need.date.isoformat())))
    return out


def _recognized(a: Analysis) -> list[Failure]:
    # Met is met: a team that met a target at its deadline is owed recognition after its figures stop, or once the
    # target is past (TeamStatus.has_met).
    recognized = {(r.team, r.target) for r in a.hb.recognition if r.kind == "recognition"}
    teams_recognized = {r.team for r in a.hb.recognition if r.kind == "recognition" and not r.target}
    return [
        Failure("team", s.team, _("met {target} without recognition").format(target=_title(a, s.target)))
        for s in a.statuses
        if s.has_met and (s.team, s.target) not in recognized and s.team not in teams_recognized
    ]


def _esteem(a: Analysis) -> list[Failure]:
    if a.reference_date is None:
        return []
    since = a.reference_date - timedelta(days=365)
    had = {r.team for r in a.hb.recognition if r.kind == "esteem" and since < r.date <= a.reference_date}
    return [Failure("team", t, _("no esteem opportunity in twelve months")) for t in _teams_with_targets(a) if t not in had]


def _reviewed(a: Analysis) -> list[Failure]:
    reviewed = {t for item in a.hb.learning if item.kind == "distortion-review" for t in item.targets}
    return [
        Failure("target", s.target, _("{team}: {indicators} worsened, not reviewed").format(
            team=_name(a.hb.teams, s.team), indicators=", ".join(_name(a.hb.indicators, g) for g in s.distortions)))
        for s in a.statuses
        if s.distortions and s.target not in reviewed
    ]


def _indicator_stages(a: Analysis) -> list[Failure]:
    found = {i.stage for i in a.hb.indicators.values()}
    return [Failure("stage", s.value, _("no indicator at the {stage} stage").format(stage=_stage(s.value)))
            for s in Stage if s not in found]


def _several(a: Analysis) -> list[Failure]:
    counts: dict[str, int] = {}
    for team, _indicator in a.hb.series:
        counts[team] = counts.get(team, 0) + 1
    return [
        Failure("team", t, ngettext("reports {n} indicator", "reports {n} indicators", counts.get(t, 0)).format(
            n=counts.get(t, 0)))
        for t in a.hb.teams if counts.get(t, 0) < 3
    ]


def _learning_recent(a: Analysis) -> list[Failure]:
    if a.reference_date is None:
        return []
    since = a.reference_date - timedelta(days=92)
    if any(since < item.date for item in a.hb.learning):
        return []
    last = max((item.date for item in a.hb.learning), default=None)
    return [Failure("learning", "log", _("last entry {date}").format(date=last.isoformat()) if last else _("no entry at all"))]


def _ratcheted(a: Analysis) -> list[Failure]:
    decided = {t for item in a.hb.learning if item.kind == "decision" for t in item.targets}
    out = []
    for t in a.hb.targets.values():
        rows = a.by_target.get(t.id, [])
        if rows and all(s.has_met for s in rows) and not t.revisions and t.id not in decided:  # met is met
            out.append(Failure("target", t.id, _("met by every team, not yet ratcheted")))
    return out


# Every automated check, declared once: name, practice, what it checks (as a practice page says it), the data files
# it reads, its scope, and its function. Validation takes the names from here; the pages read the rest.
CHECK_TABLE: tuple[Check, ...] = (
    Check("mission-stated", 1, N_('The organization states its mission and its big picture.'),
          (ORG,), ORGANIZATION, _mission),
    Check("deficit-stages-covered", 2,
          N_('Key failures are identified at all four stages: input, process, output, '
          'outcome.'),
          (DEFICITS,), ORGANIZATION, _deficit_stages),
    Check("deficits-have-evidence", 2, N_("Every deficit's evidence indicator has figures."),
          (DEFICITS, MEASUREMENTS), ORGANIZATION, _deficit_evidence),
    Check("deficits-have-targets", 3, N_('Every deficit has at least one target to close it.'),
          (DEFICITS, TARGETS), ORGANIZATION, _deficit_targets),
    Check("targets-have-theory", 4,
          N_("Every target's theory has a narrative link and a chain of at least two steps to the "
          'mission.'),
          (TARGETS,), ORGANIZATION, _theory),
    Check("targets-have-guardrails", 9, N_('Every target has at least one guardrail indicator to watch for distortions.'),
          (TARGETS,), ORGANIZATION, _guardrails),
    Check("teams-report-latest", 5,
          N_('Every team that carries a live target has figures for the period due by today on each of its '
          "targets' indicators."),
          (MEASUREMENTS,), TARGET_TEAM, _report_latest, _no_live_target),
    Check("teams-fresh", 5, N_("No team's figures on a live target are stale against the reporting calendar."),
          (MEASUREMENTS,), TARGET_TEAM, _fresh, _no_live_target),
    Check("figures-on-time", 5, N_('No team is late with a figure it owes (see the Figures due page).'),
          (MEASUREMENTS, TEAMS, INDICATORS), TEAM, _on_time),
    Check("capacity-recorded", 6, N_('Every team that carries a target has its capacity recorded.'),
          (CAPACITY,), TARGET_TEAM, _capacity, _no_target),
    Check("needs-answered", 6, N_('No capacity need has waited more than 90 days for an answer.'),
          (CAPACITY,), TEAM, _needs),
    Check("met-targets-recognized", 7, N_('Every team that met a target has been recognized for it.'),
          (RECOGNITION, MEASUREMENTS), TARGET_TEAM, _recognized, _none_met),
    Check("esteem-recent", 8,
          N_('Every team that carries a target has had an esteem opportunity in the last twelve '
          'months.'),
          (RECOGNITION,), TARGET_TEAM, _esteem, _no_target),
    Check("distortions-reviewed", 9, N_('Every distortion flag has a distortion review in the learning log.'),
          (LEARNING, MEASUREMENTS), ORGANIZATION, _reviewed),
    Check("indicators-cover-stages", 10, N_('Indicators cover all four stages: input, process, output, outcome.'),
          (INDICATORS,), ORGANIZATION, _indicator_stages),
    Check("teams-several-indicators", 10, N_('Every team reports at least three indicators.'),
          (MEASUREMENTS,), TEAM, _several),
    Check("learning-recent", 11, N_('The learning log has an entry in the last three months.'),
          (LEARNING,), ORGANIZATION, _learning_recent),
    Check("met-targets-ratcheted", 11, N_('Every target that all its teams have met has been revised or decided on.'),
          (TARGETS, LEARNING), ORGANIZATION, _ratcheted),
)
CHECKS: dict[str, Check] = {c.name: c for c in CHECK_TABLE}
CHECK_NAMES: tuple[str, ...] = tuple(CHECKS)
# The checks a team page shows for its team, in this order.
TEAM_CHECKS: tuple[str, ...] = tuple(c.name for c in CHECK_TABLE if c.scope in (TEAM, TARGET_TEAM))


def run_checks(a: Analysis) -> dict[str, CheckResult]:
    """Run every check once."""
    out = {}
    for name, check in CHECKS.items():
        failures = tuple(check.run(a))
        note = "" if failures else check.nothing_to_judge(a)
        if not failures and a.reference_date is None and name in ("needs-answered", "esteem-recent", "learning-recent"):
            note = N_("no figures yet, so no reference date")
        out[name] = CheckResult(name, not failures, failures, note, judged=not note)
    return out


UNSTATED = N_("not published in this edition: its result depends on records kept internal")


def reconcile_public(public: dict[str, CheckResult], full: dict[str, CheckResult],
                     public_ids: dict[str, set[str]]) -> dict[str, CheckResult]:
    """Make the public edition's checklist results true of the whole organization, telling nothing internal.

    `public` is computed from the public records alone, `full` from every record; `public_ids` the ids of the public
    records by failure kind (team, target, deficit, indicator). A result that differs between the two depends on
    records kept internal: it is not stated ("not published in this edition") and not counted. When both fail, the
    public edition names only the failures that hold on the whole data too (a team is never called failing because
    its record is hidden), and the other failures of public records without their reason (`unpublished`).
    """
    out = {}
    for name, pub in public.items():
        whole = full.get(name)
        if whole is None:
            out[name] = pub
            continue
        if whole.passed != pub.passed or whole.judged != pub.judged:  # "not judged" on the public records alone is
            out[name] = CheckResult(name, False, (), UNSTATED, unstated=True)  # no more true of the whole than a pass
            continue
        real = {(f.kind, f.id) for f in whole.failures}
        shown = tuple(f for f in pub.failures if (f.kind, f.id) in real)
        listed = {(f.kind, f.id) for f in shown}
        hidden = tuple(dict.fromkeys(Failure(f.kind, f.id, "") for f in whole.failures
                                     if (f.kind, f.id) not in listed and f.id in public_ids.get(f.kind, set())))
        if not whole.passed and not shown and not hidden:
            out[name] = CheckResult(name, False, (), UNSTATED, unstated=True)  # fails on internal records only
            continue
        out[name] = CheckResult(name, pub.passed, shown, pub.note, unpublished=hidden, judged=pub.judged)
    return out
