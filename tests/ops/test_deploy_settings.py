"""What docs/deploy.md promises of the production settings, switched by the environment alone:
uploads on local disk or in an S3-compatible bucket (never public), sessions in the database,
PostgreSQL and a real Redis required, a transaction-mode pooler, Redis behind Sentinel (with a real
sentinel and Redis server), a health check a load balancer can reach over plain HTTP, and every
Celery task on a queue that one of `make serve`'s workers consumes."""

import re
import socket
import subprocess
import time

import pytest
import redis

from clinic.celery import app as celery_app
from tests.ops.production_settings import BASE_DIR, production_settings, run_python

PROCFILE = BASE_DIR / "Procfile.production"


def test_it_keeps_uploads_on_local_disk_without_a_bucket():
    settings = production_settings(MEDIA_ROOT="/srv/amparo/media")
    assert settings["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert settings["MEDIA_ROOT"] == "/srv/amparo/media"


def test_it_keeps_uploads_in_a_private_bucket_when_one_is_named():
    settings = production_settings(
        AWS_STORAGE_BUCKET_NAME="amparo-evidence",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    default = settings["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "amparo-evidence",
        "endpoint_url": "https://objects.example.org",
        "region_name": "us-east-1",
        "addressing_style": "path",
        "default_acl": None,  # private: the bucket's own (ACLs disabled), nothing per object
        "querystring_auth": True,
        "querystring_expire": 60,
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    # Static files stay with WhiteNoise on each web machine: they are the same everywhere.
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_it_takes_a_private_acl_and_refuses_a_public_one():
    settings = production_settings(AWS_STORAGE_BUCKET_NAME="amparo-evidence", AWS_DEFAULT_ACL="private")
    assert settings["STORAGES"]["default"]["OPTIONS"]["default_acl"] == "private"
    for acl in ("public-read", "public-read-write", "authenticated-read"):
        result = run_python("import clinic.settings.production", AWS_STORAGE_BUCKET_NAME="b", AWS_DEFAULT_ACL=acl)
        assert result.returncode == 1
        assert "AWS_DEFAULT_ACL may only be private or bucket-owner-full-control" in result.stderr


def test_web_processes_keep_no_state_of_their_own():
    settings = production_settings()
    # Sessions in PostgreSQL read through the shared Redis cache, the cache (import progress) in
    # Redis: any machine answers any request.
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert settings["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_it_refuses_to_run_on_sqlite_or_without_redis():
    result = run_python("import clinic.settings.production", DATABASE_URL="sqlite:////tmp/amparo.sqlite3")
    assert "DATABASE_URL must be a postgres:// URL" in result.stderr
    result = run_python("import clinic.settings.production", DATABASE_URL=None)
    assert "Set the DATABASE_URL environment variable" in result.stderr
    result = run_python("import clinic.settings.production", REDIS_URL=None)
    assert "Set the REDIS_URL environment variable" in result.stderr


def test_a_transaction_mode_pooler_gets_no_persistent_connection_cursor_or_prepared_statement():
    assert production_settings()["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    database = production_settings(DATABASE_TRANSACTION_POOLING="true")["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 0
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["prepare_threshold"] is None
    assert "-c jit=off" in database["OPTIONS"]["options"]


def test_the_health_check_answers_over_plain_http():
    assert production_settings()["SECURE_REDIRECT_EXEMPT"] == [r"^healthz$"]


SENTINELS = "sentinel://:secret@10.0.0.1:26379/2;sentinel://:secret@10.0.0.2:26379/2"


def test_redis_behind_sentinel_needs_the_master_name():
    result = run_python("import clinic.settings.production", REDIS_URL=SENTINELS)
    assert "Set the REDIS_SENTINEL_MASTER environment variable" in result.stderr
    settings = production_settings(REDIS_URL=SENTINELS, REDIS_SENTINEL_MASTER="amparo")
    assert settings["CELERY_BROKER_URL"] == SENTINELS
    assert settings["CELERY_BROKER_TRANSPORT_OPTIONS"] == {"master_name": "amparo"}
    cache = settings["CACHES"]["default"]
    assert cache["LOCATION"] == [SENTINELS]
    assert cache["OPTIONS"] == {"pool_class": "clinic.redis_sentinel.SentinelPool", "master_name": "amparo"}
    guarded = production_settings(REDIS_URL=SENTINELS, REDIS_SENTINEL_MASTER="amparo", REDIS_SENTINEL_PASSWORD="s3")
    expected = {"master_name": "amparo", "sentinel_kwargs": {"password": "s3"}}
    assert guarded["CELERY_BROKER_TRANSPORT_OPTIONS"] == expected
    assert guarded["CACHES"]["default"]["OPTIONS"] == {"pool_class": "clinic.redis_sentinel.SentinelPool", **expected}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sentinel(tmp_path):
    """A Redis server and one sentinel watching it as "amparo-test": (master's port, sentinel's port)."""
    master_port, sentinel_port = free_port(), free_port()
    config = tmp_path / "sentinel.conf"  # the sentinel rewrites its own file
    config.write_text(f"port {sentinel_port}\nbind 127.0.0.1\nsentinel monitor amparo-test 127.0.0.1 {master_port} 1\n")
    servers = [
        subprocess.Popen(
            ["redis-server", "--port", str(master_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=tmp_path, stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen(["redis-server", str(config), "--sentinel"], cwd=tmp_path, stdout=subprocess.DEVNULL),
    ]  # fmt: skip
    try:
        asking = redis.Redis(port=sentinel_port, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            try:
                if asking.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "amparo-test"):
                    break
            except redis.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the sentinel did not start"
            time.sleep(0.1)
        yield master_port, sentinel_port
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_broker_and_cache_find_the_master_through_a_real_sentinel(sentinel):
    master_port, sentinel_port = sentinel
    code = """
import django
django.setup()
from django.core.cache import cache
from clinic.health import check_broker
from clinic.tasks import heartbeat, recount_dashboards
cache.set("sentinel-check", "found")
assert cache.get("sentinel-check") == "found"
assert check_broker() == "ok", check_broker()
heartbeat.delay()
recount_dashboards.delay()
"""
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="clinic.settings.production",
        REDIS_URL=f"sentinel://127.0.0.1:{sentinel_port}/3",
        REDIS_SENTINEL_MASTER="amparo-test",
    )
    assert result.returncode == 0, result.stderr
    master = redis.Redis(port=master_port, db=3)
    assert master.get("amparo:1:sentinel-check") is not None
    # Each task on its queue, in the master the sentinel named.
    assert (master.llen("reminders"), master.llen("celery")) == (1, 1)


# Queues


def procfile_processes() -> dict[str, str]:
    lines = PROCFILE.read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line and not line.startswith("#"))


def test_serve_runs_one_beat_and_a_worker_for_each_queue():
    processes = procfile_processes()
    assert sorted(processes) == ["beat", "reminders", "web", "worker"]
    assert "celery -A clinic beat" in processes["beat"]
    consumed = [re.search(r"--queues (\S+)", processes[name]).group(1) for name in ("reminders", "worker")]
    assert consumed == ["reminders", "celery"]
    assert sorted(queue.name for queue in celery_app.conf.task_queues) == ["celery", "reminders"]


def test_every_task_goes_to_a_queue_that_a_worker_of_serve_consumes():
    celery_app.loader.import_default_modules()
    consumed = {
        re.search(r"--queues (\S+)", command).group(1)
        for command in procfile_processes().values()
        if "--queues" in command
    }
    ours = sorted(name for name in celery_app.tasks if name.split(".")[0] in ("cases", "clients", "clinic"))
    assert len(ours) >= 10
    routed = {name: celery_app.amqp.router.route({}, name)["queue"].name for name in ours}
    assert set(routed.values()) <= consumed, routed
    reminders = {name for name, queue in routed.items() if queue == "reminders"}
    assert reminders == {
        "cases.tasks.deliver_digest",
        "cases.tasks.deliver_reminder",
        "cases.tasks.queue_deliveries",
        "cases.tasks.queue_digests",
        "cases.tasks.sweep_reminders",
        "clinic.tasks.heartbeat",
        "clinic.tasks.send_staff_invitation",
    }


def test_the_env_example_lists_every_new_variable():
    example = (BASE_DIR / ".env.example").read_text()
    for name in (
        "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_S3_ADDRESSING_STYLE",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_ACL", "REDIS_SENTINEL_MASTER",
        "REDIS_SENTINEL_PASSWORD", "DATABASE_TRANSACTION_POOLING", "STATIC_ROOT", "WEB_CONCURRENCY", "BIND", "PORT",
    ):  # fmt: skip
        assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), name


def test_the_deploy_guide_is_where_the_readme_says():
    assert (BASE_DIR / "docs" / "deploy.md").is_file()
    assert "docs/deploy.md" in (BASE_DIR / "README.md").read_text()
