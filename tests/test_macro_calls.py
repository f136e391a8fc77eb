"""A page's macro calls are bounded: an unknown id or a number out of range is a clear error, never a hang or OOM."""

from __future__ import annotations

import pytest
from test_build import build_project, copy_project

from macros import site_pages, team_pages  # noqa: F401 - registers the macros
from macros.registry import MacroCallError, check_call, render_call
from macros.site import load_site
from orgs import base_org, write_org


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return load_site(write_org(tmp_path_factory.mktemp("calls"), base_org()))


@pytest.mark.parametrize("name, args, message", [
    ("status_rules", (2000000000,),
     "status_rules(2000000000), argument 'level': expected a heading level from 1 to 6, found 2000000000"),
    ("change_example", (0,), "change_example(0), argument 'level': expected a heading level from 1 to 6, found 0"),
    ("practice_page", (99,),
     "practice_page(99), argument 'number': expected a practice number from data/practices.yml (1 to 11), found 99"),
    ("practice_page", ("3",),
     "practice_page('3'), argument 'number': expected a practice number from data/practices.yml (1 to 11), found '3'"),
    ("team_page", ("nobody",), "team_page('nobody'), argument 'team_id': expected a team id from data/teams.yml, found 'nobody'"),
    ("target_page", ("index",),
     "target_page('index'), argument 'target_id': expected a target id from data/targets.yml, found 'index'"),
    ("unit_page", ("nowhere",), "unit_page('nowhere'), argument 'slug': expected the slug of a unit in data/teams.yml "
                                "(the last part of its page's address), found 'nowhere'"),
    ("team_page", (), "team_page(): expected the macro's arguments, found missing a required argument: 'team_id'"),
    ("home", (1,), "home(1): expected the macro's arguments, found too many positional arguments"),
])
def test_an_argument_out_of_range_is_named(site, name, args, message):
    assert check_call(site, name, args) == message
    with pytest.raises(MacroCallError) as info:
        render_call(site, name, "notes.md", args)
    assert str(info.value) == f"docs/notes.md: {message}."


@pytest.mark.parametrize("name, args", [("status_rules", ()), ("status_rules", (3,)), ("practice_page", (11,)),
                                        ("team_page", ("alpha",)), ("target_page", ("faster",)), ("unit_page", ("support",))])
def test_arguments_in_range_render(site, name, args):
    assert check_call(site, name, args) is None
    assert render_call(site, name, "notes.md", args)


@pytest.mark.build
def test_a_build_names_the_page_line_and_argument(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "notes.md").write_text("# Notes\n\n{{ status_rules(2000000000) }}\n\n{{ team_page(\"nobody\") }}\n")
    result = build_project(project, write_org(project, base_org()))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Macro Rendering Error" not in result.stderr
    assert ("docs/notes.md:3: status_rules(2000000000), argument 'level': expected a heading level from 1 to 6, "
            "found 2000000000.") in result.stderr
    assert ("docs/notes.md:5: team_page('nobody'), argument 'team_id': expected a team id from data/teams.yml, "
            "found 'nobody'.") in result.stderr
