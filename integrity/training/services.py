"""Writes of training: registration, attendance, courses and sessions (MCLE records and
reminders: services_mcle). Each service owns its transaction and writes an audit entry."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrity.training import mcle
from integrity.training.models import (
    Attendance,
    Course,
    CourseCredit,
    SessionRegistration,
    TrainingSession,
)
from jcr.core.audit import audit_record
from jcr.core.services import email_queue

CHANGE_COURSE = "integrity.change_course"
CHANGE_SESSION = "integrity.change_trainingsession"
# What registrants are told about when it changes on an upcoming session.
SESSION_NOTICE_FIELDS = ("starts_at", "ends_at", "location", "online_url")
# What may no longer change once attendance is recorded: the date earns the credit and the
# format decides whether it counts as self-study.
SESSION_FIXED_AFTER_ATTENDANCE = ("starts_at", "ends_at", "credit_format")


@transaction.atomic
def session_register(*, session: TrainingSession, user) -> SessionRegistration:
    """Register `user` for `session`. Raises ValidationError when the session is cancelled,
    has started, or is full."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)  # serialise capacity checks
    if session.is_cancelled or session.starts_at <= timezone.now():
        raise ValidationError(_("Registration for this session is closed."))
    registration = SessionRegistration.objects.filter(session=session, user=user).first()
    if registration is not None and registration.status == SessionRegistration.Status.REGISTERED:
        return registration
    taken = session.registrations.filter(status=SessionRegistration.Status.REGISTERED).count()
    if taken >= session.capacity:
        raise ValidationError(_("This session is full."))
    if registration is None:
        registration = SessionRegistration.objects.create(session=session, user=user)
    else:
        registration.status = SessionRegistration.Status.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
    audit_record(action="integrity.training.register", obj=registration, actor=user)
    return registration


@transaction.atomic
def session_unregister(*, session: TrainingSession, user) -> None:
    """Cancel `user`'s registration (a no-op when they hold none)."""
    updated = SessionRegistration.objects.filter(
        session=session, user=user, status=SessionRegistration.Status.REGISTERED
    ).update(status=SessionRegistration.Status.CANCELLED, updated_at=timezone.now())
    if updated:
        registration = SessionRegistration.objects.get(session=session, user=user)
        audit_record(action="integrity.training.unregister", obj=registration, actor=user)


@transaction.atomic
def attendance_record(*, session: TrainingSession, user_ids: list[int], actor) -> list[Attendance]:
    """Record that the people `user_ids` attended `session`; those already recorded are left
    as they are. Raises ValidationError for a cancelled session, one not yet started, or a
    person who is not active staff."""
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    people = list(get_user_model().objects.filter(pk__in=user_ids, is_active=True, is_staff=True))
    if len(people) != len(set(user_ids)):
        raise ValidationError(_("Only active staff members can be recorded as attending."))
    already = set(Attendance.objects.filter(session=session, user_id__in=user_ids).values_list("user_id", flat=True))
    created = []
    for person in people:
        if person.pk in already:
            continue
        attendance = Attendance.objects.create(session=session, user=person, recorded_by=actor)
        audit_record(action="integrity.training.attendance_record", obj=attendance, actor=actor)
        created.append(attendance)
    return created


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor) -> None:
    """Remove an attendance recorded by mistake (the audit entry keeps the trace)."""
    audit_record(
        action="integrity.training.attendance_remove",
        obj=attendance,
        actor=actor,
        before={"session": str(attendance.session.public_id), "user": attendance.user_id},
    )
    attendance.delete()


@transaction.atomic
def transcript_view_record(*, deputy, actor) -> None:
    """Log that `actor` opened another person's transcript (the unit logs its reads)."""
    audit_record(
        action="integrity.training.transcript_view",
        actor=actor,
        object_type="accounts.user",
        object_id=str(deputy.public_id),
    )


