"""Backups of the PostgreSQL database in DATABASE_URL and of the uploaded files in MEDIA_ROOT.

    python scripts/backup.py backup  [--dir BACKUP_DIR]
    python scripts/backup.py restore [--dir BACKUP_DIR] [BACKUP] [--force]

`make backup` and `make restore` call it. A backup is one directory under BACKUP_DIR (default
var/backups), named by its UTC time and database:

    20261129T003000Z-amparo/
        database.dump   pg_dump --format=custom of the database
        media.tar.gz    every file under MEDIA_ROOT (the evidence uploads)
        manifest.json   time, database, migrations applied, file count, size and sha256 of each part

The database is dumped first, then the files: every document row in the dump has its file.
A backup is written under a hidden temporary name and renamed when complete, so a directory with
a manifest is a whole backup. Directories and files are readable by their owner only.

Restore (BACKUP: a backup directory; default the newest under BACKUP_DIR) checks every part
against the manifest first and refuses a changed or damaged backup. It writes into the database of
DATABASE_URL, creating it when missing, and refuses one that already has tables, or a MEDIA_ROOT
that already has files, unless --force: then the database is dropped and created again and
MEDIA_ROOT emptied before the files are unpacked.

Standard library and psycopg only; needs PostgreSQL's client tools (pg_dump, pg_restore: Debian's
postgresql-client) of the server's major version or newer. SQLite (`make run` without
DATABASE_URL) is refused: it holds only demo data.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

BASE_DIR = Path(__file__).resolve().parent.parent
FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
PARTS = (DUMP, MEDIA)
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
# Query parameters of DATABASE_URL that are libpq connection parameters (others are Django's).
LIBPQ_PARAMS = {
    "sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "connect_timeout", "application_name",
    "target_session_attrs", "gssencmode", "channel_binding", "service",
}  # fmt: skip
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


class BackupError(Exception):
    """A reason to stop, said in one plain message."""


def say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


@dataclass(frozen=True)
class Database:
    name: str
    host: str
    port: str
    user: str
    params: dict

    def conninfo(self, dbname: str | None = None) -> str:
        """libpq connection string without the password (that travels in PGPASSWORD)."""
        fields = {"dbname": dbname or self.name, "host": self.host, "port": self.port, "user": self.user}
        return make_conninfo(**{k: v for k, v in fields.items() if v}, **self.params)

    def where(self) -> str:
        return f"{self.name} on {self.host or 'the local socket'}" + (f":{self.port}" if self.port else "")


def database_from_env() -> Database:
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme
    if not url or scheme == "sqlite":
        raise BackupError(
            "Backups need PostgreSQL: set DATABASE_URL=postgres://USER@HOST:5432/NAME. Without it the app "
            "runs on the SQLite file of `make run` (var/db.sqlite3), which holds only demo data; stop "
            "`make run` and copy that file if you want to keep it."
        )
    if scheme not in POSTGRES_SCHEMES:
        raise BackupError(f"DATABASE_URL must be a postgres:// URL, not {scheme}://.")
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise BackupError("DATABASE_URL names no database.")
    if parts.password:
        # For pg_dump, pg_restore and psycopg alike, and never on a command line.
        os.environ["PGPASSWORD"] = unquote(parts.password)
    params = {k: v for k, v in parse_qsl(parts.query) if k in LIBPQ_PARAMS}
    return Database(
        name=name,
        host=unquote(parts.hostname or ""),
        port=str(parts.port or ""),
        user=unquote(parts.username or ""),
        params=params,
    )


def media_root_from_env() -> Path:
    # As clinic/settings/base.py: MEDIA_ROOT, default var/media beside the code.
    return Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media").resolve()


def default_backup_dir() -> Path:
    return Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "var" / "backups")


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (Debian: apt-get install postgresql-client)."
        )
    return path


def run_tool(command: list[str]) -> None:
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit status {result.returncode}); its message is above.")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def connect(db: Database, dbname: str | None = None) -> psycopg.Connection:
    try:
        return psycopg.connect(db.conninfo(dbname), autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise BackupError(f"Cannot connect to PostgreSQL ({db.where()}): {str(error).strip()}") from None


def migration_state(db: Database) -> dict:
    """How many migrations are applied, and the latest one of each app."""
    with connect(db) as conn:
        if conn.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
            return {"applied": 0, "latest": {}}
        applied = conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        latest = conn.execute(
            "SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, id DESC"
        ).fetchall()
    return {"applied": applied, "latest": dict(latest)}


# Backup ---------------------------------------------------------------------------------------


def backup(backup_dir: Path) -> Path:
    db = database_from_env()
    media_root = media_root_from_env()
    pg_dump = require_tool("pg_dump")
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    os.umask(0o077)  # confidential: the owner only
    backup_dir.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC)
    final = _free_name(backup_dir, f"{created:%Y%m%dT%H%M%SZ}-{db.name}")
    partial = backup_dir / f".{final.name}.partial"
    partial.mkdir()
    try:
        migrations = migration_state(db)
        say(f"Dumping the database {db.where()}...")
        run_tool([pg_dump, "--format=custom", f"--file={partial / DUMP}", f"--dbname={db.conninfo()}"])
        say(f"Archiving the uploaded files under {media_root}...")
        file_count = _archive(media_root, partial / MEDIA)
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(timespec="seconds"),
            "database": db.name,
            "pg_dump": version,
            "migrations": migrations,
            "media_root": str(media_root),
            "file_count": file_count,
            "parts": {
                part: {"size": (partial / part).stat().st_size, "sha256": sha256_of(partial / part)} for part in PARTS
            },
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    say(
        f"Backup written to {final}: database {db.name} ({migrations['applied']} migrations applied), "
        f"{file_count} uploaded file(s)."
    )
    return final


def _free_name(backup_dir: Path, name: str) -> Path:
    candidate, n = backup_dir / name, 1
    while candidate.exists():
        n += 1
        candidate = backup_dir / f"{name}-{n}"
    return candidate


def _archive(media_root: Path, target: Path) -> int:
    """Every regular file under media_root, by its path relative to it. Returns how many."""
    count = 0
    with tarfile.open(target, "w:gz") as tar:
        if not media_root.is_dir():
            return 0
        for folder, dirs, files in os.walk(media_root):
            dirs.sort()
            here = Path(folder)
            if here != media_root:
                tar.add(here, arcname=str(here.relative_to(media_root)), recursive=False)
            for name in sorted(files):
                path = here / name
                if path.is_symlink() or not path.is_file():
                    say(f"  skipped (not a regular file): {path}")
                    continue
                tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                count += 1
    return count


# Restore --------------------------------------------------------------------------------------


def restore(backup_dir: Path, source: Path | None, *, force: bool) -> None:
    db = database_from_env()
    media_root = media_root_from_env()
    pg_restore = require_tool("pg_restore")
    source = source or newest_backup(backup_dir)
    manifest = verify(source)
    say(f"Backup {source} ({manifest['created_at']}, database {manifest['database']}): checksums match.")

    tables = table_count(db)
    present_files = sum(1 for p in media_root.rglob("*") if not p.is_dir()) if media_root.is_dir() else 0
    if not force:
        if tables:
            raise BackupError(
                f"The database {db.where()} already has {tables} table(s). Restore writes only into an empty or "
                "new database: name another one in DATABASE_URL, or replace this one with `make restore FORCE=1` "
                "(it is dropped first)."
            )
        if present_files:
            raise BackupError(
                f"MEDIA_ROOT ({media_root}) already holds {present_files} file(s). Restore into an empty folder, or "
                "replace them with `make restore FORCE=1`."
            )
    if tables is not None and force:
        drop_database(db)
        tables = None
    if tables is None:
        create_database(db)

    say(f"Restoring the database into {db.where()}...")
    run_tool(
        [pg_restore, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
         f"--dbname={db.conninfo()}", str(source / DUMP)]
    )  # fmt: skip
    if force and media_root.is_dir():
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    say(f"Unpacking {manifest['file_count']} file(s) into {media_root}...")
    os.umask(0o077)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA, "r:gz") as tar:
        tar.extractall(media_root, filter="data")  # refuses absolute paths, "..", links outside

    now = migration_state(db)
    if now != manifest["migrations"]:
        say("Warning: the migrations recorded in the restored database differ from the manifest.")
    say(
        f"Restored {db.name} ({now['applied']} migrations applied) and {manifest['file_count']} file(s). "
        "If this code is newer than the backup, run `python manage.py migrate` before starting the app. "
        "Empty the cache (Redis) too: sessions are read through it."
    )


def newest_backup(backup_dir: Path) -> Path:
    found = sorted(p.parent for p in backup_dir.glob(f"*/{MANIFEST}") if not p.parent.name.startswith("."))
    if not found:
        raise BackupError(f"No backup found under {backup_dir}: run `make backup` first, or name one with BACKUP=DIR.")
    return found[-1]


def verify(source: Path) -> dict:
    """The manifest, once every part is found as it was written; a clear refusal otherwise."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(manifest_path.read_text())
        parts = manifest["parts"]
        expected = {part: (int(parts[part]["size"]), str(parts[part]["sha256"])) for part in PARTS}
    except (ValueError, KeyError, TypeError):
        raise BackupError(
            f"Refusing to restore: {manifest_path} is not a valid manifest (changed or damaged)."
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Refusing to restore: unknown backup format {manifest.get('format')!r} in {manifest_path}.")
    for part, (size, digest) in expected.items():
        path = source / part
        if not path.is_file():
            raise BackupError(f"Refusing to restore: {part} is missing from {source}.")
        if path.stat().st_size != size or sha256_of(path) != digest:
            raise BackupError(
                f"Refusing to restore: {part} does not match the checksum in {MANIFEST}: the backup was changed or "
                "damaged after it was written. Nothing was restored."
            )
    return manifest


def table_count(db: Database) -> int | None:
    """How many tables the database has, or None when it does not exist."""
    with connect(db, "postgres") as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db.name]).fetchone()
    if not exists:
        return None
    with connect(db) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname <> ALL(%s)", [list(SYSTEM_SCHEMAS)]
        ).fetchone()[0]


