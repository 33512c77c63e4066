"""Quality-gate hooks of the confidential records (combined into integrity/tests/hooks.py).

Every confidential route answers 404 to any member of staff outside JTI (declared
`confidential`, so tests.support expects 404 from staff without the permission), and each
sample names them in `outside`; the claim sample also walls off the JTI Staff persona (they
"worked the original case"), which must then get 404 too. Record pages need a recent
sign-in, and so do lists, searches, forms and exports (every read of a confidential route):
the matrix's sessions come from `force_login`, which records none, so those samples expect
the 302 to re-authentication. POST-only routes answer a GET with 405 before that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from conftest import ROLE_PERSONAS
from tests.support import Route, Sample

JTI = {"jti_staff", "jti_chief"}
NON_JTI_STAFF = frozenset(name for name in ROLE_PERSONAS if name not in JTI)
REAUTH = 302


def admin_rows_ensure() -> None:
    from integrity.records.models import (
        Allegation,
        AllegationAttachment,
        Claim,
        ClaimScreening,
        CourtOrder,
        CourtReferral,
        DisclosureEntry,
        DisclosureLog,
        EligibilityCriterion,
        EvidenceItem,
        ExternalReviewNote,
        RecordDeadline,
        RecordStep,
        TestingRequest,
    )
    from integrity.records.models_retention import DispositionRun
    from integrity.records.tests import factories as f

    allegation = Allegation.objects.order_by("pk").first() or f.allegation()
    claim = Claim.objects.order_by("pk").first() or f.claim()
    testing = TestingRequest.objects.order_by("pk").first() or f.testing_request()
    entry = DisclosureEntry.objects.order_by("pk").first() or f.disclosure_entry()
    criterion = EligibilityCriterion.objects.order_by("pk").first() or f.criteria()[0]
    if not AllegationAttachment.objects.exists():
        AllegationAttachment.objects.create(
            allegation=allegation,
            file="integrity/allegations/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=10,
        )
    if not CourtReferral.objects.exists():
        CourtReferral.objects.create(allegation=allegation, court="Superior Court", referred_on="2026-01-05")
    if not ClaimScreening.objects.exists():
        ClaimScreening.objects.create(claim=claim, criterion=criterion, met=True)
    if not ExternalReviewNote.objects.exists():
        ExternalReviewNote.objects.create(claim=claim, reviewer="Innocence clinic", note="Read the file.")
    if not EvidenceItem.objects.exists():
        EvidenceItem.objects.create(
            request=testing, description="Swab", location="Crime lab", custodian="Lab", preservation="preserved"
        )
    if not CourtOrder.objects.exists():
        CourtOrder.objects.create(request=testing, ordered_on="2026-02-01", summary="Testing ordered.")
    if not DisclosureLog.objects.exists():
        f.disclosure_log(entry)
    if not DispositionRun.objects.exists():
        _run()
    if not RecordStep.objects.exists():
        RecordStep.objects.create(record_type="integrity.allegation", record_id=allegation.pk, step="received")
    if not RecordDeadline.objects.exists():
        RecordDeadline.objects.create(
            record_type="integrity.allegation",
            record_id=allegation.pk,
            label="Review",
            due_on="2026-02-01",
            remind_on="2026-01-25",
        )


def _list(personas, route) -> Sample:
    return Sample(outside=NON_JTI_STAFF, ok=REAUTH)


def _chief_only(personas, route) -> Sample:
    """Exports and the access log: the JTI Chief only."""
    return Sample(outside=NON_JTI_STAFF | {"jti_staff"}, ok=REAUTH)


def _record(factory_name: str, *, ok: int = 200) -> Callable[[Mapping[str, object], Route], Sample]:
    def make(personas, route) -> Sample:
        from integrity.records.tests import factories as f

        record = getattr(f, factory_name)()
        return Sample(kwargs={"public_id": record.public_id}, outside=NON_JTI_STAFF, ok=ok)

    return make


def _claim(ok: int, *, walled: bool = True):
    """A claim walled off from the JTI Staff persona (for the detail page: POST-only routes
    answer a GET with 405 before looking at the claim, so they are sampled without the wall;
    test_records_access posts to them as a walled person)."""

    def make(personas, route) -> Sample:
        from integrity.records.tests import factories as f

        claim = f.claim()
        outside = NON_JTI_STAFF
        if walled:
            claim.conflicted_users.add(personas["jti_staff"])
            outside = outside | {"jti_staff"}
        return Sample(kwargs={"public_id": claim.public_id}, outside=outside, ok=ok)

    return make


def _wall_change(personas, route) -> Sample:
    """A proposed change to the JTI Chief persona's wall (POST-only: a GET answers 405)."""
    from integrity.records.models import ClaimWallChange
    from integrity.records.tests import factories as f

    claim = f.claim()
    change = ClaimWallChange.objects.create(
        claim=claim, person=personas["jti_chief"], proposed_by=personas["jti_staff"], reason="Tried the case"
    )
    return Sample(kwargs={"public_id": claim.public_id, "change_id": change.public_id}, outside=NON_JTI_STAFF)


