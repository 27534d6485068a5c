"""Backup and restore of the database and the media folder, while the app runs.

A backup is a directory:

    dianxiaoer-20261201T020000Z/
        database.sqlite3   (SQLite: the online backup API, one consistent copy)
        database.pgdump    (PostgreSQL: pg_dump -Fc)
        media/...          (every uploaded file, copied)
        manifest.json      (written last: engine, rows per table, sha256 of every file)

It is built as `<name>.partial` and renamed when complete, so a directory with a
manifest is a whole backup.

Consistency: the rows come from one snapshot (SQLite's backup copies one read
transaction; on PostgreSQL the counts and pg_dump share an exported snapshot), and
the media folder is copied *after* that snapshot. Photo files are written before
their row commits, so every photo row in the backup has its file in the backup;
files of rows committed later are copied too, as harmless orphans.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
PREFIX = "dianxiaoer-"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass
class Database:
    engine: str  # "sqlite" or "postgresql"
    name: str  # file path or database name
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls) -> "Database":
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            return cls("sqlite", str(db["NAME"]))
        if db["ENGINE"].endswith("postgresql"):
            return cls(
                "postgresql", db["NAME"], db.get("USER") or "", db.get("PASSWORD") or "",
                db.get("HOST") or "", str(db.get("PORT") or ""),
            )
        raise BackupError(f"不支持的数据库：{db['ENGINE']}")

    def pg_args(self) -> list[str]:
        args = []
        if self.host:
            args += ["-h", self.host]
        if self.port:
            args += ["-p", self.port]
        if self.user:
            args += ["-U", self.user]
        return args

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f"SELECT COUNT(*) FROM {_quote(name)}").fetchone()[0] for name in names}


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    names = [r[0] for r in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


# --- backup ---------------------------------------------------------------------


def _backup_sqlite(db: Database, target: Path) -> dict[str, int]:
    source = sqlite3.connect(f"file:{db.name}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the copy is one read transaction, so it is one consistent
        # state. In WAL mode writers go on meanwhile; a stepwise copy would restart
        # whenever another connection wrote.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        counts = _sqlite_counts(copy)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("备份的数据库副本未通过完整性检查")
    finally:
        copy.close()
        source.close()
    return counts


def _backup_postgresql(db: Database, target: Path) -> dict[str, int]:
    # Counts and dump from one snapshot: this transaction exports it and stays open
    # until pg_dump has taken it up (and finished).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _pg_counts(cursor)
        done = subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target),
             *db.pg_args(), db.name],
            env=db.pg_env(), capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump 失败：{done.stderr.strip()[-500:]}")
    return counts


def _copy_media(source: Path, target: Path) -> dict[str, str]:
    """Copy every regular file under `source`; returns relative path → sha256 of the copy."""
    files: dict[str, str] = {}
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return files
    for folder, dirnames, filenames in os.walk(source):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(folder) / filename
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(source)
            copied = target / relative
            copied.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(path, copied)
            except FileNotFoundError:
                continue  # deleted since the walk listed it (a photo removed meanwhile)
            files[relative.as_posix()] = sha256_of(copied)
    return files


def backup_create(*, into: Path, keep: int | None = None, now: dt.datetime | None = None) -> Path:
    """Make one backup under `into`; with `keep`, remove all but the newest `keep` backups there."""
    db = Database.from_settings()
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    final = into / f"{PREFIX}{stamp}"
    work = into / f"{PREFIX}{stamp}.partial"
    if final.exists():
        raise BackupError(f"备份目录已存在：{final}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        started = dt.datetime.now(dt.UTC)
        if db.engine == "sqlite":
            database_file, counts = SQLITE_FILE, _backup_sqlite(db, work / SQLITE_FILE)
        else:
            database_file, counts = PG_FILE, _backup_postgresql(db, work / PG_FILE)
        files = _copy_media(Path(settings.MEDIA_ROOT), work / "media")
        manifest = {
            "format": FORMAT,
            "app": "dianxiaoer",
            "engine": db.engine,
            "started_at": started.isoformat(),
            "finished_at": dt.datetime.now(dt.UTC).isoformat(),
            "database": {"file": database_file, "sha256": sha256_of(work / database_file)},
            "tables": counts,
            "media": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if keep:
        for old in sorted(p for p in into.glob(f"{PREFIX}*") if p.is_dir() and (p / MANIFEST).exists())[:-keep]:
            shutil.rmtree(old)
    return final


# --- restore --------------------------------------------------------------------


def manifest_verify(backup: Path) -> dict:
    """The manifest, once every file it names is present with its checksum; BackupError otherwise."""
    try:
        manifest = json.loads((backup / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{backup} 中没有 {MANIFEST}：不是完整的备份") from None
    except ValueError:
        raise BackupError(f"{MANIFEST} 已损坏") from None
    if manifest.get("format") != FORMAT or manifest.get("app") != "dianxiaoer":
        raise BackupError("不认识的备份格式")
    problems = []
    database = backup / manifest["database"]["file"]
    if not database.is_file() or sha256_of(database) != manifest["database"]["sha256"]:
        problems.append(f"数据库文件 {manifest['database']['file']} 缺失或校验和不符")
    for relative, digest in manifest["media"].items():
        path = backup / "media" / relative
        if ".." in Path(relative).parts or Path(relative).is_absolute():
            problems.append(f"文件路径不安全：{relative}")
        elif not path.is_file() or sha256_of(path) != digest:
            problems.append(f"文件 media/{relative} 缺失或校验和不符")
    if problems:
        shown = "；".join(problems[:10]) + (f"；等共{len(problems)}处" if len(problems) > 10 else "")
        raise BackupError("备份校验失败：" + shown)
    return manifest


def _restore_sqlite(db: Database, source: Path, *, force: bool) -> dict[str, int]:
    target = Path(db.name)
    if target.exists() and not force:
        raise BackupError(f"数据库文件已存在：{target}（确认要覆盖请加 --force）")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".restoring")
    staging.unlink(missing_ok=True)
    shutil.copyfile(source, staging)
    check = sqlite3.connect(staging)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("备份中的数据库未通过完整性检查")
        counts = _sqlite_counts(check)
    finally:
        check.close()
    for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)
    os.replace(staging, target)
    return counts


def _pg_admin(db: Database):
    import psycopg

    return psycopg.connect(
        dbname="postgres", user=db.user or None, password=db.password or None, host=db.host or None,
        port=db.port or None, autocommit=True,
    )


def _restore_postgresql(db: Database, source: Path, *, force: bool) -> dict[str, int]:
    import psycopg

    with _pg_admin(db) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db.name]).fetchone()
        if not exists:
            admin.execute(f"CREATE DATABASE {_quote(db.name)}")
    target = dict(dbname=db.name, user=db.user or None, password=db.password or None, host=db.host or None, port=db.port or None)
    with psycopg.connect(**target) as conn:
        tables = conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    if tables and not force:
        raise BackupError(f"数据库 {db.name} 中已有数据表（确认要覆盖请加 --force）")
    args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *db.pg_args(), "-d", db.name]
    if tables:
        args += ["--clean", "--if-exists"]
    done = subprocess.run([*args, str(source)], env=db.pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败：{done.stderr.strip()[-500:]}")
    with psycopg.connect(**target) as conn, conn.cursor() as cursor:
        return _pg_counts(cursor)


def backup_restore(*, backup: Path, force: bool = False) -> dict:
    """Restore `backup` into the configured database and MEDIA_ROOT, after checking every
    checksum; then compare the restored rows with the manifest's counts."""
    manifest = manifest_verify(backup)
    db = Database.from_settings()
    if manifest["engine"] != db.engine:
        raise BackupError(f"备份来自 {manifest['engine']}，当前配置的是 {db.engine}：请设置相应的 DATABASE_URL")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(f"媒体目录不为空：{media_root}（确认要覆盖请加 --force）")
    source = backup / manifest["database"]["file"]
    connection.close()  # nothing of ours may hold the old database open
    if db.engine == "sqlite":
        counts = _restore_sqlite(db, source, force=force)
    else:
        counts = _restore_postgresql(db, source, force=force)
    if counts != manifest["tables"]:
        differ = sorted(k for k in set(counts) | set(manifest["tables"]) if counts.get(k) != manifest["tables"].get(k))
        raise BackupError("恢复后的行数与备份清单不符：" + "、".join(differ[:10]))
    media_root.mkdir(parents=True, exist_ok=True)
    for relative, digest in manifest["media"].items():
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(backup / "media" / relative, target)
        if sha256_of(target) != digest:
            raise BackupError(f"文件复制后校验和不符：{relative}")
    return manifest
