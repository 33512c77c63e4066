"""Demo partners and problem-solving projects for `manage.py seed_demo` (clearly demo names and
addresses; idempotent)."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jcr.accounts.models import User
from jcr.core.models import Area
from prosecution.concerns import services as concern_services
from prosecution.concerns import services_desk
from prosecution.concerns.demo import DESCRIPTIONS, GENERIC, PUBLIC_UPDATES, SEED, date_back
from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category
from prosecution.partners import services as partner_services
from prosecution.partners.models import FollowUp, Partner, PartnerContact, Referral
from prosecution.projects import services
from prosecution.projects.models import OwnerContact, Project, ProjectAction

PROJECT_NAMESPACE = uuid.UUID("0b7e4a52-58f6-4a8e-9d0c-5a0f6f3b2c17")
DEMO_PARTNER_MARK = "Sacramento County Code Enforcement (demo)"
# name, kind, jurisdiction, area slugs, category codes, website, phone, contacts (name, role, e-mail, primary)
PARTNERS = [
    (
        DEMO_PARTNER_MARK,
        "agency",
        "Unincorporated Sacramento County",
        ["unincorporated-county"],
        ["blight", "dangerous-building", "illegal-dumping", "absent-landlord"],
        "https://code-enforcement.county.demo.jcr.example",
        "(916) 555-0140",
        [("Chris Delgado", "Code Enforcement Officer", "code.county@demo.jcr.example", True)],
    ),
    (
        "City of Sacramento Code Compliance (demo)",
        "agency",
        "City of Sacramento",
        ["sacramento"],
        ["blight", "graffiti", "dangerous-building", "absent-landlord", "nuisance-business"],
        "https://code-compliance.city.demo.jcr.example",
        "(916) 555-0141",
        [
            ("Jamie Nguyen", "Senior Code Compliance Officer", "compliance.city@demo.jcr.example", True),
            ("Robin Hale", "Housing inspector", "housing.city@demo.jcr.example", False),
        ],
    ),
    (
        "Sacramento Police Department, Problem-Oriented Policing officers (demo)",
        "agency",
        "City of Sacramento",
        [
            "natomas",
            "north-sacramento",
            "downtown-midtown",
            "land-park-pocket",
            "south-sacramento",
            "east-sacramento-oak-park",
        ],
        ["drug-activity", "prostitution", "nuisance-business", "encampment", "high-volume-911"],
        "",
        "(916) 555-0142",
        [
            ("Sgt. Tomas Rivera", "POP sergeant, north", "pop.north@demo.jcr.example", True),
            ("Officer Kim Lowe", "POP officer, south", "pop.south@demo.jcr.example", False),
        ],
    ),
    (
        "City of Rancho Cordova Code Enforcement (demo)",
        "agency",
        "City of Rancho Cordova",
        ["rancho-cordova"],
        ["blight", "graffiti", "illegal-dumping"],
        "",
        "(916) 555-0143",
        [("Pat Moreno", "Code Enforcement Supervisor", "code.ranchocordova@demo.jcr.example", True)],
    ),
    (
        "City of Sacramento Public Works, clean-up crews (demo)",
        "agency",
        "City of Sacramento",
        ["sacramento"],
        ["illegal-dumping", "graffiti"],
        "",
        "(916) 555-0144",
        [("Dispatch desk", "Clean-up requests", "cleanup.city@demo.jcr.example", True)],
    ),
    (
        "Oak Park Neighborhood Association (demo)",
        "community_group",
        "Oak Park",
        ["east-sacramento-oak-park"],
        [],
        "",
        "",
        [("Lena Brooks", "Board president", "board.oakpark@demo.jcr.example", True)],
    ),
    (
        "Stockton Boulevard Business Association (demo)",
        "business",
        "Stockton Boulevard corridor",
        ["south-sacramento"],
        ["nuisance-business", "graffiti"],
        "",
        "(916) 555-0146",
        [("Victor Tran", "Executive director", "director.stocktonblvd@demo.jcr.example", True)],
    ),
    (
        "County homeless outreach team (demo)",
        "agency",
        "Sacramento County",
        ["natomas", "north-sacramento", "downtown-midtown"],
        ["encampment"],
        "",
        "(916) 555-0147",
        [("Outreach desk", "Street outreach", "outreach.county@demo.jcr.example", True)],
    ),
]

# key, title, (lat, lon), address, APN, final stage, public?, response started (days ago or None),
# owner e-mail, concerns [(category, days ago, resolved?)], partners [(name, role)], actions, owner contacts,
# follow-up answers of resolved concerns, public summary, analysis
PROJECTS = [
    {
        "key": "motel",
        "title": "Motel on Stockton Boulevard",
        "point": (38.4751, -121.4126),
        "address": "7100 Stockton Blvd (demo)",
        "apn": "049-0111-022",
        "stage": "assessment",
        "public": True,
        "response_days_ago": 120,
        "owner": "prosecutor2@demo.jcr.example",
        "concerns": [
            ("nuisance-business", 200, True),
            ("drug-activity", 190, True),
            ("nuisance-business", 180, True),
            ("drug-activity", 170, True),
            ("nuisance-business", 160, True),
            ("drug-activity", 150, True),
            ("graffiti", 140, True),
            ("nuisance-business", 130, True),
            ("drug-activity", 90, True),
            ("nuisance-business", 60, True),
            ("graffiti", 10, False),
        ],
        "partners": [
            ("Sacramento Police Department, Problem-Oriented Policing officers (demo)", "Directed patrols"),
            ("Stockton Boulevard Business Association (demo)", "Lighting and cameras with neighbors"),
            ("City of Sacramento Code Compliance (demo)", "Inspection of the rooms"),
        ],
        "actions": [
            ("Meet the owner and the manager with code compliance", -110, True),
            ("Nuisance abatement agreement signed", -80, True),
            ("Repeat the inspection of the rooms", 14, False),
        ],
        "owner_contacts": [
            (
                118,
                "in_person",
                "Owner and manager",
                "Walked the property; owner agreed to lighting, fencing and a guard.",
            ),
            (75, "letter", "Owner", "Sent the signed abatement agreement and the inspection dates."),
        ],
        "answers": ["fixed", "fixed", "fixed", "not_sure", "fixed", "not_fixed"],
        "summary": (
            "Residents reported drug sales and disturbances at a motel. The owner agreed to better lighting, "
            "a fence, an on-site guard and repairs; police patrols and code inspections followed."
        ),
        "analysis": "Calls for service cluster on weekend nights; two rooms rented by the week account for most.",
    },
    {
        "key": "vacant-house",
        "title": "Vacant house on 38th Street",
        "point": (38.5602, -121.4128),
        "address": "3800 block of 38th St (demo)",
        "apn": "013-0222-015",
        "stage": "response",
        "public": False,
        "response_days_ago": 45,
        "owner": "prosecutor2@demo.jcr.example",
        "concerns": [
            ("blight", 150, True),
            ("absent-landlord", 120, True),
            ("squatters", 100, False),
            ("dangerous-building", 70, False),
            ("blight", 20, False),
        ],
        "partners": [
            ("City of Sacramento Code Compliance (demo)", "Vacant building enforcement"),
            ("Oak Park Neighborhood Association (demo)", "Neighbors report activity"),
        ],
        "actions": [
            ("Find the owner in the assessor's records", -50, True),
            ("Board and secure the house", 7, False),
        ],
        "owner_contacts": [
            (48, "phone", "Owner (lives out of state)", "Left a message; no answer."),
            (40, "letter", "Owner", "Certified letter: vacant building requirements and deadline."),
        ],
        "answers": [],
        "summary": "",
        "analysis": "A sensitive report (squatters) is part of this problem, so the project stays private.",
    },
    {
        "key": "dumping",
        "title": "Illegal dumping in the alley behind Del Paso Boulevard",
        "point": (38.6502, -121.4152),
        "address": "Alley behind 1900 Del Paso Blvd (demo)",
        "apn": "",
        "stage": "analysis",
        "public": True,
        "response_days_ago": None,
        "owner": "prosecutor@demo.jcr.example",
        "concerns": [
            ("illegal-dumping", 80, True),
            ("illegal-dumping", 50, True),
            ("illegal-dumping", 25, False),
            ("illegal-dumping", 5, False),
        ],
        "partners": [("City of Sacramento Public Works, clean-up crews (demo)", "Clean-ups")],
        "actions": [("Ask public works for a camera at the alley entrance", 10, False)],
        "owner_contacts": [],
        "answers": ["not_fixed"],
        "summary": "Furniture and tires keep appearing in the alley. We are looking at when and how it happens.",
        "analysis": "Dumping follows the monthly bulky-item pick-up on the next street.",
    },
    {
        "key": "graffiti",
        "title": "Graffiti along the J Street corridor",
        "point": (38.5776, -121.4901),
        "address": "J St between 16th and 21st (demo)",
        "apn": "",
        "stage": "scanning",
        "public": False,
        "response_days_ago": None,
        "owner": "prosecutor@demo.jcr.example",
        "concerns": [("graffiti", 30, False), ("graffiti", 12, False), ("graffiti", 3, False)],
        "partners": [],
        "actions": [],
        "owner_contacts": [],
        "answers": [],
        "summary": "",
        "analysis": "",
    },
    {
        "key": "encampment",
        "title": "Encampment by the Natomas creek path",
        "point": (38.6501, -121.5276),
        "address": "Creek path near Truxel Rd (demo)",
        "apn": "",
        "stage": "closed",
        "public": True,
        "response_days_ago": 220,
        "owner": "prosecutor@demo.jcr.example",
        "concerns": [
            ("encampment", 300, True),
            ("encampment", 280, True),
            ("illegal-dumping", 260, True),
            ("encampment", 240, True),
            ("encampment", 150, True),
        ],
        "partners": [("County homeless outreach team (demo)", "Outreach and shelter placement")],
        "actions": [("Outreach visits twice a week for a month", -190, True)],
        "owner_contacts": [],
        "answers": ["fixed", "fixed"],
        "summary": "Outreach workers offered shelter and services; the site was cleaned and has stayed clear.",
        "analysis": "Most people accepted shelter within three weeks.",
    },
]
STAGE_ORDER = ["scanning", "analysis", "response", "assessment", "closed"]


def seed_projects() -> int:
    """Demo partners, referrals and problem-solving projects with their concerns, actions, owner
    contacts and follow-up answers. Idempotent; no e-mail is queued (referrals and follow-ups
    are written as already sent). Returns how many projects were created."""
    if Partner.objects.filter(name=DEMO_PARTNER_MARK).exists():
        return 0
    if not Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT).exists():
        return 0
    categories = {c.code: c for c in Category.objects.all()}
    people = {u.email: u for u in User.objects.filter(email__endswith="@demo.jcr.example")}
    supervisor = people.get("cpu.supervisor@demo.jcr.example")
    now = timezone.now()
    today = timezone.localdate()
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not secrets
    with transaction.atomic():
        partners = {}
        for name, kind, jurisdiction, slugs, codes, website, phone, contacts in PARTNERS:
            partner = partner_services.partner_save(
                actor=supervisor,
                areas=list(Area.objects.filter(slug__in=slugs)),
                categories=[categories[c] for c in codes if c in categories],
                name=name,
                kind=kind,
                jurisdiction=jurisdiction,
                website=website,
                phone=phone,
                is_active=True,
            )
            for contact_name, role, email, primary in contacts:
                partner_services.partner_contact_add(
                    partner=partner, actor=supervisor, name=contact_name, role=role, email=email, is_primary=primary
                )
            partners[name] = partner
        created = 0
        for spec in PROJECTS:
            owner = people.get(spec["owner"]) or supervisor
            lat, lon = spec["point"]
            concerns = []
            for i, (code, days_ago, resolved) in enumerate(spec["concerns"]):
                category = categories.get(code)
                if category is None:
                    continue
                concern, was_created = concern_services.concern_submit(
                    category=category,
                    description=rng.choice(DESCRIPTIONS.get(code, GENERIC)) + " " + rng.choice(GENERIC),
                    address=spec["address"],
                    latitude=round(lat + rng.uniform(-0.0003, 0.0003), 6),
                    longitude=round(lon + rng.uniform(-0.0003, 0.0003), 6),
                    when_happens=rng.choice(Concern.When.values),
                    language=rng.choice(["en", "en", "es"]),
                    submission_key=uuid.uuid5(PROJECT_NAMESPACE, f"{spec['key']}-{i}"),
                    notify=False,
                )
                if not was_created:
                    continue
                actor = concern.assignee or owner
                if resolved:
                    services_desk.concern_set_status(
                        concern=concern,
                        status=Concern.Status.RESOLVED,
                        actor=actor,
                        public_text=rng.choice(PUBLIC_UPDATES),
                        close_reason=Concern.CloseReason.FIXED,
                    )
                elif days_ago > 15:
                    services_desk.concern_set_status(concern=concern, status=Concern.Status.IN_PROGRESS, actor=actor)
                date_back(concern, now - timedelta(days=days_ago), now)
                concern.refresh_from_db()
                concerns.append(concern)
            response_on = today - timedelta(days=spec["response_days_ago"]) if spec["response_days_ago"] else None
            project = services.project_save(
                actor=owner,
                title=spec["title"],
                address=spec["address"],
                parcel_number=spec["apn"],
                latitude=lat,
                longitude=lon,
                public_summary=spec["summary"],
                analysis=spec["analysis"],
                response_started_on=response_on,
                owner=owner,
            )
            for concern in concerns:
                services.project_add_concern(project=project, concern=concern, actor=owner)
            if spec["public"]:
                project = services.project_save(project=project, actor=owner, is_public=True)
            for name, role in spec["partners"]:
                services.project_add_partner(project=project, partner=partners[name], role=role, actor=owner)
            for description, due_in_days, done in spec["actions"]:
                action = services.project_action_add(
                    project=project,
                    description=description,
                    owner=owner,
                    due_on=today + timedelta(days=due_in_days),
                    actor=owner,
                )
                if done:
                    services.project_action_done(action=action, actor=owner)
                    ProjectAction.objects.filter(pk=action.pk).update(done_at=now + timedelta(days=due_in_days - 2))
            for days_ago, method, who, summary in spec["owner_contacts"]:
                services.owner_contact_add(
                    project=project,
                    actor=owner,
                    contacted_on=today - timedelta(days=days_ago),
                    method=method,
                    contact_name=who,
                    summary=summary,
                )
            stages = STAGE_ORDER[1 : STAGE_ORDER.index(spec["stage"]) + 1]
            for stage in stages:
                project = services.project_set_stage(project=project, stage=stage, actor=owner)
            # Date the stage changes back: spread between the project's start and today.
            history = list(project.stage_history)
            first = now - timedelta(days=(spec["response_days_ago"] or 20) + 20)
            for n, entry in enumerate(history, start=1):
                entry["at"] = (first + (now - first) * n / (len(history) + 1)).isoformat()
            Project.objects.filter(pk=project.pk).update(
                stage_history=history, created_at=first - timedelta(days=10), response_started_on=response_on
            )
            resolved = [c for c in concerns if c.status == Concern.Status.RESOLVED and c.resolved_at]
            for concern, answer in zip(resolved, spec["answers"], strict=False):
                sent = concern.resolved_at + timedelta(days=28)
                if sent > now:
                    continue
                FollowUp.objects.create(
                    concern=concern,
                    resolved_at=concern.resolved_at,
                    sent_at=sent,
                    answer=answer,
                    answered_at=sent + timedelta(days=2),
                )
            created += 1
        # Two referrals of open demo concerns, recorded as sent (no e-mail is queued).
        for code, partner_name in (
            ("illegal-dumping", "City of Sacramento Public Works, clean-up crews (demo)"),
            ("drug-activity", "Sacramento Police Department, Problem-Oriented Policing officers (demo)"),
        ):
            concern = (
                Concern.objects.open()
                .filter(category__code=code, project_links__isnull=True)
                .order_by("created_at", "id")
                .first()
            )
            if concern is None:
                continue
            partner = partners[partner_name]
            contact = PartnerContact.objects.filter(partner=partner, is_primary=True).first()
            Referral.objects.create(
                concern=concern,
                partner=partner,
                contact=contact,
                to_email=contact.email,
                message="Please take a look; residents report it weekly.",
                referred_by=concern.assignee or supervisor,
            )
            services_desk.concern_set_status(
                concern=concern,
                status=Concern.Status.REFERRED,
                actor=concern.assignee or supervisor,
                public_text=f"Your report was referred to {partner.name}, who can act on it.",
            )
        OwnerContact.objects.filter(recorded_by__isnull=True).update(recorded_by=supervisor)
    return created
