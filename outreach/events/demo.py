"""Demo events and registrations for `manage.py seed_demo` (idempotent). Rows are written
directly, without e-mails; reminder rows are planned as the registration service plans them,
so the staff pages show them."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from jcr.core.images import placeholder_image
from jcr.core.models import Area
from outreach.events import services
from outreach.events.models import Event, Registration
from outreach.programs.models import Language, Topic

EVENTS = [
    # slug, days from today, hour, title, title_es, topic, area, format, language, capacity, reserved, venue, address
    (
        "natomas-town-hall",
        9,
        18,
        "Natomas Community Safety Town Hall",
        "Reunión comunitaria de seguridad en Natomas",
        "community-safety",
        "natomas",
        Event.Format.IN_PERSON,
        Language.BILINGUAL,
        80,
        5,
        "Natomas Community Center",
        "2921 Truxel Rd, Sacramento, CA 95833",
        38.6471,
        -121.5210,
    ),
    (
        "scam-awareness-seniors",
        5,
        10,
        "Scam Awareness for Seniors",
        "Prevención de estafas para personas mayores",
        "scams-fraud",
        "land-park-pocket",
        Event.Format.IN_PERSON,
        Language.ENGLISH,
        20,
        2,
        "Pocket-Greenhaven Library",
        "7335 Gloria Dr, Sacramento, CA 95831",
        38.4870,
        -121.5290,
    ),
    (
        "online-safety-parents",
        12,
        19,
        "Keeping Kids Safe Online: for Parents",
        "Seguridad de los niños en internet",
        "internet-safety",
        None,
        Event.Format.ONLINE,
        Language.SPANISH,
        200,
        0,
        "",
        "",
        None,
        None,
    ),
    (
        "south-sac-resource-fair",
        20,
        11,
        "South Sacramento Resource Fair",
        "Feria de recursos del sur de Sacramento",
        "victim-services",
        "south-sacramento",
        Event.Format.HYBRID,
        Language.BILINGUAL,
        150,
        10,
        "Valley Hi-North Laguna Library",
        "7400 Imagination Pkwy, Sacramento, CA 95823",
        38.4705,
        -121.4260,
    ),
    (
        "oak-park-youth-forum",
        30,
        17,
        "Oak Park Youth Forum",
        "Foro juvenil de Oak Park",
        "youth-violence",
        "east-sacramento-oak-park",
        Event.Format.IN_PERSON,
        Language.ENGLISH,
        60,
        0,
        "Oak Park Community Center",
        "3425 Martin Luther King Jr Blvd, Sacramento, CA 95817",
        38.5440,
        -121.4610,
    ),
    (
        "downtown-trafficking-briefing",
        40,
        12,
        "Human Trafficking Briefing for Businesses",
        "Información sobre trata de personas para negocios",
        "human-trafficking",
        "downtown-midtown",
        Event.Format.IN_PERSON,
        Language.ENGLISH,
        40,
        4,
        "Central Library, Tsakopoulos Galleria",
        "828 I St, Sacramento, CA 95814",
        38.5822,
        -121.4950,
    ),
    (
        "north-sac-listening-session",
        -12,
        18,
        "North Sacramento Listening Session",
        "Sesión de escucha en el norte de Sacramento",
        "community-safety",
        "north-sacramento",
        Event.Format.IN_PERSON,
        Language.BILINGUAL,
        70,
        0,
        "Hagginwood Community Center",
        "3271 Marysville Blvd, Sacramento, CA 95815",
        38.6220,
        -121.4450,
    ),
    (
        "elder-abuse-webinar",
        -30,
        14,
        "Elder Abuse Awareness Webinar",
        "Seminario web sobre el abuso de mayores",
        "elder-abuse",
        None,
        Event.Format.ONLINE,
        Language.ENGLISH,
        300,
        0,
        "",
        "",
        None,
        None,
    ),
]
# The small senior event is full with a wait list; a few fill the others.
REGISTRATIONS = {
    "scam-awareness-seniors": 21,
    "natomas-town-hall": 24,
    "south-sac-resource-fair": 40,
    "online-safety-parents": 30,
    "north-sac-listening-session": 35,
    "elder-abuse-webinar": 60,
}
FIRST = ["Maria", "James", "Linh", "Carlos", "Aisha", "Tom", "Rosa", "Kevin", "Mai", "Jorge", "Dana", "Sofia"]
LAST = ["Garcia", "Nguyen", "Smith", "Hernandez", "Vang", "Johnson", "Lopez", "Patel", "Kim", "Singh"]


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(owner) -> None:
    topics = {t.slug: t for t in Topic.objects.all()}
    areas = {a.slug: a for a in Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT)}
    now = timezone.now()
    for row in EVENTS:
        (
            slug,
            days,
            hour,
            title,
            title_es,
            topic,
            area,
            fmt,
            language,
            capacity,
            reserved,
            venue,
            address,
            lat,
            lon,
        ) = row
        if Event.objects.filter(slug=slug).exists():
            continue
        starts = _at(days, hour)
        online = fmt in (Event.Format.ONLINE, Event.Format.HYBRID)
        picture = {}
        if slug == "natomas-town-hall":
            picture = {
                "image": placeholder_image(text="Town hall", background="#5b3f7a", accent="#f0b93c"),
                "image_alt": "A purple banner with the words Town hall beside a gold circle.",
                "image_alt_es": "Un cartel morado con las palabras Town hall junto a un círculo dorado.",
            }
        event = Event.objects.create(
            **picture,
            slug=slug,
            title=title,
            title_es=title_es,
            summary=f"{title}: meet the District Attorney's office, ask questions and find local resources.",
            summary_es=f"{title_es}: conozca a la Fiscalía, haga preguntas y encuentre recursos locales.",
            description="Light refreshments. Children are welcome. Interpretation available on request.",
            description_es="Refrigerios. Los niños son bienvenidos. Interpretación disponible a pedido.",
            topic=topics.get(topic),
            area=areas.get(area) if area else None,
            language=language,
            format=fmt,
            venue_name=venue,
            venue_address=address,
            latitude=lat,
            longitude=lon,
            online_url="https://meet.example.org/jcr-" + slug if online else "",
            agenda="Welcome and introductions\nPresentation\nQuestions and answers\nResource tables",
            agenda_es="Bienvenida y presentaciones\nPresentación\nPreguntas y respuestas\nMesas de recursos",
            accessibility="Wheelchair accessible entrance and restrooms. ASL and Spanish interpretation on request."
            if fmt != Event.Format.ONLINE
            else "Live captions. Spanish interpretation on request.",
            accessibility_es="Entrada y baños accesibles en silla de ruedas. Interpretación en ASL y español a pedido."
            if fmt != Event.Format.ONLINE
            else "Subtítulos en vivo. Interpretación al español a pedido.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=capacity,
            reserved_seats=reserved,
            status=Event.Status.PUBLISHED,
            owner=owner,
        )
        count = REGISTRATIONS.get(slug, 0)
        for i in range(count):
            name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
            confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
            status = Registration.Status.CONFIRMED if confirmed < event.seats else Registration.Status.WAITLISTED
            registration = Registration.objects.create(
                event=event,
                name=name,
                email=f"{slug}-{i}@example.org",
                language="es" if i % 3 == 0 else "en",
                accessibility_needs="Wheelchair space" if i % 9 == 4 else "",
                status=status,
                created_at=min(now, starts) - timedelta(days=20) + timedelta(hours=i),
            )
            if days < 0 and status == Registration.Status.CONFIRMED and i % 4 != 3:
                registration.checked_in_at = starts + timedelta(minutes=5 + i % 20)
                registration.save(update_fields=["checked_in_at"])
            if days > 0 and status == Registration.Status.CONFIRMED:
                services._reminders_plan(registration, event, now)
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if event.seats and confirmed >= event.seats * Event.CAPACITY_ALERT_RATIO:
            Event.objects.filter(pk=event.pk).update(capacity_alert_sent_at=now)
