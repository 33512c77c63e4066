"""Demo bills for `manage.py seed_demo` (idempotent): fifteen California criminal-justice
bills in the shape the Open States import writes them, with positions at each stage of the
workflow (none, proposed, returned, approved with a letter), hearings, follows and the
implementation tasks of a bill that became law.

These are demonstration records, not real bills: every abstract says so, and their Open
States ids start with "demo-".
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from govrelations.bills import services
from govrelations.bills.models import (
    Bill,
    BillAbstract,
    BillAction,
    BillDocument,
    BillSponsorship,
    Jurisdiction,
    LegislativeSession,
    RelatedBill,
    Subject,
    VoteSummary,
)
from govrelations.bills.sync import status_from_actions
from govrelations.hearings import services as hearing_services
from govrelations.positions import services as position_services
from jcr.accounts.models import User

DEMO_NOTE = "Demonstration data: not an official bill record."
ANALYST = "analyst@demo.jcr.example"
SUPERVISOR = "gr.supervisor@demo.jcr.example"

# identifier, title, subjects, primary author, stage, position (stance, stage), priority
BILLS = [
    (
        "AB 1012",
        "Pretrial diversion: mental health treatment",
        ["Courts", "Mental health"],
        "Bryan",
        "committee",
        ("support", "approved"),
        "high",
    ),
    (
        "AB 1187",
        "Victims' rights: restitution orders",
        ["Victims", "Courts"],
        "Gabriel",
        "passed_chamber",
        ("support", "approved"),
        "high",
    ),
    (
        "SB 412",
        "Sentencing: firearm enhancements",
        ["Sentencing", "Firearms"],
        "Wiener",
        "committee",
        ("oppose_unless_amended", "approved"),
        "high",
    ),
    (
        "AB 2290",
        "Evidence: body-worn camera footage retention",
        ["Evidence", "Law enforcement"],
        "Kalra",
        "committee",
        ("support_if_amended", "proposed"),
        "medium",
    ),
    (
        "SB 655",
        "Human trafficking: survivor vacatur of convictions",
        ["Human trafficking", "Victims"],
        "Caballero",
        "passed_legislature",
        ("support", "approved"),
        "medium",
    ),
    (
        "AB 1540",
        "Juvenile justice: transfer hearings",
        ["Juvenile justice", "Courts"],
        "Jones-Sawyer",
        "committee",
        ("oppose", "returned"),
        "medium",
    ),
    (
        "SB 98",
        "Retail theft: aggregation of value",
        ["Theft", "Sentencing"],
        "Umberg",
        "chaptered",
        ("support", "approved"),
        "high",
    ),
    (
        "AB 730",
        "Domestic violence: firearm relinquishment",
        ["Domestic violence", "Firearms"],
        "Bauer-Kahan",
        "passed_chamber",
        ("support", "proposed"),
        "high",
    ),
    (
        "SB 1203",
        "Fentanyl: trafficking near schools",
        ["Drugs", "Sentencing"],
        "Cortese",
        "committee",
        ("watch", "approved"),
        "medium",
    ),
    (
        "AB 415",
        "Resentencing: petitions after changes in law",
        ["Sentencing", "Courts"],
        "Ting",
        "introduced",
        None,
        "low",
    ),
    (
        "SB 870",
        "Discovery: electronic evidence disclosure deadlines",
        ["Evidence", "Courts"],
        "Skinner",
        "committee",
        ("neutral", "approved"),
        "low",
    ),
    (
        "AB 2011",
        "Elder abuse: financial exploitation",
        ["Elder abuse", "Victims"],
        "Maienschein",
        "passed_chamber",
        None,
        "medium",
    ),
    (
        "SB 333",
        "Hate crimes: reporting and training",
        ["Hate crimes", "Law enforcement"],
        "Menjivar",
        "introduced",
        None,
        "",
    ),
    (
        "AB 1899",
        "Vehicle code: automated speed enforcement",
        ["Traffic", "Law enforcement"],
        "Friedman",
        "vetoed",
        None,
        "",
    ),
    (
        "SB 1477",
        "Restorative justice: community-based programs",
        ["Restorative justice", "Juvenile justice"],
        "Bradford",
        "committee",
        ("support_if_amended", "proposed"),
        "medium",
    ),
]


def _actions(identifier: str, stage: str, today):
    upper = identifier.startswith("SB")
    origin, other = ("Senate", "upper"), ("Assembly", "lower")
    if not upper:
        origin, other = other, origin
    start = today - timedelta(days=180)
    steps = [
        (
            start,
            origin,
            "Introduced. Read first time. To Com. on RLS. for assignment. To print.",
            ["introduction", "reading-1"],
        ),
        (start + timedelta(days=20), origin, "Referred to Com. on PUB. S.", ["referral-committee"]),
    ]
    if stage in ("passed_chamber", "passed_legislature", "chaptered", "vetoed"):
        steps += [
            (
                start + timedelta(days=60),
                origin,
                "From committee: Do pass and re-refer to Com. on APPR.",
                ["committee-passage-favorable"],
            ),
            (
                start + timedelta(days=95),
                origin,
                f"Read third time. Passed. Ordered to the {other[0]}.",
                ["passage", "reading-3"],
            ),
            (
                start + timedelta(days=100),
                other,
                f"In {other[0]}. Read first time. Held at Desk.",
                ["reading-1"],
            ),
        ]
    if stage in ("passed_legislature", "chaptered", "vetoed"):
        steps += [
            (start + timedelta(days=140), other, "Read third time. Passed.", ["passage", "reading-3"]),
            (
                start + timedelta(days=145),
                ("Governor", "executive"),
                "Enrolled and presented to the Governor.",
                ["executive-receipt"],
            ),
        ]
    if stage == "chaptered":
        steps.append(
            (
                start + timedelta(days=170),
                ("Governor", "executive"),
                "Approved by the Governor. Chaptered by Secretary of State.",
                ["executive-signature", "became-law"],
            )
        )
    if stage == "vetoed":
        steps.append(
            (start + timedelta(days=170), ("Governor", "executive"), "Vetoed by the Governor.", ["executive-veto"])
        )
    return [
        {"date": d, "organization": org[0], "chamber": org[1], "description": desc, "classification": cls, "order": i}
        for i, (d, org, desc, cls) in enumerate(steps, start=1)
    ]


@transaction.atomic
def _bill_create(*, index: int, row, session, prior, jurisdiction, today) -> Bill:
    identifier, title, subjects, author, stage, _position, priority = row
    actions = _actions(identifier, stage, today)
    bill = Bill.objects.create(
        jurisdiction=jurisdiction,
        session=session,
        identifier=identifier,
        title=title,
        classification=["bill"],
        from_organization="Senate" if identifier.startswith("SB") else "Assembly",
        status=status_from_actions(actions),
        first_action_date=actions[0]["date"],
        latest_action_date=actions[-1]["date"],
        latest_action_description=actions[-1]["description"],
        open_states_id=f"demo-ca-20252026-{identifier.replace(' ', '').lower()}",
        source_updated_at=timezone.now() - timedelta(days=index),
    )
    bill.subjects.set([Subject.objects.get_or_create(name=s)[0] for s in ["Crime", *subjects]])
    BillAbstract.objects.create(
        bill=bill,
        abstract=(
            f"Existing law governs {title.split(':')[0].lower()}. This bill would revise the law on "
            f"{title.split(':')[-1].strip().lower()}. {DEMO_NOTE}"
        ),
        note="",
    )
    BillSponsorship.objects.create(bill=bill, name=author, entity_type="person", primary=True, classification="primary")
    BillSponsorship.objects.create(bill=bill, name="Rivas", entity_type="person", classification="cosponsor", order=1)
    BillAction.objects.bulk_create([BillAction(bill=bill, **a) for a in actions])
    BillDocument.objects.create(
        bill=bill,
        kind=BillDocument.Kind.VERSION,
        note="Introduced",
        date=actions[0]["date"],
        links=[{"url": "https://leginfo.legislature.ca.gov/", "media_type": "text/html"}],
    )
    if len(actions) > 3:
        VoteSummary.objects.create(
            bill=bill,
            motion_text="Do pass and re-refer to the Committee on Appropriations.",
            date=actions[2]["date"],
            organization="Public Safety",
            result="pass",
            yes_count=6,
            no_count=2,
            other_count=1,
        )
    if index % 4 == 0:
        RelatedBill.objects.create(
            bill=bill, identifier=identifier, legislative_session=prior.identifier, relation_type="prior-session"
        )
    bill.priority = priority
    bill.is_watched = bool(priority)
    bill.save(update_fields=["priority", "is_watched"])
    return bill


def seed() -> None:
    if Bill.objects.filter(open_states_id__startswith="demo-").exists():
        return
    analyst = User.objects.filter(email=ANALYST).first()
    supervisor = User.objects.filter(email=SUPERVISOR).first()
    if analyst is None or supervisor is None:
        return  # the demo people come first (jcr.accounts.demo)
    today = timezone.localdate()
    jurisdiction, _ = Jurisdiction.objects.get_or_create(
        ocd_id="ocd-jurisdiction/country:us/state:ca/government", defaults={"name": "California"}
    )
    session, _ = LegislativeSession.objects.get_or_create(
        jurisdiction=jurisdiction, identifier="20252026", defaults={"name": "2025-2026 Regular Session"}
    )
    prior, _ = LegislativeSession.objects.get_or_create(
        jurisdiction=jurisdiction, identifier="20232024", defaults={"name": "2023-2024 Regular Session"}
    )
    for index, row in enumerate(BILLS):
        bill = _bill_create(index=index, row=row, session=session, prior=prior, jurisdiction=jurisdiction, today=today)
        owner = analyst if index % 3 else supervisor
        if bill.is_watched:
            services.bill_track(
                bill=bill,
                actor=supervisor,
                is_watched=True,
                priority=bill.priority,
                analyst=owner,
                analysis_memo="Internal analysis (demonstration): effect on charging and caseloads.",
            )
            services.bill_follow(bill=bill, user=owner)
        position = row[5]
        if position:
            stance, stage = position
            proposer, approver = (analyst, supervisor) if owner == analyst else (supervisor, None)
            if approver is None and stage != "proposed":
                proposer, approver = analyst, supervisor
            proposed = position_services.position_propose(
                bill=bill,
                actor=proposer,
                stance=stance,
                reasons="The office's analysis of the bill's effect on public safety and on victims. " + DEMO_NOTE,
            )
            if stage == "approved":
                position_services.position_approve(position=proposed, actor=approver, comment="Signed off for the DA.")
                if index % 2 == 0:
                    position_services.position_letter_create(
                        position=proposed,
                        actor=proposer,
                        committee=f"{bill.from_organization} Committee on Public Safety",
                        addressee="The Honorable Chair and Members",
                        sent_on=today - timedelta(days=index + 3),
                    )
            elif stage == "returned":
                position_services.position_return(
                    position=proposed,
                    actor=approver,
                    comment="Add the fiscal estimate from the Appropriations analysis.",
                )
        if bill.status in (Bill.Status.IN_COMMITTEE, Bill.Status.PASSED_CHAMBER) and bill.is_watched:
            starts = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(
                days=2 + index * 2
            )
            hearing_services.hearing_create(
                bill=bill,
                actor=owner,
                starts_at=starts,
                committee=f"{'Senate' if bill.status == Bill.Status.PASSED_CHAMBER else bill.from_organization} "
                "Committee on Public Safety",
                location="1021 O Street, Sacramento",
            )
        if bill.status == Bill.Status.CHAPTERED:
            services.bill_implementation_tasks_create(bill=bill, actor=supervisor)
    services.digest_subscribe(user=analyst, active=True)
