"""Demo programs, events, registrations and presentation requests for `manage.py seed_demo`
(idempotent). Rows are written directly, without e-mails; reminder rows are planned as the
registration service plans them, so the staff pages show them."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from jcr.accounts.models import User
from jcr.core.models import Area
from outreach import demo_dialogues, services
from outreach.media import demo as demo_media
from outreach.models import (
    Audience,
    Event,
    Language,
    PresentationRequest,
    Program,
    Registration,
    Topic,
)
from outreach.social import demo as demo_social

PROGRAMS = [
    # slug, title, title_es, audience, topics, language, format, minutes, summary, summary_es
    (
        "scam-stoppers",
        "Scam Stoppers",
        "Alto a las estafas",
        Audience.ADULT,
        ["scams-fraud", "elder-abuse"],
        Language.BILINGUAL,
        Program.Format.EITHER,
        60,
        "How phone, mail and online scams work, the warning signs, and what to do if you or a relative is targeted.",
        "Cómo funcionan las estafas por teléfono, correo e internet, las señales de alerta y qué hacer si usted o "
        "un familiar es víctima.",
    ),
    (
        "safe-online",
        "Safe Online",
        "Seguros en internet",
        Audience.YOUTH,
        ["internet-safety"],
        Language.BILINGUAL,
        Program.Format.IN_PERSON,
        45,
        "For middle and high school students: sextortion, cyberbullying, sharing images and where to get help.",
        "Para estudiantes de secundaria y preparatoria: sextorsión, ciberacoso, compartir imágenes y dónde "
        "pedir ayuda.",
    ),
    (
        "choices-and-consequences",
        "Choices and Consequences",
        "Decisiones y consecuencias",
        Audience.YOUTH,
        ["youth-violence"],
        Language.ENGLISH,
        Program.Format.IN_PERSON,
        60,
        "A prosecutor and a victim advocate talk with young people about violence, weapons and the juvenile system.",
        "Un fiscal y una defensora de víctimas hablan con jóvenes sobre la violencia, las armas y el sistema juvenil.",
    ),
    (
        "recognising-trafficking",
        "Recognising Human Trafficking",
        "Cómo reconocer la trata de personas",
        Audience.ADULT,
        ["human-trafficking"],
        Language.BILINGUAL,
        Program.Format.EITHER,
        90,
        "For businesses, faith groups and service providers: indicators of labour and sex trafficking and how "
        "to report.",
        "Para negocios, grupos religiosos y proveedores de servicios: indicios de trata laboral y sexual y cómo "
        "denunciarla.",
    ),
    (
        "domestic-violence-101",
        "Domestic Violence: Know the Signs",
        "Violencia doméstica: conozca las señales",
        Audience.ADULT,
        ["domestic-violence", "victim-services"],
        Language.SPANISH,
        Program.Format.EITHER,
        60,
        "Patterns of abuse, restraining orders, and the help the Victim Services Division gives.",
        "Patrones de abuso, órdenes de restricción y la ayuda que da la División de Servicios a Víctimas.",
    ),
]

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


def _topics() -> None:
    """The topics of the data migration (a test database flushed by a transactional test has
    lost them)."""
    from importlib import import_module

    for order, (slug, name, name_es) in enumerate(import_module("outreach.migrations.0001_initial").TOPICS, start=1):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "name_es": name_es, "order": order * 10})


def _programs() -> None:
    topics = {t.slug: t for t in Topic.objects.all()}
    for order, (slug, title, title_es, audience, topic_slugs, language, fmt, minutes, summary, summary_es) in enumerate(
        PROGRAMS, start=1
    ):
        program, created = Program.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "title_es": title_es,
                "audience": audience,
                "language": language,
                "format": fmt,
                "length_minutes": minutes,
                "summary": summary,
                "summary_es": summary_es,
                "order": order * 10,
            },
        )
        if created:
            program.topics.set([topics[s] for s in topic_slugs if s in topics])


def _events(owner) -> None:
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
        event = Event.objects.create(
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


def _requests(presenter) -> None:
    if PresentationRequest.objects.filter(organisation="Hiram Johnson High School").exists():
        return
    programs = {p.slug: p for p in Program.objects.all()}
    today = timezone.localdate()
    rows = [
        ("Hiram Johnson High School", "Ms. Alvarez", "safe-online", "", PresentationRequest.Status.NEW, "es"),
        ("Meadowview Neighborhood Association", "Pat Chen", "scam-stoppers", "", PresentationRequest.Status.NEW, "en"),
        ("St. Rose Parish Seniors", "Rosa Medina", "", "Grandparent scams", PresentationRequest.Status.SCHEDULED, "es"),
        (
            "Sacramento Hotel Association",
            "Dev Patel",
            "recognising-trafficking",
            "",
            PresentationRequest.Status.DELIVERED,
            "en",
        ),
        (
            "Natomas Little League",
            "Joe Fry",
            "",
            "Coaching and mandated reporting",
            PresentationRequest.Status.DECLINED,
            "en",
        ),
    ]
    for i, (organisation, contact, program, topic, status, language) in enumerate(rows):
        request = PresentationRequest.objects.create(
            organisation=organisation,
            contact_name=contact,
            contact_email=f"requester{i}@example.org",
            contact_phone=f"916-555-01{i:02d}",
            audience=PresentationRequest.RequestAudience.YOUTH if "School" in organisation else "adult",
            audience_size=25 + i * 15,
            program=programs.get(program),
            topic=topic,
            presentation_language=Language.SPANISH if language == "es" else Language.ENGLISH,
            preferred_dates=[(today + timedelta(days=d)).isoformat() for d in (14 + i, 21 + i)],
            location="1 Example Way, Sacramento",
            language=language,
            status=status,
        )
        if status == PresentationRequest.Status.SCHEDULED:
            when = _at(10, 10)
            request.scheduled_for, request.presenter = when, presenter
            request.save()
            request.reminders.create(scheduled_for=when, due_at=when - services.PRESENTATION_REMINDER_BEFORE)
        elif status == PresentationRequest.Status.DELIVERED:
            request.scheduled_for, request.presenter, request.delivered_at = _at(-7, 9), presenter, _at(-7, 11)
            request.save()
        elif status == PresentationRequest.Status.DECLINED:
            request.decline_reason = "Outside our programs; we sent the contact of the county's child abuse council."
            request.save()


def seed() -> None:
    """Programs, past and upcoming events in the demo districts (one full, with a wait list),
    registrations with reminders and check-ins, and a presentation request in each state."""
    owner = User.objects.filter(email="outreach@demo.jcr.example").first()
    with transaction.atomic():
        _topics()
        _programs()
        _events(owner)
        _requests(owner)
    demo_dialogues.seed()
    demo_media.seed()
    demo_social.seed()
