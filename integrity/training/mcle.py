"""California MCLE standing, computed from plain values (no database).

The rules are data (an `MCLERuleSet` and its category minimums, edited in admin); this module
only applies them. `standing_compute` takes a deputy's credits, the rules and the compliance
period and returns totals, what is short, and whether the deputy complies.

Counting rules (State Bar of California, Rules of Court 9.31 and State Bar Rule 2.72):
- Only credits earned inside the period [start, end] count.
- Implicit-bias hours are elimination-of-bias hours too: they count toward the elimination of
  bias minimum as well as toward the implicit-bias sub-requirement.
- Every credit, whatever its category, counts toward the period's total.
- Self-study counts toward the total only up to the self-study cap; participatory hours have
  no cap. Category minimums may be met by either kind (the cap limits the total).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

GENERAL = "general"
ETHICS = "ethics"
COMPETENCE = "competence"
BIAS = "bias"
IMPLICIT_BIAS = "implicit_bias"
CATEGORIES = (GENERAL, ETHICS, COMPETENCE, BIAS, IMPLICIT_BIAS)

ZERO = Decimal("0")


@dataclass(frozen=True)
class Credit:
    earned_on: date
    category: str
    hours: Decimal
    self_study: bool = False


@dataclass(frozen=True)
class Rules:
    hours_per_period: Decimal
    self_study_max: Decimal
    minimums: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Shortfall:
    category: str  # a category code, or "total"
    required: Decimal
    counted: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.counted, ZERO)


@dataclass(frozen=True)
class Standing:
    period_start: date
    period_end: date
    by_category: dict[str, Decimal]
    participatory: Decimal
    self_study: Decimal
    self_study_counted: Decimal
    total: Decimal
    required_total: Decimal
    shortfalls: tuple[Shortfall, ...]

    @property
    def compliant(self) -> bool:
        return not self.shortfalls

    @property
    def hours_missing(self) -> Decimal:
        """The hours still to earn: the larger of the total gap and the sum of category gaps
        (category hours also count toward the total)."""
        total_gap = next((s.missing for s in self.shortfalls if s.category == "total"), ZERO)
        category_gap = sum((s.missing for s in self.shortfalls if s.category not in ("total", IMPLICIT_BIAS)), ZERO)
        # An implicit-bias gap beyond the elimination-of-bias gap needs hours of its own.
        bias_gap = next((s.missing for s in self.shortfalls if s.category == BIAS), ZERO)
        implicit_gap = next((s.missing for s in self.shortfalls if s.category == IMPLICIT_BIAS), ZERO)
        category_gap += max(implicit_gap - bias_gap, ZERO)
        return max(total_gap, category_gap)

    def days_left(self, today: date) -> int:
        return (self.period_end - today).days


def standing_compute(*, credits: Iterable[Credit], rules: Rules, period_start: date, period_end: date) -> Standing:
    """A deputy's standing for the period [period_start, period_end] (both days included)."""
    by_category = dict.fromkeys(CATEGORIES, ZERO)
    participatory = ZERO
    self_study = ZERO
    for credit in credits:
        if not (period_start <= credit.earned_on <= period_end) or credit.hours <= 0:
            continue
        by_category[credit.category] = by_category.get(credit.category, ZERO) + credit.hours
        if credit.self_study:
            self_study += credit.hours
        else:
            participatory += credit.hours
    self_study_counted = min(self_study, rules.self_study_max)
    total = participatory + self_study_counted
    counted = dict(by_category)
    counted[BIAS] = by_category[BIAS] + by_category[IMPLICIT_BIAS]
    shortfalls = []
    if total < rules.hours_per_period:
        shortfalls.append(Shortfall("total", rules.hours_per_period, total))
    for category in CATEGORIES:
        required = rules.minimums.get(category, ZERO)
        if required and counted[category] < required:
            shortfalls.append(Shortfall(category, required, counted[category]))
    return Standing(
        period_start=period_start,
        period_end=period_end,
        by_category=counted,
        participatory=participatory,
        self_study=self_study,
        self_study_counted=self_study_counted,
        total=total,
        required_total=rules.hours_per_period,
        shortfalls=tuple(shortfalls),
    )


def period_start_for(*, period_end: date, period_years: int) -> date:
    """The first day of the period ending on `period_end`: the day after the same date
    `period_years` earlier (a 3-year period ending 2027-01-31 starts 2024-02-01)."""
    try:
        previous = period_end.replace(year=period_end.year - period_years)
    except ValueError:  # 29 February
        previous = period_end.replace(year=period_end.year - period_years, day=28)
    return date.fromordinal(previous.toordinal() + 1)


def last_name_of(full_name: str, email: str = "") -> str:
    """The last word of a full name (or of the e-mail's local part when there is no name)."""
    words = (full_name or "").split()
    if words:
        return words[-1]
    return (email or "").split("@")[0].split(".")[-1]


def minimums_problems(*, hours_per_period: Decimal, minimums: Mapping[str, Decimal]) -> list[tuple[str, str]]:
    """What is wrong with a rule set's category minimums, as (code, category) pairs: "over"
    (a minimum above the total), "sum" (the minimums together above the total; implicit bias
    is part of elimination of bias, so it is not added), "implicit" (the implicit-bias minimum
    above the elimination-of-bias one)."""
    problems = [("over", c) for c, hours in minimums.items() if hours > hours_per_period]
    if sum((h for c, h in minimums.items() if c != IMPLICIT_BIAS), ZERO) > hours_per_period:
        problems.append(("sum", ""))
    if BIAS in minimums and minimums.get(IMPLICIT_BIAS, ZERO) > minimums[BIAS]:
        problems.append(("implicit", IMPLICIT_BIAS))
    return problems
