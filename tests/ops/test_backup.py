"""`make backup` and `make restore`: a real PostgreSQL database and its evidence files, backed up,
restored into a fresh database and folder, and found the same; a changed backup is refused.

The source data lives in databases of their own (named after the test database's, with suffixes),
migrated and seeded by `manage.py` in subprocesses, since pytest-django's database sits inside a
transaction that pg_dump cannot see."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from cases.models import Case, Evidence
from clients.models import Client
from clinic.models import AuditEvent

BASE_DIR = Path(__file__).resolve().parents[2]


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def server(dbname: str = "postgres"):
    parts = urlsplit(os.environ["DATABASE_URL"])
    return psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
        dbname=dbname, autocommit=True,
    )  # fmt: skip


def drop(*names: str) -> None:
    with server() as conn:
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def exists(name: str) -> bool:
    with server() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def environment(db_name: str, media_root: Path) -> dict:
    # Not the flags of a `make test` around this run: its variables would reach the inner make.
    inherited = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "BACKUP_DIR"}}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.local",
        "DEBUG": "true",  # seed_demo runs only with DEBUG on
        "DATABASE_URL": database_url(db_name),
        "MEDIA_ROOT": str(media_root),
    }


def manage(db_name: str, media_root: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment(db_name, media_root),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def make(target: str, db_name: str, media_root: Path, *variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", target, *variables], cwd=BASE_DIR, env=environment(db_name, media_root),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def snapshot(db_name: str) -> dict:
    """What a person would check: how many clients, cases and audit events, one client's name, and
    each evidence document's stored file name with the checksum recorded at upload."""
    table = {model.__name__: sql.Identifier(model._meta.db_table) for model in (Client, Case, AuditEvent, Evidence)}
    with server(db_name) as conn:
        count = {
            name: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(t)).fetchone()[0] for name, t in table.items()
        }
        first = conn.execute(
            sql.SQL("SELECT id, given_names, paternal_surname, maternal_surname FROM {} ORDER BY id LIMIT 1").format(
                table["Client"]
            )
        ).fetchone()
        evidence = conn.execute(sql.SQL("SELECT file, sha256 FROM {}").format(table["Evidence"])).fetchall()
    return {
        "clients": count["Client"], "cases": count["Case"], "audit_events": count["AuditEvent"],
        "first_client": list(first), "evidence": sorted(list(row) for row in evidence),
    }  # fmt: skip


def files_of(media_root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(media_root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def names():
    base = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    names = {key: f"{base}_backup_{key}" for key in ("src", "restored", "tampered")}
    drop(*names.values())
    yield names
    drop(*names.values())


@pytest.fixture(scope="module")
def source(names, tmp_path_factory):
    """The demo clinics, their clients, cases and evidence PDFs, then `make backup` of them."""
    root = tmp_path_factory.mktemp("backup")
    media = root / "media-src"
    with server() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(names["src"])))
    manage(names["src"], media, "migrate", "--noinput", "-v0")
    manage(names["src"], media, "seed_demo")
    result = make("backup", names["src"], media, f"BACKUP_DIR={root / 'backups'}")
    assert result.returncode == 0, result.stderr + result.stdout
    (backup,) = (root / "backups").iterdir()
    return {"root": root, "media": media, "backup": backup, "before": snapshot(names["src"])}


def test_a_backup_is_one_directory_with_a_manifest_of_its_parts(source, names):
    backup = source["backup"]
    assert backup.name.endswith(f"-{names['src']}")
    assert sorted(p.name for p in backup.iterdir()) == ["database.dump", "manifest.json", "media.tar.gz"]
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"] == names["src"]
    assert manifest["file_count"] == len(files_of(source["media"])) == len(source["before"]["evidence"]) > 0
    assert manifest["migrations"]["latest"]["cases"].startswith("0")
    for part in ("database.dump", "media.tar.gz"):
        assert manifest["parts"][part]["sha256"] == hashlib.sha256((backup / part).read_bytes()).hexdigest()
    # Confidential: only the owner can read a backup.
    assert backup.stat().st_mode & 0o077 == 0
    assert (backup / "database.dump").stat().st_mode & 0o077 == 0


def test_restore_into_a_fresh_database_brings_back_the_same_records_and_files(source, names, tmp_path):
    media = tmp_path / "media-restored"
    result = make("restore", names["restored"], media, f"BACKUP={source['backup']}")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "checksums match" in result.stdout

    before, after = source["before"], snapshot(names["restored"])
    assert after == before
    assert min(before["clients"], before["cases"], before["audit_events"]) > 0
    # The very bytes of every uploaded file, under the name its database row points to.
    assert files_of(media) == files_of(source["media"])
    assert [[name, digest] for name, digest in sorted(files_of(media).items())] == before["evidence"]

    # Restoring again over what is now there is refused; FORCE=1 replaces it, the same again.
    again = make("restore", names["restored"], media, f"BACKUP={source['backup']}")
    assert again.returncode != 0
    assert f"The database {names['restored']}" in again.stderr
    assert "already has" in again.stderr
    assert "FORCE=1" in again.stderr
    # Changed since the backup: a client renamed, a stray file. FORCE=1 puts back the backup's state.
    with server(names["restored"]) as conn:
        conn.execute(
            sql.SQL("UPDATE {} SET given_names = 'Changed' WHERE id = %s").format(
                sql.Identifier(Client._meta.db_table)
            ),
            [before["first_client"][0]],
        )
    (media / "stray.txt").write_text("not in the backup")
    forced = make("restore", names["restored"], media, f"BACKUP={source['backup']}", "FORCE=1")
    assert forced.returncode == 0, forced.stderr + forced.stdout
    assert snapshot(names["restored"]) == before
    assert files_of(media) == files_of(source["media"])


def test_a_changed_backup_is_refused_before_anything_is_written(source, names, tmp_path):
    tampered = tmp_path / "tampered"
    shutil.copytree(source["backup"], tampered)
    archive = tampered / "media.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    media = tmp_path / "media"

    result = make("restore", names["tampered"], media, f"BACKUP={tampered}")
    assert result.returncode != 0
    assert "Refusing to restore: media.tar.gz does not match the checksum" in result.stderr
    assert not exists(names["tampered"])
    assert not media.exists()


def test_without_postgresql_backup_says_it_needs_it(tmp_path):
    result = subprocess.run(
        [sys.executable, "scripts/backup.py", "backup", "--dir", str(tmp_path)], cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": ""}, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Backups need PostgreSQL" in result.stderr
    assert not list(tmp_path.iterdir())
