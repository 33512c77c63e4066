"""The MDN HTTP Observatory (v2) score of every kind of page: each must reach 100 with no
penalty at all.

`observatory_score` applies the Observatory's published rules (mdn/mdn-http-observatory,
"Tests & scoring") to one response: the score starts at 100, each test adds its modifier, and
bonuses (positive modifiers) count only when the score before them is at least 90. Rules, with
their modifiers:

content-security-policy
    no header -25; header that cannot be parsed -25; 'unsafe-inline' (or data:, *, http:,
    https: as a source) in the effective script-src -20; 'unsafe-eval' there -10; a plain-http
    source for passive content (img/media) -10; 'unsafe-inline' in style-src only 0; no unsafe
    source 0, and +10 more when default-src is 'none'.
cookies
    none set 0; a session cookie without Secure -40, without HttpOnly -30; an anti-CSRF cookie
    without SameSite -20; an invalid SameSite -20; another cookie without Secure -20 (-5 when
    HSTS protects it); all Secure, sessions HttpOnly, every cookie with SameSite +5.
cross-origin-resource-sharing
    a foreign Origin echoed back (any origin may read the page, credentials included) or
    Access-Control-Allow-Origin: * with credentials -50; otherwise (public or none) 0.
redirection
    plain http answered without a redirect -20; a redirect whose first hop is not https -10;
    a first hop off the host -5; redirect to https on the same host 0. (Scored by asking over
    plain http with SECURE_SSL_REDIRECT on, as production runs.)
referrer-policy
    no-referrer / same-origin / strict-origin / strict-origin-when-cross-origin +5; not set or
    no-referrer-when-downgrade 0; unsafe-url / origin / origin-when-cross-origin -5; invalid -5.
strict-transport-security
    not set or invalid -20; max-age under six months (15768000 s) -10; at least six months 0;
    preloaded +5 (the Observatory checks the browsers' list, which we cannot: never counted).
subresource-integrity
    not HTML or no scripts 0; all scripts from the same origin 0; external scripts over https
    with integrity +5, without -5; external scripts over plain http -50 (-20 with integrity).
x-content-type-options
    nosniff 0; missing or anything else -5.
x-frame-options
    frame-ancestors in CSP +5; DENY or SAMEORIGIN 0; missing or invalid -20.
cross-origin-resource-policy
    not set, same-site, same-origin or cross-origin 0; invalid -5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from jcr.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIX_MONTHS = 15768000
EVIL_ORIGIN = "https://evil.example"  # sent as Origin: a page must not grant it access
UNSAFE_SCRIPT_SOURCES = {"'unsafe-inline'", "data:", "*", "http:", "https:"}
PRIVATE_REFERRER = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
SESSION_NAMES = re.compile(r"sess|login|auth", re.IGNORECASE)
CSRF_NAMES = re.compile(r"csrf|xsrf", re.IGNORECASE)


@dataclass
class Score:
    modifiers: dict[str, int] = field(default_factory=dict)

    def add(self, test: str, result: str, modifier: int) -> None:
        self.modifiers[f"{test}: {result}"] = modifier

    @property
    def penalties(self) -> dict[str, int]:
        return {k: v for k, v in self.modifiers.items() if v < 0}

    @property
    def total(self) -> int:
        base = 100 + sum(self.penalties.values())
        bonus = sum(v for v in self.modifiers.values() if v > 0)
        return base + bonus if base >= 90 else base


def _csp(header: str | None) -> dict[str, list[str]] | None:
    if header is None:
        return None
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), [w.lower() if w.startswith("'") else w for w in words[1:]])
    return directives


def _score_csp(score: Score, headers) -> dict | None:
    csp = _csp(headers.get("Content-Security-Policy"))
    if not csp:
        score.add("content-security-policy", "not implemented", -25)
        return None
    script = csp.get("script-src", csp.get("default-src"))
    if script is None or UNSAFE_SCRIPT_SOURCES & set(script):
        score.add("content-security-policy", "unsafe-inline or a wildcard in script-src", -20)
    elif "'unsafe-eval'" in script:
        score.add("content-security-policy", "unsafe-eval in script-src", -10)
    elif any(s.startswith("http:") for d in ("img-src", "media-src") for s in csp.get(d, [])):
        score.add("content-security-policy", "plain http for passive content", -10)
    elif csp.get("default-src") == ["'none'"]:
        score.add("content-security-policy", "no unsafe sources, default-src 'none'", 10)
    else:
        score.add("content-security-policy", "no unsafe sources", 0)
    return csp


def _score_cookies(score: Score, response, hsts: bool) -> None:
    cookies = SimpleCookie()
    for header in response.cookies.values():
        cookies.load(header.output(header=""))
    if not cookies:
        score.add("cookies", "none set", 0)
        return
    worst = 0
    every_samesite = True
    for name, morsel in cookies.items():
        samesite = (morsel["samesite"] or "").lower()
        if samesite and samesite not in {"strict", "lax", "none"}:
            worst = min(worst, -20)
        every_samesite &= bool(samesite)
        if SESSION_NAMES.search(name):
            if not morsel["secure"]:
                worst = min(worst, -40)
            if not morsel["httponly"]:
                worst = min(worst, -30)
        elif not morsel["secure"]:
            worst = min(worst, -5 if hsts else -20)
        if CSRF_NAMES.search(name) and not samesite:
            worst = min(worst, -20)
    if worst < 0:
        score.add("cookies", "insecure cookie", worst)
    elif every_samesite:
        score.add("cookies", "secure, HttpOnly sessions, SameSite", 5)
    else:
        score.add("cookies", "secure, HttpOnly sessions", 0)


def _score_cors(score: Score, headers) -> None:
    origin = headers.get("Access-Control-Allow-Origin")
    credentials = headers.get("Access-Control-Allow-Credentials", "").lower() == "true"
    if origin == EVIL_ORIGIN or (origin == "*" and credentials):
        score.add("cross-origin-resource-sharing", "universal access", -50)
    else:
        score.add("cross-origin-resource-sharing", "not open to every origin", 0)


def _score_referrer(score: Score, headers) -> None:
    values = [v.strip().lower() for v in headers.get("Referrer-Policy", "").split(",") if v.strip()]
    policy = values[-1] if values else None
    if policy is None or policy == "no-referrer-when-downgrade":
        score.add("referrer-policy", "not set", 0)
    elif policy in PRIVATE_REFERRER:
        score.add("referrer-policy", policy, 5)
    else:
        score.add("referrer-policy", f"unsafe or invalid: {policy}", -5)


def _score_hsts(score: Score, headers) -> bool:
    value = headers.get("Strict-Transport-Security")
    match = re.search(r"max-age=(\d+)", value or "")
    if not match:
        score.add("strict-transport-security", "not implemented", -20)
        return False
    if int(match.group(1)) < SIX_MONTHS:
        score.add("strict-transport-security", "max-age under six months", -10)
    else:
        score.add("strict-transport-security", "max-age at least six months", 0)
    return True


def _score_sri(score: Score, response) -> None:
    if not response.get("Content-Type", "").startswith("text/html"):
        score.add("subresource-integrity", "not HTML", 0)
        return
    worst, bonus = 0, False
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode(errors="replace"), re.IGNORECASE):
        src = re.search(r'src="([^"]+)"', tag)
        if not src:
            continue
        url = urlsplit(src.group(1))
        if not url.netloc:  # same origin
            continue
        has_integrity = "integrity=" in tag
        if url.scheme == "http":
            worst = min(worst, -20 if has_integrity else -50)
        elif has_integrity:
            bonus = True
        else:
            worst = min(worst, -5)
    score.add("subresource-integrity", "scripts", worst if worst < 0 else (5 if bonus else 0))


def _score_xcto(score: Score, headers) -> None:
    nosniff = headers.get("X-Content-Type-Options", "").strip().lower() == "nosniff"
    score.add("x-content-type-options", "nosniff" if nosniff else "missing", 0 if nosniff else -5)


def _score_xfo(score: Score, headers, csp: dict | None) -> None:
    if csp and "frame-ancestors" in csp:
        score.add("x-frame-options", "frame-ancestors in CSP", 5)
    elif headers.get("X-Frame-Options", "").strip().upper() in {"DENY", "SAMEORIGIN"}:
        score.add("x-frame-options", "DENY or SAMEORIGIN", 0)
    else:
        score.add("x-frame-options", "missing", -20)


def _score_corp(score: Score, headers) -> None:
    value = headers.get("Cross-Origin-Resource-Policy")
    ok = value is None or value.strip().lower() in {"same-site", "same-origin", "cross-origin"}
    score.add("cross-origin-resource-policy", value or "not set", 0 if ok else -5)


def observatory_score(response, *, redirect_response=None) -> Score:
    """Score `response` (fetched over https); `redirect_response` is the same URL over plain
    http, for the redirection test (None: not scored)."""
    score = Score()
    headers = response.headers
    csp = _score_csp(score, headers)
    hsts = _score_hsts(score, headers)
    _score_cookies(score, response, hsts)
    _score_cors(score, headers)
    if redirect_response is not None:
        location = urlsplit(redirect_response.get("Location", ""))
        if redirect_response.status_code not in (301, 302, 307, 308):
            score.add("redirection", "missing", -20)
        elif location.scheme != "https":
            score.add("redirection", "first hop not https", -10)
        elif location.netloc not in ("", "testserver"):
            score.add("redirection", "off host", -5)
        else:
            score.add("redirection", "to https", 0)
    _score_referrer(score, headers)
    _score_sri(score, response)
    _score_xcto(score, headers)
    _score_xfo(score, headers, csp)
    _score_corp(score, headers)
    return score


# --- The page kinds ---------------------------------------------------------------------

PAGES = {
    "public page": ("/", "resident"),
    "public page (Spanish)": ("/es/", "resident"),
    "unit public page": ("/outreach/", "resident"),
    "login page (form)": ("/accounts/login/", "resident"),
    "sign-up page (form)": ("/accounts/signup/", "resident"),
    "staff dashboard": ("/staff/", "administrator"),
    "unit staff landing": ("/staff/community-prosecution/", "community_prosecutor"),
    "admin index": ("/admin/", "administrator"),
    "admin changelist": ("/admin/core/area/", "administrator"),
}


@pytest.mark.parametrize("kind", PAGES)
def test_page_scores_100_with_no_penalty(kind, world, settings):
    url, persona = PAGES[kind]
    response = world.client(persona).get(url, secure=True, HTTP_ORIGIN=EVIL_ORIGIN)
    assert response.status_code == 200, f"{kind}: {response.status_code}"
    settings.SECURE_SSL_REDIRECT = True
    redirect = world.client(persona).get(url)
    score = observatory_score(response, redirect_response=redirect)
    assert not score.penalties, f"{kind} {url}: {score.penalties}"
    assert score.total >= 100, f"{kind} {url}: {score.total} {score.modifiers}"


def test_sign_in_response_cookies_score_with_no_penalty(world):
    """The response that sets the session cookie (and the CSRF cookie before it)."""
    from django.test import Client

    from jcr.accounts.tests.factories import UserFactory

    user = UserFactory()
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf}, secure=True
    )
    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME in response.cookies
    for scored in (page, response):
        score = observatory_score(scored)
        assert not score.penalties, score.penalties
        assert score.modifiers["cookies: secure, HttpOnly sessions, SameSite"] == 5


def test_the_scorer_finds_penalties():
    """The helper is not a rubber stamp: a bare response loses points on every header test."""
    from django.http import HttpResponse

    bare = HttpResponse("<script src='http://cdn.example/x.js'></script>")
    bare.headers.pop("X-Frame-Options", None)
    bare.set_cookie("sessionid", "x")
    bare["Content-Security-Policy"] = "script-src 'self' 'unsafe-inline'"
    bare["Referrer-Policy"] = "unsafe-url"
    score = observatory_score(bare, redirect_response=HttpResponse("plain"))
    assert set(score.penalties) >= {
        "content-security-policy: unsafe-inline or a wildcard in script-src",
        "strict-transport-security: not implemented",
        "cookies: insecure cookie",
        "redirection: missing",
        "referrer-policy: unsafe or invalid: unsafe-url",
        "x-content-type-options: missing",
        "x-frame-options: missing",
    }
    assert score.total < 50