@transaction.atomic
def course_create(*, title: str, description: str, provider: str, credits: dict[str, object], actor) -> Course:
    """A course with its MCLE credit hours per category (`credits`: category -> hours, zero or
    empty hours left out)."""
    course = Course(title=title, description=description, provider=provider)
    course.full_clean()
    course.save()
    for category, hours in credits.items():
        if hours:
            credit = CourseCredit(course=course, category=category, hours=hours)
            credit.full_clean()
            credit.save()
    audit_record(
        action="integrity.training.course_create",
        obj=course,
        actor=actor,
        after={"title": title, "credits": {k: str(v) for k, v in credits.items() if v}},
    )
    return course


def _credit_within_duration(session: TrainingSession) -> None:
    """Credit claimed for a session cannot exceed its length rounded down to the quarter hour
    (Rules of the State Bar, rule 2.51(D): a credit hour is sixty minutes actually spent)."""
    if not session.starts_at or not session.ends_at or session.ends_at <= session.starts_at:
        return
    claimed = sum((c.hours for c in session.course.credits.all()), Decimal("0"))
    allowed = mcle.credit_hours_max((session.ends_at - session.starts_at).total_seconds() / 60)
    if claimed > allowed:
        raise ValidationError(
            _(
                "The course claims %(claimed)s credit hours but the session lasts only %(allowed)s hours "
                "(rounded down to the quarter hour): lengthen the session or lower the course's credit."
            )
            % {"claimed": claimed, "allowed": allowed}
        )


@transaction.atomic
def session_create(*, course: Course, actor, **fields) -> TrainingSession:
    """Schedule a session of `course`. Raises ValidationError when it has neither a place nor
    an online link, or ends before it starts."""
    session = TrainingSession(course=course, **fields)
    if not session.location and not session.online_url:
        raise ValidationError(_("Give a place or an online link."))
    session.full_clean()
    _credit_within_duration(session)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        raise ValidationError(_("The session must end after it starts.")) from exc
    audit_record(action="integrity.training.session_create", obj=session, actor=actor)
    return session


def _credits_of(course: Course) -> dict[str, str]:
    return {c.category: str(c.hours) for c in course.credits.order_by("category")}


