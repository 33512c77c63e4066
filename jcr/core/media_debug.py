"""The /media/ route of `make run` (DEBUG only; in production the proxy or the object store
serves public files). It serves only the folders whose files are public by design: everything
else under MEDIA_ROOT - a concern's photos as sent, hidden or not yet blurred, episode files
before publication - is reached only through the views that check who may see it, and private
storage is never under this route."""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.static import serve

from jcr.core.access import public

# Files linked by their storage URL: images attached to social posts (the platforms fetch them)
# and the images of public content with their renditions (jcr.core.images).
PUBLIC_MEDIA_FOLDERS = ("outreach/social/", "content/images/")


@public
@require_safe
def media_debug_view(request: HttpRequest, path: str) -> HttpResponse:
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or not name.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404
    return serve(request, name, document_root=settings.MEDIA_ROOT)
