"""The heartbeat, in-process and through a real Celery worker on the real Redis broker."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from clinic.celery import app as celery_app
from clinic.models import Heartbeat
from clinic.tasks import heartbeat

BASE_DIR = Path(__file__).resolve().parents[2]


def test_heartbeat_records_the_time(db):
    heartbeat.delay()
    first = Heartbeat.objects.get(name="beat").beat_at
    heartbeat.delay()
    assert Heartbeat.objects.get(name="beat").beat_at > first
    assert Heartbeat.objects.count() == 1


@pytest.fixture
def real_worker(transactional_db, settings):
    """A `celery worker` process on its own queue, writing to this test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "clinic",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    yield queue
    worker.terminate()
    worker.wait(timeout=30)


@pytest.fixture
def not_eager():
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


def test_a_real_worker_runs_the_heartbeat(real_worker, not_eager):
    heartbeat.apply_async(queue=real_worker)
    deadline = time.monotonic() + 30
    while not Heartbeat.objects.filter(name="beat").exists():
        assert time.monotonic() < deadline, "the worker did not run the heartbeat within 30 seconds"
        time.sleep(0.2)
