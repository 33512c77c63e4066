"""Demo community dialogues for `manage.py seed_demo` (idempotent).

Two series over the six demo police districts, each with a session and seats for the six groups:
- last year's, whose window closed months ago: applications (several groups oversubscribed), a
  completed draw, answers (some declines, so the wait list moved up), and the follow-up:
  subcommittees with their recommendations, the City's responses and implementation progress;
- this year's, open for applications now, with applications coming in and its commitment
  published (the seed stays secret until its draw).

Applications go through the real services (eligibility, merging, pseudonymous ids, the draw
and the wait list); no e-mail is queued (notify=False).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from jcr.core.models import Area
from outreach.dialogues import services
from outreach.dialogues.models import (
    DialogueApplication,
    DialogueSeats,
    DialogueSeries,
    DialogueSession,
    ParticipantGroup,
    Recommendation,
    Subcommittee,
)

SEED = 20180611
PAST_SLUG = "nest-2025"
OPEN_SLUG = "nest-2026"
# district slug -> meeting place (told only to selected participants)
DISTRICTS = {
    "natomas": "South Natomas Community Center, 2921 Truxel Rd",
    "north-sacramento": "Hagginwood Community Center, 3271 Marysville Blvd",
    "downtown-midtown": "Sacramento Central Library, Tsakopoulos Galleria, 828 I St",
    "land-park-pocket": "Belle Cooledge Community Center, 5699 S Land Park Dr",
    "south-sacramento": "Pannell Meadowview Community Center, 2450 Meadowview Rd",
    "east-sacramento-oak-park": "Oak Park Community Center, 3425 Martin Luther King Jr Blvd",
}
SEATS = {
    ParticipantGroup.YOUTH: 3,
    ParticipantGroup.FAITH: 2,
    ParticipantGroup.SOCIAL_SERVICES: 2,
    ParticipantGroup.BUSINESS: 2,
    ParticipantGroup.EDUCATORS: 2,
    ParticipantGroup.COMMUNITY: 4,
}
FIRST = [
    "Ana",
    "Luis",
    "Mai",
    "Jamal",
    "Grace",
    "Tomás",
    "Priya",
    "Daniel",
    "Keisha",
    "Hector",
    "Lena",
    "Omar",
    "Rosa",
    "Kevin",
    "Fatima",
    "Miguel",
    "Hannah",
    "Tuan",
    "Imani",
    "Carlos",
    "Sofia",
    "Marcus",
    "Nadia",
    "Pedro",
]
LAST = [
    "García",
    "Nguyen",
    "Johnson",
    "Patel",
    "Hernández",
    "Smith",
    "Lee",
    "Williams",
    "Martínez",
    "Brown",
    "Vang",
    "Lopez",
    "Davis",
    "Khan",
    "Robinson",
    "Flores",
    "Moore",
    "Chavez",
    "Singh",
    "Jackson",
]
STREETS = [
    "J St",
    "Broadway",
    "Freeport Blvd",
    "Stockton Blvd",
    "Del Paso Blvd",
    "Florin Rd",
    "Folsom Blvd",
    "Truxel Rd",
]
DESCRIPTION = (
    "The District Attorney's office, the City of Sacramento and the Sacramento Police Department invite residents "
    "to a series of facilitated community engagement and problem-solving dialogues, one in each police district. "
    "Participants identify and prioritize issues of concern, hear from local experts on existing procedures and "
    "give feedback that can be used to improve current policies. The work of these groups leads to topical "
    "subcommittees that bring recommendations to the City."
)
DESCRIPTION_ES = (
    "La oficina de la Fiscalía, la Ciudad de Sacramento y el Departamento de Policía de Sacramento invitan a los "
    "residentes a una serie de diálogos comunitarios facilitados para resolver problemas, uno en cada distrito "
    "policial. Los participantes identifican y priorizan los temas que les preocupan, escuchan a expertos locales "
    "sobre los procedimientos actuales y aportan ideas para mejorar las políticas. El trabajo de estos grupos da "
    "lugar a subcomités temáticos que presentan recomendaciones a la Ciudad."
)
COMMITMENTS = (
    "Each district team represents the diversity of the city: youth (18-25), faith communities, social services and "
    "non-profit providers, business, educators and the community at large. If more people apply in a group than "
    "there are seats, the seats go by a random lottery that anyone can check. Sessions run from 6:00 pm to 9:00 pm."
)
COMMITMENTS_ES = (
    "Cada equipo de distrito representa la diversidad de la ciudad: jóvenes (18-25), comunidades de fe, servicios "
    "sociales y organizaciones sin fines de lucro, negocios, educadores y la comunidad en general. Si más personas "
    "se inscriben en un grupo que los asientos disponibles, los asientos se asignan por un sorteo que cualquiera "
    "puede verificar. Las sesiones son de 6:00 p. m. a 9:00 p. m."
)
SUBCOMMITTEES = [
    (
        "Youth and police relations",
        "Jóvenes y relaciones con la policía",
        [
            (
                "Youth advisory board to the police chief",
                "Consejo juvenil asesor del jefe de policía",
                Recommendation.Status.IMPLEMENTED,
                100,
                "The City created a youth advisory board of 15 members that meets monthly with the chief.",
                "The board has met ten times and published its first annual report.",
            ),
            (
                "Know-your-rights workshops in every high school",
                "Talleres sobre derechos en cada preparatoria",
                Recommendation.Status.ACCEPTED,
                55,
                "Accepted. The police department and the school district will co-host workshops.",
                "Workshops held in 7 of 13 high schools.",
            ),
        ],
    ),
    (
        "Transparency and data",
        "Transparencia y datos",
        [
            (
                "Quarterly public data on stops and use of force",
                "Datos públicos trimestrales de paradas y uso de fuerza",
                Recommendation.Status.PARTIALLY_ACCEPTED,
                40,
                "The City will publish use-of-force data quarterly; stop data will remain annual for now.",
                "Two quarterly reports published.",
            ),
            (
                "An independent review of complaint handling",
                "Una revisión independiente de la gestión de quejas",
                Recommendation.Status.UNDER_REVIEW,
                0,
                "",
                "",
            ),
        ],
    ),
    (
        "Neighborhood problem solving",
        "Resolución de problemas en el vecindario",
        [
            (
                "Restore problem-oriented policing officers in each district",
                "Restablecer agentes de policía orientados a problemas en cada distrito",
                Recommendation.Status.ACCEPTED,
                30,
                "Funded in the next budget for four of six districts.",
                "Two districts staffed so far.",
            ),
            (
                "Monthly district meetings with the community prosecutor",
                "Reuniones mensuales de distrito con el fiscal comunitario",
                Recommendation.Status.DECLINED,
                0,
                "Not accepted as monthly; the office holds quarterly meetings in each district instead.",
                "",
            ),
        ],
    ),
]


def _evening(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time(18, 0)))
    return start, start + timedelta(hours=3)


def _series_create(*, slug: str, title: str, title_es: str, opens: datetime, closes: datetime, first_session: date):
    series = DialogueSeries.objects.create(
        slug=slug,
        title=title,
        title_es=title_es,
        description=DESCRIPTION,
        description_es=DESCRIPTION_ES,
        commitments=COMMITMENTS,
        commitments_es=COMMITMENTS_ES,
        applications_open_at=opens,
        applications_close_at=closes,
        status=DialogueSeries.Status.PUBLISHED,
    )
    districts = {a.slug: a for a in Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT, slug__in=DISTRICTS)}
    for n, (district_slug, location) in enumerate(DISTRICTS.items()):
        if district_slug not in districts:
            continue
        starts, ends = _evening(first_session + timedelta(days=n * 3))
        session = DialogueSession.objects.create(
            series=series, district=districts[district_slug], starts_at=starts, ends_at=ends, location=location
        )
        DialogueSeats.objects.bulk_create(
            DialogueSeats(session=session, group=group, seats=seats) for group, seats in SEATS.items()
        )
    return series


def _applications(series: DialogueSeries, rng: random.Random, *, at: datetime, scale: float) -> int:
    count = 0
    sessions = list(series.sessions.select_related("district"))
    for session in sessions:
        for group, seats in SEATS.items():
            # Some groups draw more applicants than seats, others fewer.
            n = round(rng.choice([0.5, 0.8, 1.0, 1.6, 2.2]) * seats * scale)
            for _ in range(n):
                count += 1
                first, last = rng.choice(FIRST), rng.choice(LAST)
                born = None
                if group == ParticipantGroup.YOUTH:
                    session_day = timezone.localtime(session.starts_at).date()
                    # mostly 18-25 on the session day; now and then someone too young or too old
                    age = rng.choice([18, 19, 20, 21, 22, 23, 24, 25, 25, 17, 27])
                    birthday = date(session_day.year - age, session_day.month, min(session_day.day, 28))
                    born = birthday - timedelta(days=rng.randint(1, 300))
                services.dialogue_application_submit(
                    series=series,
                    district=session.district,
                    group=group,
                    name=f"{first} {last}",
                    email=f"applicant{count}.{series.slug}@example.org",
                    phone=f"916-555-{rng.randint(0, 9999):04d}" if rng.random() < 0.7 else "",
                    date_of_birth=born,
                    address=f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
                    language=rng.choice(["en", "en", "es"]),
                    commits_to_learning=True,
                    commits_to_research=True,
                    commits_to_problem_solving=True,
                    now=at,
                    notify=False,
                )
    # Someone applies twice with the same e-mail: merged into one application.
    first = series.applications.order_by("created_at", "id").first()
    if first is not None:
        services.dialogue_application_submit(
            series=series,
            district=first.district,
            group=first.group,
            name=first.name,
            email=first.email,
            phone=first.phone,
            date_of_birth=first.date_of_birth,
            address=first.address + " (apartment 2)",
            language=first.language,
            commits_to_learning=True,
            commits_to_research=True,
            commits_to_problem_solving=True,
            now=at,
            notify=False,
        )
    return count


def seed() -> int:
    """Create the demo series that do not exist yet. Returns how many were created."""
    if not Area.objects.filter(kind=Area.Kind.POLICE_DISTRICT, slug__in=DISTRICTS).exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    created = 0
    with transaction.atomic():
        if not DialogueSeries.objects.filter(slug=PAST_SLUG).exists():
            opens, closes = now - timedelta(days=150), now - timedelta(days=120)
            series = _series_create(
                slug=PAST_SLUG,
                title="Neighborhood Engagement Strategy Talks 2025",
                title_es="Diálogos de Estrategia de Participación Vecinal 2025",
                opens=opens,
                closes=closes,
                first_session=(now - timedelta(days=100)).date(),
            )
            _applications(series, rng, at=opens + timedelta(days=5), scale=1.0)
            drawn_at = closes + timedelta(hours=1)
            services.dialogue_draw_run(series=series, now=drawn_at, notify=False)
            # Most selected people accept; a few decline, which moves the wait list up.
            answered = drawn_at + timedelta(days=2)
            for _ in range(3):  # the promoted answer too
                offers = series.applications.filter(status=DialogueApplication.Status.SELECTED)
                for token in list(offers.values_list("response_token", flat=True)):
                    services.dialogue_application_respond(
                        token=token, accept=rng.random() < 0.88, now=answered, notify=False
                    )
            DialogueSeries.objects.filter(pk=series.pk).update(status=DialogueSeries.Status.COMPLETED)
            for order, (title, title_es, recommendations) in enumerate(SUBCOMMITTEES, start=1):
                subcommittee = Subcommittee.objects.create(
                    series=series, title=title, title_es=title_es, order=order * 10
                )
                for r_order, (r_title, r_title_es, status, progress, response, note) in enumerate(
                    recommendations, start=1
                ):
                    Recommendation.objects.create(
                        subcommittee=subcommittee,
                        title=r_title,
                        title_es=r_title_es,
                        summary=f"The subcommittee recommends: {r_title.lower()}.",
                        summary_es=f"El subcomité recomienda: {r_title_es[0].lower()}{r_title_es[1:]}.",
                        submitted_on=(now - timedelta(days=60)).date(),
                        status=status,
                        response=response,
                        response_on=(now - timedelta(days=30)).date() if response else None,
                        progress_percent=progress,
                        progress_note=note,
                        order=r_order * 10,
                    )
            created += 1
        if not DialogueSeries.objects.filter(slug=OPEN_SLUG).exists():
            series = _series_create(
                slug=OPEN_SLUG,
                title="Neighborhood Engagement Strategy Talks 2026",
                title_es="Diálogos de Estrategia de Participación Vecinal 2026",
                opens=now - timedelta(days=5),
                closes=now + timedelta(days=21),
                first_session=(now + timedelta(days=40)).date(),
            )
            _applications(series, rng, at=now, scale=0.6)
            created += 1
    return created
