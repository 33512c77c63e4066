"""Demo rows of the confidential records (idempotent): allegations at each step, claims
(one walled off from a community prosecutor who worked the original case, one from the JTI
investigator), PC 1405 testing requests with evidence, and the disclosure index."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from integrity.records import (
    retention,
    services_allegations,
    services_claims,
    services_disclosure,
    services_retention,
    services_testing,
    services_wall,
)
from integrity.records.models import Allegation, DeadlineRule, DisclosureEntry, EligibilityCriterion

DEMO_MARK = "[demo]"
CRITERIA = [
    ("county-conviction", "The conviction was obtained by this office."),
    ("new-evidence", "The claim rests on new evidence or information not heard at trial."),
    ("factual-innocence", "The claim is of factual innocence, not a legal error alone."),
    ("sentence-or-custody", "The person is in custody, on supervision, or suffers a lasting consequence."),
]


@transaction.atomic
def seed() -> None:
    if Allegation.objects.filter(description__startswith=DEMO_MARK).exists():
        return
    users = get_user_model().objects
    jti = users.filter(email="jti@demo.jcr.example").first()
    chief = users.filter(email="jti.chief@demo.jcr.example").first()
    prosecutor = users.filter(email="prosecutor@demo.jcr.example").first()
    actor = chief or jti
    for order, (code, text) in enumerate(CRITERIA):
        EligibilityCriterion.objects.get_or_create(code=code, defaults={"text": text, "order": order})
    DeadlineRule.objects.get_or_create(
        code=services_allegations.ALLEGATION_REVIEW_RULE,
        defaults={"label": "Review of a misconduct allegation (office policy; configurable)", "days": 30},
    )

    stories = [
        ("A deputy district attorney did not disclose a witness's prior statement.", "23F04567", []),
        ("A prosecutor made remarks about my son's ethnicity in closing argument.", "22F01111", ["review"]),
        ("An investigator pressured a witness to change her account.", "21F08888", ["review", "investigation"]),
        ("The prosecutor told the jury facts that were not in evidence.", "20F02222", ["review", "finding"]),
        ("A plea offer was withdrawn after I complained.", "", ["review", "finding", "closed"]),
        ("A deputy ignored a subpoena for body-camera video.", "23F09999", []),
        ("I was not told about a hearing in my case.", "24F00123", ["review"]),
    ]
    findings = ["not_sustained", "sustained"]
    for i, (text, case, path) in enumerate(stories):
        allegation = services_allegations.allegation_submit(
            description=f"{DEMO_MARK} {text}",
            case_number=case,
            anonymous=i % 3 == 0,
            complainant_name="" if i % 3 == 0 else "Demo Complainant",
            language="es" if i == 1 else "en",
        )
        for step in path:
            services_allegations.allegation_advance(
                allegation=allegation,
                to_status=step,
                actor=actor,
                finding=findings[i % 2] if step == "finding" else "",
                finding_summary="Reviewed the file and interviewed the deputy." if step == "finding" else "",
                response_text="We reviewed your report and wrote to you with our finding." if step == "closed" else "",
            )
    referred = Allegation.objects.filter(status=Allegation.Status.FINDING).first()
    if referred:
        services_allegations.court_referral_add(
            allegation=referred, court="Sacramento County Superior Court", referred_on=timezone.localdate(), actor=actor
        )

    claims = [
        ("Darnell Price", "98F01234", "An alibi witness was never called; phone records place him elsewhere."),
        ("Luis Ortega", "05F09876", "Two eyewitnesses have recanted their identification."),
        ("Kim Tran", "11F04455", "New DNA testing of the weapon excludes her."),
    ]
    answers = {code: True for code, _text in CRITERIA}
    for i, (name, case, summary) in enumerate(claims):
        claim = services_claims.claim_submit(
            claimant_name=name,
            case_number=case,
            summary=summary,
            claimant_contact="Demo contact, Folsom State Prison",
            has_counsel=i == 2,
            counsel_name="Demo Innocence Clinic" if i == 2 else "",
            wants_counsel_contact=i == 2,
            consent_records=True,
        )
        if i == 0 and prosecutor:
            services_wall.claim_wall_add(claim=claim, users=[prosecutor], actor=chief)
        if i == 1 and jti:
            services_wall.claim_wall_add(claim=claim, users=[jti], actor=chief)
        if i >= 1:
            services_claims.claim_screen(claim=claim, answers=answers, actor=actor)
        if i == 2 and jti:
            services_claims.claim_assign(claim=claim, investigator=jti, actor=actor)
            services_claims.claim_review_note_add(
                claim=claim, reviewer="County Conviction Review Panel", note="Supports a motion to vacate.", actor=actor
            )

    today = timezone.localdate()
    first = services_testing.pc1405_request_create(
        petitioner="Darnell Price",
        case_number="98F01234",
        court="Sacramento County Superior Court",
        counsel="Demo Innocence Clinic",
        served_ag_on=today - timedelta(days=52),
        served_da_on=today - timedelta(days=50),
        actor=chief or jti,
    )
    services_testing.evidence_item_add(
        request=first,
        description="Knife handle swabs",
        location="County crime lab, freezer 3",
        custodian="Crime lab property unit",
        preservation="preserved",
        actor=actor,
    )
    services_testing.evidence_item_add(
        request=first,
        description="Victim's jacket",
        location="Sheriff's property room",
        custodian="Sheriff's evidence custodian",
        preservation="partial",
        actor=actor,
    )
    second = services_testing.pc1405_request_create(
        petitioner="Kim Tran",
        case_number="11F04455",
        court="Sacramento County Superior Court",
        served_ag_on=date(today.year, 1, 15),
        served_da_on=date(today.year, 1, 15),
        actor=actor,
    )
    services_testing.pc1405_request_advance(request=second, to_status="response_filed", actor=actor)
    services_testing.pc1405_request_advance(
        request=second, to_status="ordered", actor=actor, order_summary="DNA testing ordered."
    )

    entry = services_disclosure.disclosure_entry_create(
        actor=actor,
        officer_name="Officer Demo Vega",
        badge_number="4127",
        agency="Demo City Police Department",
        basis=DisclosureEntry.Basis.DISHONESTY,
        supporting_documents="Internal affairs finding (demo).",
        officer_notified_on=today - timedelta(days=90),
    )
    services_disclosure.disclosure_log_add(
        entry=entry,
        case_number="24F00077",
        disclosed_on=today - timedelta(days=20),
        disclosed_to="Public Defender",
        actor=actor,
    )
    other = services_disclosure.disclosure_entry_create(
        actor=actor,
        officer_name="Deputy Demo Hale",
        badge_number="S-0915",
        agency="Demo County Sheriff",
        basis=DisclosureEntry.Basis.BIAS,
        officer_notified_on=today - timedelta(days=40),
    )
    services_disclosure.disclosure_reconsider(entry=other, decision="pending", text="", actor=actor)
    # Retention: one request on legal hold, one entry past its retention date (for review).
    services_retention.record_retention_set(
        record=first, actor=actor, legal_hold=True, extended_until=None, reason="Civil suit pending (demo)."
    )
    # An entry removed six years ago (demo data written directly: no page backdates a record).
    DisclosureEntry.objects.filter(pk=entry.pk).update(is_active=False, closed_on=today - timedelta(days=6 * 366))
    entry.refresh_from_db()
    retention.retention_refresh(entry)
