from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse


def test_a_post_without_csrf_token_is_refused_and_writes_nothing(clinic_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinic_admin)
    before = get_user_model().objects.count()
    page = client.post(
        reverse("clinic:staff-create"),
        {"first_name": "A", "last_name": "B", "username": "nocsrf", "email": "a@example.org", "role": "intake"},
    )
    assert page.status_code == 403
    assert b"This form could not be sent" in page.content
    assert get_user_model().objects.count() == before
