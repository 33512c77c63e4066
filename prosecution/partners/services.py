"""Writes about partner agencies, referrals and the resident's "is it fixed?" follow-up.

Business rules: a referral goes only to an active partner with an e-mail address, never for a
closed concern, and the partner never receives the resident's contact details; the follow-up
is sent once per resolution."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jcr.core.audit import audit_record, diff, snapshot
from jcr.core.models import Area
from jcr.core.services import email_queue
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.models_categories import Category
from prosecution.concerns.services import concern_not_fixed
from prosecution.concerns.services_desk import concern_set_status
from prosecution.partners.models import FollowUp, Partner, PartnerContact, Referral


def _partner_snapshot(partner) -> dict:
    return {
        **snapshot(partner),
        "areas": sorted(partner.areas.values_list("pk", flat=True)),
        "categories": sorted(partner.categories.values_list("pk", flat=True)),
    }


PARTNER_FIELDS = ("name", "kind", "jurisdiction", "website", "phone", "notes", "is_active")


@transaction.atomic
def partner_save(*, partner=None, actor, areas: Iterable[Area] = (), categories: Iterable[Category] = (), **fields):
    """Create a partner (partner=None) or change one. `fields` are among PARTNER_FIELDS.
    Raises ValidationError for an empty name or a bad value."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"unknown partner fields: {sorted(unknown)}")
    created = partner is None
    if created:
        partner = Partner()
        before = {}
    else:
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        before = _partner_snapshot(partner)
    for name, value in fields.items():
        setattr(partner, name, value.strip() if isinstance(value, str) else value)
    partner.full_clean(exclude=["areas", "categories"])
    partner.save()
    partner.areas.set(list(areas))
    partner.categories.set(list(categories))
    b, a = diff(before, _partner_snapshot(partner))
    audit_record(
        action="prosecution.partner.create" if created else "prosecution.partner.update",
        obj=partner,
        actor=actor,
        before=b or None,
        after=a,
    )
    return partner


