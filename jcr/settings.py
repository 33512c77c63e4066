"""JCR Portal settings.

One module; every value comes from the environment (see .env.example), parsed strictly:
a value that cannot be parsed stops start-up with ImproperlyConfigured. The defaults are
safe for development (`make run`); with DJANGO_DEBUG off there is no default secret key.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jcr.core.abuse import parse_rate_limits as _parse_rate_limits
from jcr.core.logs import logging_config as _logging_config
from jcr.core.sentry import sentry_configure as _sentry_configure
from jcr.core.tiles import tile_origins as _tile_origins_of
from jcr.envparse import database_from_env as _database_from_env
from jcr.envparse import env as _env
from jcr.envparse import envbool, envint, envsecret
from jcr.envparse import parse_holidays as _parse_holidays

BASE_DIR = Path(__file__).resolve().parent.parent

env = _env
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")


DEBUG = envbool("DJANGO_DEBUG", False)
TESTING = envbool("JCR_TESTING", False)
# With DEBUG on, answer a missing page or an error with the portal's own 404 and 500 pages
# instead of Django's technical ones (`make run` turns it on; jcr.core.error_pages).
JCR_DEBUG_ERROR_PAGES = envbool("JCR_DEBUG_ERROR_PAGES", False)

SECRET_KEY = envsecret("DJANGO_SECRET_KEY", "dev-insecure-key-only-for-local-development" if DEBUG else None)
if not SECRET_KEY and envbool("JCR_KEYLESS_COMMAND", False):
    # Set by manage.py for commands that only read the code (makemigrations, messages): a key
    # that lives as long as the command and signs nothing that outlasts it.
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("JCR_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# "My submissions" (jcr.core.submissions): each unit's function listing a resident's own
# submissions by verified address. The platform imports no unit, so they are named here.
JCR_MY_SUBMISSIONS = [
    "prosecution.api.my_submissions",
    "outreach.api.my_submissions",
    "integrity.api.my_submissions",
]
# /.well-known/security.txt (RFC 9116): where to report a vulnerability (mailto: or https:
# addresses, comma-separated), until when the file holds (JCR_SECURITY_TXT_EXPIRES, an ISO
# date; by default 180 days ahead of each request), the disclosure policy's address and the
# languages reports may be written in.
JCR_SECURITY_CONTACTS = env.list("JCR_SECURITY_CONTACTS", default=["mailto:security@jcr.example"])
JCR_SECURITY_TXT_EXPIRES = env.str("JCR_SECURITY_TXT_EXPIRES", default="")
if JCR_SECURITY_TXT_EXPIRES:
    try:
        date.fromisoformat(JCR_SECURITY_TXT_EXPIRES)
    except ValueError as exc:
        raise ImproperlyConfigured("JCR_SECURITY_TXT_EXPIRES must be an ISO date (YYYY-MM-DD)") from exc
JCR_SECURITY_POLICY_URL = env.str("JCR_SECURITY_POLICY_URL", default="")
JCR_SECURITY_LANGUAGES = env.list("JCR_SECURITY_LANGUAGES", default=["en", "es"])
# robots.txt: paths no crawler should visit (with and without the Spanish prefix).
JCR_ROBOTS_DISALLOW = env.list("JCR_ROBOTS_DISALLOW", default=["/staff/", "/admin/", "/accounts/"])
if not all(u.startswith(("mailto:", "https://", "tel:")) for u in JCR_SECURITY_CONTACTS):
    raise ImproperlyConfigured("JCR_SECURITY_CONTACTS: each contact is a mailto:, https: or tel: address")

INSTALLED_APPS = [
    "jcr.accounts.apps.AccountsConfig",
    "jcr.core.apps.CoreConfig",
    "outreach",
    "prosecution",
    "govrelations",
    "integrity",
    "jcr.core.apps.JCRAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_celery_beat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jcr.core.head.HeadAsGetMiddleware",
    "jcr.core.middleware.RequestContextMiddleware",
    "jcr.core.middleware.DatabaseUnavailableMiddleware",
    "jcr.core.middleware.QueryCleaningMiddleware",
    # Headers only: outside the page cache, so a page served from it gets them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jcr.core.middleware.SecurityHeadersMiddleware",
    # Anonymous visitors' cached public pages, before the session, user and database.
    "jcr.core.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jcr.core.error_pages.DebugErrorPagesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "jcr.accounts.middleware.SessionLimitsMiddleware",
    "jcr.accounts.middleware.StaffMFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "jcr.urls"
WSGI_APPLICATION = "jcr.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jcr.core.context_processors.portal",
            ],
        },
    },
    # Plain-text parts of e-mails (jcr.core.services.render_email): the same templates without
    # HTML escaping, so "O'Brien & Sons" reads as typed, not as "O&#x27;Brien &amp; Sons".
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Data -------------------------------------------------------------------------------
VAR_DIR = Path(env.str("JCR_VAR_DIR", default=str(BASE_DIR / "var")))
# Persistent connections with health checks; JCR_DB_CONN_MAX_AGE, JCR_PGBOUNCER (jcr.envparse).
DATABASES = {"default": _database_from_env(f"sqlite:///{VAR_DIR / 'jcr.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("JCR_CACHE_PREFIX", default="jcr"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole public pages for anonymous visitors (jcr.core.caching): kept in each process's memory,
# which is several times faster than a network round trip; entries live only
# JCR_PUBLIC_CACHE_SECONDS, so processes never disagree for longer than that.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "jcr-pages",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

JCR_PUBLIC_CACHE_SECONDS = envint("JCR_PUBLIC_CACHE_SECONDS", 60)

# --- Social publishing --------------------------------------------------------------------
# Fernet key (44 url-safe base64 characters) that encrypts the channel accounts' credentials
# at rest: `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
# Empty: a key derived from DJANGO_SECRET_KEY, for development only (`check --deploy` refuses it).
JCR_SOCIAL_CREDENTIALS_KEY = envsecret("JCR_SOCIAL_CREDENTIALS_KEY", "") or ""
# A delivery left "publishing" longer than this goes to the "check on the platform" queue.
JCR_SOCIAL_STUCK_MINUTES = envint("JCR_SOCIAL_STUCK_MINUTES", 15)
JCR_SOCIAL_MAX_ATTEMPTS = envint("JCR_SOCIAL_MAX_ATTEMPTS", 6)
# Staff are told this many days before a channel's token expires.
JCR_SOCIAL_TOKEN_NOTICE_DAYS = envint("JCR_SOCIAL_TOKEN_NOTICE_DAYS", 14)
# Publishing a news item, podcast episode or event makes its draft social post(s) (an event
# also its reminders a week and a day before), authored by whoever published it.
JCR_SOCIAL_AUTO_DRAFTS = envbool("JCR_SOCIAL_AUTO_DRAFTS", True)

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_ADAPTER = "jcr.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "JCR Portal: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's failed sign-in limit per client address only (a burst guard in front of the
# portal's own throttle, jcr.accounts.services.login_throttle_retry_after). Its default also
# limits per e-mail address, which would let anyone keep an account's owner out.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
MFA_ADAPTER = "jcr.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "JCR Portal"
MFA_FORMS = {"authenticate": "jcr.accounts.forms.LockoutAwareMFAAuthenticateForm"}
# Fernet key(s) encrypting second-factor secrets (TOTP keys, recovery-code seeds) at rest,
# kept apart from DJANGO_SECRET_KEY. Several keys, comma-separated, rotate: the first encrypts,
# every one decrypts. Empty: a key derived from DJANGO_SECRET_KEY, accepted only with
# DJANGO_DEBUG or JCR_TESTING on (`check --deploy` refuses it, and sign-in fails without it).
JCR_MFA_KEY = envsecret("JCR_MFA_KEY", "") or ""
# Resident sign-up is a public form: honeypot, minimum fill time and rate limits (jcr.core.abuse).
ACCOUNT_FORMS = {"signup": "jcr.accounts.forms.ResidentSignupForm"}
MFA_RATE_LIMITS = False
# Sessions are recorded at sign-in (to end them all at sign-out); not rewritten on every request.
USERSESSIONS_TRACK_ACTIVITY = False

# Sign-in throttle (wrong passwords and codes): per client address and per (address, e-mail),
# the first FREE failures within the window cost nothing; after that each failure makes the
# next attempt wait JCR_LOGIN_BACKOFF_SECONDS, doubling, at most JCR_LOGIN_BACKOFF_MAX_MINUTES.
JCR_LOGIN_FREE_FAILURES_PER_ACCOUNT = envint("JCR_LOGIN_FREE_FAILURES_PER_ACCOUNT", 5)
JCR_LOGIN_FREE_FAILURES_PER_IP = envint("JCR_LOGIN_FREE_FAILURES_PER_IP", 30)
JCR_LOGIN_THROTTLE_WINDOW = timedelta(minutes=envint("JCR_LOGIN_THROTTLE_WINDOW_MINUTES", 60))
JCR_LOGIN_BACKOFF_SECONDS = envint("JCR_LOGIN_BACKOFF_SECONDS", 30)
JCR_LOGIN_BACKOFF_MAX = timedelta(minutes=envint("JCR_LOGIN_BACKOFF_MAX_MINUTES", 60))
# Lock: JCR_LOCKOUT_ATTEMPTS wrong second-factor codes after the right password within
# JCR_LOCKOUT_WINDOW_MINUTES lock the account for JCR_LOCKOUT_MINUTES (wrong passwords never lock).
JCR_LOCKOUT_ATTEMPTS = envint("JCR_LOCKOUT_ATTEMPTS", 5)
JCR_LOCKOUT_WINDOW = timedelta(minutes=envint("JCR_LOCKOUT_WINDOW_MINUTES", 15))
JCR_LOCKOUT_DURATION = timedelta(minutes=envint("JCR_LOCKOUT_MINUTES", 60))
for _name in (
    "JCR_LOGIN_FREE_FAILURES_PER_ACCOUNT",
    "JCR_LOGIN_FREE_FAILURES_PER_IP",
    "JCR_LOGIN_THROTTLE_WINDOW_MINUTES",
    "JCR_LOGIN_BACKOFF_SECONDS",
    "JCR_LOGIN_BACKOFF_MAX_MINUTES",
    "JCR_LOCKOUT_ATTEMPTS",
    "JCR_LOCKOUT_WINDOW_MINUTES",
    "JCR_LOCKOUT_MINUTES",
):
    if envint(_name, 1) < 1:
        raise ImproperlyConfigured(f"{_name} must be a positive integer")
JCR_IDLE_TIMEOUT = timedelta(minutes=envint("JCR_IDLE_TIMEOUT_MINUTES", 30))
JCR_IDLE_WARNING = timedelta(minutes=2)
JCR_SESSION_ABSOLUTE_LIMIT = timedelta(hours=envint("JCR_SESSION_ABSOLUTE_HOURS", 12))

# --- Public forms and uploads (jcr.core.abuse, jcr.core.uploads) -------------------------
JCR_FORM_MIN_FILL_SECONDS = envint("JCR_FORM_MIN_FILL_SECONDS", 3)
JCR_FORM_MAX_AGE_HOURS = envint("JCR_FORM_MAX_AGE_HOURS", 24)
# Per scope (one per public form): "COUNT/[N]UNIT/KEY,..." with UNIT s/m/h/d and KEY ip or
# email, or "off". JCR_RATE_LIMITS="signup=10/h/ip;concern_submit=20/h/ip,5/h/email" replaces
# the scopes it names and keeps the others.
JCR_RATE_LIMITS = _parse_rate_limits(
    {
        "signup": "10/h/ip,3/h/email",
        "concern_submit": "10/h/ip,5/h/email",
        "concern_update": "20/h/ip,10/h/email",
        # A resident's "add information" and "not fixed" on one concern: "email" counts per concern.
        "concern_update_each": "5/h/email,20/d/email",
        # "E-mail me the links" of a tracking page: "email" counts per concern.
        "concern_links": "10/h/ip,3/d/email",
        "misconduct_submit": "5/h/ip,3/h/email",
        "claim_submit": "5/h/ip,3/h/email",
        "public_records_request": "10/h/ip,5/h/email",
        "event_register": "20/h/ip,5/h/email",
        # "Resend my registration link" of an event: per client and per address.
        "event_link_resend": "10/h/ip,3/h/email",
        "presentation_request": "5/h/ip,3/h/email",
        "dialogue_apply": "5/h/ip,3/h/email",
        # Address suggestions and lookups (jcr.core.geocoding): one per pause in typing.
        "geocode": "60/m/ip,600/h/ip",
        "media_inquiry": "10/h/ip,5/h/email",
        "newsletter_subscribe": "10/h/ip,3/h/email",
        # Following a concern, area alerts: confirmation e-mails per client and per address.
        "concern_follow": "10/h/ip,5/h/email",
        "area_alert": "10/h/ip,3/h/email",
        # "Me too" on a concern (counted once per device anyway): per client.
        "concern_me_too": "30/h/ip,100/d/ip",
        # Open311 POST requests: "ip" counts per client IP, "email" per API key (not per resident).
        "open311_post": "60/h/ip,600/h/email",
        # A prosecutor's officer lookup in the disclosure index: "email" counts per person.
        "disclosure_lookup": "30/h/email,100/d/email,60/h/ip",
        # The public map's data and the report form's "already reported nearby" (JSON, per IP).
        "publicmap_data": "600/h/ip",
        "publicmap_nearby": "120/h/ip",
    }
    | _parse_rate_limits(env.str("JCR_RATE_LIMITS", default=""))
)
# Open311 GeoReport v2 (prosecution.open311): the jurisdiction_id clients may send.
JCR_OPEN311_JURISDICTION = env.str("JCR_OPEN311_JURISDICTION", default="sacramento-da.example")
# Service levels of neighborhood concerns, in business days (weekends and JCR_HOLIDAYS are
# skipped): the defaults when no row of Admin → Service levels matches a concern.
JCR_CONCERN_ACK_DAYS = envint("JCR_CONCERN_ACK_DAYS", 2)
JCR_CONCERN_RESOLVE_DAYS = envint("JCR_CONCERN_RESOLVE_DAYS", 30)
for _name in ("JCR_CONCERN_ACK_DAYS", "JCR_CONCERN_RESOLVE_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a positive integer")
if JCR_CONCERN_RESOLVE_DAYS < JCR_CONCERN_ACK_DAYS:
    raise ImproperlyConfigured("JCR_CONCERN_RESOLVE_DAYS must be at least JCR_CONCERN_ACK_DAYS")


# County holidays that are not business days: comma-separated ISO dates.
JCR_HOLIDAYS = _parse_holidays(env.str("JCR_HOLIDAYS", default=""))
JCR_UPLOAD_MAX_BYTES = envint("JCR_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
JCR_UPLOAD_MAX_PIXELS = envint("JCR_UPLOAD_MAX_PIXELS", 40_000_000)
# Podcast audio staff upload (outreach.media.files).
JCR_AUDIO_MAX_BYTES = envint("JCR_AUDIO_MAX_BYTES", 300 * 1024 * 1024)
for _name in ("JCR_FORM_MAX_AGE_HOURS", "JCR_UPLOAD_MAX_BYTES", "JCR_UPLOAD_MAX_PIXELS", "JCR_AUDIO_MAX_BYTES"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a positive integer")
if JCR_UPLOAD_MAX_PIXELS > 178_956_970:  # twice PIL.Image.MAX_IMAGE_PIXELS: Pillow refuses more itself
    raise ImproperlyConfigured("JCR_UPLOAD_MAX_PIXELS must be at most 178956970")
if JCR_FORM_MIN_FILL_SECONDS < 0:
    raise ImproperlyConfigured("JCR_FORM_MIN_FILL_SECONDS must be 0 or more")

# --- Sessions, cookies and security headers --------------------------------------------
SECURE_COOKIES = envbool("JCR_SECURE_COOKIES", not DEBUG)
# Sessions are read from the cache (Redis) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = int(JCR_SESSION_ABSOLUTE_LIMIT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The __Host- prefix binds a cookie to this exact host over HTTPS; browsers refuse it on
# cookies without Secure, so it is only used when cookies are secure.
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"

SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# "preload" only allows a submission to the browsers' preload list; nothing is submitted by it.
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("JCR_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies (load balancer, CDN) stand in front of the application and append to
# X-Forwarded-For. 0: the header is ignored and the connection's address is the client's;
# N: the Nth address from the right (jcr.core.middleware.client_ip, used for every client
# address: audit trail, sign-in throttle, rate limits, allauth).
JCR_TRUSTED_PROXIES = envint("JCR_TRUSTED_PROXIES", 0)
if JCR_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("JCR_TRUSTED_PROXIES must be 0 or more")
ALLAUTH_TRUSTED_PROXY_COUNT = JCR_TRUSTED_PROXIES

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# The maps' basemap (Leaflet): a tile URL template ({s} subdomain, {z}/{x}/{y}), the attribution
# the tile provider requires and the deepest zoom it serves. Default: OpenStreetMap's tiles
# (their usage policy suits a portal's light use; a busy deployment points this at its own or a
# commercial tile server). Empty: no basemap. Tests load no tiles. The districts are drawn from
# their boundaries over the tiles, so a map whose tiles do not load still shows them.
MAP_TILE_URL = env.str("JCR_MAP_TILE_URL", default="" if TESTING else "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "JCR_MAP_TILE_ATTRIBUTION",
    default='© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
MAP_TILE_SUBDOMAINS = env.str("JCR_MAP_TILE_SUBDOMAINS", default="abc")
MAP_TILE_MAX_ZOOM = envint("JCR_MAP_TILE_MAX_ZOOM", 19)
if not 1 <= MAP_TILE_MAX_ZOOM <= 24:
    raise ImproperlyConfigured("JCR_MAP_TILE_MAX_ZOOM must be between 1 and 24")
# Address search (jcr.core.geocoding): "demo" (the default: a built-in gazetteer of the demo
# districts' streets, no network), "census" (the US Census Bureau's geocoder, no key) or
# "nominatim" (OpenStreetMap's Nominatim, or your own with JCR_GEOCODER_DOMAIN; it needs a user
# agent naming the deployment and a contact). Results are kept in the cache; calls to the
# provider are spaced by JCR_GEOCODER_MIN_DELAY_SECONDS per process and time out after
# JCR_GEOCODER_TIMEOUT_SECONDS. Results outside JCR_GEOCODER_BOUNDS ("min_lon,min_lat,max_lon,
# max_lat"; empty: the extent of the loaded areas) are dropped.
JCR_GEOCODER = env.str("JCR_GEOCODER", default="demo").strip().lower()
if JCR_GEOCODER not in ("demo", "census", "nominatim"):
    raise ImproperlyConfigured("JCR_GEOCODER must be demo, census or nominatim")
JCR_GEOCODER_USER_AGENT = env.str("JCR_GEOCODER_USER_AGENT", default="")
if JCR_GEOCODER == "nominatim" and not JCR_GEOCODER_USER_AGENT.strip():
    raise ImproperlyConfigured(
        "JCR_GEOCODER=nominatim needs JCR_GEOCODER_USER_AGENT naming the portal and a contact, "
        "e.g. 'jcr-portal (webmaster@da.example.gov)'"
    )
JCR_GEOCODER_DOMAIN = env.str("JCR_GEOCODER_DOMAIN", default="")
JCR_GEOCODER_TIMEOUT_SECONDS = envint("JCR_GEOCODER_TIMEOUT_SECONDS", 5)
JCR_GEOCODER_MIN_DELAY_SECONDS = env.float("JCR_GEOCODER_MIN_DELAY_SECONDS", default=1.0)
JCR_GEOCODER_CACHE_SECONDS = envint("JCR_GEOCODER_CACHE_SECONDS", 7 * 86400)
JCR_GEOCODER_BOUNDS = env.str("JCR_GEOCODER_BOUNDS", default="")
if JCR_GEOCODER_TIMEOUT_SECONDS < 1 or JCR_GEOCODER_MIN_DELAY_SECONDS < 0 or JCR_GEOCODER_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("JCR_GEOCODER_TIMEOUT_SECONDS must be positive; the delay and cache time 0 or more")
# The Community Prosecution Unit's general contact, shown on residents' pages with the
# prosecutor's card (placeholders until the bureau publishes its own).
JCR_CPU_CONTACT_EMAIL = env.str("JCR_CPU_CONTACT_EMAIL", default="cpu@da.example.gov")
JCR_CPU_CONTACT_PHONE = env.str("JCR_CPU_CONTACT_PHONE", default="(916) 874-6218")
# Whom a prosecutor contacts when the officer lookup finds a disclosure index entry (JTI).
JCR_JTI_CONTACT_EMAIL = env.str("JCR_JTI_CONTACT_EMAIL", default="jti@da.example.gov")
JCR_JTI_CONTACT_PHONE = env.str("JCR_JTI_CONTACT_PHONE", default="(916) 874-6100")
# Problem-solving projects: a location counts concerns within JCR_PROJECT_RADIUS_M metres; it
# is a repeat location with JCR_PROJECT_REPEAT_MIN or more in the last 12 months; outcome
# measures compare the JCR_PROJECT_OUTCOME_DAYS days before the response started with the
# same number of days after. Residents get the "is it fixed?" question JCR_FOLLOWUP_DAYS days
# after resolution; its link works for JCR_FOLLOWUP_VALID_DAYS days.
JCR_PROJECT_RADIUS_M = envint("JCR_PROJECT_RADIUS_M", 150)
JCR_PROJECT_REPEAT_MIN = envint("JCR_PROJECT_REPEAT_MIN", 3)
JCR_PROJECT_OUTCOME_DAYS = envint("JCR_PROJECT_OUTCOME_DAYS", 90)
JCR_FOLLOWUP_DAYS = envint("JCR_FOLLOWUP_DAYS", 28)
JCR_FOLLOWUP_VALID_DAYS = envint("JCR_FOLLOWUP_VALID_DAYS", 60)
# The signed links in a resident's e-mails that let them add information to their concern or
# say it is not fixed work for this many days (each new e-mail about the concern brings fresh ones).
JCR_CONCERN_LINK_DAYS = envint("JCR_CONCERN_LINK_DAYS", 90)
for _name in (
    "JCR_CONCERN_LINK_DAYS",
    "JCR_PROJECT_RADIUS_M",
    "JCR_PROJECT_REPEAT_MIN",
    "JCR_PROJECT_OUTCOME_DAYS",
    "JCR_FOLLOWUP_DAYS",
    "JCR_FOLLOWUP_VALID_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a positive integer")
# Legal update bulletins: a reminder to those who have not acknowledged one every this many
# days after it was published (at most three).
JCR_LEGAL_UPDATE_REMINDER_DAYS = envint("JCR_LEGAL_UPDATE_REMINDER_DAYS", 7)
if JCR_LEGAL_UPDATE_REMINDER_DAYS < 1:
    raise ImproperlyConfigured("JCR_LEGAL_UPDATE_REMINDER_DAYS must be a positive integer")
# Government Relations: the Open States API v3 (https://docs.openstates.org/api-v3/). Without a
# key the sync command and the nightly task refuse to run and say so; nothing else needs it.
OPENSTATES_API_URL = env.str("OPENSTATES_API_URL", default="https://v3.openstates.org").rstrip("/")
OPENSTATES_API_KEY = envsecret("OPENSTATES_API_KEY", default="") or ""
OPENSTATES_TIMEOUT_SECONDS = envint("OPENSTATES_TIMEOUT_SECONDS", 30)
# The key's limits (the free tier answers "exceeded limit of 10/min"), shared by every process
# through the database; a run stops when the day's budget is spent and resumes the next day.
OPENSTATES_REQUESTS_PER_MINUTE = envint("OPENSTATES_REQUESTS_PER_MINUTE", 10)
OPENSTATES_REQUESTS_PER_DAY = envint("OPENSTATES_REQUESTS_PER_DAY", 250)
OPENSTATES_MAX_RETRIES = envint("OPENSTATES_MAX_RETRIES", 4)  # per request, on 429, 5xx or no answer
OPENSTATES_RUN_TIME_LIMIT_MINUTES = envint("OPENSTATES_RUN_TIME_LIMIT_MINUTES", 120)
# Action classifications left out of the weekly digest (noise), comma-separated.
JCR_GOVREL_DIGEST_SKIP = env.list(
    "JCR_GOVREL_DIGEST_SKIP", default=["reading-1", "reading-2", "referral-committee", "filing"]
)
_tile_origins = _tile_origins_of(MAP_TILE_URL, MAP_TILE_SUBDOMAINS)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files never served as media (attachments to confidential records): empty means a
# "private_media" folder next to MEDIA_ROOT.
JCR_PRIVATE_MEDIA_ROOT = env.str("JCR_PRIVATE_MEDIA_ROOT", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Look static files up per request in development and tests instead of listing every file when
# the middleware is built: a test client builds it anew, and the listing cost 0.2 s each time.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -----------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = envsecret("DJANGO_EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="JCR Portal <no-reply@jcr.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Administrators", a) for a in env.list("DJANGO_ADMINS", default=[])]
# Error reports of requests about confidential records carry no POST or GET value, query
# string or local variable.
DEFAULT_EXCEPTION_REPORTER_FILTER = "jcr.core.errors.ConfidentialExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "jcr.core.errors.ConfidentialExceptionReporter"

# --- Celery -----------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    # max_retries/interval_*: how long a publish keeps trying to open a connection to a broker
    # that is down (kombu's default is several seconds, spent inside a resident's request).
    # Two quick attempts, then the row stays pending for the minute sweep.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
else:
    # No server needed: kombu's filesystem transport keeps messages as files under var/.
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish that cannot reach the broker gives up quickly: the row stays pending and the
# minute sweep enqueues it again, so a broker outage delays work and never loses it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = envbool("JCR_CELERY_EAGER", False)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Logging ----------------------------------------------------------------------------
# json: one JSON object a line (for a log collector); plain: one readable line. Either way
# every line of the web, the worker and beat carries the request id (jcr.core.logs).
JCR_LOG_FORMAT = env.str("JCR_LOG_FORMAT", default="plain" if DEBUG else "json").strip().lower()
LOGGING = _logging_config(fmt=JCR_LOG_FORMAT, level=env.str("JCR_LOG_LEVEL", default="INFO"))

# --- Error reports (jcr.core.sentry) -----------------------------------------------------
# Off unless SENTRY_DSN is set. Events carry no request body, cookie, query string, local
# variable, IP or e-mail address (jcr.core.sentry.scrub_event).
SENTRY_DSN = envsecret("SENTRY_DSN", "") or ""
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")
try:
    SENTRY_TRACES_SAMPLE_RATE = float(env.str("SENTRY_TRACES_SAMPLE_RATE", default="0"))
except ValueError as exc:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number between 0 and 1") from exc
if not 0 <= SENTRY_TRACES_SAMPLE_RATE <= 1:
    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number between 0 and 1")
_sentry_configure(
    dsn=SENTRY_DSN,
    environment=SENTRY_ENVIRONMENT,
    release=SENTRY_RELEASE,
    traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
)

# --- Health and deployment shape (jcr.core.health, jcr.core.checks) ----------------------
# /healthz/ready fails when the worker's or beat's last heartbeat (each minute) is older.
JCR_HEARTBEAT_MAX_AGE_SECONDS = envint("JCR_HEARTBEAT_MAX_AGE_SECONDS", 180)
if JCR_HEARTBEAT_MAX_AGE_SECONDS < 60:
    raise ImproperlyConfigured("JCR_HEARTBEAT_MAX_AGE_SECONDS must be at least 60")
# One machine runs everything: `check --deploy` then accepts SQLite, the in-process cache, the
# filesystem broker and media on local disk.
JCR_SINGLE_HOST = envbool("JCR_SINGLE_HOST", False)
# MEDIA_ROOT and the private media folder are on a volume every web and worker host mounts.
JCR_SHARED_MEDIA = envbool("JCR_SHARED_MEDIA", False)
