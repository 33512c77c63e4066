"""Writes of the residents who keep up with concerns they did not report: follow a concern
(double opt-in) and its update e-mails, "me too", area alerts (double opt-in) and their daily
digest. Only non-sensitive concerns take part; followers never learn who reported."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jcr.core import work
from jcr.core.audit import audit_record
from jcr.core.models import Area
from jcr.core.services import email_queue
from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.models_follow import (
    AreaAlert,
    AreaAlertDigest,
    ConcernFollow,
    ConcernSupport,
    OptIn,
    OptInStatus,
    subscription_token_new,
)

CONFIRM_MAX_AGE = 7 * 24 * 3600
# At most this many concerns are listed in one digest (the e-mail links to the rest).
DIGEST_MAX_ROWS = 25
# The areas residents may get alerts of (and an RSS feed for).
ALERT_AREA_KINDS = (Area.Kind.POLICE_DISTRICT,)

_SALTS = {ConcernFollow: "prosecution.concerns.follow.confirm", AreaAlert: "prosecution.concerns.area_alert.confirm"}
_UNSUBSCRIBE_URLS = {ConcernFollow: "prosecution:concern_unfollow", AreaAlert: "prosecution:area_alert_unsubscribe"}
_INVALID = gettext_lazy("This confirmation link is not valid or has expired.")


def concern_followable(concern: Concern) -> bool:
    """Whether the public may follow the concern or say "me too": never a sensitive one."""
    return not (concern.is_sensitive or concern.category.is_sensitive)


def alert_area_get(*, slug: str) -> Area | None:
    return Area.objects.filter(kind__in=ALERT_AREA_KINDS, slug=slug).defer("geometry").first()


# --- Double opt-in, shared by follows and area alerts -------------------------------------------


def opt_in_confirm_key(item: OptIn) -> str:
    """The key in a confirmation link: the item's token, signed with a time (7 days)."""
    return signing.dumps(item.token, salt=_SALTS[type(item)], compress=False)


def opt_in_headers(item: OptIn) -> dict[str, str]:
    """The list headers of every message of `item` (RFC 2369, RFC 8058 one-click): its own
    unsubscribe link, which also takes a POST from the mail program."""
    with translation.override(item.language):
        path = reverse(_UNSUBSCRIBE_URLS[type(item)], kwargs={"token": item.token})
    return {"List-Unsubscribe": f"<{settings.SITE_URL}{path}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _opt_in_request(
    model: type[OptIn],
    *,
    lookup: dict,
    email: str,
    language: str,
    template: str,
    context: dict,
    verified_by=None,
):
    """Ask for e-mails: a confirmation e-mail goes out unless the address already confirmed.
    The answer is the same in every case, so nobody learns whether an address is listed.
    `verified_by`: the signed-in person whose verified address this is; it counts as
    confirmed at once (no e-mail)."""
    email = email.strip().lower()
    language = language if language in ("en", "es") else "en"
    item = model.objects.select_for_update().filter(email=email, **lookup).first()
    if item is not None and item.status == OptInStatus.CONFIRMED:
        return item
    if item is None:
        item = model(email=email, **lookup)
    item.language = language
    item.status = OptInStatus.PENDING
    item.token = subscription_token_new()  # a new token: links of an earlier round stop working
    item.confirm_sent_at = timezone.now()
    if verified_by is not None:
        item.status, item.confirmed_at = OptInStatus.CONFIRMED, item.confirm_sent_at
    item.full_clean()
    item.save()
    audit_record(action=f"prosecution.{model._meta.model_name}.request", obj=item, actor=verified_by)
    if verified_by is not None:
        return item
    email_queue(
        to=item.email,
        template=template,
        context={**context, "item": item, "confirm_key": opt_in_confirm_key(item)},
        language=language,
        related=item,
        headers=opt_in_headers(item),
    )
    return item


def _opt_in_confirm(model: type[OptIn], *, key: str):
    try:
        token = signing.loads(key, salt=_SALTS[model], max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_INVALID, code="invalid") from None
    item = model.objects.select_for_update().filter(token=token).first()
    if item is None or item.status == OptInStatus.UNSUBSCRIBED:
        raise ValidationError(_INVALID, code="invalid")
    if item.status == OptInStatus.PENDING:
        item.status = OptInStatus.CONFIRMED
        item.confirmed_at = timezone.now()
        item.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_record(action=f"prosecution.{model._meta.model_name}.confirm", obj=item, actor=None)
    return item


