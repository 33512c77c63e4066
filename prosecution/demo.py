"""Demo neighborhood concerns for `manage.py seed_demo` (idempotent, a few seconds).

Concerns go through prosecution.services.concern_submit, so placing them in areas, routing to
the district's prosecutor and blurring the public location are the real ones; no e-mail is
queued (notify=False, and no resident address). Their age, status, public updates and internal
notes are then set through the staff services and dated back.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from jcr.accounts.models import User
from prosecution import services
from prosecution.concerns.service_levels import concern_due_dates
from prosecution.models import Category, Concern, ConcernUpdate, ResponseTemplate, ServiceLevel

COUNT = 300
SEED = 20240604
# Demo concerns have submission keys from this namespace, so a second run finds them.
NAMESPACE = uuid.UUID("6f1d3c1e-1c4b-4f39-9e7c-2d7c3b1a9e42")
DISTRICTS = Path(__file__).resolve().parents[1] / "jcr" / "core" / "demo" / "police_districts.geojson"
STREETS = [
    "J St",
    "K St",
    "L St",
    "Broadway",
    "Freeport Blvd",
    "Stockton Blvd",
    "Franklin Blvd",
    "Del Paso Blvd",
    "Northgate Blvd",
    "Florin Rd",
    "Folsom Blvd",
    "Alhambra Blvd",
    "21st St",
    "16th St",
    "Marysville Blvd",
    "Truxel Rd",
    "Riverside Blvd",
    "Fruitridge Rd",
    "65th St",
    "Power Inn Rd",
]
DESCRIPTIONS = {
    "graffiti": [
        "Fresh tags on the side of the laundromat and the bus shelter.",
        "Graffiti on the underpass wall again.",
    ],
    "illegal-dumping": [
        "Mattresses and a couch dumped in the alley behind the store.",
        "Tires piled by the creek path.",
    ],
    "blight": ["Overgrown lot with broken fencing and trash.", "Boarded windows and litter all over the front yard."],
    "drug-activity": ["Hand-to-hand sales in the parking lot most evenings.", "Needles left by the playground."],
    "prostitution": ["Solicitation along the corridor late at night."],
    "squatters": ["People living in the vacant house; the owner lives out of state."],
    "high-volume-911": ["A neighbor calls 911 several times a day about the same dispute."],
}
GENERIC = [
    "This has been going on for weeks and neighbors are worried.",
    "Residents on the block asked me to report this.",
    "It gets worse on weekends.",
]
PUBLIC_UPDATES = [
    "We have reviewed your report and shared it with the district's community prosecutor.",
    "Code enforcement will inspect the property this week.",
    "Public works scheduled a clean-up.",
    "Police have increased patrols in the area.",
]
NOTES = [
    "Called the property manager; waiting for a call back.",
    "Repeat location: three reports in two months.",
    "Raised at the neighborhood association meeting.",
    "Owner contact found in the assessor's records.",
]
CLOSE_REASONS = {
    Concern.Status.RESOLVED: [Concern.CloseReason.FIXED, Concern.CloseReason.FIXED, Concern.CloseReason.PARTNER],
    Concern.Status.CLOSED: [
        Concern.CloseReason.NOT_OURS,
        Concern.CloseReason.NO_FURTHER_ACTION,
        Concern.CloseReason.NOT_ENOUGH_INFO,
    ],
}
STATUS_WEIGHTS = [
    (Concern.Status.RECEIVED, 20),
    (Concern.Status.UNDER_REVIEW, 20),
    (Concern.Status.REFERRED, 12),
    (Concern.Status.IN_PROGRESS, 18),
    (Concern.Status.RESOLVED, 22),
    (Concern.Status.CLOSED, 8),
]


def _points(rng: random.Random, n: int) -> list[tuple[float, float] | None]:
    """`n` locations: most inside one of the demo police districts, a few with no pin."""
    shapes = [shape(f["geometry"]) for f in json.loads(DISTRICTS.read_text())["features"]]
    points = []
    for _ in range(n):
        if rng.random() < 0.05:
            points.append(None)
            continue
        polygon = rng.choice(shapes)
        min_x, min_y, max_x, max_y = polygon.bounds
        while True:
            lon, lat = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if polygon.contains(Point(lon, lat)):
                points.append((round(lon, 6), round(lat, 6)))
                break
    return points


RESPONSE_TEMPLATES = [
    # title, category code or None, status, English, Spanish
    (
        "We are looking into it",
        None,
        Concern.Status.UNDER_REVIEW,
        "Thank you for your report. The community prosecutor for your neighborhood is reviewing it.",
        "Gracias por su reporte. El fiscal comunitario de su vecindario lo está revisando.",
    ),
    (
        "Referred to code enforcement",
        None,
        Concern.Status.REFERRED,
        "We referred your report to code enforcement, who will inspect the property. We will post what they find.",
        "Enviamos su reporte a la oficina de cumplimiento de códigos, que inspeccionará la propiedad. "
        "Publicaremos lo que encuentren.",
    ),
    (
        "Graffiti removal scheduled",
        "graffiti",
        Concern.Status.IN_PROGRESS,
        "Public works scheduled the removal of the graffiti within the next two weeks.",
        "Obras públicas programó la limpieza del grafiti dentro de las próximas dos semanas.",
    ),
    (
        "Dumped items cleared",
        "illegal-dumping",
        Concern.Status.RESOLVED,
        "The dumped items were picked up. Thank you for telling us.",
        "Los objetos tirados fueron recogidos. Gracias por avisarnos.",
    ),
    (
        "Not something we can act on",
        None,
        Concern.Status.CLOSED,
        "This is not something the District Attorney's office can act on. Please call 311 for city services.",
        "Esto no es algo en lo que la Fiscalía pueda intervenir. Llame al 311 para los servicios de la ciudad.",
    ),
]
SERVICE_LEVELS = [
    # category code or None, priority, days to acknowledge, days to resolve
    (None, Concern.Priority.HIGH, 1, 10),
    ("drug-activity", "", 1, 20),
    ("illegal-dumping", "", 2, 10),
    ("graffiti", "", 2, 15),
]


def seed_triage() -> None:
    """Demo response templates and service levels (idempotent: matched by title / key)."""
    codes = {c.code: c for c in Category.objects.all()}
    for order, (title, code, status, text, text_es) in enumerate(RESPONSE_TEMPLATES, start=1):
        if code and code not in codes:
            continue
        ResponseTemplate.objects.get_or_create(
            title=title,
            defaults={
                "category": codes.get(code),
                "status": status,
                "text": text,
                "text_es": text_es,
                "order": order * 10,
            },
        )
    for code, priority, ack, resolve in SERVICE_LEVELS:
        if code and code not in codes:
            continue
        ServiceLevel.objects.get_or_create(
            category=codes.get(code), priority=priority, defaults={"acknowledge_days": ack, "resolve_days": resolve}
        )


def seed(count: int = COUNT) -> int:
    """Create the demo response templates, service levels and concerns that do not exist yet,
    then compute the public dashboard's figures and open data (when new concerns were made or
    none were computed yet). Returns how many concerns were created."""
    from prosecution.models import ConcernStatsBuild
    from prosecution.transparency.services import concern_stats_rebuild

    seed_triage()
    created = _seed_concerns(count)
    if created or not ConcernStatsBuild.objects.exists():
        concern_stats_rebuild()
    return created


def _seed_concerns(count: int) -> int:
    if Concern.objects.filter(submission_key=uuid.uuid5(NAMESPACE, "0")).exists():
        photos_seed()
        seed_projects()
        return 0
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    categories = list(Category.objects.filter(is_active=True).prefetch_related("questions"))
    if not categories:
        return 0
    staff = list(User.objects.filter(email__endswith="@demo.jcr.example", is_staff=True, groups__isnull=False))
    cpu = [u for u in staff if u.email.startswith(("prosecutor", "cpu."))] or staff
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for i, point in enumerate(_points(rng, count)):
            category = rng.choice(categories)
            text = rng.choice(DESCRIPTIONS.get(category.code, GENERIC)) + " " + rng.choice(GENERIC)
            answers = {}
            for question in category.questions.all():
                if question.options and rng.random() < 0.8:
                    answers[question.code] = rng.choice(question.options)["key"]
            concern, was_created = services.concern_submit(
                category=category,
                description=text,
                address=f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
                latitude=point[1] if point else None,
                longitude=point[0] if point else None,
                when_happens=rng.choice(Concern.When.values),
                answers=answers,
                contact_name=rng.choice(["", "", "Resident"]),
                contact_phone=rng.choice(["", "", f"916-555-01{rng.randint(0, 99):02d}"]),
                language=rng.choice(["en", "en", "es"]),
                submission_key=uuid.uuid5(NAMESPACE, str(i)),
                notify=False,
            )
            if not was_created:
                continue
            created += 1
            # Newer concerns are more common: most within the last 90 days, some up to a year.
            age = timedelta(days=min(rng.expovariate(1 / 45), 365), minutes=rng.randint(0, 1440))
            submitted = now - age
            actor = concern.assignee or (rng.choice(cpu) if cpu else None)
            status = rng.choices([s for s, _w in STATUS_WEIGHTS], weights=[w for _s, w in STATUS_WEIGHTS])[0]
            if age < timedelta(days=1):
                status = Concern.Status.RECEIVED
            if rng.random() < 0.1:
                services.concern_set_priority(concern=concern, priority=Concern.Priority.HIGH, actor=actor)
            if status != Concern.Status.RECEIVED:
                services.concern_set_status(
                    concern=concern,
                    status=status,
                    actor=actor,
                    public_text=rng.choice(PUBLIC_UPDATES) if rng.random() < 0.6 else "",
                    close_reason=rng.choice(CLOSE_REASONS[status]) if status in CLOSE_REASONS else "",
                )
                if rng.random() < 0.4:
                    services.concern_add_note(concern=concern, text=rng.choice(NOTES), actor=actor)
                if i % 5 and not category.is_sensitive:
                    # Staff read most texts and publish them; the rest wait in the review queue.
                    services.concern_set_public_text(concern=concern, text="", actor=actor)
            _date_back(concern, submitted, now)
        _merge_some(rng)
    photos_seed()
    seed_projects()
    return created


def _merge_some(rng: random.Random) -> None:
    """A few open concerns merged into an open one of the same category, as staff do."""
    supervisor = (
        User.objects.filter(is_active=True, is_staff=True, groups__permissions__codename="view_all_concerns")
        .order_by("pk")
        .first()
    )
    if supervisor is None:
        return
    open_ones = list(Concern.objects.open().filter(submission_key__isnull=False).order_by("created_at", "pk"))
    by_category: dict[int, list[Concern]] = {}
    for concern in open_ones:
        by_category.setdefault(concern.category_id, []).append(concern)
    groups = [group for group in by_category.values() if len(group) >= 3][:3]
    for group in groups:
        original, duplicate = group[0], rng.choice(group[1:])
        services.concern_merge(duplicate=duplicate, original_code=original.tracking_code, actor=supervisor)


def _date_back(concern: Concern, submitted, now) -> None:
    """Move the concern and its history to when it was "submitted", keeping their order."""
    span = max((now - submitted).total_seconds(), 60)
    fields = {"created_at": submitted, "updated_at": submitted}
    concern.refresh_from_db(fields=["acknowledged_at", "resolved_at"])
    first = submitted + timedelta(seconds=span * 0.2)
    if concern.acknowledged_at:
        fields["acknowledged_at"] = first
    if concern.resolved_at:
        fields["resolved_at"] = submitted + timedelta(seconds=span * 0.6)
        fields["updated_at"] = fields["resolved_at"]
    concern.refresh_from_db(fields=["priority", "category"])
    fields["acknowledge_by"], fields["resolve_by"] = concern_due_dates(concern, start=submitted)
    Concern.objects.filter(pk=concern.pk).update(**fields)
    for n, pk in enumerate(concern.updates.order_by("created_at", "id").values_list("pk", flat=True)):
        moment = first + timedelta(seconds=span * 0.1 * n)
        ConcernUpdate.objects.filter(pk=pk).update(created_at=moment, updated_at=moment)


# --- Photos, and the record corrected: a hidden photo, a blurred licence plate, an edited text

PHOTO_CONCERNS = 8


def _demo_photo(rng: random.Random, *, plate: str):
    """A made-up photo: a brick wall with spray-paint strokes and a car's licence plate."""
    import io

    from PIL import Image, ImageDraw

    from jcr.core.uploads import image_validate_and_clean

    image = Image.new("RGB", (640, 480), (150, 75, 60))
    draw = ImageDraw.Draw(image)
    for row in range(0, 480, 24):
        for col in range(-(row // 24 % 2) * 30, 640, 60):
            draw.rectangle((col + 2, row + 2, col + 58, row + 22), fill=(165 + rng.randint(-15, 15), 82, 64))
    for _ in range(6):
        colour = rng.choice([(30, 200, 90), (240, 240, 40), (40, 90, 230), (250, 250, 250)])
        points = [(rng.randint(40, 600), rng.randint(40, 300)) for _ in range(4)]
        draw.line(points, fill=colour, width=rng.randint(6, 14))
    draw.rectangle((400, 360, 600, 470), fill=(40, 40, 48))  # a car's rear
    draw.rectangle((450, 400, 550, 440), fill=(245, 245, 245), outline=(20, 20, 120), width=3)
    draw.text((462, 412), plate, fill=(20, 20, 120))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    out.seek(0)
    return image_validate_and_clean(out)


def photos_seed() -> int:
    """Give a few public demo concerns photos (idempotent): one photo hidden, one with the
    licence plate blurred, one concern whose public text staff edited. Returns how many
    concerns got photos."""
    from jcr.core.uploads import image_store, image_thumbnail
    from prosecution.models import ConcernPhoto
    from prosecution.tasks import THUMBNAIL_SIZE

    keys = [uuid.uuid5(NAMESPACE, str(i)) for i in range(60)]
    concerns = list(
        Concern.objects.filter(submission_key__in=keys, is_sensitive=False, latitude__isnull=False)
        .select_related("assignee")
        .order_by("created_at")[:PHOTO_CONCERNS]
    )
    if not concerns or ConcernPhoto.objects.filter(concern__in=concerns).exists():
        return 0
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not secrets
    for index, concern in enumerate(concerns):
        photos = []
        for n in range(1 + index % 3):
            clean = _demo_photo(rng, plate=f"{rng.randint(1, 9)}ABC{rng.randint(100, 999)}")
            name = image_store(clean, folder="concerns/demo")
            photo = ConcernPhoto.objects.create(concern=concern, image=name, width=clean.width, height=clean.height)
            photo.thumbnail = image_thumbnail(name=name, size=THUMBNAIL_SIZE)
            photo.save(update_fields=["thumbnail"])
            photos.append(photo)
            if n == 1:
                services.concern_photo_set_hidden(photo=photo, hidden=True, actor=concern.assignee)
        if index % 2 == 0:
            # The plate sits at x 450-550, y 400-440 of 640 x 480: blur a little more than that.
            services.concern_photo_redact(photo=photos[0], region=(68, 81, 20, 12), actor=concern.assignee)
        if index == 0:
            services.concern_set_public_text(
                concern=concern,
                text=concern.description + " (A neighbor's name and phone number were removed.)",
                actor=concern.assignee,
            )
    return len(concerns)


# --- Partners and problem-solving projects (clearly demo names and addresses) ------------------

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
    from jcr.core.models import Area
    from prosecution.models import FollowUp, OwnerContact, Partner, PartnerContact, Project, ProjectAction, Referral

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
            partner = services.partner_save(
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
                services.partner_contact_add(
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
                concern, was_created = services.concern_submit(
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
                    services.concern_set_status(
                        concern=concern,
                        status=Concern.Status.RESOLVED,
                        actor=actor,
                        public_text=rng.choice(PUBLIC_UPDATES),
                        close_reason=Concern.CloseReason.FIXED,
                    )
                elif days_ago > 15:
                    services.concern_set_status(concern=concern, status=Concern.Status.IN_PROGRESS, actor=actor)
                _date_back(concern, now - timedelta(days=days_ago), now)
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
            services.concern_set_status(
                concern=concern,
                status=Concern.Status.REFERRED,
                actor=concern.assignee or supervisor,
                public_text=f"Your report was referred to {partner.name}, who can act on it.",
            )
        OwnerContact.objects.filter(recorded_by__isnull=True).update(recorded_by=supervisor)
    return created
