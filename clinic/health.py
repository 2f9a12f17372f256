"""The checks behind /healthz: the database, the Celery broker, and beat's last heartbeat."""

from django.conf import settings
from django.db import connection
from django.utils import timezone

from clinic.celery import app as celery_app
from clinic.selectors import last_heartbeat

OK = "ok"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means the same thing to a load balancer
        return f"down: {type(exc).__name__}"
    return OK


def check_broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return f"down: {type(exc).__name__}"
    return OK


def check_beat(database_state: str) -> tuple[bool, str]:
    """(healthy, what to report): the ISO time of the last heartbeat, or why it is missing."""
    if database_state != OK:
        return False, "unknown: database down"
    beat_at = last_heartbeat()
    if beat_at is None:
        return False, "down: no heartbeat yet"
    stamp = beat_at.isoformat()
    if timezone.now() - beat_at > settings.HEARTBEAT_STALE_AFTER:
        return False, f"stale: last heartbeat {stamp}"
    return True, stamp


def health_report() -> tuple[bool, dict[str, str]]:
    database = check_database()
    broker = check_broker()
    beat_ok, beat = check_beat(database)
    healthy = database == OK and broker == OK and beat_ok
    return healthy, {"database": database, "broker": broker, "beat": beat}
