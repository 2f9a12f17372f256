"""/healthz: 200 when the database, the broker and beat are alive; 503 naming what is down."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.celery import app as celery_app
from clinic.models import Heartbeat
from clinic.services import heartbeat_record


@pytest.fixture
def fresh_heartbeat(db):
    heartbeat_record()


def test_it_is_public_and_ok_when_everything_runs(client, fresh_heartbeat):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"  # a real connection to the Redis of REDIS_URL
    assert body["beat"] == Heartbeat.objects.get().beat_at.isoformat()
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_is_unavailable_before_the_first_heartbeat(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"] == "down: no heartbeat yet"


def test_it_reports_a_stale_beat(client, db, settings):
    old = timezone.now() - settings.HEARTBEAT_STALE_AFTER - timedelta(seconds=1)
    Heartbeat.objects.create(name="beat", beat_at=old)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"] == f"stale: last heartbeat {old.isoformat()}"


def test_it_names_the_broker_when_it_is_unreachable(client, fresh_heartbeat, monkeypatch):
    # Port 9 (discard) has no Redis listening: the connection really fails.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"].startswith("down:")
    assert body["database"] == "ok"