@transaction.atomic
def partner_contact_add(
    *, partner, actor, name: str, role: str = "", email: str = "", phone: str = "", is_primary: bool = False
):
    """Add a contact person to a partner; a new primary contact replaces the old one."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    contact = PartnerContact(
        partner=partner,
        name=name.strip(),
        role=role.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        is_primary=is_primary,
    )
    contact.full_clean()
    if is_primary:
        partner.contacts.filter(is_primary=True).update(is_primary=False)
    contact.save()
    audit_record(action="prosecution.partner.contact_add", obj=partner, actor=actor, after=snapshot(contact))
    return contact


@transaction.atomic
def partner_contact_remove(*, contact, actor) -> None:
    """Remove a contact person (referrals sent to them keep the address they went to)."""
    before = snapshot(contact)
    partner = contact.partner
    contact.delete()
    audit_record(action="prosecution.partner.contact_remove", obj=partner, actor=actor, before=before)


def _referral_address(partner, contact) -> tuple[object, str]:
    """(contact, e-mail) a referral goes to: the chosen contact, else the primary contact,
    else any contact with an address."""
    if contact is not None:
        if contact.partner_id != partner.pk:
            raise ValidationError(_("That contact does not work for this partner."))
        if not contact.email:
            raise ValidationError(_("%(name)s has no e-mail address: choose another contact.") % {"name": contact.name})
        return contact, contact.email
    found = partner.contacts.exclude(email="").order_by("-is_primary", "name", "id").first()
    if found is None:
        raise ValidationError(
            _("%(partner)s has no contact with an e-mail address: add one to the partner first.")
            % {"partner": partner.name}
        )
    return found, found.email


def concern_refer(*, concern: Concern, partner, actor, contact=None, message: str = ""):
    """Refer a concern to a partner: a Referral row, an e-mail to the partner's contact with
    what a partner may see (category, public text, address and place; never the resident's
    name, e-mail or phone), and the concern moves to "referred" with a public update that
    names the partner. Raises ValidationError for a closed concern, an inactive partner or a
    partner without an e-mail address."""
    with transaction.atomic():
        concern = Concern.objects.select_for_update().select_related("category").get(pk=concern.pk)
        if not concern.is_open:
            raise ValidationError(_("This concern is closed: reopen it before referring it."))
        if not partner.is_active:
            raise ValidationError(_("%(partner)s is no longer an active partner.") % {"partner": partner.name})
        contact, to_email = _referral_address(partner, contact)
        referral = Referral.objects.create(
            concern=concern,
            partner=partner,
            contact=contact,
            to_email=to_email,
            message=message.strip(),
            referred_by=actor,
        )
        email = email_queue(
            to=to_email,
            template="prosecution/partner_referral",
            context={"concern": concern, "partner": partner, "contact": contact, "message": referral.message},
            language="en",
            related=referral,
        )
        Referral.objects.filter(pk=referral.pk).update(email=email)
        referral.email = email
        # Listed in the concern's history on the staff page (never public).
        note = _("Referred to %(partner)s: e-mail to %(to)s.") % {
            "partner": partner.name,
            "to": f"{contact.name} <{to_email}>" if contact is not None else to_email,
        }
        if referral.message:
            note += "\n" + _("Message: %(message)s") % {"message": referral.message}
        ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.INTERNAL_NOTE, author=actor, text=note)
        audit_record(
            action="prosecution.concern.refer",
            obj=concern,
            actor=actor,
            after={"referral": str(referral.public_id), "partner": partner.pk, "to": to_email},
        )
        # The public update names the agency only, in the resident's language.
        with translation.override(concern.language):
            public_text = _("Your report was referred to %(partner)s, who can act on it.") % {"partner": partner.name}
        concern_set_status(concern=concern, status=Concern.Status.REFERRED, actor=actor, public_text=public_text)
    return referral


# --- Projects


# --- "Is it fixed?" follow-up


def followup_send_due(*, now=None, limit: int = 500) -> int:
    """Create the follow-up of every concern resolved JCR_FOLLOWUP_DAYS days ago whose resident
    gave an e-mail address, and queue its e-mail in the resident's language. Returns how many
    were created.

    Exactly once per resolution: the unique (concern, resolved_at) constraint makes a second
    run, or two runs at once, a no-op for concerns already handled. Concerns resolved more
    than JCR_FOLLOWUP_VALID_DAYS days before they became due are not asked (the question
    would come too late to mean anything).
    """
    now = now or timezone.now()
    due_before = now - timedelta(days=settings.JCR_FOLLOWUP_DAYS)
    too_old = due_before - timedelta(days=settings.JCR_FOLLOWUP_VALID_DAYS)
    asked = FollowUp.objects.filter(concern=OuterRef("pk"), resolved_at=OuterRef("resolved_at"))
    due = (
        Concern.objects.filter(
            status=Concern.Status.RESOLVED,
            resolved_at__lte=due_before,
            resolved_at__gt=too_old,
        )
        .exclude(contact_email="")
        .filter(~Exists(asked))
        .order_by("resolved_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    created = 0
    for concern_id in list(due):
        try:
            with transaction.atomic():
                concern = Concern.objects.select_related("category").get(pk=concern_id)
                followup = FollowUp.objects.create(concern=concern, resolved_at=concern.resolved_at, sent_at=now)
                email = email_queue(
                    to=concern.contact_email,
                    template="prosecution/concern_followup",
                    context={"concern": concern, "followup": followup},
                    language=concern.language,
                    related=concern,
                )
                FollowUp.objects.filter(pk=followup.pk).update(email=email)
                audit_record(
                    action="prosecution.concern.followup_sent", obj=concern, actor=None, after={"followup": followup.pk}
                )
        except IntegrityError:
            continue  # another run made it first
        created += 1
    return created


def followup_answer(*, followup, answer: str) -> tuple[object, bool]:
    """Record the resident's answer. Returns (followup, recorded): a second answer keeps the
    first (recorded=False). "Not fixed" reopens a resolved concern and tells its owner
    (concern_not_fixed). Raises ValidationError for an unknown answer."""
    if answer not in FollowUp.Answer.values:
        raise ValidationError(_("Choose one of the answers."))
    with transaction.atomic():
        followup = FollowUp.objects.select_for_update().select_related("concern").get(pk=followup.pk)
        if followup.answered_at is not None:
            return followup, False
        followup.answer = answer
        followup.answered_at = timezone.now()
        followup.save(update_fields=["answer", "answered_at", "updated_at"])
        audit_record(
            action="prosecution.concern.followup_answer", obj=followup.concern, actor=None, after={"answer": answer}
        )
        concern = followup.concern
        with translation.override(concern.language):
            text = _("Answer to the “is it fixed?” question: %(answer)s") % {"answer": followup.get_answer_display()}
        if answer == FollowUp.Answer.NOT_FIXED and not concern.is_open:
            concern_not_fixed(concern=concern, text=text)
        else:
            # Shown in the concern's history on the staff page (never public).
            ConcernUpdate.objects.create(concern=concern, kind=ConcernUpdate.Kind.RESIDENT_INFO, text=text)
    return followup, True
