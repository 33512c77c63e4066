"""Staff pages of the unit's media: the media inquiries queue, the newsletter (counts and
issues) and content waiting to be published. Each action is its own POST-only view calling one
service."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jcr.accounts.models import User
from jcr.core.access import staff
from outreach import selectors_media, services_media
from outreach.forms_media import InquiryNoteForm, InquiryUpdateForm
from outreach.models_media import JournalEpisode, MediaInquiry, NewsItem, NewsletterIssue, PodcastEpisode

INQUIRY_VIEW = "outreach.view_mediainquiry"


def _inquiry_people() -> list[User]:
    """Who may be assigned an inquiry: active staff who may work on inquiries."""
    return list(
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            groups__permissions__codename="change_mediainquiry", groups__permissions__content_type__app_label="outreach"
        )
        .distinct()
        .only("pk", "full_name", "email")
        .order_by("full_name", "email")
    )


@staff(INQUIRY_VIEW)
@require_GET
def staff_inquiry_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or "new"
    rows = list(selectors_media.inquiry_queue(status=status)[:200])
    return render(
        request,
        "outreach/inquiry_staff_list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": MediaInquiry.Status.choices,
            "counts": selectors_media.inquiry_counts(),
        },
    )


def _inquiry_page(request, inquiry: MediaInquiry, *, update_form=None, note_form=None, status=200) -> HttpResponse:
    can_edit = request.user.has_perm("outreach.change_mediainquiry")
    context = {
        "inquiry": inquiry,
        "notes": list(inquiry.notes.select_related("author")),
        "can_edit": can_edit,
        "can_note": request.user.has_perm("outreach.add_inquirynote"),
    }
    if can_edit:
        context["update_form"] = update_form or InquiryUpdateForm(
            initial={"status": inquiry.status, "assignee": str(inquiry.assignee_id or "")}, people=_inquiry_people()
        )
    context["note_form"] = note_form or InquiryNoteForm()
    return render(request, "outreach/inquiry_staff_detail.html", context, status=status)


def _inquiry(public_id: UUID) -> MediaInquiry:
    return get_object_or_404(MediaInquiry.objects.select_related("assignee"), public_id=public_id)


@staff(INQUIRY_VIEW)
@require_GET
def staff_inquiry_detail_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _inquiry_page(request, _inquiry(public_id))


@staff("outreach.change_mediainquiry")
@require_POST
def staff_inquiry_update_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    inquiry = _inquiry(public_id)
    form = InquiryUpdateForm(request.POST, people=_inquiry_people())
    if form.is_valid():
        try:
            services_media.media_inquiry_update(
                inquiry=inquiry,
                actor=request.user,
                status=form.cleaned_data["status"],
                assignee=form.cleaned_data["assignee"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The inquiry was updated."))
            return redirect("outreach:staff_inquiry_detail", public_id=inquiry.public_id)
    return _inquiry_page(request, inquiry, update_form=form, status=400)


@staff("outreach.add_inquirynote")
@require_POST
def staff_inquiry_note_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    inquiry = _inquiry(public_id)
    form = InquiryNoteForm(request.POST)
    if form.is_valid():
        try:
            services_media.media_inquiry_add_note(inquiry=inquiry, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, _("Your note was added."))
            return redirect("outreach:staff_inquiry_detail", public_id=inquiry.public_id)
    return _inquiry_page(request, inquiry, note_form=form, status=400)


@staff("outreach.view_newslettersubscription")
@require_GET
def staff_newsletter_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/newsletter_staff.html",
        {
            "counts": selectors_media.newsletter_counts(),
            "issues": selectors_media.newsletter_issues_recent(),
            "can_send": request.user.has_perm("outreach.send_newsletterissue"),
        },
    )


@staff("outreach.send_newsletterissue")
@require_POST
def staff_newsletter_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    try:
        count = services_media.newsletter_issue_send(issue=issue, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The issue is on its way to %(count)d subscribers.") % {"count": count})
    return redirect("outreach:staff_newsletter")


@staff("outreach.view_newsitem")
@require_GET
def staff_media_view(request: HttpRequest) -> HttpResponse:
    drafts = selectors_media.drafts_for_staff()
    return render(
        request,
        "outreach/news_staff_drafts.html",
        {
            "news": drafts["news"],
            "journal": [(e, services_media.journal_episode_problems(e)) for e in drafts["journal"]],
            "podcast": [(e, services_media.podcast_episode_problems(e)) for e in drafts["podcast"]],
            "can_publish": request.user.has_perm(services_media.PUBLISH_PERMISSION),
        },
    )


PUBLISHABLE = {"news": NewsItem, "journal": JournalEpisode, "podcast": PodcastEpisode}


@staff(services_media.PUBLISH_PERMISSION)
@require_POST
def staff_media_publish_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = PUBLISHABLE.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    try:
        services_media.content_publish(obj=obj, actor=request.user)
    except ValidationError as exc:
        messages.error(
            request, _("“%(title)s” was not published: %(why)s") % {"title": obj, "why": " ".join(exc.messages)}
        )
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": obj})
    return redirect("outreach:staff_media")
