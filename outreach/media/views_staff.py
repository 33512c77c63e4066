"""Staff pages of the unit's media: the media inquiries queue, the newsletter (counts, issues
written, previewed, tested and sent after a confirmation step) and content waiting to be
published. Each action is its own POST-only view calling one
service."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.accounts.models import User
from jcr.core.access import staff
from outreach.media import selectors, services
from outreach.media.forms import InquiryNoteForm, InquiryUpdateForm, NewsletterIssueForm, NewsletterSendForm
from outreach.media.models import JournalEpisode, MediaInquiry, NewsItem, NewsletterIssue, PodcastEpisode

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
    rows = list(selectors.inquiry_list_staff(status=status)[:200])
    return render(
        request,
        "outreach/media/inquiry_staff_list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": MediaInquiry.Status.choices,
            "counts": selectors.inquiry_counts(),
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
    return render(request, "outreach/media/inquiry_staff_detail.html", context, status=status)


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
            services.media_inquiry_update(
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
            services.media_inquiry_add_note(inquiry=inquiry, actor=request.user, text=form.cleaned_data["text"])
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
        "outreach/media/newsletter_staff.html",
        {
            "counts": selectors.newsletter_counts(),
            "issues": selectors.newsletter_issue_list_recent(),
            "can_add": request.user.has_perm("outreach.add_newsletterissue"),
            "can_view_issue": request.user.has_perm("outreach.view_newsletterissue"),
            "can_send": request.user.has_perm("outreach.send_newsletterissue"),
        },
    )


def _issue_form_page(request, form, issue=None, *, status: int = 200) -> HttpResponse:
    return render(request, "outreach/media/newsletter_issue_form.html", {"form": form, "issue": issue}, status=status)


@staff("outreach.add_newsletterissue")
@require_http_methods(["GET", "POST"])
def staff_newsletter_issue_create_view(request: HttpRequest) -> HttpResponse:
    form = NewsletterIssueForm(
        request.POST if request.method == "POST" else None, initial={"language": request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.newsletter_issue_save(issue=form.instance, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The issue is saved. Check its preview and send yourself a test."))
            return redirect("outreach:staff_newsletter_issue", pk=issue.pk)
    return _issue_form_page(request, form, status=400 if form.is_bound else 200)


def _issue_page(request, issue: NewsletterIssue, template: str, *, form=None, status: int = 200) -> HttpResponse:
    subject, text = services.newsletter_issue_render(issue=issue)
    unsent = issue.sent_at is None and issue.send_requested_at is None
    context = {
        "issue": issue,
        "preview_subject": subject,
        "preview_text": text,
        "recipients": selectors.newsletter_issue_recipient_count(issue=issue),
        "unsent": unsent,
        "can_change": unsent and request.user.has_perm("outreach.change_newsletterissue"),
        "can_send": unsent and request.user.has_perm("outreach.send_newsletterissue"),
        "tests_sent": selectors.newsletter_issue_tests_sent(issue=issue),
        "form": form,
    }
    return render(request, template, context, status=status)


@staff("outreach.view_newsletterissue")
@require_GET
def staff_newsletter_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An issue as subscribers will read it, with its next steps: edit, test, send."""
    return _issue_page(request, get_object_or_404(NewsletterIssue, pk=pk), "outreach/media/newsletter_issue_staff.html")


@staff("outreach.change_newsletterissue")
@require_http_methods(["GET", "POST"])
def staff_newsletter_issue_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if issue.sent_at is not None or issue.send_requested_at is not None:
        messages.error(request, _("This issue was already sent."))
        return redirect("outreach:staff_newsletter_issue", pk=issue.pk)
    form = NewsletterIssueForm(request.POST if request.method == "POST" else None, instance=issue)
    if request.method == "POST" and form.is_valid():
        try:
            services.newsletter_issue_save(issue=form.instance, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The issue is saved. Check its preview and send yourself a test."))
            return redirect("outreach:staff_newsletter_issue", pk=issue.pk)
    stored = NewsletterIssue.objects.get(pk=issue.pk)
    return _issue_form_page(request, form, stored, status=400 if form.is_bound else 200)


@staff("outreach.change_newsletterissue")
@require_POST
def staff_newsletter_issue_test_view(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    try:
        address = services.newsletter_issue_send_test(issue=issue, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A test message is on its way to %(address)s.") % {"address": address})
    return redirect("outreach:staff_newsletter_issue", pk=issue.pk)


@staff("outreach.send_newsletterissue")
@require_http_methods(["GET", "POST"])
def staff_newsletter_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step (GET: the issue, its preview and how many it goes to) and the
    sending itself (POST with the confirmation ticked)."""
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if issue.sent_at is not None or issue.send_requested_at is not None:
        messages.error(request, _("This issue was already sent."))
        return redirect("outreach:staff_newsletter_issue", pk=issue.pk)
    form = NewsletterSendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.newsletter_issue_send(issue=issue, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The issue is on its way to %(count)d subscribers.") % {"count": count})
        return redirect("outreach:staff_newsletter")
    return _issue_page(
        request, issue, "outreach/media/newsletter_send_confirm.html", form=form, status=400 if form.is_bound else 200
    )


@staff("outreach.view_newsitem")
@require_GET
def staff_media_view(request: HttpRequest) -> HttpResponse:
    drafts = selectors.content_list_drafts()
    return render(
        request,
        "outreach/media/news_staff_drafts.html",
        {
            "news": drafts["news"],
            "journal": [(e, services.journal_episode_problems(e)) for e in drafts["journal"]],
            "podcast": [(e, services.podcast_episode_problems(e)) for e in drafts["podcast"]],
            "can_publish": request.user.has_perm(services.PUBLISH_PERMISSION),
        },
    )


PUBLISHABLE = {"news": NewsItem, "journal": JournalEpisode, "podcast": PodcastEpisode}


@staff(services.PUBLISH_PERMISSION)
@require_POST
def staff_media_publish_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = PUBLISHABLE.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    try:
        services.content_publish(obj=obj, actor=request.user)
    except ValidationError as exc:
        messages.error(
            request, _("“%(title)s” was not published: %(why)s") % {"title": obj, "why": " ".join(exc.messages)}
        )
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": obj})
    return redirect("outreach:staff_media")