def _opt_in_unsubscribe(model: type[OptIn], *, token: str):
    item = model.objects.select_for_update().filter(token=token).first() if token else None
    if item is None:
        return None
    if item.status != OptInStatus.UNSUBSCRIBED:
        before = {"status": item.status}
        item.status = OptInStatus.UNSUBSCRIBED
        item.unsubscribed_at = timezone.now()
        item.save(update_fields=["status", "unsubscribed_at", "updated_at"])
        audit_record(action=f"prosecution.{model._meta.model_name}.unsubscribe", obj=item, actor=None, before=before)
    return item


# --- Following a concern -----------------------------------------------------------------------


@transaction.atomic
def concern_follow_request(*, concern: Concern, email: str, language: str, verified_by=None) -> ConcernFollow:
    """Ask to follow `concern`: a confirmation e-mail goes to `email` (double opt-in), unless
    `verified_by` (the signed-in person whose verified address it is): then it starts at once.
    Raises ValidationError for a sensitive concern."""
    if not concern_followable(concern):
        raise ValidationError(_("This report cannot be followed."), code="sensitive")
    return _opt_in_request(
        ConcernFollow,
        lookup={"concern": concern},
        email=email,
        language=language,
        template="prosecution/concern_follow_confirm",
        context={"concern": concern},
        verified_by=verified_by,
    )


@transaction.atomic
def concern_follow_confirm(*, key: str) -> ConcernFollow:
    """Confirm a follow from its e-mailed link. Raises ValidationError for a link that is
    forged, expired or from an earlier round (or a concern that became sensitive since)."""
    follow = _opt_in_confirm(ConcernFollow, key=key)
    if not concern_followable(follow.concern):
        raise ValidationError(_INVALID, code="invalid")
    return follow


@transaction.atomic
def concern_unfollow(*, token: str) -> ConcernFollow | None:
    """Stop following (the link of every update e-mail; no account). None for an unknown token."""
    return _opt_in_unsubscribe(ConcernFollow, token=token)


def concern_followers_notify_later(*, update: ConcernUpdate) -> None:
    """After commit, e-mail the public wording of `update` to the concern's confirmed followers
    (no task at all for a concern nobody follows, which is most of them)."""
    followed = ConcernFollow.objects.filter(concern_id=update.concern_id, status=OptInStatus.CONFIRMED).exists()
    if followed and concern_followable(update.concern):
        work.delay_on_commit("prosecution.concerns.concern_followers_notify", update_id=update.pk)


def concern_followers_notify(*, update_id: int) -> int:
    """E-mail one status update to each confirmed follower, once: each follower is claimed with
    a conditional UPDATE of its last update sent, so a redelivered task sends nothing again.
    Only the public wording goes out: the status, the update's public text, the public page.
    Returns the number of e-mails queued."""
    update = ConcernUpdate.objects.select_related("concern__category").filter(pk=update_id).first()
    if update is None or not update.is_public or not concern_followable(update.concern):
        return 0
    concern = update.concern
    sent = 0
    # Who followed when the update was made: a later follower does not get old news.
    follower_ids = ConcernFollow.objects.filter(
        concern=concern,
        status=OptInStatus.CONFIRMED,
        confirmed_at__lte=update.created_at,
        last_update_id__lt=update.pk,
    ).values_list("pk", flat=True)
    for pk in list(follower_ids):
        with transaction.atomic():
            claimed = ConcernFollow.objects.filter(
                pk=pk, status=OptInStatus.CONFIRMED, last_update_id__lt=update.pk
            ).update(last_update_id=update.pk)
            if not claimed:
                continue
            follow = ConcernFollow.objects.get(pk=pk)
            email_queue(
                to=follow.email,
                template="prosecution/concern_follow_update",
                context={
                    "concern": concern,
                    "status": Concern.Status(update.status_to or concern.status).label,
                    "text": update.text,
                    "item": follow,
                },
                language=follow.language,
                related=follow,
                headers=opt_in_headers(follow),
            )
            sent += 1
    return sent


