"""Staff pages of social publishing: posts, compose (with per-channel counts), approvals,
calendar, the "check on the platform" queue, pause/resume and the records archive. Each
action is a POST-only view calling one service."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core.access import staff
from jcr.core.exports import csv_export
from outreach.social import selectors, services, services_delivery, services_recurring, services_sources, validation
from outreach.social.forms import MarkPublishedForm, PauseForm, PostComposeForm, ResumeForm, ScheduleForm
from outreach.social.models import ChannelAccount, Delivery, Platform, PublishingPause, SocialPost

VIEW = "outreach.view_socialpost"


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@staff(VIEW)
@require_GET
def staff_social_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in SocialPost.Status.values:
        status = ""
    rows = list(selectors.post_list_staff(status=status)[:100])
    return render(
        request,
        "outreach/social/social_list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": SocialPost.Status.choices,
            "counts": selectors.post_counts(),
            "pause": selectors.pause_get_active(),
            "can_pause": request.user.has_perm("outreach.pause_publishing"),
            "can_add": request.user.has_perm("outreach.add_socialpost"),
            "pause_form": PauseForm(),
            "resume_form": ResumeForm(),
            "expiring": list(selectors.channel_list_needing_token()),
            "now": timezone.now(),
        },
    )


def _compose_page(request, form, *, post=None, status=200):
    checks = []
    if form.is_bound and hasattr(form, "cleaned_data"):
        body = form.cleaned_data.get("body") or ""
        for channel in form.cleaned_data.get("channels") or []:
            text = form.cleaned_data.get(f"variant_{channel.pk}") or body
            checks.append((channel, text, validation.channel_check(platform=channel.platform, text=text, images=[])))
    return render(
        request,
        "outreach/social/social_compose.html",
        {"form": form, "post": post, "limits": validation.LIMITS, "checks": checks},
        status=status,
    )


def _save_image(post, form, user):
    image = form.cleaned_data.get("image")
    if image:
        services.post_media_add(
            post=post,
            user=user,
            image=ContentFile(image.content, name=image.name),
            alt_text=form.cleaned_data["alt_text"].strip(),
        )


@staff("outreach.add_socialpost")
@require_http_methods(["GET", "POST"])
def staff_social_compose_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _compose_page(request, PostComposeForm())
    form = PostComposeForm(request.POST, request.FILES)
    if not form.is_valid():
        return _compose_page(request, form, status=400)
    data = form.cleaned_data
    post = services.post_create(
        user=request.user,
        title=data["title"],
        body=data["body"],
        link=data["link"],
        channel_ids=[c.pk for c in data["channels"]],
        variants=form.variants(),
        video_url=data["video_url"],
        video_captions=data["video_captions"],
        publish_at=data["publish_at"],
        repeat=data["repeat"],
        repeat_until=data["repeat_until"],
        repeat_count=data["repeat_count"],
    )
    _save_image(post, form, request.user)
    messages.success(request, _("The draft is saved."))
    return redirect("outreach:staff_social_detail", public_id=post.public_id)


@staff("outreach.change_socialpost")
@require_http_methods(["GET", "POST"])
def staff_social_edit_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    post = selectors.post_get_staff(public_id=public_id)
    if post.status not in services.EDITABLE:
        raise PermissionDenied
    variants = {v.channel_id: v.body for v in post.variants.all()}
    initial = {
        "title": post.title,
        "body": post.body,
        "link": post.link,
        "channels": list(variants),
        "video_url": post.video_url,
        "video_captions": post.video_captions,
        "publish_at": timezone.localtime(post.publish_at) if post.publish_at else None,
        "repeat": post.repeat,
        "repeat_until": post.repeat_until,
        "repeat_count": post.repeat_count,
        **{f"variant_{pk}": body for pk, body in variants.items()},
    }
    if request.method == "GET":
        return _compose_page(request, PostComposeForm(initial=initial), post=post)
    form = PostComposeForm(request.POST, request.FILES, initial=initial)
    if not form.is_valid():
        return _compose_page(request, form, post=post, status=400)
    data = form.cleaned_data
    was = post.status
    try:
        post = services.post_update(
            post=post,
            user=request.user,
            channel_ids=[c.pk for c in data["channels"]],
            variants=form.variants(),
            title=data["title"],
            body=data["body"],
            link=data["link"],
            video_url=data["video_url"],
            video_captions=data["video_captions"],
            publish_at=data["publish_at"],
            repeat=data["repeat"],
            repeat_until=data["repeat_until"],
            repeat_count=data["repeat_count"],
        )
    except ValidationError as exc:
        for message in _errors(exc):
            form.add_error(None, message)
        return _compose_page(request, form, post=post, status=400)
    _save_image(post, form, request.user)
    if was != post.status:
        messages.warning(request, _("The post was changed after approval: it needs approval again."))
    else:
        messages.success(request, _("The post is saved."))
    return redirect("outreach:staff_social_detail", public_id=post.public_id)


@staff(VIEW)
@require_GET
def staff_social_detail_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    post = selectors.post_get_staff(public_id=public_id)
    images = [(m.image.name, m.alt_text) for m in post.media.all()]
    checks = [
        (
            v,
            v.body or post.body,
            validation.channel_check(
                platform=v.channel.platform,
                text=v.body or post.body,
                images=images,
                video_url=post.video_url,
                captions=post.video_captions,
            ),
        )
        for v in post.variants.all()
    ]
    user = request.user
    series = list(selectors.series_post_list(post)) if post.in_series else []
    repeating = [p for p in series if p.repeat and p.status != SocialPost.Status.CANCELLED]
    following = {p.previous_id for p in series}
    return render(
        request,
        "outreach/social/social_detail.html",
        {
            "post": post,
            "series": series,
            "can_stop_repeating": user.has_perm("outreach.change_socialpost")
            and any(p.pk not in following for p in repeating),
            "checks": checks,
            "deliveries": list(post.deliveries.all()),
            "media": list(post.media.all()),
            "can_edit": user.has_perm("outreach.change_socialpost") and post.status in services.EDITABLE,
            "can_submit": user.has_perm("outreach.change_socialpost") and post.status == SocialPost.Status.DRAFT,
            "can_approve": user.has_perm("outreach.approve_socialpost")
            and post.status == SocialPost.Status.SUBMITTED
            and post.author_id != user.pk,
            "own_post": post.author_id == user.pk,
            "can_schedule": user.has_perm("outreach.change_socialpost") and post.status == SocialPost.Status.APPROVED,
            "can_cancel": user.has_perm("outreach.change_socialpost")
            and post.status not in (SocialPost.Status.PUBLISHED, SocialPost.Status.CANCELLED),
            "schedule_form": ScheduleForm(
                initial={"publish_at": timezone.localtime(post.publish_at) if post.publish_at else None}
            ),
        },
    )


@staff("outreach.change_socialpost")
@require_POST
def staff_social_action_view(request: HttpRequest, public_id: UUID, action: str) -> HttpResponse:
    post = get_object_or_404(SocialPost, public_id=public_id)
    try:
        if action == "submit":
            services.post_submit(post=post, user=request.user)
            messages.success(request, _("The post is submitted for approval."))
        elif action == "approve":
            services.post_approve(post=post, user=request.user)
            messages.success(request, _("The post is approved."))
        elif action == "return":
            services.post_return(post=post, user=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("The post is back with its author as a draft."))
        elif action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter the date and time to publish."))
            services.post_schedule(post=post, user=request.user, publish_at=form.cleaned_data["publish_at"])
            messages.success(request, _("The post is scheduled."))
        elif action == "cancel":
            services.post_cancel(post=post, user=request.user)
            messages.success(request, _("The post is cancelled."))
        elif action == "stop-repeating":
            services_recurring.post_repeat_stop(post=post, user=request.user)
            messages.success(request, _("The post no longer repeats. The occurrence already scheduled still goes out."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect("outreach:staff_social_detail", public_id=post.public_id)


@staff("outreach.approve_socialpost")
@require_GET
def staff_social_approvals_view(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.post_list_awaiting_approval()[:200])
    return render(request, "outreach/social/social_approvals.html", {"rows": rows})


MONTH_DAY_ITEMS = 6


@staff(VIEW)
@require_GET
def staff_social_calendar_view(request: HttpRequest) -> HttpResponse:
    view = "month" if request.GET.get("view") == "month" else "week"
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = timezone.localdate()
    days = selectors.calendar_days(view=view, start=start)
    if view == "month":
        for day in days:  # a busy day shows its first posts and a link to its week
            day["more"] = max(0, len(day["deliveries"]) - MONTH_DAY_ITEMS)
            day["deliveries"] = day["deliveries"][:MONTH_DAY_ITEMS]
        first = start.replace(day=1)
        previous, following = (first - timedelta(days=1)).replace(day=1), (first + timedelta(days=32)).replace(day=1)
    else:
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    return render(
        request,
        "outreach/social/social_calendar.html",
        {
            "view": view,
            "start": start,
            "weeks": weeks,
            "previous": previous,
            "following": following,
            "channels": list(ChannelAccount.objects.filter(is_active=True)),
            "today": timezone.localdate(),
        },
    )


def _check_page(request):
    return render(
        request,
        "outreach/social/social_check.html",
        {
            "check": list(selectors.delivery_list_to_check()[:200]),
            "failed": list(selectors.delivery_list_failed()[:200]),
            "can_resolve": request.user.has_perm("outreach.change_delivery"),
            "mark_form": MarkPublishedForm(),
        },
    )


@staff("outreach.view_delivery")
@require_GET
def staff_social_check_view(request: HttpRequest) -> HttpResponse:
    return _check_page(request)


@staff("outreach.change_delivery")
@require_POST
def staff_social_mark_published_view(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery, pk=pk)
    form = MarkPublishedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the address of the post on the platform."))
        return redirect("outreach:staff_social_check")
    try:
        services_delivery.delivery_mark_published(delivery=delivery, user=request.user, url=form.cleaned_data["url"])
        messages.success(request, _("The delivery is recorded as published."))
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect("outreach:staff_social_check")


@staff("outreach.change_delivery")
@require_http_methods(["GET", "POST"])
def staff_social_retry_view(request: HttpRequest) -> HttpResponse:
    """POST sends the chosen deliveries again; GET shows the queue they are chosen from."""
    if request.method == "GET":
        return _check_page(request)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    count = services_delivery.deliveries_retry(user=request.user, ids=ids)
    messages.success(request, _("Scheduled again: %(n)d.") % {"n": count})
    return redirect("outreach:staff_social_check")


def _pause_page(request, *, pause_form=None, status=200):
    return render(
        request,
        "outreach/social/social_pause.html",
        {
            "pause": selectors.pause_get_active(),
            "pause_form": pause_form or PauseForm(),
            "resume_form": ResumeForm(),
            "history": list(PublishingPause.objects.select_related("started_by", "resumed_by")[:20]),
        },
        status=status,
    )


@staff("outreach.pause_publishing")
@require_http_methods(["GET", "POST"])
def staff_social_pause_view(request: HttpRequest) -> HttpResponse:
    """GET shows the switch and its history; POST pauses every scheduled post, saying why."""
    if request.method == "GET":
        return _pause_page(request)
    form = PauseForm(request.POST)
    if form.is_valid():
        services.publishing_pause(user=request.user, reason=form.cleaned_data["reason"])
        messages.warning(request, _("All social publishing is paused."))
    else:
        messages.error(request, _("Say why publishing is paused."))
    return redirect("outreach:staff_social_list")


@staff("outreach.pause_publishing")
@require_http_methods(["GET", "POST"])
def staff_social_resume_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _pause_page(request)
    form = ResumeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if services.publishing_resume(user=request.user, note=note):
        messages.success(request, _("Social publishing has resumed."))
    return redirect("outreach:staff_social_list")


@staff("outreach.view_delivery")
@require_GET
def staff_social_records_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    platform = request.GET.get("platform", "")
    if platform not in Platform.values:
        platform = ""
    page = Paginator(selectors.records(q=q, platform=platform), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/social/social_records.html",
        {
            "page": page,
            "q": q,
            "platform": platform,
            "platforms": Platform.choices,
            "can_export": request.user.has_perm("outreach.export_social_records"),
        },
    )


@staff("outreach.export_social_records")
@require_http_methods(["GET", "POST"])
def staff_social_records_export_view(request: HttpRequest) -> HttpResponse:
    """GET asks to confirm; POST with `confirm` returns the CSV and records who exported it."""
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(request, "outreach/social/social_records_export.html", {})
    rows = list(selectors.records())
    return csv_export(
        actor=request.user,
        action="social_records.export",
        object_type="outreach.delivery",
        object_id="*",
        filename="social-records.csv",
        header=[
            _("Published"),
            _("Channel"),
            _("Platform id"),
            _("Address"),
            _("Text"),
            _("Images and alternative text"),
            _("Author"),
            _("Approved by"),
        ],
        rows=(
            [
                timezone.localtime(d.published_at).strftime("%Y-%m-%d %H:%M") if d.published_at else "",
                d.channel,
                d.remote_id,
                d.remote_url,
                d.text,
                " | ".join(f"{m.image.name}: {m.alt_text}" for m in d.post.media.all()),
                d.post.author.email,
                d.post.approver.email if d.post.approver else "",
            ]
            for d in rows
        ),
    )


@staff("outreach.add_socialpost")
@require_POST
def staff_social_from_source_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in selectors.SOURCE_KINDS:
        raise Http404
    existed = SocialPost.objects.filter(source_kind=kind, source_id=pk).exists()
    try:
        post = services_sources.post_draft_from_source(user=request.user, kind=kind, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("outreach:staff_social_list")
    if existed:
        messages.info(request, _("This is the post already made from it."))
        return redirect("outreach:staff_social_detail", public_id=post.public_id)
    messages.success(request, _("A draft post was made; check it before submitting."))
    return redirect("outreach:staff_social_edit", public_id=post.public_id)
