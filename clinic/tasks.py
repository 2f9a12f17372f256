"""Thin tasks: they take ids and call services."""

from celery import shared_task


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Run by beat every HEARTBEAT_INTERVAL_SECONDS; /healthz reports the last run."""
    from clinic.services import heartbeat_record

    heartbeat_record()


@shared_task(bind=True, max_retries=5, ignore_result=True)
def send_staff_invitation(self, user_id: int) -> None:
    from clinic.services import staff_invitation_send

    try:
        staff_invitation_send(user_id=user_id)
    except OSError as exc:  # the mail server is unreachable: try again later
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(ignore_result=True)
def recount_dashboards(clinic_id: int | None = None) -> None:
    """Every clinic's dashboard counts (beat, every DASHBOARD_RECOUNT_SECONDS), or one clinic's
    (after a reassignment)."""
    from clinic.dashboard_counts import recount_all_dashboards, recount_dashboard
    from clinic.models import Clinic

    if clinic_id is None:
        recount_all_dashboards()
    elif clinic := Clinic.objects.filter(pk=clinic_id).first():
        recount_dashboard(clinic)
