"""English or Spanish: the switcher in the navigation, kept on the account, and the browser's
language before anyone has chosen."""

import pytest
from django.conf import settings
from django.test import Client as Browser
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from clinic.models import Membership
from tests.conftest import pass_second_factor

Role = Membership.Role


def test_before_sign_in_the_browser_language_is_used():
    page = Browser(headers={"accept-language": "es-MX,es;q=0.9"}).get(reverse("login"))
    assert '<html lang="es">' in page.content.decode()
    assert "Iniciar sesión" in page.content.decode()
    assert '<html lang="en">' in Browser().get(reverse("login")).content.decode()


def test_the_switcher_on_the_sign_in_page_remembers_the_choice_in_a_cookie(client):
    answer = client.post(reverse("clinic:language"), {"language": "es", "next": reverse("login")})
    assert answer.status_code == 302
    assert answer.url == reverse("login")
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="es">' in page
    assert 'value="en" lang="en"' in page  # and the way back


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_a_signed_in_person_choice_is_kept_on_the_account_and_follows_them(as_user, staff, role):
    person = staff[role]
    client = as_user(person)
    client.post(reverse("clinic:language"), {"language": "es", "next": reverse("home")})
    person.refresh_from_db()
    assert person.language == "es"
    elsewhere = Browser()  # another computer: no cookie
    elsewhere.force_login(person)
    pass_second_factor(elsewhere, person)
    page = elsewhere.get(reverse("home"), follow=True).content.decode()
    assert '<html lang="es">' in page


def test_the_account_choice_wins_over_the_browser(as_user, attorney):
    attorney.language = "en"
    attorney.save()
    client = as_user(attorney)
    page = client.get(reverse("home"), follow=True, headers={"accept-language": "es"}).content.decode()
    assert '<html lang="en">' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_it_goes_back_only_to_a_page_of_this_site(client, target):
    answer = client.post(reverse("clinic:language"), {"language": "es", "next": target})
    assert answer.url == "/"


def test_an_unknown_language_changes_nothing(as_user, attorney):
    client = as_user(attorney)
    answer = client.post(reverse("clinic:language"), {"language": "fr", "next": "/"})
    assert answer.status_code == 302
    attorney.refresh_from_db()
    assert attorney.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in answer.cookies


def test_the_switcher_answers_post_only(client):
    assert client.get(reverse("clinic:language")).status_code == 405


# Each example is a fresh anonymous visitor, so the test's database is only read.
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(language=st.text(max_size=20), target=st.text(max_size=300))
def test_any_posted_text_is_a_redirect_to_this_site_and_never_an_error(db, language, target):
    answer = Browser().post(reverse("clinic:language"), {"language": language, "next": target})
    assert answer.status_code == 302
    assert answer.url.startswith("/")
    assert not answer.url.startswith("//")
