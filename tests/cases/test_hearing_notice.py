"""The notice of a hearing given to the client (cases/hearing_notice.py, cases/hearing_notice_views.py):
in Spanish and English, as a page and as a PDF, in the court's time; never a word of the claim, the
incidents, the evidence or the notes; its audit event; and who may print it."""

from datetime import date, time

import pytest
from django.urls import reverse

from cases import claim_services, evidence_services, hearing_services
from cases.models import Court, Hearing
from cases.services import note_add
from clients.models import Client
from clinic.models import AuditEvent, Membership
from tests.cases import evidence_files
from tests.cases.hearing_data import schedule, winter_day
from tests.factories import staff_member
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
ADDRESS = "1201 Elm Street, Suite 1200\nDallas, TX 75270"
# The claim, an incident, the evidence, the case's notes and the hearing's own notes.
SECRETS = (
    "Former Juárez police officers-PRIVATE",
    "The cartels command, not the government-PRIVATE",
    "Shot in the leg the day after the arrest-PRIVATE",
    "declaracion-PRIVATE",
    "Client fears the comandante-PRIVATE",
    "Judge asked about the gunfight-PRIVATE",
    "PRIVATE",
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def day() -> date:
    return winter_day()  # 9 February next year: standard time in Dallas (CST)


@pytest.fixture
def hearing(case, attorney, day) -> Hearing:
    Court.objects.filter(code="DAL").update(address=ADDRESS)
    case.court.refresh_from_db()
    return schedule(
        attorney, case, day, time(9, 0), judge="Hon. Patricia Gómez", location="Courtroom 4",
        notes="Judge asked about the gunfight-PRIVATE",
    )  # fmt: skip


@pytest.fixture
def confidential(case, attorney):
    """Everything privileged a case holds, each with a word the notice must never show."""
    claim_services.claim_update(
        actor=attorney, case=case,
        data={"ground_social_group": True, "psg_wording": "Former Juárez police officers-PRIVATE",
              "protection_failure": "The cartels command, not the government-PRIVATE"},
    )  # fmt: skip
    claim_services.incident_save(
        actor=attorney, case=case,
        data={"occurred_on": date(2024, 6, 14), "date_is_approximate": False, "place": "Ciudad Juárez",
              "description": "Shot in the leg the day after the arrest-PRIVATE", "perpetrators": "Armed men",
              "reported_to_police": "yes", "police_response": "Nothing."},
    )  # fmt: skip
    evidence_services.evidence_upload(
        actor=attorney, case=case, files=[evidence_files.upload("declaracion-PRIVATE.pdf", evidence_files.pdf_bytes())],
        data={"category": "declaration", "language": "es", "translation": "needed"},
    )  # fmt: skip
    note_add(actor=attorney, case=case, text="Client fears the comandante-PRIVATE", privileged=True)


def notice_url(hearing, lang: str | None = None, pdf: bool = False) -> str:
    name = "cases:hearing-notice-pdf" if pdf else "cases:hearing-notice"
    url = reverse(name, args=[hearing.case_id, hearing.pk])
    return f"{url}?lang={lang}" if lang else url


def sheet(page: str) -> str:
    """The part of the page that is printed: the toolbar above it is the staff's."""
    return page.split('<main id="main"')[1]


# ---- the notice ---------------------------------------------------------------------------------


def test_it_prints_the_notice_in_the_clients_spanish(as_user, attorney, hearing, day):
    response = as_user(attorney).get(notice_url(hearing))
    assert response.status_code == 200
    page = sheet(body(response))
    assert 'lang="es"' in page
    for words in (
        "Su audiencia", "Javier Armando Castañeda Ruelas", "Audiencia", "audiencia breve ante el juez de inmigración",
        "Fecha", f"{SPANISH_WEEKDAYS[day.weekday()]}, {day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}",
        "Hora", "09:00 CST, hora local", "Tribunal de Inmigración de Dallas", "1201 Elm Street, Suite 1200<br>Dallas, TX 75270",
        "Courtroom 4", "Hon. Patricia Gómez", "Traiga con usted", "30 minutos antes", "en su ausencia", "in absentia",
        "INA § 240(b)(5)",
    ):  # fmt: skip
        assert words in page, words
    assert "Your hearing" not in page


def test_it_prints_the_notice_in_english_when_asked(as_user, attorney, hearing, day):
    page = sheet(body(as_user(attorney).get(notice_url(hearing, "en"))))
    for words in (
        "Your hearing", "A short hearing with the immigration judge (master calendar hearing)",
        f"{ENGLISH_WEEKDAYS[day.weekday()]}, {ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}",
        "9 a.m. CST, local time", "Dallas Immigration Court", "Bring with you", "Arrive at least 30 minutes early",
        "order your removal (deportation) in your absence", "INA § 240(b)(5)",
    ):  # fmt: skip
        assert words in page, words
    assert "Traiga" not in page


@pytest.mark.parametrize(
    ("preferred", "title"), [("en", "Your hearing"), ("quc", "Your hearing"), ("es", "Su audiencia")]
)
def test_it_takes_the_clients_language_or_english(as_user, attorney, hearing, preferred, title):
    Client.objects.filter(pk=hearing.case.client_id).update(preferred_language=preferred)
    browser = as_user(attorney)
    assert title in body(browser.get(notice_url(hearing)))
    assert "Su audiencia" in body(browser.get(notice_url(hearing, "es")))


def test_the_pdf_is_a_pdf_with_the_name_and_the_date(as_user, attorney, hearing, day):
    response = as_user(attorney).get(notice_url(hearing, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = f"{hearing.case.number}-hearing-{day.isoformat()}-es.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Javier Armando Castañeda Ruelas" in text
    assert f"{day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}" in text
    assert "Traiga con usted" in text
    assert "240(b)(5)" in text


def test_the_english_pdf(as_user, attorney, hearing, day):
    text = pdf_text(as_user(attorney).get(notice_url(hearing, "en", pdf=True)).content)
    assert f"{ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}" in text
    assert "Dallas Immigration Court" in text


@pytest.mark.parametrize("lang", ["es", "en"])
def test_nothing_of_the_claim_evidence_or_notes_is_on_the_notice(as_user, attorney, hearing, confidential, lang):
    browser = as_user(attorney)
    page = body(browser.get(notice_url(hearing, lang)))
    text = pdf_text(browser.get(notice_url(hearing, lang, pdf=True)).content)
    for secret in SECRETS:
        assert secret not in page, secret
        assert secret not in text, secret


def test_an_interview_has_its_own_words_and_no_court(as_user, attorney, case, day):
    interview = schedule(
        attorney, case, day, time(13, 0), kind=Hearing.Kind.INTERVIEW, court=None, time_zone="America/Chicago",
        location="Houston Asylum Office, 16630 Imperial Valley Drive",
    )  # fmt: skip
    browser = as_user(attorney)
    page = sheet(body(browser.get(notice_url(interview))))
    for words in ("Su entrevista de asilo", "Entrevista de asilo con un oficial de asilo", "Houston Asylum Office",
                  "13:00 CST", "desestimada", "Un intérprete"):  # fmt: skip
        assert words in page, words
    for words in ("absentia", "Tribunal"):
        assert words not in page, words
    english = sheet(body(browser.get(notice_url(interview, "en"))))
    for words in ("Your asylum interview", "1 p.m. CST", "dismissed"):
        assert words in english, words


def test_each_printout_is_on_the_record(as_user, intake_user, hearing):
    browser = as_user(intake_user)
    browser.get(notice_url(hearing))
    browser.get(notice_url(hearing, "en", pdf=True))
    events = list(AuditEvent.objects.filter(action=Action.PRINT).order_by("pk"))
    assert [(e.object_type, e.object_id, e.object_label, e.actor) for e in events] == [
        ("cases.hearing", str(hearing.pk), hearing.case.number, intake_user)
    ] * 2
    assert events[0].summary.endswith("printed (page, es)")
    assert events[1].summary.endswith("printed (pdf, en)")
    assert "Castañeda" not in events[0].summary


def test_the_page_warns_staff_of_a_cancelled_hearing(as_user, attorney, hearing):
    hearing_services.hearing_record_result(actor=attorney, hearing=hearing, result=Hearing.Result.CANCELLED)
    page = body(as_user(attorney).get(notice_url(hearing)))
    toolbar = page.split('<main id="main"')[0]
    assert "do not give this notice to the client" in toolbar


def test_the_hearings_page_offers_the_notice_of_each_upcoming_hearing(
    as_user, intake_user, attorney, case, hearing, day
):
    cancelled = schedule(attorney, case, day.replace(day=10), time(9, 0))
    hearing_services.hearing_record_result(actor=attorney, hearing=cancelled, result=Hearing.Result.CANCELLED)
    page = body(as_user(intake_user).get(reverse("cases:hearings", args=[case.pk])))
    assert notice_url(hearing) in page
    assert notice_url(cancelled) not in page
    assert "Print a notice for the client" in page


# ---- who may print it ----------------------------------------------------------------------------

URLS = ("cases:hearing-notice", "cases:hearing-notice-pdf")


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize(
    ("role", "status"), [(Role.INTAKE, 200), (Role.ATTORNEY, 200), (Role.SUPERVISOR, 200), (Role.CLINIC_ADMIN, 403)]
)
def test_the_cases_own_staff(as_user, staff, hearing, name, role, status):
    assert as_user(staff[role]).get(reverse(name, args=[hearing.case_id, hearing.pk])).status_code == status


@pytest.mark.parametrize("name", URLS)
def test_an_attorney_off_the_case_does_not_see_it(as_user, clinic, hearing, name):
    colleague = staff_member(clinic, Role.ATTORNEY, username="la-attorney-off")
    assert as_user(colleague).get(reverse(name, args=[hearing.case_id, hearing.pk])).status_code == 404
    type(clinic).objects.filter(pk=clinic.pk).update(attorneys_read_all_cases=True)
    assert as_user(colleague).get(reverse(name, args=[hearing.case_id, hearing.pk])).status_code == 200


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize(
    ("role", "status"), [(Role.INTAKE, 404), (Role.ATTORNEY, 404), (Role.SUPERVISOR, 404), (Role.CLINIC_ADMIN, 403)]
)
def test_another_clinics_staff(as_user, outsiders, hearing, name, role, status):
    assert as_user(outsiders[role]).get(reverse(name, args=[hearing.case_id, hearing.pk])).status_code == status
    assert not AuditEvent.objects.filter(action=Action.PRINT).exists()


@pytest.mark.parametrize("name", URLS)
def test_anonymous_visitors_sign_in_first(client, hearing, name):
    response = client.get(reverse(name, args=[hearing.case_id, hearing.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_hearing_of_another_case_is_not_found(as_user, attorney, hearing, other_case):
    assert as_user(attorney).get(reverse("cases:hearing-notice", args=[other_case.pk, hearing.pk])).status_code == 404
