"""French team and target pages, charts and the words numbers need (issue 26): numbers formatted by Babel, counts
with the language's plural rule, status words and chart text from the catalogue (macros/locale/fr/.../pages.po)."""

from __future__ import annotations

import pytest

from macros import i18n, words
from macros.model import Better, Indicator, Stage

DAYS = Indicator("wait-days", "Days waiting", "days", Stage.OUTPUT, Better.LOWER, decimals=1)
JOURS = Indicator("attente", "Jours d'attente", "jours", Stage.OUTPUT, Better.LOWER, decimals=1)
SAT = Indicator("satisfaction", "Satisfaction", "%", Stage.OUTCOME, Better.HIGHER)
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture
def french():
    """The build's language is French for the test, and English again after it (other tests read English)."""
    assert i18n.use("fr") == "fr"
    try:
        yield
    finally:
        i18n.use("en")


def test_words_in_english_keep_their_hand_written_shape():
    assert i18n.current() == "en"
    assert words.fmt_number(DAYS, 1234.5) == "1,234.5"
    assert words.fmt_data_value(SAT, 12.5) == "12.5 %"
    assert words.fmt_data_value(DAYS, 1.0) == "1.0 days"
    assert words.fmt_data_value(Indicator("c", "C", "claims", Stage.OUTPUT, Better.LOWER), 1) == "1 claim"
    assert words.fmt_difference(SAT, -1.0) == "1 point"
    assert words.fmt_difference(SAT, 1.5) == "1.5 points"
    assert words.fmt_difference(SAT, 0.96, 80.0, 80.96) == "0.96 points"
    assert words.fmt_difference(DAYS, 2.25, 3.0, 5.25) == "2.25 days"
    assert words.fmt_expected(DAYS, 1234.567, 4.55) == "1,234.57 days"
    assert words.fmt_threshold(SAT, 0.5) == "0.5 points"
    assert words.join_words(["a", "b", "c"]) == "a, b and c"
    assert words.join_words(["a", "b"], "or") == "a or b"
    assert words.describe_revision(["raised the bar", "moved the deadline later"]) == \
        "Raised the bar and moved the deadline later"
    assert words.describe_revision([]) == "No change to the value or the deadline"
    assert words.plural(1234, "team") == "1,234 teams"


def test_words_in_french(french):
    assert words.fmt_number(DAYS, 1234.5) == f"1{NNBSP}234,5"
    assert words.fmt_number(DAYS, -0.25) == "-0,25"
    assert words.fmt_data_value(SAT, 12.5) == f"12,5{NNBSP}%"
    # A unit from the data stays as written in French: no English singular after one.
    assert words.fmt_data_value(JOURS, 1.0) == f"1,0{NBSP}jours"
    assert words.fmt_data_value(Indicator("c", "C", "claims", Stage.OUTPUT, Better.LOWER), 1) == f"1{NBSP}claims"
    # French says one point below two, the plural from two on.
    assert words.fmt_difference(SAT, -1.0) == "1 point"
    assert words.fmt_difference(SAT, 1.5) == "1,5 point"
    assert words.fmt_difference(SAT, 0.5) == "0,5 point"
    assert words.fmt_difference(SAT, 2.0) == "2 points"
    assert words.fmt_difference(SAT, 12.25, 80.0, 92.25) == "12,25 points"
    assert words.fmt_difference(JOURS, 1234.25, 3.0, 1237.25) == f"1{NNBSP}234,25{NBSP}jours"
    assert words.fmt_expected(SAT, 12.345, 4.55) == f"12,35{NNBSP}%"
    assert words.fmt_threshold(SAT, 3) == "3 points"
    assert words.join_words(["a", "b", "c"]) == "a, b et c"
    assert words.describe_revision(["lowered the bar", "moved the deadline earlier"]) == \
        "Cible abaissée et échéance avancée"
    assert words.describe_revision([]) == "Ni la valeur ni l’échéance ne changent"
    assert words.fmt_data_value(SAT, None) == "–"


def test_plural_count_follows_each_language():
    assert [words.plural_count(a) for a in (0, 1, 1.0, 1.5, 0.5, 2.5)] == [0, 1, 1, 2, 2, 2]
    i18n.use("fr")
    try:
        assert [words.plural_count(a) for a in (0, 1, 1.5, 0.5, 2.5, -1.5)] == [0, 1, 1, 1, 2, 1]
    finally:
        i18n.use("en")
