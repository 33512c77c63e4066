"""The pure MCLE computation (integrity/training/mcle.py): no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from integrity.training import mcle
from integrity.training.mcle import Credit, Rules, standing_compute

# Rules of the State Bar, rule 2.72, as amended for compliance periods ending in 2025 and later.
RULES = Rules(
    hours_per_period=D("25"),
    self_study_max=D("12.5"),
    minimums={
        "ethics": D("4"),
        "competence": D("2"),
        "substance_mh": D("1"),
        "bias": D("2"),
        "implicit_bias": D("1"),
        "technology": D("1"),
        "civility": D("1"),
    },
)
START, END = date(2024, 2, 1), date(2027, 1, 31)
DAY = date(2025, 6, 1)


def _standing(credits):
    return standing_compute(credits=credits, rules=RULES, period_start=START, period_end=END)


def _exact_minimum(self_study=False):
    """Exactly 25 hours meeting every minimum exactly."""
    return [
        Credit(DAY, "ethics", D("4"), self_study),
        Credit(DAY, "competence", D("1"), self_study),
        Credit(DAY, "substance_mh", D("1"), self_study),
        Credit(DAY, "bias", D("1"), self_study),
        Credit(DAY, "implicit_bias", D("1"), self_study),
        Credit(DAY, "technology", D("1"), self_study),
        Credit(DAY, "civility", D("1"), self_study),
        Credit(DAY, "general", D("15"), self_study),
    ]


def _missing(standing):
    return {s.category: s.missing for s in standing.shortfalls}


def test_mcle_nothing_earned_is_short_of_everything():
    standing = _standing([])
    assert not standing.compliant
    assert _missing(standing) == {
        "total": D("25"),
        "participatory": D("12.5"),
        "ethics": D("4"),
        "competence": D("2"),
        "substance_mh": D("1"),
        "bias": D("2"),
        "implicit_bias": D("1"),
        "technology": D("1"),
        "civility": D("1"),
    }
    assert standing.hours_missing == D("25")


def test_mcle_exactly_at_every_minimum_is_compliant():
    standing = _standing(_exact_minimum())
    assert standing.compliant
    assert standing.total == D("25")
    assert standing.by_category["bias"] == D("2")  # 1 bias + 1 implicit bias
    assert standing.hours_missing == D("0")


def test_mcle_a_quarter_hour_under_the_total_is_short():
    credits = _exact_minimum()
    credits[-1] = Credit(DAY, "general", D("14.75"))
    standing = _standing(credits)
    assert not standing.compliant
    assert _missing(standing) == {"total": D("0.25")}


def test_mcle_implicit_bias_counts_toward_elimination_of_bias():
    standing = _standing([Credit(DAY, "implicit_bias", D("2"))])
    assert standing.by_category["bias"] == D("2")
    assert standing.by_category["implicit_bias"] == D("2")
    assert "bias" not in _missing(standing)
    assert "implicit_bias" not in _missing(standing)


def test_mcle_bias_without_implicit_bias_still_short_of_implicit_bias():
    standing = _standing([Credit(DAY, "bias", D("3"))])
    assert "bias" not in _missing(standing)
    assert _missing(standing)["implicit_bias"] == D("1")


def test_mcle_self_study_beyond_the_maximum_leaves_participatory_hours_to_earn():
    credits = [Credit(DAY, "general", D("20"), self_study=True), Credit(DAY, "general", D("5"))]
    standing = _standing(credits)
    assert standing.self_study == D("20")
    assert standing.self_study_counted == D("12.5")
    assert standing.participatory == D("5")
    assert standing.total == D("25")
    assert _missing(standing)["participatory"] == D("7.5")
    assert "total" not in _missing(standing)


def test_mcle_self_study_exactly_at_the_cap_counts_in_full():
    credits = [Credit(DAY, "general", D("12.5"), self_study=True), Credit(DAY, "general", D("12.5"))]
    assert _standing(credits).total == D("25")


def test_mcle_all_self_study_cannot_comply_even_meeting_minimums():
    standing = _standing(_exact_minimum(self_study=True))
    assert not standing.compliant
    assert _missing(standing) == {"participatory": D("12.5")}
    assert standing.hours_missing == D("12.5")


def test_mcle_credits_outside_the_period_are_ignored():
    credits = [
        Credit(date(2024, 1, 31), "ethics", D("10")),  # the day before the period
        Credit(date(2027, 2, 1), "ethics", D("10")),  # the day after
        Credit(START, "ethics", D("2")),  # first day counts
        Credit(END, "ethics", D("2")),  # last day counts
    ]
    standing = _standing(credits)
    assert standing.by_category["ethics"] == D("4")
    assert standing.total == D("4")


def test_mcle_hours_missing_takes_category_gaps_beyond_the_total():
    # 24 general hours: total short by 1, but 4 ethics + 2 competence + 2 bias + 1 technology
    # + 1 civility still needed (the nested minimums are inside their parents').
    standing = _standing([Credit(DAY, "general", D("24"))])
    assert standing.hours_missing == D("10")


def test_mcle_rules_are_data():
    rules = Rules(hours_per_period=D("10"), self_study_max=D("5"), minimums={"ethics": D("1")})
    standing = standing_compute(
        credits=[Credit(DAY, "ethics", D("1")), Credit(DAY, "general", D("9"))],
        rules=rules,
        period_start=START,
        period_end=END,
    )
    assert standing.compliant


def test_mcle_period_start():
    assert mcle.period_start_for(period_end=date(2027, 1, 31), period_years=3) == date(2024, 2, 1)
    assert mcle.period_start_for(period_end=date(2028, 2, 29), period_years=3) == date(2025, 3, 1)
    assert not hasattr(mcle, "last_name_of")  # a compliance group is never derived from a name
    assert _standing([]).days_left(date(2027, 1, 1)) == 30


def _without(category: str, hours: str = "1") -> list[Credit]:
    """The exact minimum with `hours` of `category` moved to general (the total unchanged)."""
    credits = [c for c in _exact_minimum() if c.category not in (category, "general")]
    spent = sum((c.hours for c in credits), D("0"))
    return [*credits, Credit(DAY, "general", D("25") - spent)]


# Rule 2.72 as amended (compliance periods ending 2025 and later): 25 hours, at least 4 legal
# ethics; 2 competence issues, at least 1 on prevention and detection of substance use and mental
# health issues; 2 elimination of bias, at least 1 implicit bias; 1 technology in the practice of
# law; 1 civility; self-study at most 12.5 hours (so at least 12.5 participatory).
@pytest.mark.parametrize(
    ("name", "credits", "missing"),
    [
        ("compliant", _exact_minimum(), {}),
        ("short only on civility", _without("civility"), {"civility": D("1")}),
        ("technology missing", _without("technology"), {"technology": D("1")}),
        ("ethics 3 of 4", [*_without("ethics")[:-1], Credit(DAY, "ethics", D("3")), Credit(DAY, "general", D("16"))],
         {"ethics": D("1")}),
        ("no prevention hour: competence and its subfield short", _without("substance_mh"),
         {"competence": D("1"), "substance_mh": D("1")}),
        ("no implicit bias: bias and its subfield short", _without("implicit_bias"),
         {"bias": D("1"), "implicit_bias": D("1")}),
        ("2 prevention hours meet competence",
         [Credit(DAY, "substance_mh" if c.category == "competence" else c.category, c.hours) for c in _exact_minimum()],
         {}),
        ("short only on participatory hours: 15 of 25 self-study",
         [Credit(DAY, c.category, c.hours, self_study=c.category == "general") for c in _exact_minimum()],
         {"participatory": D("2.5")}),
    ],
)  # fmt: skip
def test_mcle_rule_2_72_subfields(name, credits, missing):
    standing = _standing(credits)
    assert _missing(standing) == missing, name
    assert standing.compliant is (not missing)
