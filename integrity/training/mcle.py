"""California MCLE standing, computed from plain values (no database).

The rules are data (an `MCLERuleSet` and its category minimums, edited in admin); this module
only applies them. `standing_compute` takes a deputy's credits, the rules and the compliance
period and returns totals, what is short, and whether the deputy complies.

Counting rules (State Bar of California, Rules of Court 9.31 and Rules of the State Bar, rule
2.72 as amended for compliance periods ending in 2025 and later; rule 2.51(D) for the credit hour):
- Only credits earned inside the period [start, end] count.
- A subfield's hours count toward its parent too (`PARENT`): implicit bias toward elimination
  of bias, prevention and detection of substance use and mental-health issues toward competence.
- Every credit, whatever its category, counts toward the period's total.
- At most the self-study maximum may be self-study: the rest of the total must be participatory
  (a "participatory" shortfall). Category minimums may be met by either kind.
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
SUBSTANCE_MH = "substance_mh"
TECHNOLOGY = "technology"
CIVILITY = "civility"
CATEGORIES = (GENERAL, ETHICS, COMPETENCE, SUBSTANCE_MH, BIAS, IMPLICIT_BIAS, TECHNOLOGY, CIVILITY)
# A subfield's hours also count toward its parent's minimum.
PARENT = {IMPLICIT_BIAS: BIAS, SUBSTANCE_MH: COMPETENCE}
PARTICIPATORY = "participatory"
TOTAL = "total"

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
    required: Mapping[str, Decimal] = field(default_factory=dict)  # each minimum, participatory included

    @property
    def progress(self) -> list[Shortfall]:
        """Each requirement with the hours counted toward it (the total first, subfields after
        their parent); `missing` is zero when it is met."""
        counted = {**self.by_category, TOTAL: self.total, PARTICIPATORY: self.participatory}
        order = (TOTAL, PARTICIPATORY, *CATEGORIES)
        return [Shortfall(c, self.required[c], counted.get(c, ZERO)) for c in order if self.required.get(c)]

    @property
    def compliant(self) -> bool:
        return not self.shortfalls

    @property
    def hours_missing(self) -> Decimal:
        """The hours still to earn: the largest of the total gap, the participatory gap and the
        sum of category gaps (category hours also count toward the total)."""
        gaps = {s.category: s.missing for s in self.shortfalls}
        category_gap = sum((m for c, m in gaps.items() if c not in (TOTAL, PARTICIPATORY) and c not in PARENT), ZERO)
        # A subfield's gap beyond its parent's gap needs hours of its own.
        for child, parent in PARENT.items():
            category_gap += max(gaps.get(child, ZERO) - gaps.get(parent, ZERO), ZERO)
        return max(gaps.get(TOTAL, ZERO), gaps.get(PARTICIPATORY, ZERO), category_gap)

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
    total = participatory + self_study
    counted = dict(by_category)
    for child, parent in PARENT.items():
        counted[parent] = counted[parent] + by_category[child]
    shortfalls = []
    if total < rules.hours_per_period:
        shortfalls.append(Shortfall(TOTAL, rules.hours_per_period, total))
    participatory_min = max(rules.hours_per_period - rules.self_study_max, ZERO)
    if participatory < participatory_min:
        shortfalls.append(Shortfall(PARTICIPATORY, participatory_min, participatory))
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
        required={
            TOTAL: rules.hours_per_period,
            PARTICIPATORY: participatory_min,
            **{c: h for c, h in rules.minimums.items() if h},
        },
    )


def period_start_for(*, period_end: date, period_years: int) -> date:
    """The first day of the period ending on `period_end`: the day after the same date
    `period_years` earlier (a 3-year period ending 2027-01-31 starts 2024-02-01)."""
    try:
        previous = period_end.replace(year=period_end.year - period_years)
    except ValueError:  # 29 February
        previous = period_end.replace(year=period_end.year - period_years, day=28)
    return date.fromordinal(previous.toordinal() + 1)


def credit_hours_max(minutes: float) -> Decimal:
    """The most credit a session of `minutes` can give: a credit hour is sixty minutes actually
    spent, reported in quarter hours (rule 2.51(D)); rounded down to the quarter hour."""
    return Decimal(int(minutes // 15)) * Decimal("0.25")


def minimums_problems(*, hours_per_period: Decimal, minimums: Mapping[str, Decimal]) -> list[tuple[str, str]]:
    """What is wrong with a rule set's category minimums, as (code, category) pairs: "over"
    (a minimum above the total), "sum" (the minimums together above the total; implicit bias
    is part of elimination of bias, so it is not added), "implicit" (a subfield's minimum above
    its parent's: implicit bias above elimination of bias, substance use and mental health above
    competence)."""
    problems = [("over", c) for c, hours in minimums.items() if hours > hours_per_period]
    if sum((h for c, h in minimums.items() if c not in PARENT), ZERO) > hours_per_period:
        problems.append(("sum", ""))
    for child, parent in PARENT.items():
        if parent in minimums and minimums.get(child, ZERO) > minimums[parent]:
            problems.append(("implicit", child))
    return problems