@transaction.atomic
def course_update(
    *, course: Course, title: str, description: str, provider: str, is_active: bool, credits: dict[str, object], actor
) -> Course:
    """Change a course and its MCLE credit hours per category (`credits`: category -> hours;
    zero or empty removes the category). A change of credits also changes the transcripts of
    those who attended it: the audit entry keeps the hours before and after."""
    if not actor.has_perm(CHANGE_COURSE):
        raise PermissionDenied
    course = Course.objects.select_for_update().get(pk=course.pk)
    before = {
        "title": course.title,
        "description": course.description,
        "provider": course.provider,
        "is_active": course.is_active,
        "credits": _credits_of(course),
    }
    course.title, course.description, course.provider, course.is_active = title, description, provider, is_active
    course.full_clean()
    course.save()
    existing = {c.category: c for c in course.credits.all()}
    for category, hours in credits.items():
        credit = existing.get(category)
        if not hours:
            if credit is not None:
                credit.delete()
            continue
        credit = credit or CourseCredit(course=course, category=category)
        credit.hours = hours
        credit.full_clean()
        credit.save()
    after = {
        "title": title,
        "description": description,
        "provider": provider,
        "is_active": is_active,
        "credits": _credits_of(course),
    }
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        audit_record(
            action="integrity.training.course_change",
            obj=course,
            actor=actor,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return course


def _session_email(*, session: TrainingSession, person, template: str, extra: dict | None = None) -> None:
    email_queue(
        to=person.email,
        template=template,
        context={
            "name": person.get_short_name(),
            "session": session,
            "course": session.course.title,
            **(extra or {}),
        },
        language=person.preferred_language,
        related=session,
    )


def _registrants(session: TrainingSession) -> list:
    return [
        r.user
        for r in session.registrations.filter(status=SessionRegistration.Status.REGISTERED)
        .select_related("user")
        .order_by("user__email")
    ]


def _session_value(session: TrainingSession, name: str) -> str:
    """A field's value for comparing and auditing: times in UTC to the minute (the form's
    precision, whatever time zone it was entered in)."""
    value = getattr(session, name)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(second=0, microsecond=0).isoformat()
    return str(value)


@transaction.atomic
def session_update(*, session: TrainingSession, actor, **fields) -> TrainingSession:
    """Change a scheduled session (date, presenter, place or online link, capacity, format).

    Raises ValidationError for a cancelled session, a capacity below the number already
    registered, and, once attendance is recorded, a change of date or MCLE format (the
    credits already earned depend on them). When the time or place of an upcoming session
    changes, its registrants are e-mailed."""
    if not actor.has_perm(CHANGE_SESSION):
        raise PermissionDenied
    session = TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled; it can no longer be changed."))
    before = {name: _session_value(session, name) for name in fields}
    stored = {name: getattr(session, name) for name in fields}
    for name, value in fields.items():
        setattr(session, name, value)
    changed = [name for name in fields if _session_value(session, name) != before[name]]
    for name in fields:
        if name not in changed:  # e.g. the same time at the form's precision: keep it as stored
            setattr(session, name, stored[name])
    if not changed:
        return session
    if any(n in SESSION_FIXED_AFTER_ATTENDANCE for n in changed) and session.attendances.exists():
        raise ValidationError(
            _(
                "Attendance has already been recorded for this session: its date, time and MCLE format "
                "can no longer change."
            )
        )
    if not session.location and not session.online_url:
        raise ValidationError(_("Give a place or an online link."))
    registered = session.registrations.filter(status=SessionRegistration.Status.REGISTERED).count()
    if session.capacity < registered:
        raise ValidationError(
            _("%(count)s people are already registered: the capacity cannot be lower.") % {"count": registered}
        )
    session.full_clean()
    _credit_within_duration(session)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        raise ValidationError(_("The session must end after it starts.")) from exc
    notify = [n for n in changed if n in SESSION_NOTICE_FIELDS] and session.ends_at > timezone.now()
    people = _registrants(session) if notify else []
    for person in people:
        _session_email(session=session, person=person, template="integrity/training_session_changed")
    audit_record(
        action="integrity.training.session_change",
        obj=session,
        actor=actor,
        before={n: before[n] for n in changed},
        after={**{n: _session_value(session, n) for n in changed}, "notified": len(people)},
    )
    return session


@transaction.atomic
def session_cancel(*, session: TrainingSession, actor, reason: str = "") -> TrainingSession:
    """Cancel a session and e-mail everyone registered for it (in their language).

    Raises ValidationError when it is already cancelled or when attendance has been recorded
    for it (the attendance earned credit: remove it first if it was recorded by mistake)."""
    if not actor.has_perm(CHANGE_SESSION):
        raise PermissionDenied
    session = TrainingSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("This session is already cancelled."))
    attended = session.attendances.count()
    if attended:
        raise ValidationError(
            ngettext(
                "%(count)s attendance is recorded for this session: it cannot be cancelled. "
                "Remove the attendance first if it was recorded by mistake.",
                "%(count)s attendances are recorded for this session: it cannot be cancelled. "
                "Remove the attendances first if they were recorded by mistake.",
                attended,
            )
            % {"count": attended}
        )
    session.is_cancelled = True
    session.save(update_fields=["is_cancelled", "updated_at"])
    people = _registrants(session)
    for person in people:
        _session_email(
            session=session, person=person, template="integrity/training_session_cancelled", extra={"reason": reason}
        )
    audit_record(
        action="integrity.training.session_cancel",
        obj=session,
        actor=actor,
        before={"is_cancelled": False},
        after={"is_cancelled": True, "reason": reason, "notified": len(people)},
    )
    return session
