"""Public media pages of the unit: news and press releases, the media inquiries form, the
Justice Journal, podcasts (with their feeds and audio) and the newsletter.

Pages that are the same for everyone are cached for anonymous visitors; pages with a form or a
personal link (confirmation, unsubscribe) are not. Files (audio, captions, artwork,
transcripts) are read from Django storage by these views, so they work the same on local disk
and on object storage; audio answers HTTP range requests, which podcast apps and the browser's
audio player use to seek.
"""

from __future__ import annotations

import json
import re

from csp.decorators import csp_replace
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from jcr.core.access import public
from jcr.core.caching import cache_public_page
from jcr.core.images import open_graph
from outreach.media import selectors, services
from outreach.media.feeds import NewsFeed, podcast_feed_response
from outreach.media.forms import MediaInquiryForm, NewsletterSubscribeForm
from outreach.media.models import NewsItem

STREAM_CHUNK = 64 * 1024
READ_AT_ONCE = 1024 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


# --- News -----------------------------------------------------------------------------------


@public
@require_GET
@cache_public_page
def news_list_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind")
    kind = kind if kind in NewsItem.Kind.values else None
    paginator = Paginator(selectors.news_list_public(language=request.LANGUAGE_CODE, kind=kind), 10)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/media/news_list.html",
        {"page": page, "kind": kind, "kinds": NewsItem.Kind.choices},
    )


@public
@require_GET
@cache_public_page
def news_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.news_get_public(slug=slug)
    other = selectors.other_edition(item)
    og = open_graph(request, title=item.title, description=item.summary, obj=item, has_spanish=item.has_spanish)
    return render(
        request,
        "outreach/media/news_detail.html",
        {"item": item, "contacts": list(item.contacts.all()), "other": other, "og": og},
    )


_news_feed = NewsFeed()


@public
@require_GET
@cache_public_page
def news_feed_view(request: HttpRequest) -> HttpResponse:
    return _news_feed(request)


