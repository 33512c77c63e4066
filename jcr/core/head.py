"""HEAD answered wherever GET is (RFC 9110 §9.3.2): monitors, link checkers and caches ask with
HEAD, and views only say GET (`require_GET`). The request runs as a GET, so access checks,
caching and headers are the same, and the body is dropped on the way out."""

from __future__ import annotations


class HeadAsGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            close = getattr(response, "close", None)
            if close is not None:
                close()
            response.streaming_content = []
        else:
            # Content-Length (set by CommonMiddleware) keeps the GET's length, as HEAD wants.
            length = response.get("Content-Length")
            response.content = b""
            if length is not None:
                response["Content-Length"] = length
        return response
