"""The "Public and internal" onboarding page: the two editions, how a record is marked, the rules `check` enforces."""

from __future__ import annotations

from ..edition import PUBLIC, RULES, public_view
from ..i18n import DEFAULT, _, current, ngettext
from ..model import Handbook
from ..words import join_words
from .counts import num
from .links import Links


def _h(level: int, text: str, anchor: str) -> str:
    return f"\n{'#' * level} {text} {{ #{anchor} }}\n\n"


def _left_out(hb: Handbook) -> list[str]:
    """What the public edition leaves out of this (intranet) data, counted by kind of record."""
    pub = public_view(hb)
    guardrails = (sum(len(t.guardrails) for t in hb.targets.values() if t.id in pub.targets)
                  - sum(len(t.guardrails) for t in pub.targets.values()))
    counts = [
        (len(hb.teams) - len(pub.teams), lambda n: ngettext("{n} team", "{n} teams", n)),
        (len(hb.indicators) - len(pub.indicators), lambda n: ngettext("{n} indicator", "{n} indicators", n)),
        (len(hb.deficits) - len(pub.deficits), lambda n: ngettext("{n} deficit", "{n} deficits", n)),
        (len(hb.targets) - len(pub.targets), lambda n: ngettext("{n} target", "{n} targets", n)),
        (len(hb.capacity) - len(pub.capacity), lambda n: ngettext("{n} capacity record", "{n} capacity records", n)),
        (len(hb.recognition) - len(pub.recognition),
         lambda n: ngettext("{n} recognition entry", "{n} recognition entries", n)),
        (len(hb.learning) - len(pub.learning), lambda n: ngettext("{n} learning entry", "{n} learning entries", n)),
        (len(hb.measurements) - len(pub.measurements), lambda n: ngettext("{n} figure", "{n} figures", n)),
        (guardrails, lambda n: ngettext("{n} guardrail of a public target", "{n} guardrails of public targets", n)),
    ]
    return [words(n).format(n=num(n)) for n, words in counts if n]


def render_editions(hb: Handbook, edition: str, links: Links, level: int = 2) -> str:
    """Render the page on the two editions, saying which one this is."""
    out = [
        _("The handbook is built in two editions from the one `data/` folder. The **intranet edition** holds every "
          "record. The **public edition** holds only the records marked public, for a public website: an "
          "organization publishes its targets and results while some targets, teams, notes and capacity needs stay "
          "internal.") + "\n\n",
    ]
    if edition == PUBLIC:
        title = _("This is the public edition")
        out.append(f'!!! note "{title}"\n\n    '
                   + _("Its pages, charts, tables, downloads and counts come from the public records alone.") + "\n\n")
    else:
        left = _left_out(hb)
        # English lists what is left out with commas alone (", " before the last item too), as it always did.
        listed = ", ".join(left) if current() == DEFAULT else join_words(left)
        what = (_("It holds every record. Built from the same data, the public edition leaves out {records}.").format(
                    records=listed) if left
                else _("It holds every record. Built from the same data, the public edition leaves out nothing: every "
                       "record is public."))
        if len(hb.teams) and not len(public_view(hb).teams):
            what = _("It holds every record. Built from the same data, the public edition holds no team yet: no record "
                     "is marked public.")
        title = _("This is the intranet edition")
        out.append(f'!!! note "{title}"\n\n    {what}\n\n')
    out.append(_h(level, _("Marking a record public"), "marking"))
    out.append(
        _("Every record of `teams.yml`, `indicators.yml`, `deficits.yml`, `targets.yml`, `capacity.yml`, "
          "`recognition.yml` and `learning.yml` may say `visibility: public` or `visibility: internal`. A record "
          "that says neither takes `default_visibility` from `organization.yml`, which is `internal` unless it says "
          "`public`: nothing is public unless the data says so.") + "\n\n"
        "```yaml\n# " + _("organization.yml: every record public unless it says otherwise")
        + "\ndefault_visibility: public\n\n# " + _("targets.yml: this target stays on the intranet")
        + "\n- id: hiring-backlog\n  visibility: internal\n  ...\n```\n\n"
        + _("A figure and its note are public when its team and its indicator both are. The organization's name, "
            "mission and big picture, the practices (`practices.yml`) and the hand-written pages, such as this one, "
            "are in both editions.") + "\n"
    )
    out.append(_h(level, _("The rules check enforces"), "rules"))
    out.append(_("A public record may not depend on an internal one. `make check` reports each case as a data error "
                 "naming both records, in either edition, so a pull request cannot make the public edition show "
                 "half a record:") + "\n\n")
    out.append("".join(f"- {_(rule)}\n" for rule in RULES))
    out.append(_h(level, _("What the public edition leaves out"), "left-out"))
    out.append(
        _("Every internal record, everywhere: its pages, the navigation, the search index, chart data, data tables, "
          "the downloads (`status.json` and the figures' CSV files), the sitemap, the home page's counts, the "
          "league tables and the scoreboard; and the pages for the people who edit the data (the how-tos, the data "
          "reference, this page) and the data files' paths. Freshness and the latest period are computed from the "
          "public records alone. A practice's checklist result is stated only when it is the same on the whole data "
          "and on the public records: one that depends on internal records (a capacity check, when capacity is "
          "internal) says \"not published in this edition\" and is not counted on the home page, and no team is "
          "named as failing because its record is internal. The header and the home page say \"Public edition\".")
        + " " + _("A public team whose capacity record or some of whose recognition entries are internal says they "
                  "are not published in this edition, never that none is recorded.")
        + "\n"
    )
    out.append(_h(level, _("Building each edition"), "building"))
    out.append(
        "- " + _("`make build` (or `mkdocs build`): the intranet edition, into `site/`, as always.") + "\n"
        "- " + _("`make build-public` (or `HANDBOOK_EDITION=public mkdocs build -d site-public`): the public edition, "
                 "into `site-public/`.") + "\n"
        "- " + _("`python -m macros status --json --edition public` and `python -m macros diff BASE --edition public` "
                 "(or `HANDBOOK_EDITION=public`) show the public edition's statuses and target changes.") + "\n\n"
        + _("The publishing workflow builds both: the intranet edition is published as before, and the public edition "
            "is a separate artifact, `site-public`, to copy to the public web server.") + "\n"
    )
    return "".join(out)
