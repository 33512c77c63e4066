"""Due dates as the statutes word them, against the registry seeded by integrity migration 0010.

Pen. Code § 1405: "Responses, if any, shall be filed within 90 days of the date on which the
Attorney General and the district attorney are served with the motion" (60 days before SB 980,
in force 1 January 2015); "either party may request an additional 60 days" to brief specified
issues. Code Civ. Proc. § 12: the first day is excluded and the last included; § 12a: a last day
that is a holiday (a Saturday, a Sunday, a judicial holiday of § 135) moves to the next day that
is not."""

from __future__ import annotations

from datetime import date

import pytest

from integrity.rules import courtdays, selectors
from integrity.rules.models import JudicialHoliday

pytestmark = pytest.mark.django_db

D = date

# (what the case is, served on the AG, served on the DA, briefing extension, due, rule version)
PC1405_CASES = [
    ("both served on a Friday: day 90 is a Thursday", D(2026, 3, 6), D(2026, 3, 6), False, D(2026, 6, 4), 2),
    ("day 90 is a Sunday: the next court day", D(2026, 3, 9), D(2026, 3, 9), False, D(2026, 6, 8), 2),
    (
        "served on a Friday: day 90 is Thanksgiving, then the day after, then the weekend",
        D(2026, 8, 28),
        D(2026, 8, 28),
        False,
        D(2026, 11, 30),
        2,
    ),
    (
        "served the Friday before the Labor Day weekend: holidays after service do not move day 90",
        D(2026, 9, 4),
        D(2026, 9, 4),
        False,
        D(2026, 12, 3),
        2,
    ),
    ("across a year end: day 90 is Sunday 3 January", D(2026, 10, 5), D(2026, 10, 5), False, D(2027, 1, 4), 2),
    ("day 90 is New Year's Day, a Friday", D(2026, 10, 3), D(2026, 10, 3), False, D(2027, 1, 4), 2),
    ("the AG served two days after the DA: counted from the AG", D(2026, 3, 4), D(2026, 3, 2), False, D(2026, 6, 2), 2),
    ("the DA served after the AG: counted from the DA", D(2026, 3, 2), D(2026, 3, 4), False, D(2026, 6, 2), 2),
    ("served in 2014: 60 days (before SB 980)", D(2014, 12, 15), D(2014, 12, 15), False, D(2015, 2, 13), 1),
    ("served on 31 Dec 2014: day 60 is Sunday 1 March 2015", D(2014, 12, 31), D(2014, 12, 31), False, D(2015, 3, 2), 1),
    ("served in 2015: 90 days; day 90 is a Sunday", D(2015, 1, 5), D(2015, 1, 5), False, D(2015, 4, 6), 2),
    (
        "DA served in 2014, AG in 2015: the rule in force on the later date (90 days)",
        D(2015, 1, 2),
        D(2014, 12, 29),
        False,
        D(2015, 4, 2),
        2,
    ),
    (
        "the briefing extension: 60 more days from the end of the 90 (a Sunday, not rolled first)",
        D(2026, 3, 9),
        D(2026, 3, 9),
        True,
        D(2026, 8, 6),
        2,
    ),
    (
        "the briefing extension ending on a Saturday: the next court day",
        D(2026, 3, 4),
        D(2026, 3, 4),
        True,
        D(2026, 8, 3),
        2,
    ),
]


@pytest.mark.parametrize(
    ("case", "ag", "da", "extension", "due", "version"), PC1405_CASES, ids=[c[0] for c in PC1405_CASES]
)
def test_pc1405_response_due(case, ag, da, extension, due, version):
    computed, response, briefing = selectors.pc1405_response_due(
        served_ag_on=ag, served_da_on=da, briefing_extension=extension
    )
    assert computed == due, case
    assert response.code == selectors.PC1405_RESPONSE
    assert response.version == version
    assert response.days == (60 if version == 1 else 90)
    assert (briefing is not None) == extension
    if briefing:
        assert briefing.days == 60
        assert "1405" in briefing.citation


def test_no_briefing_extension_before_sb_980():
    """The additional 60 days came with SB 980: a motion served in 2014 has none to ask for."""
    with pytest.raises(selectors.RuleNotInForce, match="pc1405-briefing-extension"):
        selectors.pc1405_response_due(served_ag_on=D(2014, 6, 2), served_da_on=D(2014, 6, 2), briefing_extension=True)


def test_no_rule_in_force_is_an_error_naming_the_rule_and_the_date():
    with pytest.raises(selectors.RuleNotInForce) as raised:
        selectors.rule_in_force("pc1405-response", D(2000, 6, 1))
    assert "pc1405-response" in str(raised.value)
    assert "2000-06-01" in str(raised.value)
    with pytest.raises(selectors.RuleNotInForce):
        selectors.rule_in_force("no-such-rule", D(2026, 1, 1))