def concern_followers_sweep(*, now: datetime | None = None) -> int:
    """Status updates of the last two days whose followers were never told (the broker was
    down when they were made): their e-mails are queued now. Returns the updates handled."""
    now = now or timezone.now()
    waiting = ConcernFollow.objects.filter(
        concern=models.OuterRef("concern"),
        status=OptInStatus.CONFIRMED,
        confirmed_at__lte=models.OuterRef("created_at"),
        last_update_id__lt=models.OuterRef("pk"),
    )
    update_ids = list(
        ConcernUpdate.objects.filter(
            kind=ConcernUpdate.Kind.STATUS,
            created_at__gte=now - timedelta(days=2),
            created_at__lt=now - timedelta(minutes=5),
        )
        .filter(~models.Q(text="") | ~models.Q(status_from=models.F("status_to")))
        .filter(models.Exists(waiting))
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    for pk in update_ids:
        concern_followers_notify(update_id=pk)
    return len(update_ids)


# --- "Me too" ----------------------------------------------------------------------------------


def support_voter_key(raw: str) -> str:
    """The stored key of one voter (a verified address or a device): a keyed hash."""
    return salted_hmac("prosecution.concerns.me-too", raw).hexdigest()


def concern_support_count(concern: Concern) -> int:
    return ConcernSupport.objects.filter(concern=concern).count()


def concern_support_add(*, concern: Concern, voter: str) -> tuple[int, bool]:
    """Count one "me too" of `voter` (see support_voter_key) on `concern`, once: returns the
    count and whether this one was new. It is not a report and changes nothing else.
    Raises ValidationError for a sensitive concern. The caller rate-limits."""
    if not concern_followable(concern):
        raise ValidationError(_("This report cannot be supported."), code="sensitive")
    try:
        with transaction.atomic():
            ConcernSupport.objects.create(concern=concern, voter=voter)
        created = True
    except IntegrityError:
        created = False
    return concern_support_count(concern), created


# --- Area alerts -------------------------------------------------------------------------------


@transaction.atomic
def area_alert_request(*, area: Area, email: str, language: str) -> AreaAlert:
    """Ask for the daily digest of new concerns in `area`: a confirmation e-mail goes out."""
    if area.kind not in ALERT_AREA_KINDS:
        raise ValidationError(_("Alerts are not available for this area."), code="area")
    return _opt_in_request(
        AreaAlert,
        lookup={"area": area},
        email=email,
        language=language,
        template="prosecution/area_alert_confirm",
        context={"area": area},
    )


@transaction.atomic
def area_alert_confirm(*, key: str) -> AreaAlert:
    return _opt_in_confirm(AreaAlert, key=key)


@transaction.atomic
def area_alert_unsubscribe(*, token: str) -> AreaAlert | None:
    return _opt_in_unsubscribe(AreaAlert, token=token)


def area_concerns_new(*, area: Area, since: datetime | None = None, until: datetime | None = None) -> QuerySet:
    """Non-sensitive concerns placed in `area`, newest first, received in (since, until]."""
    qs = Concern.objects.public().filter(areas=area, category__is_sensitive=False).select_related("category")
    if since is not None:
        qs = qs.filter(created_at__gt=since)
    if until is not None:
        qs = qs.filter(created_at__lte=until)
    return qs.order_by("-created_at", "-id")


def area_alert_digests_send(*, now: datetime | None = None) -> int:
    """Each confirmed alert's digest of the concerns received in its area since its last
    digest (or its confirmation), once per local day: the AreaAlertDigest row and the e-mail
    are written together, and the unique (alert, day) makes a second run a no-op. A day with
    nothing new writes the row (so the next digest starts there) and sends nothing.
    Returns how many e-mails were queued."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    done = AreaAlertDigest.objects.filter(day=day).values_list("alert_id", flat=True)
    alerts = AreaAlert.objects.filter(status=OptInStatus.CONFIRMED).exclude(pk__in=done).select_related("area")
    sent = 0
    for alert in alerts.order_by("pk").iterator():
        last = alert.digests.aggregate(last=models.Max("through"))["last"]
        concerns = list(area_concerns_new(area=alert.area, since=last or alert.confirmed_at, until=now))
        try:
            with transaction.atomic():
                digest = AreaAlertDigest.objects.create(alert=alert, day=day, through=now, concern_count=len(concerns))
                if concerns:
                    digest.email = email_queue(
                        to=alert.email,
                        template="prosecution/area_alert_digest",
                        context={
                            "item": alert,
                            "area": alert.area,
                            "concerns": concerns[:DIGEST_MAX_ROWS],
                            "more": max(len(concerns) - DIGEST_MAX_ROWS, 0),
                            "total": len(concerns),
                        },
                        language=alert.language,
                        related=alert,
                        headers=opt_in_headers(alert),
                    )
                    digest.save(update_fields=["email"])
                    sent += 1
        except IntegrityError:
            continue  # another run wrote this alert's digest today
    return sent