# Who may ask the officer lookup (integrity.lookup_disclosure_index): prosecutors and JTI.
LOOKUP_ROLES = JTI | {"community_prosecutor", "prosecutor_other_area", "cpu_supervisor"}


def _lookup(personas, route) -> Sample:
    """The officer lookup: every other member of staff gets 404; the page is a read, so the
    matrix's sessions are sent to re-authenticate."""
    return Sample(outside=frozenset(name for name in ROLE_PERSONAS if name not in LOOKUP_ROLES), ok=REAUTH)


def _attachment(personas, route) -> Sample:
    """An attachment's download: a record page (the matrix's sessions need to re-authenticate)."""
    from django.core.files.base import ContentFile

    from integrity.records.models import AllegationAttachment
    from integrity.records.tests import factories as f

    allegation = f.allegation()
    attachment = AllegationAttachment(
        allegation=allegation, original_name="statement.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("upload.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return Sample(
        kwargs={"public_id": allegation.public_id, "attachment_id": attachment.pk}, outside=NON_JTI_STAFF, ok=REAUTH
    )


def _letter(personas, route) -> Sample:
    """A declined claim with its letter, walled off from the JTI Staff persona."""
    from integrity.records.tests import factories as f

    claim = f.claim(status="disposed", disposition="declined", disposition_letter="We reviewed your claim.")
    claim.conflicted_users.add(personas["jti_staff"])
    return Sample(kwargs={"public_id": claim.public_id}, outside=NON_JTI_STAFF | {"jti_staff"}, ok=REAUTH)


def _delete(personas, route) -> Sample:
    from integrity.records.tests import factories as f

    return Sample(kwargs={"kind": "allegation", "public_id": f.allegation().public_id}, outside=NON_JTI_STAFF)


def _run():
    """A disposition run listing one record past its retention date."""
    from integrity.records.models_retention import DispositionItem, DispositionRun, RetentionSchedule
    from integrity.records.tests import factories as f

    month = DispositionRun.objects.order_by("month").values_list("month", flat=True).first()
    month = month.replace(year=month.year - 1) if month else date(2026, 1, 1)
    run = DispositionRun.objects.create(month=month, summary={"listed": 1})
    record = f.allegation(retention_until=month)
    DispositionItem.objects.create(
        run=run,
        record_type="integrity.allegation",
        record_id=record.pk,
        record_public_id=record.public_id,
        label=record.receipt_number,
        retention_until=month,
        schedule=RetentionSchedule.objects.filter(record_type="integrity.allegation").first(),
        disposition="review",
    )
    return run


def _disposition_run(personas, route) -> Sample:
    """A run: the records officers' (the JTI Chief); JTI Staff get 404 like everyone else."""
    return Sample(kwargs={"run_id": _run().public_id}, outside=NON_JTI_STAFF | {"jti_staff"}, ok=REAUTH)


def _disposal(personas, route) -> Sample:
    """POST-only (a GET answers 405 to the JTI Chief); JTI Staff lack the permission."""
    from integrity.records.tests import factories as f

    record = f.allegation()
    return Sample(kwargs={"kind": "allegation", "public_id": record.public_id}, outside=NON_JTI_STAFF | {"jti_staff"})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    lists = (
        "integrity:records_home",
        "integrity:allegation_list",
        "integrity:allegation_new",
        "integrity:claim_list",
        "integrity:testing_list",
        "integrity:testing_new",
        "integrity:disclosure_list",
        "integrity:disclosure_new",
        "integrity:retention_list",
        "integrity:disclosure_case",
    )
    samples = dict.fromkeys(lists, _list)
    for name in ("allegation_export", "claim_export", "access_log"):
        samples[f"integrity:{name}"] = _chief_only
    samples["integrity:allegation_detail"] = _record("allegation", ok=REAUTH)
    samples["integrity:allegation_advance"] = _record("allegation")
    samples["integrity:allegation_referral"] = _record("allegation")
    samples["integrity:claim_detail"] = _claim(REAUTH)
    for name in ("claim_screen", "claim_assign", "claim_note", "claim_dispose"):
        samples[f"integrity:{name}"] = _claim(200, walled=False)
    # The conflict wall: any JTI member reaches these POST-only routes (the rules of who may
    # change whose wall are the service's, integrity/records/services_wall.py).
    for name in ("claim_wall_add", "claim_wall_remove"):
        samples[f"integrity:{name}"] = _claim(200, walled=False)
    for name in ("claim_wall_confirm", "claim_wall_reject"):
        samples[f"integrity:{name}"] = _wall_change
    samples["integrity:disclosure_export"] = _chief_only
    samples["integrity:disclosure_lookup"] = _lookup
    samples["integrity:testing_detail"] = _record("testing_request", ok=REAUTH)
    samples["integrity:testing_evidence"] = _record("testing_request")
    samples["integrity:testing_advance"] = _record("testing_request")
    samples["integrity:testing_assign"] = _record("testing_request")
    samples["integrity:testing_continuance"] = _record("testing_request")
    samples["integrity:disclosure_detail"] = _record("disclosure_entry", ok=REAUTH)
    samples["integrity:disclosure_log"] = _record("disclosure_entry")
    samples["integrity:disclosure_reconsider"] = _record("disclosure_entry")
    samples["integrity:record_delete"] = _delete
    samples["integrity:allegation_attachment"] = _attachment
    samples["integrity:claim_letter"] = _letter
    samples["integrity:record_retention"] = _delete
    samples["integrity:disposition_run_list"] = _chief_only
    samples["integrity:disposition_run"] = _disposition_run
    samples["integrity:record_disposal"] = _disposal
    return samples


def seed_private_markers(*, personas, marker) -> list[str]:
    """Rows whose confidential fields hold markers; none may show on a public page."""
    from integrity.records.models import AllegationAttachment, EvidenceItem, ExternalReviewNote
    from integrity.records.tests import factories as f

    m = {
        label: marker(label)
        for label in (
            "allegation description",
            "complainant name",
            "allegation case",
            "allegation subject",
            "attachment name",
            "claimant name",
            "claim summary",
            "claim contact",
            "review note",
            "petitioner",
            "evidence custodian",
            "officer name",
            "supporting documents",
        )
    }
    allegation = f.allegation(
        description=m["allegation description"],
        complainant_name=m["complainant name"],
        case_number=m["allegation case"][:60],
        subject=m["allegation subject"],
    )
    AllegationAttachment.objects.create(
        allegation=allegation,
        file="integrity/allegations/m.pdf",
        original_name=m["attachment name"],
        content_type="application/pdf",
        size=10,
    )
    claim = f.claim(claimant_name=m["claimant name"], summary=m["claim summary"], claimant_contact=m["claim contact"])
    ExternalReviewNote.objects.create(claim=claim, reviewer="Clinic", note=m["review note"])
    testing = f.testing_request(petitioner=m["petitioner"])
    EvidenceItem.objects.create(
        request=testing, description="Item", location="Lab", custodian=m["evidence custodian"], preservation="preserved"
    )
    f.disclosure_entry(officer_name=m["officer name"], supporting_documents=m["supporting documents"])
    return list(m.values())
