import json
import re
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from backend.frontend import read_manifest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "dianxiaoer.example.gov.cn",
    "HTTPS": "1",
}


def _check_deploy(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    # A fresh process: settings are read from the environment once, at import.
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest in this
    # process; production never has it (check --deploy warns about it).
    dropped = set(PRODUCTION) | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped} | env_overrides
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_settings():
    result = _check_deploy(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_fails_check_deploy_when_production_forgets_the_secret_key():
    result = _check_deploy({k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_it_collects_the_static_files_for_production_compressed(tmp_path):
    # Production may run collectstatic (WhiteNoise then serves STATIC_ROOT): it must not trip
    # over the build's precompressed files, and it gzips the vendor files it copies.
    dropped = set(PRODUCTION) | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped} | PRODUCTION | {"STATIC_ROOT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    entry = tmp_path / read_manifest()["entry"]
    assert entry.exists() and entry.with_name(entry.name + ".br").exists()
    assert (tmp_path / "vendor" / "leaflet-markercluster" / "leaflet.markercluster.js.gz").exists()


@pytest.mark.django_db
def test_it_serves_a_valid_manifest(client):
    response = client.get("/manifest.json")
    assert response.status_code == 200
    manifest = json.loads(response.content)
    assert manifest["name"] == "店小二"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}


@pytest.mark.django_db
def test_it_serves_the_service_worker_at_the_root(client):
    response = client.get("/serviceworker.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")


def served_version(client) -> str:
    import re

    return re.search(r'const VERSION = "([^"]*)";', client.get("/serviceworker.js").content.decode()).group(1)


@pytest.mark.django_db
def test_it_fills_in_the_service_worker_version_from_the_files(client, settings, monkeypatch, tmp_path):
    from backend import views

    settings.DEBUG = True  # hash on every request, as in development
    first = served_version(client)
    assert len(first) == 16 and first != "dev"
    assert served_version(client) == first

    # Any precached file that changes gives phones a new worker, with no manual bump.
    changed = tmp_path / "app.js"
    changed.write_text("export const changed = true;\n")
    entry = read_manifest()["entry"]
    real_find = views.finders.find
    monkeypatch.setattr(views.finders, "find", lambda path: str(changed) if path == entry else real_find(path))
    assert served_version(client) != first


def served_app_files(client) -> list[str]:
    import re

    source = client.get("/serviceworker.js").content.decode()
    return json.loads(re.search(r"const APP_FILES = (\[.*?\]);", source, re.S).group(1))


def assert_each_one_is_served(client, listed):
    # Every listed file is there: one missing file fails the worker's whole install on the phone.
    for url in listed:
        if url.startswith("/static/"):
            response = client.get(url)
            assert response.status_code == 200, url
            response.close()


@pytest.mark.django_db
def test_it_precaches_every_built_file_and_each_one_exists(client):
    listed = served_app_files(client)
    # (The folder may also hold an earlier build's files for a while: the manifest names this one's.)
    shipped = {f"/static/{url}" for url in read_manifest()["outputs"]}
    assert shipped and shipped - set(listed) == set()
    assert "/" in listed and "/manifest.json" in listed and "/static/app/common/icons/icon-192.png" in listed
    assert not [url for url in listed if url.startswith("/static/app/") and url.endswith((".js", ".css"))]
    assert_each_one_is_served(client, listed)


@pytest.mark.django_db
def test_it_builds_every_screen_and_strings_file_of_every_domain():
    # The build finds its entry points (backend/frontend.py): a new domain folder needs no list.
    manifest = read_manifest()
    frontend = Path(__file__).resolve().parents[2] / "frontend_static"
    for registry in frontend.glob("*/routes.js"):
        for module in re.findall(r'import\("\./([\w-]+\.js)"\)', registry.read_text()):
            assert f"{registry.parent.name}/{module}" in manifest["byEntry"]
    for strings in frontend.glob("*/strings.*.js"):
        if strings.name != "strings.js":
            assert strings.relative_to(frontend).as_posix() in manifest["byEntry"]
    built = Path(settings.FRONTEND_BUILD_DIR) / "static"
    for url, output in manifest["outputs"].items():
        if url.endswith((".js", ".css")):
            path = built / url.removeprefix("build/")
            assert path.with_name(path.name + ".gz").exists() and path.with_name(path.name + ".br").exists(), url


@pytest.mark.django_db
def test_it_precaches_every_front_end_source_when_serving_them_unbuilt(client, settings):
    settings.FRONTEND_BUILD = False
    settings.DEBUG = True  # no cached worker
    frontend = Path(__file__).resolve().parents[2] / "frontend_static"
    listed = served_app_files(client)
    shipped = {
        "/static/app/" + path.relative_to(frontend).as_posix()
        for path in frontend.rglob("*")
        if path.is_file() and path.suffix in (".js", ".css", ".png") and path.name != "sw.js"
    }
    assert shipped - set(listed) == set()
    assert "/static/vendor/idb/index.js" in listed and "/static/vendor/leaflet/leaflet-src.esm.js" in listed
    assert_each_one_is_served(client, listed)
    html = client.get("/").content.decode()
    assert '<script type="module" src="/static/app/shell/app.js">' in html and "/static/build/" not in html


@pytest.mark.django_db
def test_it_serves_the_built_files_compressed_and_cached_for_good(client):
    html = client.get("/").content.decode()
    manifest = read_manifest()
    assert f'<script type="module" src="/static/{manifest["entry"]}">' in html
    assert f'<link rel="stylesheet" href="/static/{manifest["stylesheet"]}">' in html
    assert "/static/app/" not in html.replace("/static/app/common/icons/", "")
    for url in (manifest["entry"], manifest["stylesheet"]):
        for encoding in ("br", "gzip"):
            response = client.get(f"/static/{url}", HTTP_ACCEPT_ENCODING=encoding)
            assert response.status_code == 200 and response["Content-Encoding"] == encoding
            assert "immutable" in response["Cache-Control"]
            response.close()
    # Unhashed names are re-checked: a deploy must reach the phones.
    response = client.get("/static/vendor/leaflet-markercluster/leaflet.markercluster.js")
    assert "immutable" not in response["Cache-Control"]
    response.close()


@pytest.mark.django_db
def test_it_serves_api_docs_without_a_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # Every script and stylesheet from our own origin. (Not `"cdn" not in html`: the page
    # carries a random CSRF token, which now and then contains those three letters.)
    import re

    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
    assert external == [], external
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/auth/login" in schema["paths"]


@pytest.mark.django_db
def test_it_serves_leaflet_from_our_own_static_files(client):
    response = client.get("/static/vendor/leaflet/leaflet.js")
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_reports_health_with_the_database(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_it_rebuilds_the_front_end_after_an_edit_in_debug_only(client, settings, monkeypatch):
    from backend import frontend

    built = []
    monkeypatch.setattr(frontend, "is_stale", lambda: True)
    monkeypatch.setattr(frontend, "_build", lambda: built.append(1))
    settings.DEBUG = False  # production builds at deploy, never on a request
    assert client.get("/").status_code == 200 and built == []
    settings.DEBUG = True
    assert client.get("/").status_code == 200 and built == [1]


@pytest.mark.django_db
def test_it_serves_every_url_a_module_builds_from_its_own_location(client):
    # new URL("../common/icons/icon-192.png", import.meta.url): esbuild leaves it as it is, so it
    # must resolve from a built module (two folders below /static/, like the sources) too.
    import posixpath

    frontend = Path(__file__).resolve().parents[2] / "frontend_static"
    found = 0
    for path in frontend.glob("*/*.js"):
        for relative in re.findall(r'new URL\("([^"]+)", import\.meta\.url\)', path.read_text()):
            for base in ("app", "build"):
                url = "/static/" + posixpath.normpath(posixpath.join(base, path.parent.name, relative))
                response = client.get(url)
                assert response.status_code == 200, f"{path.name}: {url}"
                response.close()
                found += 1
    assert found >= 4
