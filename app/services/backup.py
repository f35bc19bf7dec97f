"""`flask backup` / `flask restore`: the database and the attachment store in one archive.

The archive (tar.gz) holds `manifest.json` (when, which database, the migration revision, the row
count of every table and the SHA-256 of every other member), the database (`database.sqlite`, made
with SQLite's online backup API while the app keeps serving, or `database.dump`, pg_dump's custom
format) and `attachments/`. Restore checks every checksum before it touches anything, replaces the
database and the attachments, then checks the row counts against the manifest.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.extensions import db

MANIFEST = "manifest.json"
PG_BIN = Path(os.environ.get("ZC_PG_BIN", "/usr/lib/postgresql/15/bin"))


class BackupError(Exception):
    """An archive that cannot be made or restored; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _count(conn) -> dict[str, int]:
    tables = sorted(sa.inspect(conn).get_table_names())
    return {table: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()  # nosec B608: names from the inspector
            for table in tables}


def row_counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return _count(conn)


def _url() -> sa.URL:
    return sa.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _pg(tool: str, url: sa.URL, *args: str) -> None:
    env = dict(os.environ, PGPASSWORD=url.password or "")
    command = [str(PG_BIN / tool) if (PG_BIN / tool).exists() else tool, "--host", url.host or "127.0.0.1",
               "--port", str(url.port or 5432), "--username", url.username or "", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # nosec B603: fixed tool, no shell
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()}")


def _dump_database(folder: Path) -> tuple[str, dict[str, int]]:
    """The database into `folder`, with the row counts of exactly what was dumped."""
    url = _url()
    if url.get_backend_name() == "sqlite":
        target = folder / "database.sqlite"
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)  # a consistent copy while other connections keep writing
        source.close()
        copy.close()
        engine = sa.create_engine(f"sqlite:///{target}")
        with engine.connect() as conn:
            counts = _count(conn)
        engine.dispose()
        return target.name, counts
    target = folder / "database.dump"
    # pg_dump reads the snapshot in which the rows were counted
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
        counts = _count(conn)
        _pg("pg_dump", url, "--format=custom", "--no-owner", f"--snapshot={snapshot}", "--file", str(target),
            url.database)
    return target.name, counts


def create(archive: Path) -> dict:
    """Write the archive; returns its manifest."""
    attachments = Path(current_app.config["ATTACHMENT_DIR"])
    with tempfile.TemporaryDirectory(prefix="zc-backup-") as tmp:
        folder = Path(tmp)
        database_file, counts = _dump_database(folder)
        files = {database_file: _sha256(folder / database_file)}
        if attachments.is_dir():
            for path in sorted(p for p in attachments.rglob("*") if p.is_file()):
                files[f"attachments/{path.relative_to(attachments).as_posix()}"] = _sha256(path)
        with db.engine.connect() as conn:
            revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        manifest = {"created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "database": _url().get_backend_name(), "revision": revision, "rows": counts, "files": files}
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(folder / database_file, arcname=database_file)
            for name in files:
                if name.startswith("attachments/"):
                    tar.add(attachments / name.removeprefix("attachments/"), arcname=name)
        partial.replace(archive)  # a half-written archive never carries the final name
    return manifest


def _extract(archive: Path, folder: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")  # refuses absolute paths, .. and links out of the folder
    except (tarfile.TarError, OSError) as err:
        raise BackupError(f"not a readable backup archive: {err}") from err
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as err:
        raise BackupError("the archive has no readable manifest.json") from err
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"checksum mismatch or missing file in the archive: {name}")
    if manifest["database"] != _url().get_backend_name():
        raise BackupError(f"the archive holds a {manifest['database']} database, this app uses "
                          f"{_url().get_backend_name()}")
    return manifest


def restore(archive: Path) -> dict:
    """Replace the database and the attachments with the archive's; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="zc-restore-") as tmp:
        folder = Path(tmp)
        manifest = _extract(archive, folder)
        db.session.remove()
        db.engine.dispose()
        url = _url()
        if url.get_backend_name() == "sqlite":
            source = sqlite3.connect(folder / "database.sqlite")
            live = sqlite3.connect(url.database)
            with live:
                source.backup(live)  # page by page into the live file, under SQLite's own lock
            live.close()
            source.close()
        else:
            _pg("pg_restore", url, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                "--dbname", url.database, str(folder / "database.dump"))
        attachments = Path(current_app.config["ATTACHMENT_DIR"])
        staged = attachments.with_name(attachments.name + ".restoring")
        shutil.rmtree(staged, ignore_errors=True)
        if (folder / "attachments").is_dir():
            shutil.copytree(folder / "attachments", staged)
        else:
            staged.mkdir(parents=True)
        old = attachments.with_name(attachments.name + ".before-restore")
        shutil.rmtree(old, ignore_errors=True)
        if attachments.exists():
            attachments.rename(old)
        staged.rename(attachments)
        shutil.rmtree(old, ignore_errors=True)
    counts = row_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["rows"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"row counts differ from the manifest after the restore: {wrong}")
    return manifest
