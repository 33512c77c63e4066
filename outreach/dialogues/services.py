"""Writes of the community dialogues. Each service owns its transaction and audit entry; every
e-mail is a row of jcr.core's queue written in the same transaction (sent after commit).

Lifecycle of an application:
    received → eligible | ineligible (reason)            at submission, or by staff (audited)
    eligible → selected | waitlisted (rank)               by the draw (outreach.dialogues.lottery)
    selected → accepted | declined | lapsed               by the applicant's link, or the deadline
    declined / lapsed → the next on the stratum's wait list is selected (and told by e-mail)
"""

from __future__ import annotations

import logging
import re
import secrets
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.models import Area
from jcr.core.services import email_queue
from outreach.dialogues import lottery
from outreach.dialogues.models import (
    DialogueApplication,
    DialogueSeats,
    DialogueSeries,
    DialogueSession,
    ParticipantGroup,
)

log = logging.getLogger(__name__)

YOUTH_MIN_AGE = 18
YOUTH_MAX_AGE = 25
# Never in audit entries: the seed is secret until the draw, a token opens a person's offer.
PRIVATE_FIELDS = frozenset({"seed", "response_token", "draw_record"})
# The answers a duplicate application replaces ("keep the latest answers").
ANSWER_FIELDS = (
    "district_id",
    "group",
    "name",
    "email",
    "phone",
    "date_of_birth",
    "address",
    "latitude",
    "longitude",
    "language",
    "commits_to_learning",
    "commits_to_research",
    "commits_to_problem_solving",
)


