"""A Spanish-speaking intake worker does the whole walk-in flow in Spanish: switches the language in
the navigation, logs a walk-in, books the return appointment and prints the slip, runs the conflict
check, accepts the person as a client and opens the case."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.demo import DEMO_PASSWORD, seed_demo
from clinic.models import User
from tests.browser.conftest import screenshot, sign_in
from tests.printouts import SPANISH_MONTHS, SPANISH_WEEKDAYS


@pytest.fixture
def demo(transactional_db):
    seed_demo()


def test_an_intake_worker_logs_a_walk_in_and_prints_the_slip_in_spanish(new_page, demo):
    page = new_page()
    sign_in(page, "intake", DEMO_PASSWORD)
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert User.objects.get(username="intake").language == "es"

    page.get_by_role("link", name="Registrar una visita").click()
    page.get_by_label("Nombre(s)").fill("Marisela")
    page.get_by_label("Apellido paterno").fill("Quiroz")
    page.get_by_label("Apellido materno").fill("Batres")
    page.get_by_label("País de nacionalidad").select_option("GT")
    page.get_by_label("Fecha de la última llegada a EE. UU.").fill(
        (timezone.localdate() - timedelta(days=40)).isoformat()
    )
    screenshot(page, "spanish-log-walk-in")
    page.get_by_role("button", name="Agregar a la lista de espera").click()
    expect(page.get_by_text("Se agregó a Marisela Quiroz Batres a la lista de espera.")).to_be_visible()

    page.get_by_role("link", name="Recepción").first.click()
    page.get_by_role("row").filter(has_text="Marisela Quiroz Batres").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Cita de regreso")).to_be_visible()
    day = timezone.localdate() + timedelta(days=9)
    day += timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)  # a weekday
    page.get_by_label("Fecha y hora").fill(f"{day.isoformat()}T11:15")
    page.get_by_role("button", name="Guardar la cita").click()
    expect(page.get_by_text("La cita se guardó. Imprima el comprobante para la persona.")).to_be_visible()
    screenshot(page, "spanish-walk-in")
    walk_in_page = page.url

    page.get_by_role("link", name="Imprimir el comprobante de la cita").click()
    sheet = page.locator("main")
    expect(sheet).to_have_attribute("lang", "es")
    expect(sheet.get_by_role("heading", name="Su cita")).to_be_visible()
    expect(sheet.get_by_role("heading", name="Traiga con usted")).to_be_visible()
    weekday, month = SPANISH_WEEKDAYS[day.weekday()], SPANISH_MONTHS[day.month - 1]
    expect(sheet).to_contain_text(f"{weekday}, {day.day} de {month} de {day.year}")
    expect(sheet).to_contain_text("11:15")
    # The staff toolbar is in the worker's language too.
    expect(page.get_by_role("button", name="Imprimir")).to_be_visible()
    screenshot(page, "spanish-slip")

    # At the consultation: the conflict check, then the person becomes a client with a case.
    page.goto(walk_in_page)
    page.get_by_role("button", name="Realizar la verificación de conflictos").click()
    expect(page.get_by_text("Nadie en los registros de esta clínica se parece a esta persona.")).to_be_visible()
    page.get_by_label("Aprobado: sin conflicto").check()
    page.get_by_role("button", name="Registrar decisión").click()
    expect(page.get_by_text("Se registró la decisión.")).to_be_visible()
    page.get_by_role("button", name="Aceptar como cliente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abrir un caso para Marisela Quiroz Batres")
    expect(page.get_by_text("Marisela Quiroz Batres ahora es cliente. Abra su caso.")).to_be_visible()
    page.get_by_label("Abogado principal").select_option(label="Marisol Vega")
    page.get_by_label("Proceso").select_option("defensive")
    page.get_by_label("Tribunal").select_option(label="El Paso (ELP)")
    page.get_by_role("button", name="Abrir el caso").click()
    expect(page.get_by_text("Se abrió el caso")).to_be_visible()
    screenshot(page, "spanish-case-opened")
    assert page.console_errors == []
