"""Dates Open States gave only in part ("2025", "2025-03") shown as much as is known."""

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def partial_date(value, precision: str = "day", day_format: str = "SHORT_DATE_FORMAT") -> str:
    """`{{ action.date|partial_date:action.date_precision }}`: the year, the month and year, or
    the date in `day_format`."""
    if not value:
        return ""
    if precision == "year":
        return date_format(value, "Y")
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, day_format)


@register.filter
def partial_date_iso(value, precision: str = "day") -> str:
    """The value of `<time datetime>`: 2025, 2025-03 or 2025-03-04 (all valid in HTML)."""
    if not value:
        return ""
    return value.isoformat()[: {"year": 4, "month": 7}.get(precision, 10)]
