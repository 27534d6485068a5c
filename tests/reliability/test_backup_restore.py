"""Issue 11 item 23: a backup taken while phones write visits and photos restores every
row and file committed before it started, into a fresh database and media folder."""

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

import appserver
from appserver import ROOT, AppServer
from backend.accounts.models import OrgUnit, User
from backend.enterprises.services import enterprise_create
from backend.visits.models import Visit, VisitPhoto
from phone import FieldPhone

WRITERS = 3
# The server in another process must see committed rows: no test transaction around this.
pytestmark = pytest.mark.django_db(transaction=True)


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backend.settings", "PYTHONPATH": str(ROOT), **env}
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def _restored_rows(url: str) -> tuple[set[str], dict[int, tuple[str, str]]]:
    visits, photos = Visit._meta.db_table, VisitPhoto._meta.db_table
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            client_ids = {uuid.UUID(str(r[0])).hex for r in conn.execute(f"SELECT client_id FROM {visits}")}
            rows = conn.execute(f"SELECT id, image, thumbnail FROM {photos}").fetchall()
        finally:
            conn.close()
    else:
        import psycopg

        with psycopg.connect(url) as conn:
            client_ids = {uuid.UUID(str(r[0])).hex for r in conn.execute(f"SELECT client_id FROM {visits}")}
            rows = conn.execute(f"SELECT id, image, thumbnail FROM {photos}").fetchall()
    return client_ids, {r[0]: (r[1], r[2]) for r in rows}


@pytest.fixture
def fresh_target(tmp_path):
    """Where the restore goes: a new SQLite file, or a PostgreSQL database that does not exist yet."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"dx_restore_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    base = appserver.test_database_url().rsplit("/", 1)[0]
    yield f"{base}/{name}"
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_it_restores_every_row_and_file_committed_before_a_backup_taken_under_load(tmp_path, fresh_target):
    team = OrgUnit.objects.create(code="B1", name="备份测试组", kind="team")
    staff = [User.objects.create_user(username=f"bk{i}", password="!", role="staff", org_unit=team) for i in range(WRITERS)]
    enterprise = enterprise_create(uscc="91350100M000100Y43", name="备份测试企业", lat=31.12, lng=121.42, industry="C")
    media = tmp_path / "media"
    app_env = {"DATABASE_URL": appserver.test_database_url(), "MEDIA_ROOT": str(media)}
    server = AppServer(workers=2, env={"MEDIA_ROOT": str(media)})
    server.start()
    phones = [FieldPhone(server.url, session_of(s), enterprise.id, i) for i, s in enumerate(staff)]
    stop = threading.Event()
    threads = [threading.Thread(target=p.run, args=(stop,)) for p in phones]
    try:
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while VisitPhoto.objects.count() < 10 and time.monotonic() < deadline:
            time.sleep(0.1)
        # What was committed before the backup started, files read as they are on disk.
        before_visits = {c.hex for c in Visit.objects.values_list("client_id", flat=True)}
        before_photos = {
            p.id: (p.image.name, _sha(media / p.image.name), p.thumbnail.name, _sha(media / p.thumbnail.name))
            for p in VisitPhoto.objects.all()
        }
        done = _manage("backup", "--to", str(tmp_path / "backups"), env=app_env)
        during = Visit.objects.count() - len(before_visits)
        time.sleep(0.3)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=15)
        server.stop()
    assert done.returncode == 0, done.stderr
    assert [p.error for p in phones if p.error] == []
    assert during > 0, "nothing was written while the backup ran: the test proves nothing"
    (backup,) = (tmp_path / "backups").iterdir()

    restored_media = tmp_path / "restored-media"
    done = _manage("restore", str(backup), env={"DATABASE_URL": fresh_target, "MEDIA_ROOT": str(restored_media)})
    assert done.returncode == 0, done.stderr + done.stdout
    assert "校验一致" in done.stdout

    client_ids, photos = _restored_rows(fresh_target)
    assert before_visits <= client_ids
    assert len(before_photos) >= 10
    for photo_id, (image, image_sha, thumb, thumb_sha) in before_photos.items():
        assert photos.get(photo_id) == (image, thumb)
        assert _sha(restored_media / image) == image_sha
        assert _sha(restored_media / thumb) == thumb_sha
    # Every photo row in the backup, committed before or during it, has its files.
    for image, thumb in photos.values():
        assert (restored_media / image).is_file() and (restored_media / thumb).is_file()


def test_it_refuses_to_restore_a_backup_whose_files_do_not_match_the_manifest(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "visits" / "1").mkdir(parents=True)
    (settings.MEDIA_ROOT / "visits" / "1" / "a.jpg").write_bytes(b"original")
    call_command("backup", "--to", str(tmp_path / "backups"), stdout=io.StringIO())
    (backup,) = (tmp_path / "backups").iterdir()
    (backup / "media" / "visits" / "1" / "a.jpg").write_bytes(b"tampered")
    settings.MEDIA_ROOT = tmp_path / "out"
    # The checksums are checked before anything is touched: the configured (test) database
    # and the empty media folder stay as they are.
    with pytest.raises(CommandError, match="校验.*visits/1/a.jpg"):
        call_command("restore", str(backup), "--force")
    assert not (tmp_path / "out").exists()