# --- Media inquiries ------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def inquiry_form_view(request: HttpRequest) -> HttpResponse:
    form = MediaInquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.media_inquiry_submit(
                outlet=data["outlet"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                deadline=data["deadline"],
                topic=data["topic"],
                question=data["question"],
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("outreach:inquiry_done")
    return render(request, "outreach/media/inquiry_form.html", {"form": form})


@public
@require_GET
@cache_public_page
def inquiry_done_view(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/media/inquiry_done.html")


# --- Justice Journal ------------------------------------------------------------------------


@public
@require_GET
@cache_public_page
def journal_list_view(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.journal_list_public(language=request.LANGUAGE_CODE), 12)
    return render(request, "outreach/media/journal_list.html", {"page": paginator.get_page(request.GET.get("page"))})


def _video_json_ld(request: HttpRequest, episode) -> str:
    """schema.org VideoObject for search engines. A JSON data block is not a script the
    browser runs, so the Content-Security-Policy does not apply to it; `<`, `>` and `&` are
    escaped so the text cannot close the element."""
    data = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": episode.title,
        "description": episode.summary,
        "thumbnailUrl": [f"https://i.ytimg.com/vi/{episode.youtube_id}/hqdefault.jpg"],
        "uploadDate": episode.published_at.isoformat(),
        "embedUrl": f"https://www.youtube-nocookie.com/embed/{episode.youtube_id}",
        "url": request.build_absolute_uri(),
        "inLanguage": episode.language,
        "transcript": episode.transcript,
    }
    if episode.duration_seconds:
        minutes, seconds = divmod(episode.duration_seconds, 60)
        data["duration"] = f"PT{minutes}M{seconds}S"
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The episode page may frame the privacy-enhanced YouTube player (after a click), and nothing
# else: frame-src is replaced for this page only. The decorator sits inside the page cache, so
# the cached response carries it and a page served from the cache (even before the view, by
# PublicPageCacheMiddleware) gets the same policy.
@public
@require_GET
@cache_public_page
@csp_replace({"frame-src": ["https://www.youtube-nocookie.com"]})
def journal_episode_view(request: HttpRequest, slug: str) -> HttpResponse:
    episode = selectors.journal_get_public(slug=slug)
    return render(
        request,
        "outreach/media/journal_episode.html",
        {
            "episode": episode,
            "other": selectors.other_edition(episode),
            "json_ld": _video_json_ld(request, episode),
            "watch_url": f"https://www.youtube.com/watch?v={episode.youtube_id}",
            "embed_url": f"https://www.youtube-nocookie.com/embed/{episode.youtube_id}?autoplay=1&rel=0",
        },
    )


@public
@require_safe
def journal_captions_view(request: HttpRequest, slug: str) -> HttpResponse:
    episode = selectors.journal_get_public(slug=slug)
    return storage_file_response(request, episode.captions.name, "text/vtt; charset=utf-8")


# --- Podcasts -------------------------------------------------------------------------------


@public
@require_GET
@cache_public_page
def podcast_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/media/podcast_list.html", {"shows": selectors.podcast_show_list_public()})


@public
@require_GET
@cache_public_page
def podcast_show_view(request: HttpRequest, slug: str) -> HttpResponse:
    show = selectors.podcast_show_get_public(slug=slug)
    paginator = Paginator(selectors.podcast_episode_list_public(show=show), 20)
    return render(
        request,
        "outreach/media/podcast_show.html",
        {"show": show, "page": paginator.get_page(request.GET.get("page"))},
    )


@public
@require_GET
@cache_public_page
def podcast_episode_view(request: HttpRequest, show_slug: str, slug: str) -> HttpResponse:
    episode = selectors.podcast_episode_get_public(show_slug=show_slug, slug=slug)
    return render(request, "outreach/media/podcast_episode.html", {"episode": episode, "show": episode.show})


@public
@require_GET
@cache_public_page
def podcast_feed_view(request: HttpRequest, slug: str) -> HttpResponse:
    show = selectors.podcast_show_get_public(slug=slug)
    return podcast_feed_response(request, show)


@public
@require_safe
def podcast_audio_view(request: HttpRequest, guid, ext: str) -> HttpResponse:
    episode = selectors.podcast_episode_get_by_guid(guid=guid)
    if ext != episode.audio_extension:
        raise Http404
    return storage_file_response(request, episode.audio.name, episode.audio_type, ranges=True)


@public
@require_safe
def podcast_transcript_view(request: HttpRequest, guid) -> HttpResponse:
    episode = selectors.podcast_episode_get_by_guid(guid=guid)
    response = HttpResponse(episode.transcript, content_type="text/plain; charset=utf-8")
    response["Content-Language"] = episode.show.language
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public
@require_safe
def podcast_artwork_view(request: HttpRequest, slug: str, ext: str) -> HttpResponse:
    show = selectors.podcast_show_get_public(slug=slug)
    if ext != show.artwork_extension:
        raise Http404
    content_type = "image/png" if ext == "png" else "image/jpeg"
    return storage_file_response(request, show.artwork.name, content_type)


def _parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) byte of a single range, None to ignore the header (send everything), or
    "unsatisfiable" (416)."""
    match = _RANGE.match(header.strip())
    if not match:  # several ranges, other units, bad syntax: the whole file (RFC 9110 allows it)
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # invalid range: ignored
    if start >= size:
        return "unsatisfiable"
    return start, end


def _stream(name: str, start: int, length: int):
    with default_storage.open(name, "rb") as file:
        file.seek(start)
        remaining = length
        while remaining > 0:
            chunk = file.read(min(STREAM_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def storage_file_response(request: HttpRequest, name: str, content_type: str, *, ranges: bool = False):
    """A file from Django storage, with `Range` support when `ranges`: 206 with Content-Range
    for one satisfiable range, 416 for a range past the end, 200 with the whole file when the
    header is absent or not one we serve (several ranges)."""
    if not name or not default_storage.exists(name):
        raise Http404
    size = default_storage.size(name)
    status, start, length = 200, 0, size
    byte_range = _parse_range(request.headers.get("Range", ""), size) if ranges and "Range" in request.headers else None
    if byte_range == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if byte_range is not None:
        start, end = byte_range
        status, length = 206, end - start + 1
    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    elif length <= READ_AT_ONCE:  # small files (captions, artwork, a short range): one read
        response = HttpResponse(b"".join(_stream(name, start, length)), status=status, content_type=content_type)
    else:
        response = StreamingHttpResponse(_stream(name, start, length), status=status, content_type=content_type)
    response["Content-Length"] = str(length)
    if ranges:
        response["Accept-Ranges"] = "bytes"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{start + length - 1}/{size}"
    response["Cache-Control"] = "public, max-age=86400"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# --- Newsletter -----------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def newsletter_subscribe_view(request: HttpRequest) -> HttpResponse:
    form = NewsletterSubscribeForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            services.newsletter_subscribe(email=form.cleaned_data["email"], language=form.cleaned_data["language"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("outreach:newsletter_sent")
    return render(request, "outreach/media/newsletter_subscribe.html", {"form": form})


@public
@require_GET
@cache_public_page
def newsletter_sent_view(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/media/newsletter_sent.html")


def _personal(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@require_http_methods(["GET", "POST"])
@never_cache
def newsletter_confirm_view(request: HttpRequest, key: str) -> HttpResponse:
    """GET shows a button, POST confirms: a mail scanner that opens links does not subscribe
    anyone."""
    if request.method == "POST":
        try:
            subscription = services.newsletter_confirm(key=key)
        except ValidationError:
            return _personal(render(request, "outreach/media/newsletter_invalid.html", status=404))
        return _personal(render(request, "outreach/media/newsletter_confirmed.html", {"subscription": subscription}))
    return _personal(render(request, "outreach/media/newsletter_confirm.html", {"key": key}))


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def newsletter_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of every message: one button, no account. GET shows it (so a mail
    scanner cannot unsubscribe anyone), POST unsubscribes. No CSRF token: the secret token in
    the link is the authorisation, and mail programs POST here without a session for the
    one-click unsubscribe of the List-Unsubscribe-Post header (RFC 8058)."""
    if request.method == "POST":
        subscription = services.newsletter_unsubscribe(token=token)
        if subscription is None:
            return _personal(render(request, "outreach/media/newsletter_invalid.html", status=404))
        return _personal(render(request, "outreach/media/newsletter_unsubscribed.html", {"subscription": subscription}))
    return _personal(render(request, "outreach/media/newsletter_unsubscribe.html", {"token": token}))
