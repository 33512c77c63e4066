"""Staff pages to write the unit's public content without Django admin: events, programs, news
items, Justice Journal and podcast episodes, media contacts (create and edit), and publishing
an event.

Each kind needs its own model permissions (add_* to create, change_* to edit), which the
outreach roles hold; publishing stays with supervisors through the existing services
(outreach.events.services.event_publish / event_cancel, outreach.media.services.content_publish).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jcr.core import geocoding
from jcr.core.access import staff
from outreach.events import services
from outreach.events.models import Event
from outreach.media import services as services_media
from outreach.media import services_content
from outreach.media.forms_content import (
    EventForm,
    JournalEpisodeForm,
    MediaContactForm,
    NewsItemForm,
    PodcastEpisodeForm,
    ProgramForm,
)
from outreach.media.models import JournalEpisode, MediaContact, NewsItem, PodcastEpisode, PublishStatus
from outreach.programs.models import Program
from outreach.social import selectors as selectors_social

LIST_LIMIT = 50


def _save_event(form, actor):
    event = form.instance
    if event.latitude is None and event.venue_address.strip():  # no point: the address, when found
        found, _unplaced = geocoding.address_point(event.venue_address)
        if found is not None:
            event.latitude, event.longitude = found.latitude, found.longitude
    return services_content.event_save(event=event, actor=actor)


def _save_program(form, actor):
    return services_content.program_save(program=form.instance, topics=form.cleaned_data["topics"], actor=actor)


def _save_news(form, actor):
    return services_media.news_item_save(item=form.instance, actor=actor, contacts=form.cleaned_data["contacts"])


def _save_contact(form, actor):
    return services_media.media_contact_save(contact=form.instance, actor=actor)


def _save_journal(form, actor):
    return services_media.journal_episode_save(episode=form.instance, actor=actor)


def _save_podcast(form, actor):
    return services_media.podcast_episode_save(episode=form.instance, actor=actor)


@dataclass(frozen=True)
class ContentKind:
    key: str
    label: str
    model: type[models.Model]
    form: type
    save: Callable
    lookup: str = "pk"  # events are addressed by their public_id
    publish_kind: str = ""  # the kind of outreach:staff_media_publish, for news and episodes

    @property
    def app_model(self) -> str:
        return f"outreach.%s_{self.model._meta.model_name}"

    def queryset(self):
        qs = self.model.objects.all()
        if self.model is PodcastEpisode:
            qs = qs.select_related("show")
        if self.model is Event:
            qs = qs.order_by("-starts_at")
        return qs


KINDS: dict[str, ContentKind] = {
    kind.key: kind
    for kind in (
        ContentKind("event", gettext_lazy("Events"), Event, EventForm, _save_event, lookup="public_id"),
        ContentKind("program", gettext_lazy("Programs"), Program, ProgramForm, _save_program),
        ContentKind(
            "news", gettext_lazy("News and press releases"), NewsItem, NewsItemForm, _save_news, publish_kind="news"
        ),
        ContentKind(
            "journal", gettext_lazy("Justice Journal episodes"), JournalEpisode, JournalEpisodeForm, _save_journal,
            publish_kind="journal",
        ),
        ContentKind(
            "podcast", gettext_lazy("Podcast episodes"), PodcastEpisode, PodcastEpisodeForm, _save_podcast,
            publish_kind="podcast",
        ),
        ContentKind("contact", gettext_lazy("Media contacts"), MediaContact, MediaContactForm, _save_contact),
    )
}  # fmt: skip


def _edit_url_kwargs(kind: ContentKind, obj) -> dict:
    return {"public_id": obj.public_id} if kind.lookup == "public_id" else {"pk": obj.pk}


@staff("accounts.access_outreach")
@require_GET
def content_list_view(request: HttpRequest) -> HttpResponse:
    """Recent content of each kind the user may see, with links to edit it or add more."""
    sections = []
    for kind in KINDS.values():
        if not request.user.has_perm(kind.app_model % "view"):
            continue
        rows = list(kind.queryset()[:LIST_LIMIT])
        for row in rows:
            row.edit_url = reverse(f"outreach:content_{kind.key}_edit", kwargs=_edit_url_kwargs(kind, row))
        sections.append(
            {
                "kind": kind,
                "rows": rows,
                "create_url": reverse(f"outreach:content_{kind.key}_create"),
                "can_add": request.user.has_perm(kind.app_model % "add"),
                "can_change": request.user.has_perm(kind.app_model % "change"),
            }
        )
    return render(request, "outreach/media/content_list.html", {"sections": sections})


def _form_page(request, kind: ContentKind, form, obj=None, *, status: int = 200) -> HttpResponse:
    context = {
        "kind": kind,
        "form": form,
        "obj": obj,
        "action": reverse(f"outreach:content_{kind.key}_edit", kwargs=_edit_url_kwargs(kind, obj))
        if obj is not None
        else reverse(f"outreach:content_{kind.key}_create"),
    }
    context["social_actions"] = selectors_social.source_actions(user=request.user, kind=kind.key, obj=obj)
    if obj is not None and kind.key == "event":
        context["can_publish_event"] = obj.status == Event.Status.DRAFT and request.user.has_perm(
            "outreach.publish_event"
        )
    if obj is not None and kind.publish_kind:
        context["can_publish_media"] = obj.status != PublishStatus.PUBLISHED and request.user.has_perm(
            services_media.PUBLISH_PERMISSION
        )
        if isinstance(obj, JournalEpisode):
            context["problems"] = services_media.journal_episode_problems(obj)
        elif isinstance(obj, PodcastEpisode):
            context["problems"] = services_media.podcast_episode_problems(obj)
    return render(request, "outreach/media/content_form.html", context, status=status)


def _handle(request: HttpRequest, kind: ContentKind, obj=None) -> HttpResponse:
    if request.method == "POST":
        form = kind.form(request.POST, request.FILES, instance=obj)
        if form.is_valid():
            try:
                saved = kind.save(form, request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("“%(title)s” is saved.") % {"title": saved})
                return redirect(f"outreach:content_{kind.key}_edit", **_edit_url_kwargs(kind, saved))
        # The stored row, not the half-changed instance, is what the page's actions describe.
        stored = kind.model.objects.get(pk=obj.pk) if obj is not None else None
        return _form_page(request, kind, form, stored, status=400)
    return _form_page(request, kind, kind.form(instance=obj), obj)


def _create_view(kind: ContentKind):
    @staff(kind.app_model % "add")
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        return _handle(request, kind)

    view.__name__ = view.__qualname__ = f"content_{kind.key}_create_view"
    return view


def _edit_view(kind: ContentKind):
    @staff(kind.app_model % "change")
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, **lookup) -> HttpResponse:
        obj = get_object_or_404(kind.queryset(), **lookup)
        return _handle(request, kind, obj)

    view.__name__ = view.__qualname__ = f"content_{kind.key}_edit_view"
    return view


content_event_create_view = _create_view(KINDS["event"])
content_event_edit_view = _edit_view(KINDS["event"])
content_program_create_view = _create_view(KINDS["program"])
content_program_edit_view = _edit_view(KINDS["program"])
content_news_create_view = _create_view(KINDS["news"])
content_news_edit_view = _edit_view(KINDS["news"])
content_journal_create_view = _create_view(KINDS["journal"])
content_journal_edit_view = _edit_view(KINDS["journal"])
content_podcast_create_view = _create_view(KINDS["podcast"])
content_podcast_edit_view = _edit_view(KINDS["podcast"])
content_contact_create_view = _create_view(KINDS["contact"])
content_contact_edit_view = _edit_view(KINDS["contact"])


@staff("outreach.publish_event")
@require_POST
def content_event_publish_view(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = get_object_or_404(Event, public_id=public_id)
    try:
        services.event_publish(event=event, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": event})
    return redirect("outreach:content_event_edit", public_id=event.public_id)
