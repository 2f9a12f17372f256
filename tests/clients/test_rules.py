"""Pure rules: A-numbers, phones, the one-year deadline, urgency flags, derivative eligibility."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.dates import add_years, roll_forward
from clients.derivatives import derivative_status
from clients.identifiers import format_a_number, format_phone, normalize_a_number, normalize_phone
from clients.triage import one_year_deadline, triage


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("A123456789", "123456789"),
        ("a-123-456-789", "123456789"),
        ("A 12 345 678", "012345678"),
        ("1234567", "001234567"),
        ("A.098.765.432", "098765432"),
    ],
)
def test_it_normalizes_a_numbers(typed, stored):
    assert normalize_a_number(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("A12B456789", "only digits"),
        ("A123456", "7 to 9 digits"),
        ("A1234567890", "7 to 9 digits"),
    ],
)
def test_it_explains_a_bad_a_number(typed, message):
    with pytest.raises(ValidationError, match=message):
        normalize_a_number(typed)


def test_it_formats_a_numbers():
    assert format_a_number("012345678") == "A-012-345-678"
    assert format_a_number(None) == ""


def test_it_normalizes_phones():
    assert normalize_phone("(915) 555-0123") == "+19155550123"
    assert normalize_phone("+52 656 123 4567") == "+526561234567"
    assert format_phone("+19155550123") == "(915) 555-0123"
    assert format_phone("+526561234567") == "+52 656 123 4567"
    with pytest.raises(ValidationError, match="does not look like a phone"):
        normalize_phone("call me")
    with pytest.raises(ValidationError, match="Too few or too many digits"):
        normalize_phone("555")


@pytest.mark.parametrize(
    ("arrival", "deadline"),
    [
        (date(2025, 3, 10), date(2026, 3, 10)),  # a Tuesday: the anniversary itself
        (date(2025, 7, 4), date(2026, 7, 6)),  # Sat 4 Jul 2026 (holiday observed Fri 3 Jul): Monday
        (date(2025, 1, 17), date(2026, 1, 20)),  # Sat 17 Jan, then Sun, then MLK Day Mon 19 Jan
        (date(2024, 12, 25), date(2025, 12, 26)),  # Christmas Day 2025 is a Thursday holiday
        (date(2024, 2, 29), date(2025, 2, 28)),  # leap day: the earlier, safe day
        (date(1995, 6, 1), date(1998, 4, 1)),  # before the rule began: 1 Apr 1997 + 1 year
    ],
)
def test_the_one_year_deadline(arrival, deadline):
    assert one_year_deadline(arrival) == deadline


def test_dates_helpers():
    assert roll_forward(date(2026, 11, 26)) == date(2026, 11, 27)  # Thanksgiving
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)


def flags_of(**facts):
    defaults = {
        "last_arrival": None,
        "next_hearing": None,
        "detained": False,
        "in_absentia_order": False,
        "prior_removal_order": False,
    }
    result = triage(today=date(2026, 11, 28), **(defaults | facts))
    return {flag.code: flag for flag in result.flags}, result


def test_triage_flags_the_one_year_deadline():
    assert "one_year_past" in flags_of(last_arrival=date(2025, 10, 1))[0]
    assert "one_year_30" in flags_of(last_arrival=date(2025, 12, 15))[0]
    assert "one_year_90" in flags_of(last_arrival=date(2026, 2, 10))[0]
    assert flags_of(last_arrival=date(2026, 6, 1))[0] == {}


def test_triage_flags_hearings_detention_and_orders():
    assert flags_of(next_hearing=date(2026, 12, 2))[0]["hearing_7"].level == "danger"
    assert flags_of(next_hearing=date(2026, 12, 20))[0]["hearing_30"].level == "warning"
    assert "hearing_passed" in flags_of(next_hearing=date(2026, 11, 1))[0]
    assert "detained" in flags_of(detained=True)[0]
    assert "in_absentia" in flags_of(in_absentia_order=True, prior_removal_order=True)[0]
    assert "removal_order" in flags_of(prior_removal_order=True)[0]


def test_triage_scores_sort_the_most_urgent_first():
    calm = flags_of(last_arrival=date(2026, 6, 1))[1]
    soon = flags_of(last_arrival=date(2026, 2, 10))[1]
    detained_and_late = flags_of(last_arrival=date(2025, 10, 1), detained=True)[1]
    assert calm.score < soon.score < detained_and_late.score


TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("relationship", "marital", "location", "born", "eligible", "reason"),
    [
        ("spouse", "married", "in_us", None, True, "Spouse in the US"),
        ("spouse", "married", "abroad", None, False, "I-730"),
        ("child", "single", "in_us", date(2015, 5, 1), True, "under 21"),
        ("child", "married", "in_us", date(2008, 5, 1), False, "Married child"),
        ("child", "single", "in_us", date(2005, 11, 28), False, "21 or older"),  # turned 21 today
        ("child", "single", "in_us", date(2005, 11, 29), True, "under 21"),  # turns 21 tomorrow
        ("parent", "married", "in_us", date(1960, 1, 1), False, "Only a spouse or a child"),
    ],
)
def test_derivative_eligibility(relationship, marital, location, born, eligible, reason):
    status = derivative_status(
        relationship=relationship, marital_status=marital, location=location, date_of_birth=born, today=TODAY
    )
    assert status.eligible is eligible
    assert reason in status.reason


def test_a_child_shows_the_day_they_age_out():
    status = derivative_status(
        relationship="child", marital_status="single", location="in_us", date_of_birth=date(2010, 3, 14), today=TODAY
    )
    assert status.age_out_date == date(2031, 3, 14)


def test_rebuild_name_index_restores_the_search(intake_user, client_record, as_user, clinic):
    from django.core.management import call_command
    from django.urls import reverse

    from clients.models import PersonName

    PersonName.objects.filter(clinic=clinic).delete()
    assert as_user(intake_user).get(reverse("clients:client-list"), {"q": "lopez"}).context["page"].clients == []
    call_command("rebuild_name_index", "--clinic", clinic.slug)
    page = as_user(intake_user).get(reverse("clients:client-list"), {"q": "lopez"})
    assert [client.pk for client in page.context["page"].clients] == [client_record.pk]


def test_display_helpers_match_the_general_formatters():
    from django.template.defaultfilters import date as date_filter

    from clients.templatetags.client_tags import short_date

    for day in (date(1999, 3, 14), date(2026, 12, 1), date(2000, 5, 31)):
        assert short_date(day) == date_filter(day, "j M Y")
    assert format_phone("+19155550123") == "(915) 555-0123"
    assert format_phone("+15025550123") == "(502) 555-0123"
