"""Demo neighborhood concerns for `manage.py seed_demo` (idempotent, a few seconds).

Concerns go through concern_submit, so placing them in areas, routing to the district's
prosecutor and blurring the public location are the real ones; no e-mail is queued
(notify=False, and no resident address). Their age, status, public updates and internal notes
are then set through the staff services and dated back. Photos follow, and the record
corrected: a hidden photo, a blurred licence plate, an edited text."""

from __future__ import annotations

import io
import json
import random
import uuid
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import Point, shape

from jcr.accounts.models import User
from jcr.core.uploads import image_store, image_thumbnail, image_validate_and_clean
from prosecution.concerns import services, services_desk, services_record
from prosecution.concerns.models import (
    THUMBNAIL_SIZE,
    Concern,
    ConcernPhoto,
    ConcernUpdate,
    ResponseTemplate,
    ServiceLevel,
)
from prosecution.concerns.models_categories import Category
from prosecution.concerns.service_levels import concern_due_dates

COUNT = 300
SEED = 20240604
# Demo concerns have submission keys from this namespace, so a second run finds them.
NAMESPACE = uuid.UUID("6f1d3c1e-1c4b-4f39-9e7c-2d7c3b1a9e42")
DISTRICTS = Path(__file__).resolve().parents[2] / "jcr" / "core" / "demo" / "police_districts.geojson"
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


def seed_concerns(count: int = COUNT) -> int:
    """The demo concerns that do not exist yet. Returns how many were created."""
    if Concern.objects.filter(submission_key=uuid.uuid5(NAMESPACE, "0")).exists():
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
                services_desk.concern_set_priority(concern=concern, priority=Concern.Priority.HIGH, actor=actor)
            if status != Concern.Status.RECEIVED:
                services_desk.concern_set_status(
                    concern=concern,
                    status=status,
                    actor=actor,
                    public_text=rng.choice(PUBLIC_UPDATES) if rng.random() < 0.6 else "",
                    close_reason=rng.choice(CLOSE_REASONS[status]) if status in CLOSE_REASONS else "",
                )
                if rng.random() < 0.4:
                    services_desk.concern_add_note(concern=concern, text=rng.choice(NOTES), actor=actor)
                if i % 5 and not category.is_sensitive:
                    # Staff read most texts and publish them; the rest wait in the review queue.
                    services_record.concern_set_public_text(concern=concern, text="", actor=actor)
            date_back(concern, submitted, now)
        _merge_some(rng)
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
        services_desk.concern_merge(duplicate=duplicate, original_code=original.tracking_code, actor=supervisor)


def date_back(concern: Concern, submitted, now) -> None:
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
                services_record.concern_photo_set_hidden(photo=photo, hidden=True, actor=concern.assignee)
        if index % 2 == 0:
            # The plate sits at x 450-550, y 400-440 of 640 x 480: blur a little more than that.
            services_record.concern_photo_redact(photo=photos[0], region=(68, 81, 20, 12), actor=concern.assignee)
        if index == 0:
            services_record.concern_set_public_text(
                concern=concern,
                text=concern.description + " (A neighbor's name and phone number were removed.)",
                actor=concern.assignee,
            )
    return len(concerns)