def phone_digits(phone: str) -> str:
    """The digits of a phone number, without a leading US country code, for matching."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits[-20:]


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _snapshot(obj) -> dict:
    return snapshot(obj, exclude=PRIVATE_FIELDS)


def _session_for(series: DialogueSeries, district: Area) -> DialogueSession:
    session = DialogueSession.objects.filter(series=series, district=district).first()
    if session is None:
        raise ValidationError(_("This series has no session in the district you chose."))
    return session


def eligibility_check(*, application: DialogueApplication, session: DialogueSession) -> str:
    """Why `application` is not eligible, in the applicant's language, or "" when it is.

    Rules: a youth seat needs an age of 18 to 25 on the day of the session; a pin, when given,
    must lie in the district chosen (without one, the resident's word is taken). The point is the
    pin placed, or the typed address looked up by the view.
    """
    with translation.override(application.language):
        if application.group == ParticipantGroup.YOUTH:
            if application.date_of_birth is None:
                return _("Youth seats need a date of birth.")
            session_day = timezone.localtime(session.starts_at).date()
            age = age_on(application.date_of_birth, session_day)
            if not YOUTH_MIN_AGE <= age <= YOUTH_MAX_AGE:
                return _(
                    "Youth seats are for people aged 18 to 25 on the day of the session (%(date)s); "
                    "you would be %(age)d. You can apply in another group."
                ) % {"date": session_day.isoformat(), "age": age}
        if application.latitude is not None and application.longitude is not None:
            district = session.district
            if not shape(district.geometry).covers(Point(application.longitude, application.latitude)):
                return _(
                    "The place you gave (your address or the pin on the map) is outside %(district)s. "
                    "Apply in the district where you live."
                ) % {"district": district.name}
    return ""


def _apply_eligibility(application: DialogueApplication, session: DialogueSession) -> None:
    reason = eligibility_check(application=application, session=session)
    application.status = DialogueApplication.Status.INELIGIBLE if reason else DialogueApplication.Status.ELIGIBLE
    application.ineligible_reason = reason
    application.eligibility_overridden = False
    application.override_reason = ""


def dialogue_application_submit(
    *,
    series: DialogueSeries,
    district: Area,
    group: str,
    name: str,
    email: str,
    phone: str = "",
    date_of_birth: date | None = None,
    address: str,
    latitude: float | None = None,
    longitude: float | None = None,
    language: str = "en",
    commits_to_learning: bool,
    commits_to_research: bool,
    commits_to_problem_solving: bool,
    now: datetime | None = None,
    notify: bool = True,
) -> tuple[DialogueApplication, bool]:
    """Save an application (or merge it into the applicant's earlier one) and check it.

    Returns (application, merged). A second application in the series with the same e-mail
    address or phone number is merged into the first: the latest answers are kept, the merge
    is logged on the application and in the audit trail, and eligibility is checked again.
    The application is saved as eligible or ineligible (with the reason) and a confirmation
    is queued in the applicant's language. Raises ValidationError outside the application
    window, for a district without a session, an unknown group or a missing commitment.
    """
    now = now or timezone.now()
    if group not in ParticipantGroup.values:
        raise ValidationError(_("Choose one of the participant groups."))
    if not (commits_to_learning and commits_to_research and commits_to_problem_solving):
        raise ValidationError(_("Participants accept all three commitments of the dialogues."))
    email = email.strip().lower()
    digits = phone_digits(phone)
    with transaction.atomic():
        # One application at a time per series, so two copies of one application sent at once
        # cannot both miss each other in the duplicate check.
        series = DialogueSeries.objects.select_for_update().get(pk=series.pk)
        if not series.window_is_open(now):
            raise ValidationError(_("Applications for this series are not open."))
        session = _session_for(series, district)
        existing = series.applications.filter(email=email).first()
        if existing is None and digits:
            existing = series.applications.filter(phone_digits=digits).order_by("created_at").first()
        application = existing or DialogueApplication(series=series)
        before = _snapshot(application) if existing else None
        application.district = district
        application.group = group
        application.name = name.strip()
        application.email = email
        application.phone = phone.strip()
        application.phone_digits = digits
        application.date_of_birth = date_of_birth if group == ParticipantGroup.YOUTH else None
        application.address = address.strip()
        application.latitude, application.longitude = (
            (latitude, longitude) if latitude is not None and longitude is not None else (None, None)
        )
        application.language = language
        application.commits_to_learning = commits_to_learning
        application.commits_to_research = commits_to_research
        application.commits_to_problem_solving = commits_to_problem_solving
        _apply_eligibility(application, session)
        if existing:
            changed = sorted(f for f in ANSWER_FIELDS if before.get(f) != _snapshot(application).get(f))
            application.merged_count += 1
            application.merge_log = [*application.merge_log, {"at": now.isoformat(), "changed": changed}]
        application.full_clean(exclude=["series", "district"])
        application.save()
        if existing:
            b, a = diff(before, _snapshot(application))
            audit_record(action="outreach.dialogue_application.merge", obj=application, actor=None, before=b, after=a)
        else:
            audit_record(
                action="outreach.dialogue_application.submit", obj=application, actor=None, after=_snapshot(application)
            )
        if notify:
            email_queue(
                to=application.email,
                template="outreach/dialogue_received",
                context={"application": application, "series": series, "session": session, "merged": bool(existing)},
                language=application.language,
                related=application,
            )
    return application, bool(existing)


@transaction.atomic
def dialogue_application_set_eligibility(
    *, application: DialogueApplication, eligible: bool, reason: str, actor
) -> DialogueApplication:
    """Staff decide an application's eligibility themselves (a reason is required; audited).
    Raises ValidationError after the draw or without a reason."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the decision."))
    series = DialogueSeries.objects.select_for_update().get(pk=application.series_id)
    if series.is_drawn:
        raise ValidationError(_("The lottery has been drawn: eligibility can no longer change."))
    application = DialogueApplication.objects.select_for_update().get(pk=application.pk)
    before = _snapshot(application)
    application.status = DialogueApplication.Status.ELIGIBLE if eligible else DialogueApplication.Status.INELIGIBLE
    application.ineligible_reason = "" if eligible else reason.strip()[:300]
    application.eligibility_overridden = True
    application.override_reason = reason.strip()[:300]
    application.save()
    b, a = diff(before, _snapshot(application))
    audit_record(action="outreach.dialogue_application.eligibility", obj=application, actor=actor, before=b, after=a)
    return application


# --- The draw -------------------------------------------------------------------------------


def draw_inputs(series: DialogueSeries) -> tuple[dict[str, list[str]], dict[str, int]]:
    """The pool (eligible applicants' pseudonymous ids by stratum) and the seats by stratum."""
    pool: dict[str, list[str]] = defaultdict(list)
    rows = series.applications.filter(status=DialogueApplication.Status.ELIGIBLE).values_list(
        "district__slug", "group", "pseudonym"
    )
    for slug, group, pseudonym in rows:
        pool[lottery.stratum_key(slug, group)].append(pseudonym)
    seats = {
        lottery.stratum_key(slug, group): n
        for slug, group, n in DialogueSeats.objects.filter(session__series=series).values_list(
            "session__district__slug", "group", "seats"
        )
    }
    return dict(pool), seats


