from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation


def language_links(request) -> list[dict]:
    """This page in each language, as plain links: the language lives in the URL (/es/...), so
    switching needs no form, no cookie and no JavaScript, and public pages stay cacheable."""
    current = translation.get_language()
    full_path = request.get_full_path()
    try:
        resolve(request.path_info)
        resolvable = True
    except Resolver404:
        resolvable = False
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            url = full_path
        elif resolvable:
            url = translate_url(full_path, code)
        else:
            with translation.override(code):
                url = reverse("core:home")
        info = translation.get_language_info(code)
        links.append({"code": code, "name": info["name_local"], "url": url, "current": code == current})
    return links


def portal(request):
    user = getattr(request, "user", None)
    return {
        "SITE_URL": settings.SITE_URL,
        "is_staff_user": bool(user and user.is_authenticated and user.is_staff),
        "idle_timeout_seconds": int(settings.JCR_IDLE_TIMEOUT.total_seconds()),
        "idle_warning_seconds": int(settings.JCR_IDLE_WARNING.total_seconds()),
        "language_links": language_links(request),
    }
