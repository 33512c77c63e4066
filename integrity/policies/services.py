"""Writes of legal update bulletins and office policies. Each service owns its transaction
and writes an audit entry."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integrity.policies import selectors
from integrity.policies.models import (
    Bulletin,
    BulletinRecipient,
    BulletinReminder,
    DocumentStatus,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
)
from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.markdown import markdown_render
from jcr.core.services import email_queue

# --- Bulletins -----------------------------------------------------------------------------


@transaction.atomic
def bulletin_save(*, bulletin: Bulletin, actor, audience_groups=None, policies=None) -> Bulletin:
    """Create or change a draft bulletin (its HTML rendered from the Markdown), with its units
    and related policies when given. A published bulletin is not changed: its recipients have
    read what it said."""
    if not actor.has_perm(selectors.WRITE_BULLETIN):
        raise PermissionDenied
    before = None
    if bulletin.pk:
        stored = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if stored.status != DocumentStatus.DRAFT:
            raise ValidationError(_("A published bulletin cannot be changed."))
        before = {**snapshot(stored), "policies": _policy_numbers(stored)}
    else:
        bulletin.created_by = actor
    bulletin.status = DocumentStatus.DRAFT
    bulletin.body_html = markdown_render(bulletin.body)
    bulletin.full_clean()
    bulletin.save()
    if audience_groups is not None:
        bulletin.audience_groups.set(audience_groups)
    if policies is not None:
        bulletin.policies.set(policies)
    after = {**snapshot(bulletin), "policies": _policy_numbers(bulletin)}
    if before is None:
        audit_record(action="integrity.bulletin.create", obj=bulletin, actor=actor, after=after)
    else:
        b, a = diff(before, after)
        audit_record(action="integrity.bulletin.change", obj=bulletin, actor=actor, before=b, after=a)
    return bulletin


def _policy_numbers(bulletin: Bulletin) -> list[str]:
    return sorted(bulletin.policies.values_list("number", flat=True))


def _bulletin_links(bulletin: Bulletin, people) -> dict:
    """What the e-mails of `bulletin` link to, read once for all `people`: its bill (whether
    it has a public page, and who may open the staff one) and its policies."""
    bill = bulletin.bill
    return {
        "bill": bill,
        "bill_public": bool(bill) and selectors.bill_has_public_page(bill=bill),
        "govrel_ids": selectors.govrel_staff_ids(user_ids=[p.pk for p in people]) if bill else set(),
        "policies": list(bulletin.policies.order_by("number")),
    }


def _bulletin_email(*, bulletin: Bulletin, person, template: str, links: dict, extra: dict | None = None) -> None:
    language = person.preferred_language or "en"
    summary = bulletin.summary_es if language == "es" and bulletin.summary_es else bulletin.summary
    with translation.override(language):
        url = reverse("integrity:bulletin_detail", kwargs={"public_id": bulletin.public_id})
        bill_url = ""
        if links["bill"] is not None:
            bill_url = selectors.bill_link(
                bill=links["bill"], public=links["bill_public"], can_open_staff=person.pk in links["govrel_ids"]
            )
        policies = [
            {"policy": p, "url": reverse("integrity:policy_detail", kwargs={"slug": p.slug})} for p in links["policies"]
        ]
    email_queue(
        to=person.email,
        template=template,
        context={
            "bulletin": bulletin,
            "summary": summary,
            "url": url,
            "person": person,
            "bill": links["bill"],
            "bill_url": bill_url,
            "policies": policies,
            **(extra or {}),
        },
        language=language,
        related=bulletin,
    )


@transaction.atomic
def bulletin_publish(*, bulletin: Bulletin, actor) -> Bulletin:
    """Publish a draft: fix its recipients and e-mail each of them in their language."""
    if not actor.has_perm(selectors.PUBLISH_BULLETIN):
        raise PermissionDenied
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.status != DocumentStatus.DRAFT:
        raise ValidationError(_("This bulletin is already published."))
    if bulletin.audience == Bulletin.Audience.UNITS and not bulletin.audience_groups.exists():
        raise ValidationError(_("Choose at least one unit, or send the bulletin to all deputies."))
    people = list(selectors.bulletin_audience(bulletin=bulletin))
    if not people:
        raise ValidationError(_("Nobody is in this audience."))
    now = timezone.now()
    bulletin.status, bulletin.published_at, bulletin.published_by = DocumentStatus.PUBLISHED, now, actor
    bulletin.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    BulletinRecipient.objects.bulk_create([BulletinRecipient(bulletin=bulletin, person=p) for p in people])
    links = _bulletin_links(bulletin, people)
    for person in people:
        _bulletin_email(bulletin=bulletin, person=person, template="integrity/bulletin_published", links=links)
    audit_record(
        action="integrity.bulletin.publish",
        obj=bulletin,
        actor=actor,
        before={"status": DocumentStatus.DRAFT},
        after={"status": DocumentStatus.PUBLISHED, "recipients": len(people)},
    )
    return bulletin


@transaction.atomic
def bulletin_acknowledge(*, bulletin: Bulletin, person) -> BulletinRecipient:
    """Record that `person` has read the bulletin. Repeating it changes nothing."""
    receipt = BulletinRecipient.objects.select_for_update().filter(bulletin=bulletin, person=person).first()
    if receipt is None or bulletin.status != DocumentStatus.PUBLISHED:
        raise PermissionDenied
    if receipt.acknowledged_at is None:
        receipt.acknowledged_at = timezone.now()
        receipt.save(update_fields=["acknowledged_at"])
        audit_record(action="integrity.bulletin.acknowledge", obj=bulletin, actor=person)
    return receipt


def bulletin_reminders_send(*, now=None) -> int:
    """Daily: remind each recipient who has not acknowledged a bulletin, every
    `reminder_days()` days after publication, at most REMINDERS_MAX times.

    Safe to run again: reminder k of a recipient is a row unique on (recipient, k), written in
    the same transaction as its e-mail row, so a second run the same day sends nothing. A run
    that missed days sends only the reminder now due, not the ones it missed."""
    now = now or timezone.now()
    days = selectors.reminder_days()
    first_due = now - timedelta(days=days)
    pending = (
        BulletinRecipient.objects.filter(
            acknowledged_at__isnull=True,
            bulletin__status=DocumentStatus.PUBLISHED,
            bulletin__published_at__lte=first_due,
            person__is_active=True,
        )
        .select_related("bulletin__bill__session", "person")
        .annotate(last=Max("reminders__sequence"))
        .order_by("pk")
    )
    due_now = []
    for receipt in pending.iterator(chunk_size=500):
        due = min((now - receipt.bulletin.published_at) // timedelta(days=days), selectors.REMINDERS_MAX)
        if due >= 1 and (receipt.last or 0) < due:
            due_now.append((receipt, due))
    # What each bulletin links to, read once for all its recipients reminded in this run.
    people, bulletins = {}, {}
    for receipt, _due in due_now:
        people.setdefault(receipt.bulletin_id, []).append(receipt.person)
        bulletins[receipt.bulletin_id] = receipt.bulletin
    links = {pk: _bulletin_links(bulletin, people[pk]) for pk, bulletin in bulletins.items()}
    sent = 0
    for receipt, due in due_now:
        try:
            with transaction.atomic():
                BulletinReminder.objects.create(recipient=receipt, sequence=due, sent_at=now)
                _bulletin_email(
                    bulletin=receipt.bulletin,
                    person=receipt.person,
                    template="integrity/bulletin_reminder",
                    links=links[receipt.bulletin_id],
                    extra={"days": (now - receipt.bulletin.published_at).days},
                )
        except IntegrityError:  # a concurrent run wrote this reminder first
            continue
        sent += 1
    return sent


# --- Policies ------------------------------------------------------------------------------


@transaction.atomic
def policy_save(*, policy: Policy, actor) -> Policy:
    if not actor.has_perm(selectors.WRITE_POLICY):
        raise PermissionDenied
    before = snapshot(Policy.objects.get(pk=policy.pk)) if policy.pk else None
    if before is None:
        policy.created_by = actor
    policy.full_clean()
    policy.save()
    after = snapshot(policy)
    if before is None:
        audit_record(action="integrity.policy.create", obj=policy, actor=actor, after=after)
    else:
        b, a = diff(before, after)
        audit_record(action="integrity.policy.change", obj=policy, actor=actor, before=b, after=a)
    return policy


@transaction.atomic
def policy_version_save(*, version: PolicyVersion, actor) -> PolicyVersion:
    """Create or change a draft version; a new one takes the next number of its policy."""
    if not actor.has_perm(selectors.WRITE_POLICY):
        raise PermissionDenied
    before = None
    if version.pk:
        stored = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if stored.status != DocumentStatus.DRAFT:
            raise ValidationError(_("A published version cannot be changed; write a new version."))
        before = snapshot(stored)
    else:
        Policy.objects.select_for_update().get(pk=version.policy_id)  # serialise the numbering
        last = version.policy.versions.aggregate(n=Max("number"))["n"] or 0
        version.number = last + 1
    version.status = DocumentStatus.DRAFT
    version.body_html = markdown_render(version.body)
    version.full_clean()
    version.save()
    after = snapshot(version)
    if before is None:
        audit_record(action="integrity.policy_version.create", obj=version, actor=actor, after=after)
    else:
        b, a = diff(before, after)
        audit_record(action="integrity.policy_version.change", obj=version, actor=actor, before=b, after=a)
    return version


@transaction.atomic
def policy_version_publish(*, version: PolicyVersion, actor) -> PolicyVersion:
    """Publish a draft version: it supersedes the latest version published before it and
    becomes current on its effective date, which may not precede that version's."""
    if not actor.has_perm(selectors.PUBLISH_POLICY):
        raise PermissionDenied
    Policy.objects.select_for_update().get(pk=version.policy_id)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != DocumentStatus.DRAFT:
        raise ValidationError(_("This version is already published."))
    previous = (
        PolicyVersion.objects.filter(policy_id=version.policy_id, status=DocumentStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    if previous is not None and version.effective_on < previous.effective_on:
        raise ValidationError(
            _("The effective date cannot be earlier than that of the version it supersedes (%(date)s).")
            % {"date": previous.effective_on.isoformat()}
        )
    version.status, version.published_at, version.published_by = DocumentStatus.PUBLISHED, timezone.now(), actor
    version.supersedes = previous
    version.save(update_fields=["status", "published_at", "published_by", "supersedes", "updated_at"])
    audit_record(
        action="integrity.policy_version.publish",
        obj=version,
        actor=actor,
        before={"status": DocumentStatus.DRAFT},
        after={"status": DocumentStatus.PUBLISHED, "supersedes": previous.pk if previous else None},
    )
    return version


@transaction.atomic
def policy_version_acknowledge(*, version: PolicyVersion, person) -> PolicyAcknowledgement:
    """Record that `person` has read a published version. Repeating it changes nothing."""
    if not person.has_perm(selectors.ACKNOWLEDGE) or version.status != DocumentStatus.PUBLISHED:
        raise PermissionDenied
    ack, created = PolicyAcknowledgement.objects.get_or_create(
        version=version, person=person, defaults={"acknowledged_at": timezone.now()}
    )
    if created:
        audit_record(action="integrity.policy_version.acknowledge", obj=version, actor=person)
    return ack
