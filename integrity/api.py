"""What other parts of the portal may read of Justice, Training & Integrity.

Read-only helpers; nothing here writes. Integrity records are confidential: what leaves the
unit here is a receipt number and a status, never a record's contents."""

from __future__ import annotations

from django.utils.translation import gettext as _

from integrity.records.selectors import receipts_of_filer
from jcr.core.submissions import SECTION_MAX_ROWS, Row, Section


def my_submissions(emails: list[str]) -> list[Section]:
    """The conviction review claims and misconduct allegations a resident filed with one of
    these addresses: receipt number and status only (no contents, no page to open)."""
    receipts = receipts_of_filer(emails=emails, limit=SECTION_MAX_ROWS)

    def rows(kind: str) -> list[Row]:
        return [Row(label=_("Receipt %(number)s") % {"number": r.number}, status=r.status) for r in receipts[kind]]

    return [
        Section(key="integrity.claims", title=_("Conviction review claims"), rows=rows("claims")),
        Section(key="integrity.allegations", title=_("Misconduct reports"), rows=rows("allegations")),
    ]
