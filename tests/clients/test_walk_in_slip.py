"""A walk-in's return appointment and the slip they take home (clients/slip.py, clients/slip_views.py):
the form and its service, the slip in Spanish and English as a page and as a PDF, what it must never
show, its audit event, and who may open it."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.models import WalkIn
from clinic.models import AuditEvent, Membership
from tests.printouts import (
    ENGLISH_MONTHS,
    ENGLISH_WEEKDAYS,
    SPANISH_MONTHS,
    SPANISH_WEEKDAYS,
    body,
    pdf_text,
)

Role = Membership.Role
Action = AuditEvent.Action
# What the person told the desk, the urgency and the conflict check: none of it is for the slip.
TRIAGE_DETAILS = "Threatened by the Zetas plaza boss Ruperto Quintanilla-PRIVATE"
REFERRAL = "Casa Anunciación-PRIVATE"
CHECK_NOTE = "Waived after talking to Quintanilla-PRIVATE"
SECRETS = (TRIAGE_DETAILS, REFERRAL, CHECK_NOTE, "PRIVATE", "Quintanilla", "absentia", "A-204-518-377")


def in_clinic(clinic, days: int, clock: time = time(10, 30)) -> datetime:
    zone = ZoneInfo(str(clinic.time_zone))
    return datetime.combine(timezone.localdate(timezone=zone) + timedelta(days=days), clock, tzinfo=zone)


@pytest.fixture
def when(clinic) -> datetime:
    return in_clinic(clinic, 30)


@pytest.fixture
def booked(walk_in, intake_user, attorney, clinic, when) -> WalkIn:
    """The walk-in with everything the slip must leave out, and an appointment in 30 days."""
    services.walk_in_update(
        actor=intake_user,
        walk_in=walk_in,
        data={
            "reason_details": TRIAGE_DETAILS, "referred_by": REFERRAL, "in_absentia_order": True,
            "detained": True, "a_number": "204518377",
        },
    )  # fmt: skip
    check = services.conflict_check_run(actor=intake_user, walk_in=walk_in)
    services.conflict_check_decide(actor=attorney, check=check, decision="waived", note=CHECK_NOTE)
    return services.walk_in_set_appointment(
        actor=intake_user, walk_in=walk_in, at=when, with_whom="Attorney Marisol Ortega"
    )


def slip_url(walk_in, lang: str | None = None, pdf: bool = False) -> str:
    url = reverse("clients:walk-in-slip-pdf" if pdf else "clients:walk-in-slip", args=[walk_in.pk])
    return f"{url}?lang={lang}" if lang else url


def prints(walk_in) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.PRINT, object_type="clients.walkin", object_id=str(walk_in.pk)))


# ---- the slip -----------------------------------------------------------------------------------


def test_it_prints_the_slip_in_the_persons_spanish(as_user, intake_user, booked, when, clinic):
    response = as_user(intake_user).get(slip_url(booked))
    assert response.status_code == 200
    page = body(response)
    for word in ("Su cita", "Nombre", "Fecha", "Hora", "Pregunte por", "Traiga", "gratuitos", "confidencial"):
        assert word in page, word
    assert 'lang="es"' in page
    assert "José Luis Hernández Cruz" in page
    assert clinic.name in page
    assert f"{SPANISH_WEEKDAYS[when.weekday()]}, {when.day} de {SPANISH_MONTHS[when.month - 1]} de {when.year}" in page
    assert "10:30" in page
    assert "Attorney Marisol Ortega" in page
    for english in ("Bring with you", "Your appointment", ENGLISH_MONTHS[when.month - 1]):
        assert english not in page.split('<main id="main"')[1], english


def test_it_prints_the_slip_in_english_when_asked(as_user, intake_user, booked, when):
    page = body(as_user(intake_user).get(slip_url(booked, "en")))
    for word in ("Your appointment", "Name", "Date", "Time", "Ask for", "Bring with you", "free", "confidential"):
        assert word in page, word
    assert f"{ENGLISH_WEEKDAYS[when.weekday()]}, {ENGLISH_MONTHS[when.month - 1]} {when.day}, {when.year}" in page
    assert "10:30 a.m." in page
    assert "Traiga" not in page


@pytest.mark.parametrize(
    ("preferred", "shown"), [("en", "Your appointment"), ("ht", "Your appointment"), ("es", "Su cita")]
)
def test_it_takes_the_persons_language_or_english(as_user, intake_user, booked, preferred, shown):
    WalkIn.objects.filter(pk=booked.pk).update(preferred_language=preferred)
    assert shown in body(as_user(intake_user).get(slip_url(booked)))
    # Any other ?lang (a language with no printout, a typo, a NUL byte) is the person's language.
    assert shown in body(as_user(intake_user).get(slip_url(booked, "fr%00")))


def test_the_pdf_is_a_pdf_with_the_name_and_the_date(as_user, intake_user, booked, when):
    response = as_user(intake_user).get(slip_url(booked, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="appointment-{booked.pk}-es.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "José Luis Hernández Cruz" in text
    assert f"{when.day} de {SPANISH_MONTHS[when.month - 1]} de {when.year}" in text
    assert "Traiga" in text


def test_the_english_pdf(as_user, intake_user, booked, when):
    response = as_user(intake_user).get(slip_url(booked, "en", pdf=True))
    assert response["Content-Disposition"] == f'attachment; filename="appointment-{booked.pk}-en.pdf"'
    text = pdf_text(response.content)
    assert f"{ENGLISH_MONTHS[when.month - 1]} {when.day}, {when.year}" in text
    assert "Bring with you" in text


@pytest.mark.parametrize("lang", ["es", "en"])
def test_nothing_the_desk_was_told_is_on_the_slip(as_user, intake_user, booked, lang):
    browser = as_user(intake_user)
    page = body(browser.get(slip_url(booked, lang)))
    text = pdf_text(browser.get(slip_url(booked, lang, pdf=True)).content)
    for secret in SECRETS:
        assert secret not in page, secret
        assert secret not in text, secret


def test_each_printout_is_on_the_record(as_user, intake_user, booked):
    browser = as_user(intake_user)
    browser.get(slip_url(booked))
    browser.get(slip_url(booked, "en", pdf=True))
    page, pdf = prints(booked)[::-1]
    assert (page.actor, page.clinic, page.object_label) == (intake_user, booked.clinic, f"WalkIn {booked.pk}")
    assert page.summary == "Appointment slip printed (page, es)"
    assert pdf.summary == "Appointment slip printed (pdf, en)"
    assert "Hernández" not in page.summary + pdf.summary


def test_without_an_appointment_there_is_no_slip_to_print(as_user, intake_user, walk_in):
    for pdf in (False, True):
        response = as_user(intake_user).get(slip_url(walk_in, pdf=pdf), follow=True)
        assert response.redirect_chain[-1][0].endswith(
            reverse("clients:walk-in-detail", args=[walk_in.pk]) + "#appointment"
        )
        assert "Set the appointment first" in body(response)
    assert prints(walk_in) == []


def test_the_page_warns_staff_of_an_appointment_that_has_passed(as_user, intake_user, booked):
    WalkIn.objects.filter(pk=booked.pk).update(consultation_at=timezone.now() - timedelta(hours=1))
    page = body(as_user(intake_user).get(slip_url(booked)))
    assert "This appointment has passed" in page.split('<main id="main"')[0]


def test_the_page_prints_with_a_script_file_not_inline_script(as_user, intake_user, booked):
    page = body(as_user(intake_user).get(slip_url(booked)))
    assert '<script src="/static/js/printout.js">' in page
    for inline in ("<script>", "onclick", "style=", "navbar"):
        assert inline not in page, inline


# ---- the walk-in's page and the appointment form ------------------------------------------------


def test_the_walk_in_page_offers_the_form_and_the_slip(as_user, intake_user, walk_in, booked):
    page = body(as_user(intake_user).get(reverse("clients:walk-in-detail", args=[walk_in.pk])))
    assert reverse("clients:walk-in-appointment", args=[walk_in.pk]) in page
    assert slip_url(walk_in) in page
    assert slip_url(walk_in, pdf=True) in page
    assert 'id="id_appointment-consultation_at"' in page


def post_appointment(browser, walk_in, at: str, with_whom: str = ""):
    return browser.post(
        reverse("clients:walk-in-appointment", args=[walk_in.pk]),
        {"appointment-consultation_at": at, "appointment-consultation_with": with_whom},
    )


def test_it_books_the_appointment_in_the_clinics_time(as_user, intake_user, walk_in, clinic):
    at = in_clinic(clinic, 10, time(15, 0))
    response = post_appointment(as_user(intake_user), walk_in, at.strftime("%Y-%m-%dT%H:%M"), "  Lic. Ortega ")
    assert response.status_code == 302
    walk_in.refresh_from_db()
    assert walk_in.consultation_at == at
    assert walk_in.consultation_with == "Lic. Ortega"
    assert walk_in.status == WalkIn.Status.CONSULTATION_BOOKED
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(walk_in.pk)).latest("pk")
    assert event.summary == "Appointment set"
    assert sorted(event.changes["fields"]) == ["consultation_at", "consultation_with", "status"]


def test_a_time_that_has_passed_is_refused_and_nothing_is_written(as_user, intake_user, walk_in, clinic):
    browser = as_user(intake_user)
    before = AuditEvent.objects.count()
    yesterday = in_clinic(clinic, -1).strftime("%Y-%m-%dT%H:%M")
    response = post_appointment(browser, walk_in, yesterday, "Lic. Ortega")
    assert response.status_code == 200
    assert "This date and time have passed: choose a time still to come." in body(response)
    walk_in.refresh_from_db()
    assert (walk_in.consultation_at, walk_in.consultation_with, walk_in.status) == (None, "", WalkIn.Status.WAITING)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Give the date and time of the appointment."),
        ("2026-02-30T10:00", "Enter a real date and time."),
        ("next tuesday", "Enter a real date and time."),
    ],
)
def test_a_missing_or_unreal_date_is_refused(as_user, intake_user, walk_in, value, message):
    response = post_appointment(as_user(intake_user), walk_in, value)
    assert response.status_code == 200
    assert message in body(response)
    walk_in.refresh_from_db()
    assert walk_in.consultation_at is None


def test_a_year_ahead_is_a_typo(as_user, intake_user, walk_in, clinic):
    response = post_appointment(as_user(intake_user), walk_in, in_clinic(clinic, 400).strftime("%Y-%m-%dT%H:%M"))
    assert "This is more than a year ahead: check the year." in body(response)


def test_a_declined_walk_in_gets_no_appointment(as_user, intake_user, walk_in, clinic):
    services.walk_in_set_status(actor=intake_user, walk_in=walk_in, status=WalkIn.Status.DECLINED)
    browser = as_user(intake_user)
    response = post_appointment(browser, walk_in, in_clinic(clinic, 3).strftime("%Y-%m-%dT%H:%M"))
    assert "change the status before booking an appointment" in body(response)
    walk_in.refresh_from_db()
    assert walk_in.consultation_at is None
    page = body(browser.get(reverse("clients:walk-in-detail", args=[walk_in.pk])))
    assert "appointment-consultation_at" not in page


def test_a_no_show_is_booked_again(as_user, intake_user, walk_in, clinic):
    services.walk_in_set_status(actor=intake_user, walk_in=walk_in, status=WalkIn.Status.NO_SHOW)
    post_appointment(as_user(intake_user), walk_in, in_clinic(clinic, 3).strftime("%Y-%m-%dT%H:%M"))
    walk_in.refresh_from_db()
    assert walk_in.status == WalkIn.Status.CONSULTATION_BOOKED


# ---- who may open what ---------------------------------------------------------------------------

URLS = ("clients:walk-in-slip", "clients:walk-in-slip-pdf", "clients:walk-in-appointment")


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.INTAKE, 200), (Role.ATTORNEY, 200), (Role.SUPERVISOR, 200), (Role.CLINIC_ADMIN, 403)],
)
def test_the_walk_ins_own_staff(as_user, staff, booked, name, role, status):
    assert as_user(staff[role]).get(reverse(name, args=[booked.pk])).status_code == status


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.INTAKE, 404), (Role.ATTORNEY, 404), (Role.SUPERVISOR, 404), (Role.CLINIC_ADMIN, 403)],
)
def test_another_clinics_staff(as_user, outsiders, booked, name, role, status):
    browser = as_user(outsiders[role])
    assert browser.get(reverse(name, args=[booked.pk])).status_code == status
    assert prints(booked) == []


@pytest.mark.parametrize("name", URLS)
def test_anonymous_visitors_sign_in_first(client, booked, name):
    response = client.get(reverse(name, args=[booked.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_another_clinic_cannot_book_the_appointment(as_user, outsiders, walk_in, clinic):
    response = post_appointment(
        as_user(outsiders[Role.INTAKE]), walk_in, in_clinic(clinic, 3).strftime("%Y-%m-%dT%H:%M")
    )
    assert response.status_code == 404
    walk_in.refresh_from_db()
    assert walk_in.consultation_at is None
