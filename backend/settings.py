"""One settings module, driven by environment variables (see README "Configuration").

Defaults are for a laptop: SQLite next to the code, DEBUG off, no HTTPS.
Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and HTTPS=1.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from xstatic.pkg import leaflet, leaflet_markercluster

BASE_DIR = Path(__file__).resolve().parent.parent

# openpyxl switches to lxml for reading and writing workbooks whenever lxml is importable, and
# pikepdf (attachments) brings lxml: the same export would then come out with other bytes and
# a stored CR would read back differently. Pin the standard-library path, the one every
# export, import and sample file was written and tested with. Set before openpyxl is imported.
os.environ.setdefault("OPENPYXL_LXML", "False")


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# The "django-insecure-" prefix makes `check --deploy` fail if production forgets SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-dev-only-key-for-laptops-and-tests-0123456789")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # "ninja" serves Swagger UI from its own static files instead of a CDN.
    "ninja",
    "pwa",
    "backend.accounts",
    "backend.enterprises",
    "backend.sites",
    "backend.visits",
    "backend.demands",
    "backend.projects",
    "backend.consultations",
    "backend.policies",
    "backend.workdays",
    "backend.attachments",
    "backend.economy",
    "backend.join",
    "backend.basemap",
    "backend.reports",
    "backend.demo",
    "backend.notifications",
    "django_tasks",
    "django_tasks_db",
    "backend.jobs",
    "backend.ratelimit",
    "backend.ops",
]

MIDDLEWARE = [
    "backend.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The PWA shell (frontend_static/index.html) is a template so that it
        # can carry hashed static URLs and set the CSRF cookie.
        "DIRS": [BASE_DIR / "frontend_static"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite in WAL mode with IMMEDIATE transactions: writers queue on the busy
# timeout instead of failing with "database is locked" when a read transaction
# tries to upgrade to a write.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA cache_size=-65536;"
        "PRAGMA mmap_size=268435456;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'dianxiaoer.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
    # Tests use a file too, not SQLite's shared-cache memory database: that one
    # answers concurrent writers with "table is locked" at once instead of
    # waiting, so concurrency tests would test the wrong thing.
    # One file per test process, so two test runs on one machine don't share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test_dianxiaoer_{os.getpid()}.sqlite3")}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs ~50 ms per query and pays off only for long analytics;
    # every query here is meant to answer a phone or a manager in well under that.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # One test database per test process, so two test runs on one machine don't collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are a PostgreSQL speed-up; SQLite builds the same index
# without the extra columns, which is all it needs (see Visit.Meta.indexes).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache (SMS codes) --------------------------------------------------------
# Shared by every worker process, so the default is the database cache, not
# per-process memory; Redis if you prefer. (Rate-limit counters are not here but
# in their own table, counted atomically: backend/ratelimit/limits.py.)
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Several towns (or test runs) may share one Redis.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "dxe"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "dxe_cache",
            # The default 300 entries would cull live SMS codes (a third of the
            # table at a time) as soon as a few hundred people ask for one.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- Background work ------------------------------------------------------
# Every task goes through the Tasks API (django-tasks), so the queue is a setting:
# the database by default (no broker; SQLite or PostgreSQL), or RQ on Redis for a
# city whose database queue cannot keep up (README "Background work").
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A worker beats every JOBS_BEAT_S seconds; a running task whose worker has not beaten
# for JOBS_WORKER_STALE_S is requeued, up to JOBS_MAX_ATTEMPTS claims in all.
JOBS_BEAT_S = float(os.environ.get("JOBS_BEAT_S", "5"))
JOBS_WORKER_STALE_S = float(os.environ.get("JOBS_WORKER_STALE_S", "60"))
JOBS_MAX_ATTEMPTS = 3
# Daily jobs the workers queue once a day each: (name, local time, task taking `key`).
# Each is also a management command for a town that prefers cron.
JOBS_DAILY = [
    ("coarsen_locations", "02:30", "backend.visits.tasks.coarsen_locations"),
    ("jobs_prune", "03:30", "backend.jobs.tasks.prune"),
    ("remind_unconfirmed_sites", "09:00", "backend.sites.tasks.remind_unconfirmed_sites"),
    ("snapshot_metrics", "23:30", "backend.reports.tasks.snapshot_metrics"),
    # Safety net: deliveries whose task was lost (a task failed for good) are queued again.
    ("notify_resume", "07:30", "backend.notifications.tasks.resume"),
    # From 1 November: next year's holiday schedule not entered yet → admins are told.
    ("warn_missing_schedule", "09:30", "backend.workdays.tasks.warn_missing_schedule"),
]
# Jobs the workers queue once every N minutes: (name, minutes, task taking `key`).
JOBS_EVERY = [
    # Reminders and escalations of demand deadlines; the task itself holds them outside
    # working hours, so the period only sets how late within the hour one may arrive.
    ("demand_reminders", 15, "backend.demands.tasks.demand_reminders"),
    # The same for consultations; it also closes those answered long ago.
    ("consultation_reminders", 15, "backend.consultations.tasks.consultation_reminders"),
]
# Files made by jobs (exports) are kept this many days; task records and keys longer.
JOB_FILE_DAYS = int(os.environ.get("JOB_FILE_DAYS", "7"))
JOB_RECORD_DAYS = int(os.environ.get("JOB_RECORD_DAYS", "30"))
# Exports (issue 11 item 9): no range longer than EXPORT_MAX_DAYS; a range longer than
# EXPORT_SYNC_MAX_DAYS, or more than EXPORT_SYNC_MAX_ROWS visits, is made by a worker
# (202 and a job to watch); a user has at most EXPORT_JOBS_PER_USER unfinished at once.
EXPORT_MAX_DAYS = int(os.environ.get("EXPORT_MAX_DAYS", "366"))
EXPORT_SYNC_MAX_DAYS = int(os.environ.get("EXPORT_SYNC_MAX_DAYS", "93"))
EXPORT_SYNC_MAX_ROWS = int(os.environ.get("EXPORT_SYNC_MAX_ROWS", "5000"))
EXPORT_JOBS_PER_USER = int(os.environ.get("EXPORT_JOBS_PER_USER", "3"))

# --- Working days and deadlines (backend/workdays, docs/workdays.md) ---------
# Deadlines end at WORKDAY_END on a working day; reminders go out between START and END.
WORKDAY_START = os.environ.get("WORKDAY_START", "09:00")
WORKDAY_END = os.environ.get("WORKDAY_END", "17:30")
# Other processes see an admin's new holiday schedule within this many seconds.
WORKDAYS_CACHE_CHECK_S = float(os.environ.get("WORKDAYS_CACHE_CHECK_S", "5"))
# From this day (MM-DD) of each year, admins are warned daily while next year has no schedule.
WORKDAYS_WARN_FROM = os.environ.get("WORKDAYS_WARN_FROM", "11-01")
# A demand's time limit when the person assigning it gives none (working days).
DEMAND_WORKING_DAYS = int(os.environ.get("DEMAND_WORKING_DAYS", "5"))
# Consultations (backend/consultations): answered within this many working days of submission;
# routed by category to an org unit code (e.g. {"policy": "ZC"}), else to the unit of the
# enterprise's assigned staff member, else to CONSULTATION_DEFAULT_UNIT (an org unit code).
CONSULTATION_WORKING_DAYS = int(os.environ.get("CONSULTATION_WORKING_DAYS", "2"))
CONSULTATION_ROUTES: dict[str, str] = {}
CONSULTATION_DEFAULT_UNIT = os.environ.get("CONSULTATION_DEFAULT_UNIT", "")
# An answered consultation nobody followed up is closed after this many days.
CONSULTATION_AUTO_CLOSE_DAYS = int(os.environ.get("CONSULTATION_AUTO_CLOSE_DAYS", "7"))

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# With Redis, sessions are read from the cache and written through to the database
# (`cached_db`): a check-in then costs no session query, and a Redis flush logs nobody
# out. Without Redis the cache *is* the database, so plain database sessions are cheaper.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The PWA reads the CSRF cookie and sends it back as X-CSRFToken.
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"

# Failed logins, on every login path (backend/accounts/throttle.py says why these):
# LOGIN_FAILURE_LIMIT per LOGIN_FAILURE_WINDOW seconds per (account, IP); per day
# LOGIN_FAILURE_PAIR_DAILY per (account, IP) and LOGIN_FAILURE_ACCOUNT_DAILY per
# account from devices it never logged in from; LOGIN_FAILURE_IP_LIMIT per window
# per IP over all accounts. Past any of them: 429, even for the right password.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("LOGIN_FAILURE_WINDOW", "900"))
LOGIN_FAILURE_PAIR_DAILY = int(os.environ.get("LOGIN_FAILURE_PAIR_DAILY", "20"))
LOGIN_FAILURE_ACCOUNT_DAILY = int(os.environ.get("LOGIN_FAILURE_ACCOUNT_DAILY", "50"))
LOGIN_FAILURE_IP_LIMIT = int(os.environ.get("LOGIN_FAILURE_IP_LIMIT", str(4 * LOGIN_FAILURE_LIMIT)))

# The first-use privacy notice (frontend_static/account/privacy-screen.js). Raise the
# version when its text changes: every user is asked to read it once more.
PRIVACY_NOTICE_VERSION = "2026-12"  # 2026-12: the login-device mark, visit ratings
# Check-in positions older than this are coarsened to about 100 m (PIPL: keep
# whereabouts no longer than needed). `manage.py coarsen_locations` runs daily.
LOCATION_RETENTION_DAYS = int(os.environ.get("LOCATION_RETENTION_DAYS", "365"))

# SMS (backend/sms): the console backend prints to the log; Alibaba Cloud SMS is
# backend.sms.aliyun.AliyunSmsBackend with the SMS_ALIYUN_* settings (README "SMS").
SMS_BACKEND = os.environ.get("SMS_BACKEND", "backend.sms.backends.ConsoleSmsBackend")
SMS_CODE_TTL = int(os.environ.get("SMS_CODE_TTL", "300"))
SMS_CODE_MAX_ATTEMPTS = 5
SMS_TIMEOUT_S = float(os.environ.get("SMS_TIMEOUT_S", "10"))
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_REGION = os.environ.get("SMS_ALIYUN_REGION", "cn-hangzhou")
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_SIGN_NAME = os.environ.get("SMS_ALIYUN_SIGN_NAME", "")
# Our template names → the approved template codes, e.g. "login_code=SMS_123,notice=SMS_456".
SMS_ALIYUN_TEMPLATES = dict(item.split("=", 1) for item in envlist("SMS_ALIYUN_TEMPLATES", "") if "=" in item)

# --- Notifications: delivery per channel (backend/notifications, README "Notifications") ---
# Which channels each kind of notice goes through: the exact kind, then "<app>.*", then "*".
# The inbox is always one of them; SMS reaches only recipients with a mobile number, push
# only those who switched it on (most Android phones in mainland China cannot receive it).
NOTIFY_CHANNELS = {
    "sites.*": ["inbox", "push"],
    "policies.campaign": ["inbox", "sms", "push"],
    # Officials in the field: push rarely reaches an Android phone in China, SMS does.
    "demands.remind": ["inbox", "sms", "push"],
    "demands.overdue": ["inbox", "sms", "push"],
    "consultations.remind": ["inbox", "sms", "push"],
    "consultations.overdue": ["inbox", "sms", "push"],
    "*": ["inbox", "push"],
}
# A temporary failure is retried after NOTIFY_RETRY_BASE_S × 3^(n-1) (at most NOTIFY_RETRY_MAX_S),
# NOTIFY_MAX_ATTEMPTS attempts in all. An attempt whose worker died is taken up again after
# NOTIFY_SEND_LEASE_S (far above SMS_TIMEOUT_S), after asking the provider whether it went out.
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "6"))
NOTIFY_RETRY_BASE_S = float(os.environ.get("NOTIFY_RETRY_BASE_S", "30"))
NOTIFY_RETRY_MAX_S = float(os.environ.get("NOTIFY_RETRY_MAX_S", "3600"))
NOTIFY_SEND_LEASE_S = float(os.environ.get("NOTIFY_SEND_LEASE_S", "120"))
# Deliveries per task; several workers send the chunks of one batch side by side.
NOTIFY_CHUNK = int(os.environ.get("NOTIFY_CHUNK", "200"))
# SMS delivery receipts are read this many seconds after sending (then given up: "sent").
NOTIFY_RECEIPT_DELAYS_S = [int(s) for s in envlist("NOTIFY_RECEIPT_DELAYS_S", "60,300,1800,7200")]

# Web Push (VAPID, RFC 8292): `manage.py generate_vapid_keys` prints a key pair. Without
# keys the push channel is off and the PWA says so.
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@example.gov.cn")
# The server POSTs to a browser's push endpoint: only to these push services (no SSRF).
# "https://*.example.com" allows subdomains.
WEBPUSH_ENDPOINT_ORIGINS = envlist(
    "WEBPUSH_ENDPOINT_ORIGINS",
    "https://fcm.googleapis.com,https://updates.push.services.mozilla.com,https://*.push.apple.com,"
    "https://*.notify.windows.com",
)
WEBPUSH_TTL_S = int(os.environ.get("WEBPUSH_TTL_S", str(24 * 3600)))

# --- i18n -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files and the PWA -----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STATICFILES_DIRS = [
    ("app", BASE_DIR / "frontend_static"),
    # Leaflet comes from PyPI packages, served by us: no CDN at runtime.
    ("vendor/leaflet", leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", leaflet_markercluster.BASE_DIR),
    # From the npm registry via package-lock.json (`make install` runs `npm ci`).
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/idb", BASE_DIR / "node_modules" / "idb" / "build"),
    # The built front end (backend/frontend.py): content-hashed, precompressed by the build.
    ("build", BASE_DIR / "var" / "build" / "static"),
]
FRONTEND_BUILD_DIR = BASE_DIR / "var" / "build"
(FRONTEND_BUILD_DIR / "static").mkdir(parents=True, exist_ok=True)
# Serve the built bundles (the default, and what the browser tests run on); 0 serves the
# readable sources under /static/app/ as they are, for editing without a build.
FRONTEND_BUILD = envbool("FRONTEND_BUILD", True)
# Serve straight from the finders: `make demo` and tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG


def _immutable(path: str, url: str) -> bool:
    """Built files carry their content hash in their name: cached for a year, never re-checked."""
    return url.startswith(f"{STATIC_URL}build/") and re.search(r"-[A-Z0-9]{8}\.\w+$", url) is not None


WHITENOISE_IMMUTABLE_FILE_TEST = _immutable
# collectstatic (production) gzips what it copies; the build's files come precompressed (gzip + brotli).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploaded photos. Not served under a public URL: the API checks who may see each one.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
PHOTO_MAX_BYTES = 10 * 1024 * 1024
# Photos and PDFs on demands and consultations (backend/attachments): per file, per item, per
# person a day; a PDF's pages (a licence or a floor plan is a few; a 200-page file is a book).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_PDF_MAX_PAGES = int(os.environ.get("ATTACHMENT_PDF_MAX_PAGES", 100))
ATTACHMENTS_PER_ITEM = 9
ATTACHMENTS_PER_DAY = int(os.environ.get("ATTACHMENTS_PER_DAY", 60))

# The monthly indicator spreadsheet (backend/economy/imports.py): a town's 24 months of a few
# thousand enterprises is ~100,000 rows and ~5 MB.
ECONOMY_IMPORT_MAX_BYTES = int(os.environ.get("ECONOMY_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
ECONOMY_IMPORT_MAX_ROWS = int(os.environ.get("ECONOMY_IMPORT_MAX_ROWS", 200_000))
# Decoded pixels per photo (backend/images.py): PNG/WebP above it are refused from their
# header, a JPEG is decoded reduced (1/2, 1/4, 1/8) to fit. 4096 × 4096 by default.
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 4096 * 4096))
# Photo decodes at once per process, how long a request waits for a slot, and the
# Retry-After of the 503 it gets when none frees up.
PHOTO_DECODE_CONCURRENCY = int(os.environ.get("PHOTO_DECODE_CONCURRENCY", 1))
PHOTO_DECODE_WAIT_S = float(os.environ.get("PHOTO_DECODE_WAIT_S", 2))
PHOTO_DECODE_RETRY_AFTER_S = 5
# Any request body; above it → 413 before the body is read. Leaves room for a
# 10 MB photo's multipart framing so the photo endpoint can give its own message.
MAX_REQUEST_BYTES = 20 * 1024 * 1024
# Non-file request data (JSON bodies, form fields); uploaded files spill to disk above 2 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

PWA_SERVICE_WORKER_PATH = BASE_DIR / "frontend_static" / "sw.js"
PWA_APP_NAME = "店小二"
PWA_APP_DESCRIPTION = "镇级营商服务：走访打卡、闲置场地、留痕管理"
PWA_APP_THEME_COLOR = "#0b5cad"
PWA_APP_BACKGROUND_COLOR = "#ffffff"
PWA_APP_DISPLAY = "standalone"
PWA_APP_SCOPE = "/"
PWA_APP_START_URL = "/"
PWA_APP_ORIENTATION = "portrait"
PWA_APP_LANG = "zh-CN"
PWA_APP_DIR = "ltr"
PWA_APP_ICONS = [
    {"src": "/static/app/common/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "/static/app/common/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {"src": "/static/app/common/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
]
PWA_APP_ICONS_APPLE = [{"src": "/static/app/common/icons/icon-192.png", "sizes": "192x192"}]
PWA_APP_SPLASH_SCREEN = []

# Map tiles: "none" (draw only our own data), "osm", "tianditu:<key>", "amap".
# With "none" the map still shows the town boundary, roads and data layers.
MAP_TILES = os.environ.get("MAP_TILES", "none")
# Imported sites farther than this from the town boundary (when one is loaded) are
# refused unless the import says allow_far: a wrong CRS still gives valid lng/lat.
SITES_IMPORT_MAX_KM = float(os.environ.get("SITES_IMPORT_MAX_KM", "30"))

# --- Content-Security-Policy and Permissions-Policy --------------------------
# No inline scripts anywhere (the PWA registers its service worker from a module),
# and no inline styles either: Leaflet, Chart.js and our h() set element.style
# properties from JavaScript (CSSOM), which style-src does not govern; only
# style="" attributes and <style> elements in markup would need 'unsafe-inline'.
from backend.basemap.tiles import tile_origins  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *tile_origins(MAP_TILES)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Location and camera for our own pages only (check-in, visit photos); nothing else.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    "camera": ["self"],
    "microphone": [],
    "payment": [],
    "usb": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "interest-cohort": [],
}

# --- Security ---------------------------------------------------------------
# HTTPS=1 in production turns on HSTS, secure cookies and the HTTPS redirect.
HTTPS = envbool("HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# How many reverse proxies append to X-Forwarded-For; 0 = trust REMOTE_ADDR only
# (backend/kernel/clientip.py). ninja's own throttles, if ever used, read the same.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
NINJA_NUM_PROXIES = NUM_PROXIES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
