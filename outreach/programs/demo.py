"""Demo topics, programs and presentation requests for `manage.py seed_demo` (idempotent).
Rows are written directly, without e-mails."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from importlib import import_module

from django.utils import timezone

from jcr.core.images import placeholder_image
from outreach.programs import services
from outreach.programs.models import Audience, Language, PresentationRequest, Program, Topic

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


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _topics() -> None:
    """The topics of the data migration (a test database flushed by a transactional test has
    lost them)."""
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
        if created and slug == "scam-stoppers":
            program.image = placeholder_image(text="Scam Stoppers", background="#8a3b2d", accent="#f4d35e")
            program.image_alt = "A red banner with the words Scam Stoppers beside a yellow circle."
            program.image_alt_es = "Un cartel rojo con las palabras Scam Stoppers junto a un círculo amarillo."
            program.save()


def requests_seed(presenter) -> None:
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


def catalogue_seed() -> None:
    """The topics and the programs."""
    _topics()
    _programs()
