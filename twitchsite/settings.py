"""Settings for twitchsite, read from environment variables (documented in .env.example).

Defaults are safe for local use: DEBUG off, SQLite, a random secret key (make run keeps one).
Production sets DJANGO_SECURE=1, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets the classes django-stubs types as generic be subscripted at run time too, as bases:
# `class RedFlagForm(forms.ModelForm[RedFlag])`, `admin.StackedInline[Option, Question]`.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# DJANGO_SECURE=1: served over HTTPS behind a proxy that sets X-Forwarded-Proto.
SECURE = env_bool("DJANGO_SECURE")


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if SECURE:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_SECURE=1.")
    # Local use without a key (tests, one-off commands): a random key for this process, so
    # no one relies on a weak fixed key and nothing is written into the checkout. `make run`
    # passes a key kept in .venv, so answers and logins survive its restarts.
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
# Old keys, comma separated, still accepted while the new one takes over (sessions, signed
# values and the checker's encrypted answers, triage/state.py).
SECRET_KEY_FALLBACKS = [
    key.strip()
    for key in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",")
    if key.strip()
]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search lookups on PostgreSQL; inert on SQLite
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "content",
    "triage",
    "publishing",  # knows both: loading, backup, the content version, editorial roles
    "feedback",  # "Was this page helpful?" on the articles and the checker's result
]

MIDDLEWARE = [
    # First, so it sees every response last: headers on static files and error pages too.
    "twitchsite.headers.SecurityHeadersMiddleware",
    # /healthz for load balancers, before the host check and everything else.
    "twitchsite.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves the public pages views opted into (content/caching.py) before the rest runs.
    "content.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "twitchsite.errors.FriendlyMethodNotAllowed",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the unchanged policy written once per process (twitchsite/csp.py).
    "twitchsite.csp.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "twitchsite.urls"
WSGI_APPLICATION = "twitchsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "twitchsite.context_processors.site",
            ],
            # django-template-partials, set up by hand so that moving to Django 6
            # (partials built in) means deleting its two entries (here and the loader);
            # and the once tag, which base.html uses (twitchsite/fragments.py).
            "builtins": ["template_partials.templatetags.partials", "twitchsite.fragments"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    },
    # The checker's pages (triage/jinja2/triage/): personal, so rendered on every request,
    # and Jinja2 is the faster engine (twitchsite/jinja.py). Views ask for it by name.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "twitchsite.jinja.environment",
            "context_processors": ["twitchsite.context_processors.site"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# A shared cache lets several servers see an admin edit at once; without REDIS_URL each
# process keeps its own small memory cache and checks the content version on every use.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes; the benchmark and server tests point it at a temporary folder.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files that whitenoise serves with a one-year cache lifetime.
    "staticfiles": {"BACKEND": "twitchsite.storage.StaticFilesStorage"},
}

SITE_NAME = "Twitchy legs"
# The number to call in an emergency; 112 and 911 are always named beside it.
EMERGENCY_NUMBER = os.environ.get("TWITCH_EMERGENCY_NUMBER", "999")
# Every edit of content or the checker, made in the admin, passes this check before it
# commits: the symptom checker's safety gate (content/edit_check.py explains the hook).
EDIT_CHECK = "triage.gate.enforce"
# The permission that marks a member of the Clinical safety group (publishing's roles):
# needed to change what the checker knows.
CLINICAL_SAFETY_PERMISSION = "triage.change_combinationrule"
# The pages that ask "Was this page helpful?", by URL name: feedback about any other
# address is refused (feedback/forms.py), so no one can fill the table with made-up pages.
FEEDBACK_PAGES = [
    "content:condition",
    "content:remedies",
    "content:get_help",
    "content:tests",
    "triage:result",
]
# How long a person's signed checker answers stay readable (seconds).
CHECKER_STATE_MAX_AGE = 60 * 60

# django-axes: lock an account/IP pair after repeated failures, for a cool-off period.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# How many trusted proxies sit in front of the app (X-Forwarded-For hops to skip).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "twitchsite.client_ip.client_ip"
# A plain page saying when to try again (no inline script or style, like every page).
AXES_LOCKOUT_TEMPLATE = "axes/locked_out.html"

# Headers sent on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "twitchsite.errors.csrf_failure"

if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# django-csp 4: no inline scripts or styles anywhere; htmx is configured via a meta tag.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