def test_the_version_in_force_changes_on_the_effective_date():
    assert selectors.rule_in_force("pc1405-response", D(2014, 12, 31)).days == 60
    assert selectors.rule_in_force("pc1405-response", D(2015, 1, 1)).days == 90


# --- Court days ---------------------------------------------------------------------------

HOLIDAYS = frozenset({D(2026, 11, 26), D(2026, 11, 27), D(2026, 12, 25), D(2027, 1, 1), D(2026, 7, 3)})

# (what the case is, start, days, how counted, expected last day)
COUNT_CASES = [
    ("calendar: the first day excluded, the last included", D(2026, 3, 2), 10, "calendar", D(2026, 3, 12)),
    ("calendar: a Saturday rolls to Monday", D(2026, 3, 4), 10, "calendar", D(2026, 3, 16)),
    (
        "calendar: an observed holiday (Friday 3 July) rolls past the weekend",
        D(2026, 6, 23),
        10,
        "calendar",
        D(2026, 7, 6),
    ),
    (
        "calendar: Thanksgiving rolls past the day after and the weekend",
        D(2026, 11, 16),
        10,
        "calendar",
        D(2026, 11, 30),
    ),
    ("calendar: Christmas on a Friday rolls to Monday", D(2026, 12, 15), 10, "calendar", D(2026, 12, 28)),
    ("calendar: New Year's Day across the year end", D(2026, 12, 22), 10, "calendar", D(2027, 1, 4)),
    ("court days skip weekends", D(2026, 3, 6), 5, "court", D(2026, 3, 13)),
    ("court days skip Thanksgiving and the day after", D(2026, 11, 25), 2, "court", D(2026, 12, 1)),
    ("court days across the year end", D(2026, 12, 23), 3, "court", D(2026, 12, 29)),
]


@pytest.mark.parametrize(("case", "start", "days", "count", "last"), COUNT_CASES, ids=[c[0] for c in COUNT_CASES])
def test_day_counts(case, start, days, count, last):
    assert courtdays.add_days(start, days, count=count, holidays=HOLIDAYS) == last, case


def test_a_calendar_count_may_be_left_unrolled():
    assert courtdays.add_days(D(2026, 3, 4), 10, count="calendar", holidays=HOLIDAYS, roll=False) == D(2026, 3, 14)


def test_an_unknown_count_is_refused():
    with pytest.raises(ValueError, match="Unknown"):
        courtdays.add_days(D(2026, 3, 4), 10, count="business", holidays=HOLIDAYS)


# The seeded judicial holidays (Code Civ. Proc. § 135; Gov. Code § 6700): where the courts differ
# from the `holidays` package's California calendar.
SEEDED = [
    (D(2026, 2, 12), True, "Lincoln Day (§ 6700), missing from the package"),
    (D(2026, 3, 31), True, "Cesar Chavez Day"),
    (D(2026, 9, 25), True, "Native American Day, fourth Friday in September, since 2015"),
    (D(2014, 9, 26), False, "Native American Day was not a § 6700 holiday in 2014"),
    (D(2026, 11, 27), True, "the day after Thanksgiving (§ 135)"),
    (D(2026, 7, 3), True, "Independence Day observed on the Friday"),
    (D(2026, 9, 9), False, "Admission Day is not a judicial holiday (§ 135)"),
    (D(2026, 6, 19), False, "Juneteenth: federal, not in § 6700 as read"),
    (D(2026, 2, 15), False, "Susan B. Anthony Day: commemorative"),
    (D(2026, 4, 3), False, "Good Friday: noon to 3 p.m. only, not a full day"),
]


@pytest.mark.parametrize(("day", "closed", "why"), SEEDED, ids=[s[2] for s in SEEDED])
def test_seeded_judicial_holidays(day, closed, why):
    assert JudicialHoliday.objects.filter(day=day).exists() == closed, why


def test_judicial_holidays_are_data():
    """A day the Judicial Council or the court closes is added in admin and counts at once."""
    assert selectors.pc1405_response_due(served_ag_on=D(2026, 3, 6), served_da_on=D(2026, 3, 6))[0] == D(2026, 6, 4)
    JudicialHoliday.objects.create(day=D(2026, 6, 4), name="Court closure")
    assert selectors.pc1405_response_due(served_ag_on=D(2026, 3, 6), served_da_on=D(2026, 3, 6))[0] == D(2026, 6, 5)
