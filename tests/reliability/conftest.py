"""A real Celery worker (prefork, one child) on the real Redis and the pytest database, reached
through a TCP proxy the test can cut, with emails written to files the test counts.

The worker runs tests/reliability/worker_settings.py. One worker serves the whole module and is
restarted only by the tests that kill or stop it; it is always killed at the end."""

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from clinic.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
LEASE_SECONDS = 2


def wait_until(predicate, timeout: float = 30, what: str = "the condition") -> None:
    limit = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < limit, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.1)


class DatabaseProxy:
    """Forwards a local port to PostgreSQL. `down()` drops every connection and refuses new
    ones (as a database restart does); `up()` lets them through again."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_up = True
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.is_up:
                client.close()
                continue
            server = socket.create_connection(self.target)
            with self.lock:
                self.open |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self._close(end)

    def _close(self, end: socket.socket) -> None:
        with self.lock:
            self.open.discard(end)
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()

    def down(self) -> None:
        self.is_up = False
        for end in list(self.open):
            self._close(end)

    def up(self) -> None:
        self.is_up = True

    def close(self) -> None:
        self.down()
        self.listener.close()


class Mailbox:
    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self) -> list[str]:
        return [path.read_text() for path in sorted(self.folder.glob("*.eml"))]

    def count(self) -> int:
        return len(list(self.folder.glob("*.eml")))

    def empty(self) -> None:
        for path in self.folder.glob("*"):
            path.unlink()


class Worker:
    """`celery worker` in its own process group, so that killing it kills its pool child too."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if self.running:
            return
        self.log.write_text("")
        command = [str(CELERY), "-A", "clinic", "worker", "--pool=prefork", "-c", "1"]
        command += ["--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "INFO"]
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(lambda: " ready." in self.log.read_text() or self.process.poll() is not None, 60, "the worker")
        assert self.process.poll() is None, self.log.read_text()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the worker and its pool child: nothing is acknowledged or handed back."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.running:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def output(self) -> str:
        return self.log.read_text()


@pytest.fixture(scope="module")
def broker():
    """The Redis database of REDIS_URL (under pytest-xdist, this worker's own: tests/conftest.py),
    emptied: only this one is ever flushed."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def proxy(django_db_setup):
    db = connection.settings_dict
    database_proxy = DatabaseProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    yield database_proxy
    database_proxy.close()


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory):
    return Mailbox(tmp_path_factory.mktemp("mail"))


@pytest.fixture(scope="module")
def slow_mail_flag(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("flags") / "slow-mail"


@pytest.fixture(scope="module")
def worker(proxy, broker, mailbox, slow_mail_flag, tmp_path_factory):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "TEST_MAIL_DIR": str(mailbox.folder),
        "TEST_SLOW_MAIL_FLAG": str(slow_mail_flag),
        "REMINDER_REQUEUE_AFTER_SECONDS": str(LEASE_SECONDS),
        "REMINDER_RETRY_BASE_SECONDS": "1",
    }
    celery_worker = Worker(env, tmp_path_factory.mktemp("worker") / "worker.log")
    yield celery_worker
    celery_worker.kill()


@pytest.fixture(autouse=True)
def through_the_broker(settings, mailbox, slow_mail_flag, proxy):
    """In this process too: tasks go to Redis (not run in-process) and the lease is short."""
    settings.REMINDER_REQUEUE_AFTER = timedelta(seconds=LEASE_SECONDS)
    celery_app.conf.task_always_eager = False
    mailbox.empty()
    yield
    celery_app.conf.task_always_eager = True
    slow_mail_flag.unlink(missing_ok=True)
    proxy.up()
