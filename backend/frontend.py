"""The built front end (README "Front end"): frontend_build.mjs bundles frontend_static/
with esbuild into settings.FRONTEND_BUILD_DIR and writes a manifest; this module runs
that build and reads the manifest for the shell page and the service worker.

With FRONTEND_BUILD=0 the unbundled sources are served instead (editing without a build)."""

import contextlib
import fcntl
import functools
import json
import shutil
import subprocess
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The vendors' stylesheets, before the app's own (every frontend_static/<domain>/*.css).
VENDOR_STYLESHEETS = ("vendor/leaflet/leaflet.css",)
# Vendor files the built app loads by URL rather than bundled: none today (Chart.js, 报表
# only, is fetched when first needed and not precached; sites/layer.js groups the map's
# markers itself since Leaflet.markercluster cost the start page 34 KB).
VENDOR_PRECACHE: tuple[str, ...] = ()


def source_dir() -> Path:
    return Path(settings.PWA_SERVICE_WORKER_PATH).parent


def manifest_path() -> Path:
    return Path(settings.FRONTEND_BUILD_DIR) / "manifest.json"


def _static_dirs() -> list[tuple[str, str]]:
    return [(prefix, str(Path(path).resolve())) for prefix, path in settings.STATICFILES_DIRS]


def _inputs() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return [*source_dir().rglob("*"), base / "frontend_build.mjs", base / "package-lock.json"]


def is_stale() -> bool:
    built = manifest_path()
    if not built.exists():
        return True
    stamp = built.stat().st_mtime
    return any(path.is_file() and path.stat().st_mtime > stamp for path in _inputs())


_building = threading.Lock()


@contextlib.contextmanager
def _one_build_at_a_time():
    # Threads of one server (DEBUG), and processes sharing the folder (the two test runs of
    # `make test`): the second waits, then finds the build fresh.
    root = Path(settings.FRONTEND_BUILD_DIR)
    root.mkdir(parents=True, exist_ok=True)
    with _building, open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build_if_stale() -> str | None:
    """Builds when a source is newer than the last build (the tests; DEBUG's shell page)."""
    with _one_build_at_a_time():
        return _build() if is_stale() else None


def build() -> str:
    """Runs the build; returns its one-line summary. Raises CalledProcessError with esbuild's message."""
    with _one_build_at_a_time():
        return _build()


def _build() -> str:
    base = Path(settings.BASE_DIR)
    node = shutil.which("node")
    if node is None:
        raise ImproperlyConfigured("node is missing: the front-end build needs Node.js (apt-get install nodejs)")
    if not (base / "node_modules" / "esbuild").exists():
        raise ImproperlyConfigured("esbuild is missing: run `npm ci` (make install)")
    root = Path(settings.FRONTEND_BUILD_DIR)
    config = {
        "source": str(source_dir().resolve()),
        "outdir": str((root / "static").resolve()),
        "manifest": str(manifest_path().resolve()),
        "prefix": "build",
        "staticDirs": _static_dirs(),
        "vendorStylesheets": [_find(path) for path in VENDOR_STYLESHEETS],
    }
    done = subprocess.run([node, str(base / "frontend_build.mjs"), json.dumps(config)], cwd=base, check=True, capture_output=True, text=True)
    read_manifest.cache_clear()
    return done.stdout.strip()


def _find(url_path: str) -> str:
    from django.contrib.staticfiles import finders

    found = finders.find(url_path)
    if not found:
        raise ImproperlyConfigured(f"static file {url_path} is missing")
    return str(Path(found).resolve())


@functools.cache
def _read_manifest(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_manifest() -> dict:
    path = manifest_path()
    if not path.exists():
        raise ImproperlyConfigured("the front end is not built: run `make build` (or set FRONTEND_BUILD=0 to serve the sources)")
    return _read_manifest(str(path), path.stat().st_mtime)


read_manifest.cache_clear = _read_manifest.cache_clear


def static_url(path: str) -> str:
    return f"{settings.STATIC_URL}{path}"


# The language whose strings are preloaded: the default one (common/i18n.js). A phone switched
# to English fetches its strings after the shell's; the unused Chinese ones cost it ~10 KB once.
PRELOAD_LANGUAGE = "zh"
# A visitor's start screen (shell/nav.js homeFor(null): the public site map) and what it loads
# as soon as it is drawn (Leaflet, imported by common/map.js). Preloaded for anonymous requests,
# so that they come with the shell's files rather than after the session check and a chain of imports.
VISITOR_START = ("sites/sites-screen.js",)
VISITOR_ON_MOUNT = ("leaflet-src.esm.js",)


def first_load(manifest: dict, urls: list[str], *, lang: str = PRELOAD_LANGUAGE) -> list[str]:
    """These built files and, in the order found, every built file they need before they run:
    what they import statically and the strings in `lang` their modules wait for (top-level await)."""
    outputs = manifest["outputs"]
    found: list[str] = []
    wanted = list(reversed(urls))
    while wanted:
        url = wanted.pop()
        if url in found:
            continue
        found.append(url)
        for imported in reversed(outputs[url]["imports"]):
            strings = (outputs[imported["url"]]["entry"] or "").endswith(f"/strings.{lang}.js")
            if imported["kind"] == "import-statement" or (imported["kind"] == "dynamic-import" and strings):
                wanted.append(imported["url"])
    return found


def built_files_of(manifest: dict, source_names: tuple[str, ...]) -> list[str]:
    """The built files holding a source module of one of these names (a vendor file by its file name)."""
    return [url for url, out in manifest["outputs"].items() if any(source.endswith(name) for name in source_names for source in out["sources"])]


def visitor_start_files(manifest: dict) -> list[str]:
    """The built files of a visitor's start screen and what it loads when drawn."""
    start = [manifest["byEntry"][name] for name in VISITOR_START]
    return first_load(manifest, start + built_files_of(manifest, VISITOR_ON_MOUNT))


def shell_assets(*, anonymous: bool = False) -> dict:
    """The shell page's stylesheets, module preloads and entry module. For an anonymous request
    the visitor's start screen is preloaded too."""
    if settings.FRONTEND_BUILD:
        manifest = read_manifest()
        entry = manifest["entry"]
        preload = first_load(manifest, [entry])
        if anonymous:
            preload += [url for url in visitor_start_files(manifest) if url not in preload]
        return {
            "stylesheets": [static_url(manifest["stylesheet"])],
            "preloads": [static_url(url) for url in preload if url != entry],
            "entry": static_url(entry),
        }
    root = source_dir()
    own = sorted(root.glob("*/*.css"), key=lambda path: (path.relative_to(root).as_posix() != "common/app.css", path.as_posix()))
    return {
        "stylesheets": [static_url(path) for path in VENDOR_STYLESHEETS] + [static_url(f"app/{path.relative_to(root).as_posix()}") for path in own],
        "preloads": [static_url(path) for path in ("app/common/api.js", "app/common/i18n.js", "app/shell/session.js")],
        "entry": static_url("app/shell/app.js"),
    }


_SOURCE_SUFFIXES = (".js", ".css", ".png")
# What the unbundled sources load from the vendor packages.
_SOURCE_VENDOR_FILES = (
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet-src.esm.js",
    "vendor/idb/index.js",
    *VENDOR_PRECACHE,
)


def app_files() -> list[str]:
    """Every URL the service worker precaches: the shell, the manifest, every file the build
    wrote (source maps aside) and VENDOR_PRECACHE; or, unbuilt, every file under
    frontend_static/. Nobody keeps a list: a new module is precached as it is built."""
    if settings.FRONTEND_BUILD:
        files = sorted(static_url(url) for url in read_manifest()["outputs"])
        # The web-app manifest's and the notifications' icons, at their source URLs.
        root = source_dir()
        files += sorted(static_url(f"app/{path.relative_to(root).as_posix()}") for path in root.rglob("*.png"))
    else:
        root = source_dir()
        sw = Path(settings.PWA_SERVICE_WORKER_PATH)
        files = sorted(
            static_url(f"app/{path.relative_to(root).as_posix()}")
            for path in root.rglob("*")
            if path.is_file() and path.suffix in _SOURCE_SUFFIXES and path != sw
        )
        files += [static_url(path) for path in _SOURCE_VENDOR_FILES if path not in VENDOR_PRECACHE]
    return ["/", "/manifest.json", *files, *(static_url(path) for path in VENDOR_PRECACHE)]
