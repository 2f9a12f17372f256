"""Thin tasks: they take ids and call clients.import_services.

No retries: a failure is recorded on the import with its reason, and nothing is half saved, so
staff upload the file again rather than a worker trying in a loop. The time limits are above the
project's one-minute default: a file of 20,000 rows takes minutes, not seconds.
"""

from celery import shared_task

IMPORT_SOFT_TIME_LIMIT = 30 * 60
IMPORT_TIME_LIMIT = IMPORT_SOFT_TIME_LIMIT + 60


@shared_task(ignore_result=True, soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_TIME_LIMIT)
def check_client_import(import_id: int) -> None:
    from clients.import_services import client_import_check

    client_import_check(import_id=import_id)


@shared_task(ignore_result=True, soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_TIME_LIMIT)
def run_client_import(import_id: int, actor_id: int) -> None:
    from clients.import_services import client_import_run

    client_import_run(import_id=import_id, actor_id=actor_id)
