"""Build the site in each of the organization's languages: `python -m macros.multilingual build [--lang fr]`.

organization.yml's `language` is built at the site's root, each other language of `languages` in a folder named by
its code (site/fr/): one MkDocs build per language, with $HANDBOOK_LANGUAGE set. The edition is $HANDBOOK_EDITION's,
as for a plain build. Nothing is replaced unless every build asked for passed: the builds go to a folder beside the
site, which then takes the site's place (with `--lang`, only that language's part of the site is replaced).

`--others` builds every language but the organization's own into the folders of a site built already (as CI does
after its plain `mkdocs build`). `python -m macros.multilingual list` prints each language and its folder ("." for the root), one a line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .contract import field_at
from .errors import terminal_safe
from .load import load_yaml


def site_plan(data_dir: Path) -> list[tuple[str, str]]:
    """(language, folder) of every language of the site, the organization's own first at "" (the root).

    Read from organization.yml alone (`check` validates it): an unreadable file gives the default language.
    """
    path = Path(data_dir) / "organization.yml"
    node = load_yaml(path, "organization.yml", []) if path.is_file() else None
    node = node if isinstance(node, dict) else {}
    language = str(node.get("language") or field_at("organization.yml", "language").default).strip()
    listed = node.get("languages") if isinstance(node.get("languages"), list) else []
    others = [str(c).strip() for c in listed if str(c).strip() and str(c).strip() != language]
    return [(language, "")] + [(c, c) for c in dict.fromkeys(others)]


def build(data_dir: Path, out: Path, config: Path, only: str | None = None, quiet: bool = False,
          data_given: bool = True, others: bool = False) -> int:
    """Build each language (or `only` one, or with `others` every one but the root's) into out; return the exit
    status of the first build that failed, or 0."""
    plan = site_plan(data_dir)
    if others:
        plan = plan[1:]
        if not plan:
            return 0
    elif only is not None:
        chosen = [(code, folder) for code, folder in plan if code == only]
        if not chosen:
            codes = ", ".join(code for code, _ in plan)
            print(terminal_safe(f"--lang: expected one of the organization's languages ({codes}), found {only!r}"),
                  file=sys.stderr)
            return 2
        plan = chosen
    staging = out.with_name("." + out.name + "-build")
    shutil.rmtree(staging, ignore_errors=True)
    for code, folder in plan:
        target = staging / folder if folder else staging
        env = dict(os.environ, HANDBOOK_LANGUAGE=code)
        if data_given:  # else the build finds data/ beside its configuration, as a plain build does
            env["HANDBOOK_DATA"] = str(data_dir.resolve())
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(target.resolve())]
        if quiet:
            cmd.append("-q")
        print(f"Building the {code} site into {out / folder if folder else out}/", file=sys.stderr, flush=True)
        done = subprocess.run(cmd, env=env)
        if done.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            return done.returncode
    if not others and (only is None or plan[0][1] == ""):
        # The whole site, or its root language: the other languages' folders of the site stay as they were.
        if only is not None and out.is_dir():
            for _code, folder in site_plan(data_dir)[1:]:
                if (out / folder).is_dir() and not (staging / folder).exists():
                    shutil.move(str(out / folder), str(staging / folder))
        shutil.rmtree(out, ignore_errors=True)
        staging.rename(out)
    else:  # languages in folders of a site that stays
        out.mkdir(parents=True, exist_ok=True)
        for _code, folder in plan:
            shutil.rmtree(out / folder, ignore_errors=True)
            (staging / folder).rename(out / folder)
        shutil.rmtree(staging, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.multilingual",
                                     description="Build the handbook in each of the organization's languages.")
    parser.add_argument("--data", type=Path, default=None, help="the data folder (default: $HANDBOOK_DATA or ./data)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print each language of the site and its folder ('.' for the root)")
    b = sub.add_parser("build", help="build every language (or --lang one) into --out, each in its folder")
    which = b.add_mutually_exclusive_group()
    which.add_argument("--lang", default=None, help="only this language (one of organization.yml's)")
    which.add_argument("--others", action="store_true",
                       help="every language but the organization's own, each into its folder of a site built already")
    b.add_argument("--out", type=Path, default=Path("site"), help="the site folder (default: site)")
    b.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the configuration (default: mkdocs.yml)")
    b.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors from each build")
    args = parser.parse_args(argv)
    given = args.data or os.environ.get("HANDBOOK_DATA")
    data_dir = Path(given) if given else args.__dict__.get("config", Path("mkdocs.yml")).resolve().parent / "data"
    if args.command == "list":
        for code, folder in site_plan(data_dir):
            print(terminal_safe(f"{code} {folder or '.'}"))
        return 0
    return build(data_dir, args.out, args.config, args.lang, args.quiet, data_given=bool(given), others=args.others)


if __name__ == "__main__":
    sys.exit(main())
