"""robots.txt and /.well-known/security.txt (RFC 9116), written from settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jcr.core.access import public

SECURITY_TXT_DAYS = 180  # the default Expires: RFC 9116 asks for less than a year ahead


def _text(lines: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@public
@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt_view(request: HttpRequest) -> HttpResponse:
    """Crawlers stay out of staff pages, the admin and sign-in; the sitemap lists the rest."""
    lines = ["User-agent: *"]
    for path in settings.JCR_ROBOTS_DISALLOW:
        lines.append(f"Disallow: {path}")
        for code, _name in settings.LANGUAGES:
            if code != settings.LANGUAGE_CODE:
                lines.append(f"Disallow: /{code}{path}")
    lines += ["", f"Sitemap: {settings.SITE_URL}/sitemap.xml"]
    return _text(lines)


def _expires() -> datetime:
    if settings.JCR_SECURITY_TXT_EXPIRES:
        day = date.fromisoformat(settings.JCR_SECURITY_TXT_EXPIRES)
    else:
        day = datetime.now(UTC).date() + timedelta(days=SECURITY_TXT_DAYS)
    return datetime.combine(day, time.min, tzinfo=UTC)


@public
@require_GET
@cache_control(public=True, max_age=3600)
def security_txt_view(request: HttpRequest) -> HttpResponse:
    lines = [f"Contact: {contact}" for contact in settings.JCR_SECURITY_CONTACTS]
    lines.append(f"Expires: {_expires().strftime('%Y-%m-%dT%H:%M:%SZ')}")
    if settings.JCR_SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.JCR_SECURITY_POLICY_URL}")
    if settings.JCR_SECURITY_LANGUAGES:
        lines.append(f"Preferred-Languages: {', '.join(settings.JCR_SECURITY_LANGUAGES)}")
    lines.append(f"Canonical: {settings.SITE_URL}/.well-known/security.txt")
    return _text(lines)
