import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

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
    real_find = views.finders.find
    monkeypatch.setattr(views.finders, "find", lambda path: str(changed) if path == "app/shell/app.js" else real_find(path))
    assert served_version(client) != first


def served_app_files(client) -> list[str]:
    import re

    source = client.get("/serviceworker.js").content.decode()
    return json.loads(re.search(r"const APP_FILES = (\[.*?\]);", source, re.S).group(1))


@pytest.mark.django_db
def test_it_precaches_every_front_end_file_and_each_one_exists(client):
    frontend = Path(__file__).resolve().parents[2] / "frontend_static"
    listed = served_app_files(client)
    shipped = {
        "/static/app/" + path.relative_to(frontend).as_posix()
        for path in frontend.rglob("*")
        if path.is_file() and path.suffix in (".js", ".css", ".png") and path.name != "sw.js"
    }
    assert shipped - set(listed) == set()
    assert "/" in listed and "/manifest.json" in listed
    assert "/static/vendor/idb/index.js" in listed and "/static/vendor/leaflet/leaflet-src.esm.js" in listed
    # Every listed file is there: one missing file fails the worker's whole install on the phone.
    for url in listed:
        if url.startswith("/static/"):
            response = client.get(url)
            assert response.status_code == 200, url
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
