"""Writes of public records requests. Every change is one transaction with a timeline step
and an audit entry naming the fields changed (never the requester's details); e-mails go
through the portal's queue in the same transaction. Due dates are computed from the rules
registry (selectors), never typed."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.publicrecords import selectors
from integrity.publicrecords.models import (
    WORK,
    GatheredRecord,
    PublicRecordsRequest,
    Redaction,
    Release,
    Reminder,
    RequestStep,
)
from jcr.accounts import roles
from jcr.core import work
from jcr.core.audit import audit_record
from jcr.core.services import email_queue

Status = PublicRecordsRequest.Status
Determination = PublicRecordsRequest.Determination

# Reminders to the person assigned: 3 days and 1 day before the determination is due and on
# the day; the day after, if still not determined, the JTI Chief is told too (escalation).
REMINDERS = (
    (Reminder.Kind.THREE_DAYS, -3),
    (Reminder.Kind.ONE_DAY, -1),
    (Reminder.Kind.DUE_DAY, 0),
    (Reminder.Kind.OVERDUE, 1),
)


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _step(request: PublicRecordsRequest, step: str, actor, note: str = "") -> None:
    RequestStep.objects.create(request=request, step=step, note=note, actor=_actor(actor))


def _audit(request: PublicRecordsRequest, step: str, actor, fields: list[str]) -> None:
    audit_record(
        action=f"integrity.publicrecords.{step}",
        obj=request,
        actor=actor,
        after={"step": step, "fields": sorted(fields)},
    )


def _email_requester(request: PublicRecordsRequest, template: str, **context) -> None:
    if request.requester_email:
        email_queue(
            to=request.requester_email,
            template=f"integrity/publicrecords_{template}",
            context={"request": request, **context},
            language=request.language,
            related=request,
        )


def _reminders_schedule(request: PublicRecordsRequest) -> None:
    """Cancel the reminders not yet sent and plan those of the current due date."""
    Reminder.objects.filter(request=request, sent_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )
    if not request.awaits_determination:
        return
    today = timezone.localdate()
    for kind, offset in REMINDERS:
        remind_on = request.due_on + timedelta(days=offset)
        if remind_on >= today or kind == Reminder.Kind.OVERDUE:
            Reminder.objects.update_or_create(
                request=request,
                kind=kind,
                due_on=request.due_on,
                defaults={"remind_on": remind_on, "sent_at": None, "cancelled_at": None},
            )


def _create(*, actor, channel: str, received_on: date, description: str, preferred_format: str, **who):
    due, rule = selectors.determination_due(received_on)  # RuleNotInForce is a ValidationError
    request = PublicRecordsRequest(
        description=description.strip(),
        preferred_format=preferred_format,
        channel=channel,
        received_on=received_on,
        determination_rule=rule,
        determination_due=due,
        requester_name=who.get("name", "").strip(),
        requester_email=who.get("email", "").strip(),
        requester_contact=who.get("contact", "").strip(),
        language=who.get("language") or settings.LANGUAGE_CODE,
        entered_by=_actor(actor),
    )
    request.full_clean()
    request.save()
    _step(request, "received", actor, note=request.get_channel_display())
    _reminders_schedule(request)
    _audit(request, "create", actor, ["received_on", "determination_due"])
    _email_requester(request, "received")
    return request


@transaction.atomic
def request_submit(
    *, description: str, preferred_format: str, name: str = "", email: str = "", contact: str = "", language: str = ""
) -> PublicRecordsRequest:
    """A request from the public form, received today. Saved (and the receipt queued) before
    the requester is told it was received."""
    return _create(
        actor=None,
        channel=PublicRecordsRequest.Channel.WEB,
        received_on=timezone.localdate(),
        description=description,
        preferred_format=preferred_format,
        name=name,
        email=email,
        contact=contact,
        language=language,
    )


@transaction.atomic
def request_enter(
    *,
    actor,
    channel: str,
    received_on: date,
    description: str,
    preferred_format: str,
    name: str = "",
    email: str = "",
    contact: str = "",
    language: str = "",
) -> PublicRecordsRequest:
    """A request received by e-mail, mail, phone or in person, entered by staff; the clock
    runs from the day it was received, which may be past."""
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The day received cannot be in the future.")})
    return _create(
        actor=actor,
        channel=channel,
        received_on=received_on,
        description=description,
        preferred_format=preferred_format,
        name=name,
        email=email,
        contact=contact,
        language=language,
    )


def _locked(request: PublicRecordsRequest) -> PublicRecordsRequest:
    return PublicRecordsRequest.objects.select_for_update().select_related("determination_rule").get(pk=request.pk)


def _refuse_closed(request: PublicRecordsRequest) -> None:
    if request.status == Status.CLOSED:
        raise ValidationError(_("This request is closed."))


@transaction.atomic
def request_assign(*, request: PublicRecordsRequest, assigned_to, actor) -> PublicRecordsRequest:
    request = _locked(request)
    _refuse_closed(request)
    if assigned_to is not None and not assigned_to.has_perm(WORK):
        raise ValidationError(_("This person does not work public records requests."))
    if request.assigned_to_id == (assigned_to.pk if assigned_to else None):
        return request
    request.assigned_to = assigned_to
    request.save(update_fields=["assigned_to", "updated_at"])
    _step(request, "assigned", actor, note=assigned_to.get_full_name() or assigned_to.email if assigned_to else "")
    _audit(request, "assign", actor, ["assigned_to"])
    return request


@transaction.atomic
def request_notes_save(*, request: PublicRecordsRequest, search_notes: str, actor) -> PublicRecordsRequest:
    request = _locked(request)
    if request.search_notes == search_notes.strip():
        return request
    request.search_notes = search_notes.strip()
    request.save(update_fields=["search_notes", "updated_at"])
    _step(request, "notes", actor)
    _audit(request, "notes", actor, ["search_notes"])
    return request


@transaction.atomic
def gathered_add(*, request: PublicRecordsRequest, title: str, description: str = "", pages=None, actor):
    request = _locked(request)
    _refuse_closed(request)
    record = GatheredRecord(
        request=request, title=title.strip(), description=description.strip(), pages=pages, added_by=_actor(actor)
    )
    record.full_clean()
    record.save()
    _step(request, "gathered", actor, note=record.title)
    _audit(request, "gathered", actor, ["gathered"])
    return record


@transaction.atomic
def redaction_add(
    *,
    request: PublicRecordsRequest,
    record: GatheredRecord,
    exemption: str,
    description: str,
    actor,
    withheld_in_full=False,
) -> Redaction:
    request = _locked(request)
    _refuse_closed(request)
    if record.request_id != request.pk:
        raise ValidationError(_("This record was not gathered for this request."))
    if not description.strip():
        raise ValidationError({"description": _("Describe what is withheld and why.")})
    redaction = Redaction(
        request=request,
        record=record,
        exemption=exemption,
        description=description.strip(),
        withheld_in_full=withheld_in_full,
        added_by=_actor(actor),
    )
    redaction.full_clean()
    redaction.save()
    _step(request, "redaction", actor, note=f"{record.title}: {redaction.get_exemption_display()}")
    _audit(request, "redaction", actor, ["redactions"])
    return redaction


@transaction.atomic
def request_extend(
    *, request: PublicRecordsRequest, reason: str, explanation: str, notice_on: date, actor
) -> PublicRecordsRequest:
    """Gov. Code § 7922.535(b): extend the time by written notice, for one of the unusual
    circumstances the extension rule (in force on the day received) allows; the new date is
    computed, never typed. Once only, and only while the first period runs."""
    request = _locked(request)
    if request.status != Status.RECEIVED:
        raise ValidationError(_("Time can be extended once, before the determination."))
    rule = selectors.extension_rule(request.received_on)
    if reason not in dict(selectors.extension_reasons(rule)):
        raise ValidationError({"reason": _("Choose one of the unusual circumstances the law lists.")})
    if not explanation.strip():
        raise ValidationError({"explanation": _("Write the reasons given in the notice.")})
    if not request.received_on <= notice_on <= min(request.determination_due, timezone.localdate()):
        raise ValidationError(
            {
                "notice_on": _(
                    "The written notice is sent between the day received and the day the determination is due."
                )
            }
        )
    request.extension_rule = rule
    request.extension_reason = reason
    request.extension_explanation = explanation.strip()
    request.extension_notice_on = notice_on
    request.extended_due = selectors.extended_due(request, rule)
    request.status = Status.EXTENDED
    request.save()
    _reminders_schedule(request)
    _step(request, "extended", actor, note=request.get_extension_reason_display())
    _audit(request, "extend", actor, ["extension_reason", "extension_notice_on", "extended_due", "status"])
    _email_requester(request, "extended")
    return request


@transaction.atomic
def request_determine(
    *,
    request: PublicRecordsRequest,
    determination: str,
    notice_on: date,
    actor,
    reasons: str = "",
    records_available_on: date | None = None,
) -> PublicRecordsRequest:
    """The determination (Gov. Code § 7922.535(a)): disclosable in whole or in part (with the
    estimated date the records will be available), not disclosable, or no responsive records;
    withholding anything needs the reasons."""
    request = _locked(request)
    if not request.awaits_determination:
        raise ValidationError(_("A determination was already sent for this request."))
    if determination not in Determination.values:
        raise ValidationError({"determination": _("Choose a determination.")})
    if notice_on < request.received_on or notice_on > timezone.localdate():
        raise ValidationError({"notice_on": _("The notice date is between the day received and today.")})
    disclosable = determination in (Determination.WHOLE, Determination.PART)
    if disclosable and not records_available_on:
        raise ValidationError({"records_available_on": _("Give the estimated date the records will be available.")})
    if determination in (Determination.PART, Determination.NOT_DISCLOSABLE) and not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons, naming the exemptions relied on.")})
    request.determination = determination
    request.determination_on = notice_on
    request.determination_reasons = reasons.strip()
    request.records_available_on = records_available_on if disclosable else None
    request.status = Status.DETERMINED
    request.save()
    _reminders_schedule(request)
    _step(request, "determined", actor, note=request.get_determination_display())
    _audit(request, "determine", actor, ["determination", "determination_on", "records_available_on", "status"])
    _email_requester(request, "determined")
    return request


@transaction.atomic
def release_record(
    *,
    request: PublicRecordsRequest,
    released_on: date,
    scope: str,
    method: str,
    actor,
    records_count: int = 0,
    note: str = "",
) -> Release:
    """Records go out: a row of the release log, the request marked released, the requester told."""
    request = _locked(request)
    _refuse_closed(request)
    if request.determination not in (Determination.WHOLE, Determination.PART):
        raise ValidationError(_("Records are released after a determination that they are disclosable."))
    if request.determination == Determination.PART and scope == Release.Scope.FULL:
        raise ValidationError({"scope": _("The records were found disclosable in part: release them in part.")})
    if released_on < request.received_on or released_on > timezone.localdate():
        raise ValidationError({"released_on": _("The release date is between the day received and today.")})
    release = Release(
        request=request,
        released_on=released_on,
        scope=scope,
        method=method,
        records_count=records_count or 0,
        note=note.strip(),
        released_by=_actor(actor),
    )
    release.full_clean()
    release.save()
    request.status = Status.RELEASED
    request.save(update_fields=["status", "updated_at"])
    _step(request, "released", actor, note=release.get_scope_display())
    _audit(request, "release", actor, ["releases", "status"])
    _email_requester(request, "released", release=release)
    return release


@transaction.atomic
def request_close(*, request: PublicRecordsRequest, note: str, actor) -> PublicRecordsRequest:
    request = _locked(request)
    _refuse_closed(request)
    if not note.strip():
        raise ValidationError({"note": _("Say why the request is closed.")})
    request.status = Status.CLOSED
    request.closed_on = timezone.localdate()
    request.save(update_fields=["status", "closed_on", "updated_at"])
    _reminders_schedule(request)
    _step(request, "closed", actor, note=note.strip())
    _audit(request, "close", actor, ["status", "closed_on"])
    return request


# --- Reminders ----------------------------------------------------------------------------


def _chiefs() -> list[str]:
    users = get_user_model().objects.filter(Q(groups__name=roles.JTI_CHIEF), is_active=True, is_staff=True)
    return sorted({u.email for u in users.exclude(email="")})


def reminders_send(*, today: date | None = None) -> int:
    """Send every due reminder once: each row is claimed by a conditional UPDATE and its e-mail
    queued in the same transaction (a reminder found a day late is dropped: the next one, or the
    escalation, follows). A reminder goes to the person assigned (the JTI Chief when
    nobody is); the overdue one to the person assigned and the JTI Chief. Reminders of a
    request determined or closed meanwhile are cancelled, not sent."""
    today = today or timezone.localdate()
    open_ = {"sent_at__isnull": True, "cancelled_at__isnull": True}

    def run(reminder: Reminder) -> bool:
        request = reminder.request
        stale = reminder.kind != Reminder.Kind.OVERDUE and reminder.remind_on < today  # a later one follows
        if stale or not request.awaits_determination or request.due_on != reminder.due_on:
            Reminder.objects.filter(pk=reminder.pk).update(cancelled_at=timezone.now(), sent_at=None)
            return False
        to = [request.assigned_to.email] if request.assigned_to_id and request.assigned_to.email else []
        if reminder.kind == Reminder.Kind.OVERDUE or not to:
            to = sorted(set(to) | set(_chiefs()))
        for address in to:
            email_queue(
                to=address,
                template="integrity/publicrecords_reminder",
                context={"request": request, "reminder": reminder, "overdue": reminder.kind == Reminder.Kind.OVERDUE},
                language=settings.LANGUAGE_CODE,
                related=request,
            )
        return True

    outcomes = work.run_each_due(
        Reminder.objects.filter(remind_on__lte=today, **open_),
        lambda pk: work.claim_and_run(
            Reminder.objects.select_related("request__assigned_to", "request__determination_rule"),
            pk,
            where=open_,
            claim={"sent_at": timezone.now()},
            run=run,
        ),
    )
    return outcomes[True]
