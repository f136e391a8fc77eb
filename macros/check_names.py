"""The automated checklist checks' names: what data/practices.yml may name in `check`, and what each checks.

Plain data below validation (validate.py) and the checks themselves (checks.py), so neither imports the other.
"""

from __future__ import annotations

# name -> (the practice it belongs to, what it checks)
CHECK_NAMES: dict[str, tuple[int, str]] = {
    "mission-stated": (1, "The organization states its mission and its big picture."),
    "deficit-stages-covered": (2, "Key failures are identified at all four stages: input, process, output, outcome."),
    "deficits-have-evidence": (2, "Every deficit's evidence indicator has figures."),
    "deficits-have-targets": (3, "Every deficit has at least one target to close it."),
    "targets-have-theory": (
        4, "Every target's theory has a narrative link and a chain of at least two steps to the mission.",
    ),
    "targets-have-guardrails": (9, "Every target has at least one guardrail indicator to watch for distortions."),
    "teams-report-latest": (
        5, "Every team that carries a live target has figures for the period due by today on each of its targets' "
           "indicators.",
    ),
    "teams-fresh": (5, "No team's figures on a live target are stale against the reporting calendar."),
    "figures-on-time": (5, "No team is late with a figure it owes (see the Figures due page)."),
    "capacity-recorded": (6, "Every team that carries a target has its capacity recorded."),
    "needs-answered": (6, "No capacity need has waited more than 90 days for an answer."),
    "met-targets-recognized": (7, "Every team that met a target has been recognized for it."),
    "esteem-recent": (8, "Every team that carries a target has had an esteem opportunity in the last twelve months."),
    "distortions-reviewed": (9, "Every distortion flag has a distortion review in the learning log."),
    "indicators-cover-stages": (10, "Indicators cover all four stages: input, process, output, outcome."),
    "teams-several-indicators": (10, "Every team reports at least three indicators."),
    "learning-recent": (11, "The learning log has an entry in the last three months."),
    "met-targets-ratcheted": (11, "Every target that all its teams have met has been revised or decided on."),
}