def _offer(application: DialogueApplication, session: DialogueSession, now: datetime) -> None:
    """Make `application` selected with a fresh accept/decline link and its deadline."""
    application.status = DialogueApplication.Status.SELECTED
    application.response_token = secrets.token_urlsafe(32)
    deadline = now + timedelta(days=application.series.response_days)
    application.response_deadline = min(deadline, session.starts_at) if session.starts_at > now else deadline
    application.responded_at = None


def _notify_offer(application: DialogueApplication, session: DialogueSession, *, promoted: bool) -> None:
    email_queue(
        to=application.email,
        template="outreach/dialogue_selected",
        context={"application": application, "series": application.series, "session": session, "promoted": promoted},
        language=application.language,
        related=application,
    )


def _notify_confirmed(application: DialogueApplication) -> None:
    """Confirm an accepted seat, in the applicant's language, with the session's time and place."""
    session = DialogueSession.objects.select_related("district").get(
        series_id=application.series_id, district_id=application.district_id
    )
    email_queue(
        to=application.email,
        template="outreach/dialogue_confirmed",
        context={"application": application, "series": application.series, "session": session},
        language=application.language,
        related=application,
    )


@transaction.atomic
def dialogue_draw_run(*, series: DialogueSeries, actor=None, now: datetime | None = None, notify: bool = True) -> dict:
    """Draw the series' lottery, publish its record and tell every applicant in the pool.

    Every eligible application takes part, in its stratum (district and group); a stratum with
    no more applicants than seats selects everyone (and is still recorded). Returns the draw
    record. Raises ValidationError when the series is not published, its window is still open
    or it was drawn already (the row lock makes a second, simultaneous draw wait and then fail).
    `notify=False` (demo data only) queues no e-mail.
    """
    now = now or timezone.now()
    series = DialogueSeries.objects.select_for_update().get(pk=series.pk)
    if series.is_drawn:
        raise ValidationError(_("The lottery of this series has already been drawn."))
    if series.status != DialogueSeries.Status.PUBLISHED:
        raise ValidationError(_("Only a published series can be drawn."))
    if not series.window_has_closed(now):
        raise ValidationError(_("The application window is still open: the draw comes after it closes."))
    pool, seats = draw_inputs(series)
    record = lottery.record_build(
        series=series.slug, seed=lottery.seed_from_hex(series.seed), pool=pool, seats=seats, drawn_at=now.isoformat()
    )
    sessions = {s.district.slug: s for s in series.sessions.select_related("district")}
    applications = {
        a.pseudonym: a
        for a in series.applications.filter(status=DialogueApplication.Status.ELIGIBLE).select_related(
            "district", "series"
        )
    }
    counts = {"selected": 0, "waitlisted": 0}
    for key, result in record["results"].items():
        session = sessions[key.split("/", 1)[0]]
        for pseudonym in result["selected"]:
            application = applications[pseudonym]
            _offer(application, session, now)
            application.save()
            if notify:
                _notify_offer(application, session, promoted=False)
            counts["selected"] += 1
        for rank, pseudonym in enumerate(result["waitlist"], start=1):
            application = applications[pseudonym]
            application.status = DialogueApplication.Status.WAITLISTED
            application.waitlist_rank = rank
            application.save()
            if notify:
                email_queue(
                    to=application.email,
                    template="outreach/dialogue_waitlisted",
                    context={"application": application, "series": series, "session": session},
                    language=application.language,
                    related=application,
                )
            counts["waitlisted"] += 1
    series.status = DialogueSeries.Status.DRAWN
    series.drawn_at = now
    series.drawn_by = actor if getattr(actor, "is_authenticated", False) else None
    series.draw_record = record
    series.save(update_fields=["status", "drawn_at", "drawn_by", "draw_record", "updated_at"])
    audit_record(
        action="outreach.dialogue_series.draw",
        obj=series,
        actor=actor,
        after={"pool_hash": record["pool_hash"], "algorithm_version": record["algorithm_version"], **counts},
    )
    return record


