"""Quality-gate hooks of Government Relations (see tests.support.hook_modules)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tests.support import Route, Sample


def admin_rows_ensure() -> None:
    """One row of each model for the admin's object pages."""
    from govrelations import models as m
    from govrelations.bills.tests import factories as f
    from govrelations.hearings.tests import factories as hf
    from govrelations.positions.tests import factories as pf

    bill = m.Bill.objects.order_by("pk").first() or f.BillFactory()
    if not m.BillAbstract.objects.exists():
        f.BillAbstractFactory(bill=bill)
    if not m.BillSponsorship.objects.exists():
        m.BillSponsorship.objects.create(bill=bill, name="Sample author", primary=True)
    if not m.BillAction.objects.exists():
        f.BillActionFactory(bill=bill)
    if not m.BillDocument.objects.exists():
        m.BillDocument.objects.create(bill=bill, note="Introduced", links=[{"url": "https://example.org/"}])
    if not m.VoteSummary.objects.exists():
        m.VoteSummary.objects.create(bill=bill, motion_text="Do pass", result="pass", yes_count=5)
    if not m.RelatedBill.objects.exists():
        m.RelatedBill.objects.create(bill=bill, identifier="AB 1", legislative_session="20232024")
    if not m.Subject.objects.exists():
        f.SubjectFactory()
    if not m.BillComment.objects.exists():
        f.BillCommentFactory(bill=bill)
    position = m.Position.objects.order_by("pk").first() or pf.PositionFactory(bill=bill)
    if not m.PositionEvent.objects.exists():
        pf.PositionEventFactory(position=position)
    if not m.PositionLetter.objects.exists():
        pf.PositionLetterFactory()
    if not m.HearingReminder.objects.exists():
        hf.HearingReminderFactory()
    if not m.BillAlert.objects.exists():
        f.BillAlertFactory(bill=bill)
    if not m.BillFollow.objects.exists():
        f.BillFollowFactory(bill=bill)
    if not m.DigestSubscription.objects.exists():
        from jcr.accounts.tests.factories import StaffFactory

        m.DigestSubscription.objects.create(user=StaffFactory())
    if not m.ImplementationTask.objects.exists():
        f.ImplementationTaskFactory(bill=bill)
    if not m.SyncRun.objects.exists():
        run = m.SyncRun.objects.create(parameters={"jurisdiction": "California"})
        m.SyncError.objects.create(run=run, identifier="AB 1", reason="title is missing")
    if not m.SyncTarget.objects.exists():
        m.SyncTarget.objects.create(jurisdiction="California")
    if not m.SyncCursor.objects.exists():
        m.SyncCursor.objects.create(key="0" * 64, jurisdiction="California", page=2)
    if not m.ApiUsage.objects.exists():
        from django.utils import timezone

        m.ApiUsage.objects.create(day=timezone.now().date(), requests=1)


def seed_private_markers(*, personas, marker) -> list[str]:
    """A published bill's internal memo, comments, a returned proposal's reasons and the
    supervisor's comment, hearing notes; and a bill with only a proposal (never public)."""
    from govrelations.bills.tests.factories import BillCommentFactory, BillFactory
    from govrelations.hearings.tests.factories import HearingFactory
    from govrelations.models import Position
    from govrelations.positions.tests.factories import ApprovedPositionFactory, PositionFactory

    memo, comment, returned_reasons, return_comment, notes = (
        marker("gr-memo"),
        marker("gr-comment"),
        marker("gr-returned-reasons"),
        marker("gr-return-comment"),
        marker("gr-hearing-notes"),
    )
    published = BillFactory(analysis_memo=memo, is_watched=True)
    ApprovedPositionFactory(bill=published)
    BillCommentFactory(bill=published, text=comment)
    PositionFactory(
        bill=published, status=Position.Status.RETURNED, reasons=returned_reasons, decision_comment=return_comment
    )
    HearingFactory(bill=published, notes=notes)
    proposed_title, proposed_reasons = marker("gr-unpublished-title"), marker("gr-proposed-reasons")
    unpublished = BillFactory(title=proposed_title)
    PositionFactory(bill=unpublished, reasons=proposed_reasons)
    return [memo, comment, returned_reasons, return_comment, notes, proposed_title, proposed_reasons]


def _bill(personas: Mapping[str, object], route: Route) -> Sample:
    from govrelations.bills.tests.factories import BillFactory

    return Sample(kwargs={"public_id": BillFactory().public_id})


def _published_bill(personas: Mapping[str, object], route: Route) -> Sample:
    from govrelations.positions.tests.factories import ApprovedPositionFactory

    return Sample(kwargs={"public_id": ApprovedPositionFactory().bill.public_id})


def _proposed_position(personas: Mapping[str, object], route: Route) -> Sample:
    from govrelations.positions.tests.factories import PositionFactory

    return Sample(kwargs={"public_id": PositionFactory(proposed_by=personas.get("gr_analyst")).public_id})


def _letter(personas: Mapping[str, object], route: Route) -> Sample:
    from govrelations.positions.tests.factories import PositionLetterFactory

    return Sample(kwargs={"public_id": PositionLetterFactory().public_id})


def _task(personas: Mapping[str, object], route: Route) -> Sample:
    from govrelations.bills.tests.factories import ImplementationTaskFactory

    return Sample(kwargs={"public_id": ImplementationTaskFactory().public_id})


def _session(personas: Mapping[str, object], route: Route) -> Sample:
    from govrelations.positions.tests.factories import ApprovedPositionFactory

    return Sample(kwargs={"session": ApprovedPositionFactory().bill.session.identifier})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        # staff
        "govrelations:staff_bill_*": _bill,
        "govrelations:staff_hearing_add": _bill,
        "govrelations:staff_task_add": _bill,
        "govrelations:staff_position_propose": _bill,
        "govrelations:staff_position_*": _proposed_position,
        "govrelations:staff_letter_create": _proposed_position,
        "govrelations:staff_letter_*": _letter,
        "govrelations:staff_task_complete": _task,
        # public
        "govrelations:bill_detail": _published_bill,
        "govrelations:letter_detail": _letter,
        "govrelations:session_positions": _session,
    }
