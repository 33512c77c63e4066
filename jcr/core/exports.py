"""The one way CSV leaves the portal: every export (staff lists, confidential records, open
data) writes its cells through `csv_cell`, so no cell opens in a spreadsheet as a formula.

Formula ("CSV") injection, as OWASP describes it: a cell whose text starts with = + - @, a tab
or a carriage return is read by Excel, LibreOffice and Google Sheets as a formula
(=HYPERLINK(...), =cmd|...), and spreadsheets skip leading spaces before deciding. A resident
or a public form controls much of what we export (a case number, a name), so every text cell
that would start a formula after its leading whitespace gets a leading apostrophe: the
spreadsheet shows the text as typed and never evaluates it. Numbers stay numbers (a negative
figure is not a formula); anything else is written as its text.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import models
from django.http import HttpResponse

from jcr.core.audit import audit_record

# What starts a formula (the full-width forms too: some spreadsheets fold them), and the
# control characters OWASP lists on their own (a cell is not stripped of them first).
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = ("\t", "\r", "\n")


def csv_cell(value) -> object:
    """`value` as it may be written to a CSV cell: None as "", booleans as true/false,
    numbers as they are, any other value as text, with a leading apostrophe when the text
    would start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(CONTROL_STARTS) or text.lstrip()[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def csv_rows(rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV text one row (one line) at a time, every cell through `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(value) for value in row])
        yield buffer.getvalue()


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The header, then the rows, as CSV text one line at a time (for a streamed response or
    a file)."""
    yield from csv_rows(itertools.chain([header], rows))


def csv_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """An attachment `filename` holding the header and the rows, never cached (exports hold
    personal or confidential data). Staff exports go through `csv_export`, which records them;
    this is for files that are public (open data)."""
    response = HttpResponse("".join(csv_lines(header, rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_export(
    *,
    actor,
    action: str,
    filename: str,
    header: Iterable,
    rows: Iterable[Iterable],
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
) -> HttpResponse:
    """The one way staff take data out as CSV: record the export in the audit trail (who,
    what, how many rows and, where the page asks for one, why), then answer with the file.

    `obj` (or `object_type`/`object_id`) names what was exported. The audit entry holds the
    row count and the reason, never a value of the rows; for a confidential model the audit
    trail's own rule applies (only holders of its permission see the entry).
    """
    rows = list(rows)
    after: dict[str, object] = {"rows": len(rows)}
    if reason:
        after["reason"] = reason
    audit_record(action=action, obj=obj, actor=actor, object_type=object_type, object_id=object_id, after=after)
    return csv_response(filename=filename, header=header, rows=rows)