def dialogue_draws_due(*, now: datetime | None = None) -> int:
    """Draw every series set to draw automatically whose window has closed. Returns how many."""
    now = now or timezone.now()
    due = DialogueSeries.objects.filter(
        status=DialogueSeries.Status.PUBLISHED,
        draw_automatically=True,
        drawn_at__isnull=True,
        applications_close_at__lte=now,
    ).values_list("pk", flat=True)
    drawn = 0
    for pk in list(due):
        try:
            dialogue_draw_run(series=DialogueSeries(pk=pk), now=now)
        except ValidationError:  # drawn meanwhile by a supervisor
            continue
        drawn += 1
    return drawn


# --- Answers to an offer, lapsed offers and the wait list ------------------------------------


def _promote_next(
    *, series: DialogueSeries, district_id: int, group: str, now: datetime, notify: bool = True
) -> DialogueApplication | None:
    """Offer the freed seat to the first on the stratum's wait list (none once the session has begun)."""
    session = DialogueSession.objects.select_related("district").get(series=series, district_id=district_id)
    if session.starts_at <= now:
        return None
    following = (
        DialogueApplication.objects.select_for_update()
        .filter(series=series, district_id=district_id, group=group, status=DialogueApplication.Status.WAITLISTED)
        .order_by("waitlist_rank", "id")
        .first()
    )
    if following is None:
        return None
    before = _snapshot(following)
    _offer(following, session, now)
    following.save()
    b, a = diff(before, _snapshot(following))
    audit_record(action="outreach.dialogue_application.promote", obj=following, actor=None, before=b, after=a)
    if notify:
        _notify_offer(following, session, promoted=True)
    return following


def _lapse(application: DialogueApplication, now: datetime) -> None:
    before = _snapshot(application)
    application.status = DialogueApplication.Status.LAPSED
    application.response_token = None
    application.save()
    b, a = diff(before, _snapshot(application))
    audit_record(action="outreach.dialogue_application.lapse", obj=application, actor=None, before=b, after=a)
    _promote_next(series=application.series, district_id=application.district_id, group=application.group, now=now)


@transaction.atomic
def dialogue_application_respond(
    *, token: str, accept: bool, now: datetime | None = None, notify: bool = True
) -> DialogueApplication:
    """The selected applicant accepts or declines with the link they were sent.

    A decline frees the seat for the next on the wait list. An answer after the deadline lapses
    the offer instead (and promotes the next). Returns the application in its new status.
    Raises ValidationError for an unknown token or an offer already answered. An accepted seat
    is confirmed by e-mail (date, time and place of the session). `notify=False` (demo data
    only) sends neither that confirmation nor the offers to people promoted from the wait list.
    """
    now = now or timezone.now()
    application = (
        DialogueApplication.objects.select_for_update().select_related("series").filter(response_token=token).first()
    )
    if application is None or application.status != DialogueApplication.Status.SELECTED:
        raise ValidationError(_("This link is no longer valid."))
    if application.response_deadline and application.response_deadline <= now:
        _lapse(application, now)
        return application
    before = _snapshot(application)
    application.status = DialogueApplication.Status.ACCEPTED if accept else DialogueApplication.Status.DECLINED
    application.responded_at = now
    if not accept:
        application.response_token = None
    application.save()
    b, a = diff(before, _snapshot(application))
    action = "accept" if accept else "decline"
    audit_record(action=f"outreach.dialogue_application.{action}", obj=application, actor=None, before=b, after=a)
    if accept and notify:
        _notify_confirmed(application)
    if not accept:
        _promote_next(
            series=application.series,
            district_id=application.district_id,
            group=application.group,
            now=now,
            notify=notify,
        )
    return application


def dialogue_offers_lapse(*, now: datetime | None = None) -> int:
    """Beat task: offers past their deadline lapse and their seats go to the wait list.
    Each offer in its own transaction, claimed under a row lock with a status guard, so two
    sweeps (or a sweep and a late answer) never both act on one offer. Returns how many lapsed."""
    now = now or timezone.now()
    due = DialogueApplication.objects.filter(
        status=DialogueApplication.Status.SELECTED, response_deadline__lte=now
    ).values_list("pk", flat=True)
    lapsed = 0
    for pk in list(due[:500]):
        with transaction.atomic():
            application = (
                DialogueApplication.objects.select_for_update()
                .select_related("series")
                .filter(pk=pk, status=DialogueApplication.Status.SELECTED, response_deadline__lte=now)
                .first()
            )
            if application is None:
                continue
            _lapse(application, now)
            lapsed += 1
    return lapsed


# --- Export --------------------------------------------------------------------------------
