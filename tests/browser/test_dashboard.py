"""The supervisor dashboard in a real browser, filled from the demo data: the figures, the charts,
a figure followed to its list, and no CSP complaint (no inline script or style)."""

import re

import pytest
from playwright.sync_api import expect

from clinic.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def demo(transactional_db):
    seed_demo()


def test_the_demo_supervisor_sees_the_dashboard_and_follows_a_figure(new_page, demo):
    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Supervisor dashboard")).to_be_visible()
    for heading in ("Caseload per attorney", "Walk-ins per week", "One-year filing deadline at risk"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # Its parts are links: a group of links, not an image (which would hide them from screen readers).
    expect(page.get_by_role("group", name="Walk-ins per week by outcome")).to_be_visible()
    path = screenshot(page, "dashboard")
    assert path.exists()

    # Filtering by a date range and by an attorney keeps the page whole.
    page.get_by_label("Attorney", exact=True).select_option(index=1)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Caseload per attorney")).to_be_visible()
    page.get_by_role("link", name="Reset").click()

    # The figure of deadlines due in the next 30 days leads to a list of as many deadlines.
    figure = page.locator('[data-figure="due-30"]')
    shown = int(re.match(r"\d+", figure.inner_text()).group())
    figure.click()
    expect(page.get_by_role("heading", name="Deadlines")).to_be_visible()
    if shown:
        expect(page.locator("tbody tr")).to_have_count(min(shown, 50))
    assert page.console_errors == []


def test_the_supervisor_follows_a_figure_reassigns_and_downloads_a_spreadsheet(new_page, demo, tmp_path):
    """The issue's whole flow: dashboard, a figure to its list, a reassignment, an export that a
    spreadsheet program opens (openpyxl reads what Excel and LibreOffice read)."""
    from openpyxl import load_workbook

    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    caseload = page.locator('[data-table="caseload"]')
    ruiz_before = int(caseload.locator("tbody tr").filter(has_text="Elena Ruiz").locator("td").first.inner_text())
    vega = caseload.locator("tbody tr").filter(has_text="Marisol Vega")
    vega.get_by_role("link").first.click()  # her open cases
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    rows = page.locator("tbody tr")
    number = rows.first.locator("td").nth(1).inner_text().strip()
    page.get_by_label(f"Select case {number}").check()
    page.get_by_label("New lead attorney").select_option(label="Elena Ruiz")
    page.get_by_role("button", name="Reassign", exact=True).click()
    expect(page.get_by_text("1 case reassigned to Elena Ruiz.")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    sheet = load_workbook(saved, read_only=True).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "Case number" in table[0]
    lead = table[0].index("Lead attorney")
    # The list as filtered (Marisol Vega's cases): the case handed over has left it.
    assert table[1:]
    assert {row[lead] for row in table[1:]} == {"Marisol Vega"}
    assert number not in [row[0] for row in table[1:]]

    page.goto("/dashboard/")
    # The reassignment recounted the clinic: the caseload shows it at once.
    ruiz_row = page.locator('[data-table="caseload"] tbody tr').filter(has_text="Elena Ruiz")
    expect(ruiz_row.locator("td").first).to_have_text(str(ruiz_before + 1))
    page.get_by_role("button", name="Download").click()
    with page.expect_download() as download_info:
        page.locator(".dropdown-menu").get_by_text("XLSX").first.click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    caseload_sheet = [list(row) for row in load_workbook(saved, read_only=True).active.iter_rows(values_only=True)]
    assert any("Elena Ruiz" in str(cell) for row in caseload_sheet for cell in row)
    assert page.console_errors == []


def test_walk_in_and_outcome_figures_open_their_lists(new_page, demo):
    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    # The last week's column of the walk-in chart: its "still open" part.
    part = page.locator('svg a[href*="status=open"]').last
    href = part.get_attribute("href")
    page.goto(href)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Walk-ins")
    expect(page.locator("tbody tr").first).to_be_visible()
    screenshot(page, "walk-in-list")

    page.goto("/dashboard/")
    outcomes = page.locator('[data-table="outcomes"]')
    first = outcomes.locator("tbody tr").first
    decided = int(first.locator("td").nth(6).inner_text())
    first.locator("td").nth(6).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    expect(page.get_by_text("Show all cases")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(decided)
    screenshot(page, "case-list-outcomes")
    assert page.console_errors == []