def create_database(db: Database) -> None:
    say(f"Creating the database {db.where()}...")
    with connect(db, "postgres") as conn:
        try:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(db.name))
            )
        except psycopg.Error as error:
            raise BackupError(f"Cannot create the database {db.name}: {str(error).strip()}") from None


def drop_database(db: Database) -> None:
    say(f"Dropping the database {db.where()} (--force)...")
    with connect(db, "postgres") as conn:
        try:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(db.name)))
        except psycopg.errors.ObjectInUse:
            raise BackupError(
                f"The database {db.name} is in use: stop the app (web, worker, beat) before replacing it."
            ) from None
        except psycopg.Error as error:
            raise BackupError(f"Cannot drop the database {db.name}: {str(error).strip()}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("backup", "restore"):
        command = commands.add_parser(name)
        command.add_argument(
            "--dir", type=Path, default=None, help="where backups go (default $BACKUP_DIR or var/backups)"
        )
    restore_parser = commands.choices["restore"]
    restore_parser.add_argument("backup", nargs="?", type=Path, help="a backup directory (default: the newest)")
    restore_parser.add_argument(
        "--force", action="store_true", help="replace a database with tables and MEDIA_ROOT's files"
    )
    args = parser.parse_args(argv)
    backup_dir = args.dir or default_backup_dir()
    try:
        if args.command == "backup":
            backup(backup_dir)
        else:
            restore(backup_dir, args.backup, force=args.force)
    except BackupError as reason:
        sys.stderr.write(f"{args.command}: {reason}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
