"""Counting days the way California courts do (no database here; the judicial holidays are
passed in, read by `integrity.rules.selectors.judicial_holiday_dates`).

- Code Civ. Proc. § 12: the time in which an act is to be done is computed by excluding the
  first day and including the last, unless the last day is a holiday, and then it is also
  excluded.
- Code Civ. Proc. § 12a: if the last day is a holiday, the period is extended to and including
  the next day that is not a holiday; "holiday" means every Saturday (and Sunday, Gov. Code
  § 6700(a)) and the judicial holidays of Code Civ. Proc. § 135.
- Court days skip weekends and judicial holidays altogether.

`judicial_holidays_seed` lists the judicial holidays of some years, starting from the `holidays`
package's California calendar and corrected where the courts differ (see its docstring).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta

CALENDAR, COURT = "calendar", "court"


def is_court_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_court_day(day: date, holidays: Collection[date]) -> date:
    """`day` itself when the court is open, else the next day it is (Code Civ. Proc. § 12a)."""
    while not is_court_day(day, holidays):
        day += timedelta(days=1)
    return day


def add_days(start: date, days: int, *, count: str, holidays: Collection[date], roll: bool = True) -> date:
    """The last day of a period of `days` days counted from `start` (the first day excluded,
    Code Civ. Proc. § 12). Calendar days: the last day rolls to the next court day when it is a
    weekend or judicial holiday (§ 12a) unless `roll` is false. Court days: only court days
    count, so the last day is always one."""
    if days < 0:
        raise ValueError("A period counts forwards.")
    if count == CALENDAR:
        last = start + timedelta(days=days)
        return next_court_day(last, holidays) if roll else last
    if count == COURT:
        day, left = start, days
        while left:
            day += timedelta(days=1)
            if is_court_day(day, holidays):
                left -= 1
        return day
    raise ValueError(f"Unknown way of counting days: {count!r}")


# --- Judicial holidays (Code Civ. Proc. § 135; Gov. Code § 6700) -------------------------

# The `holidays` package's California names (and their "observed" days) that are not judicial
# holidays here, and why. A day left out when it is one makes a deadline earlier, never later.
NOT_JUDICIAL = {
    "Juneteenth": "a federal holiday, not in Gov. Code § 6700 as read",
    "Susan B. Anthony Day": "a day of commemoration, not a § 6700 holiday",
    "Diwali": "recently added to the state's calendar; whether courts close was not confirmed (check § 135)",
}


def _judicial(name: str) -> bool:
    return not any(name.startswith(prefix) for prefix in NOT_JUDICIAL)


def _fourth_friday_of_september(year: int) -> date:
    first = date(year, 9, 1)
    first_friday = first + timedelta(days=(4 - first.weekday()) % 7)
    return first_friday + timedelta(days=21)


def judicial_holidays_seed(years: Iterable[int]) -> list[tuple[date, str, str]]:
    """(date, name, note) for each judicial holiday of `years`.

    Starts from `holidays.US(subdiv="CA")` (New Year's Day, Martin Luther King Jr. Day,
    Presidents' Day, Cesar Chavez Day, Memorial Day, Independence Day, Labor Day, Veterans Day,
    Thanksgiving, the day after Thanksgiving, Christmas, and the weekday observed when one falls
    on a weekend; it has no Columbus Day for California) and corrects it to Code Civ. Proc.
    § 135:
    - adds Lincoln Day (February 12, Gov. Code § 6700) and Native American Day (the fourth
      Friday in September, in § 6700 since 2015), which the package's California calendar lacks;
    - drops the days in NOT_JUDICIAL (Juneteenth, Susan B. Anthony Day, Diwali);
    - Admission Day (September 9), Good Friday (noon to 3 p.m. only, not a full day), Lunar New
      Year and Genocide Remembrance Day are not judicial holidays (§ 135), and the package does
      not list them.
    A weekend holiday's observed weekday is the package's (Monday after a Sunday, Friday before
    a Saturday); § 135 lets the Judicial Council designate another day: check its calendar.
    """
    import holidays as holidays_package

    rows: dict[date, tuple[str, str]] = {}
    for day, name in holidays_package.US(subdiv="CA", years=list(years)).items():
        names = [n for n in name.split("; ") if _judicial(n)]
        if names:
            rows[day] = ("; ".join(names), "holidays package, California")
    for year in years:
        lincoln = date(year, 2, 12)
        rows.setdefault(lincoln, ("Lincoln Day", "Gov. Code § 6700; not in the holidays package"))
        if lincoln.weekday() == 6:
            rows.setdefault(lincoln + timedelta(days=1), ("Lincoln Day (observed)", "Gov. Code § 6700"))
        elif lincoln.weekday() == 5:
            rows.setdefault(lincoln - timedelta(days=1), ("Lincoln Day (observed)", "Code Civ. Proc. § 135"))
        if year >= 2015:
            native = _fourth_friday_of_september(year)
            rows.setdefault(native, ("Native American Day", "Gov. Code § 6700 (since 2015); not in the package"))
    return sorted((day, name, note) for day, (name, note) in rows.items())
