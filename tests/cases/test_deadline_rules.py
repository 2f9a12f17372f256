"""The deadline engine on the rules as data (cases/deadline_rules.py), without the database.

Every expected date below was worked out by hand from a calendar and the federal-holiday list
(observed days included), not from the code under test. Counting: the trigger day is day 0;
before a hearing the hearing day is day 0 and the day before is day 1; a Saturday, Sunday or
federal holiday (as observed) moves the deadline to the next business day.
"""

from datetime import date

import pytest

from cases import dates
from cases.deadline_rules import (
    RULES,
    Counting,
    Direction,
    RuleError,
    RuleSpec,
    compute,
    rule_codes,
    version_in_force,
    versions_of,
)

D = date

# (rule code, trigger date, expected due date, fragment of the explanation)
CASES = [
    # One year after the last arrival: the anniversary, rolled forward.
    (
        "one_year_filing",
        D(2025, 3, 10),
        D(2026, 3, 10),
        "One year after the last arrival in the US on Mon 10 Mar 2025 is Tue 10 Mar 2026, a business day: due that day",
    ),
    ("one_year_filing", D(2024, 2, 29), D(2025, 2, 28), "is Fri 28 Feb 2025, a business day"),  # leap day -> 28 Feb
    ("one_year_filing", D(2023, 2, 28), D(2024, 2, 28), "is Wed 28 Feb 2024, a business day"),
    ("one_year_filing", D(2023, 3, 1), D(2024, 3, 1), "is Fri 1 Mar 2024"),  # across 29 Feb 2024
    (
        "one_year_filing",
        D(2025, 7, 4),
        D(2026, 7, 6),
        "is Sat 4 Jul 2026, Independence Day, a federal holiday: due Mon 6 Jul 2026",
    ),
    (
        "one_year_filing",
        D(2025, 7, 3),
        D(2026, 7, 6),
        "is Fri 3 Jul 2026, Independence Day (observed), a federal holiday: due Mon 6 Jul 2026",
    ),
    ("one_year_filing", D(2025, 12, 25), D(2026, 12, 28), "Christmas Day, a federal holiday: due Mon 28 Dec 2026"),
    # 1 Jan 2028 is a Saturday, observed on Fri 31 Dec 2027: due the next Monday, in the new year.
    (
        "one_year_filing",
        D(2026, 12, 31),
        D(2028, 1, 3),
        "is Fri 31 Dec 2027, New Year's Day (observed), a federal holiday: due Mon 3 Jan 2028",
    ),
    (
        "one_year_filing",
        D(2025, 1, 19),
        D(2026, 1, 20),
        "is Mon 19 Jan 2026, Martin Luther King Jr. Day, a federal holiday: due Tue 20 Jan 2026",
    ),
    ("one_year_filing", D(2025, 6, 14), D(2026, 6, 15), "is Sun 14 Jun 2026, a weekend day: due Mon 15 Jun 2026"),
    # 15 days before a master hearing: the hearing day is day 0.
    (
        "master_hearing_filing",
        D(2026, 6, 4),
        D(2026, 5, 20),
        "15 days before the master calendar hearing on Thu 4 Jun 2026 is Wed 20 May 2026, a business day",
    ),
    ("master_hearing_filing", D(2026, 7, 20), D(2026, 7, 6), "is Sun 5 Jul 2026, a weekend day: due Mon 6 Jul 2026"),
    (
        "master_hearing_filing",
        D(2026, 1, 16),
        D(2026, 1, 2),
        "is Thu 1 Jan 2026, New Year's Day, a federal holiday: due Fri 2 Jan 2026",
    ),
    # Sat 14 Feb 2026, then Sunday, then Mon 16 Feb (Washington's Birthday): due Tuesday.
    ("master_hearing_filing", D(2026, 3, 1), D(2026, 2, 17), "is Sat 14 Feb 2026, a weekend day: due Tue 17 Feb 2026"),
    # The merits deadline: the hearing date chooses the version.
    (
        "merits_hearing_filing",
        D(2020, 12, 22),
        D(2020, 12, 7),
        "15 days before the individual (merits) hearing on Tue 22 Dec 2020 is Mon 7 Dec 2020",
    ),
    (
        "merits_hearing_filing",
        D(2020, 12, 23),
        D(2020, 11, 23),
        "30 days before the individual (merits) hearing on Wed 23 Dec 2020 is Mon 23 Nov 2020",
    ),
    (
        "merits_hearing_filing",
        D(2022, 8, 25),
        D(2022, 7, 26),
        "30 days before the individual (merits) hearing on Thu 25 Aug 2022 is Tue 26 Jul 2022",
    ),
    (
        "merits_hearing_filing",
        D(2022, 8, 26),
        D(2022, 8, 11),
        "15 days before the individual (merits) hearing on Fri 26 Aug 2022 is Thu 11 Aug 2022",
    ),
    (
        "merits_hearing_filing",
        D(2025, 1, 31),
        D(2025, 1, 16),
        "15 days before the individual (merits) hearing on Fri 31 Jan 2025 is Thu 16 Jan 2025",
    ),
    (
        "merits_hearing_filing",
        D(2025, 2, 1),
        D(2025, 1, 2),
        "30 days before the individual (merits) hearing on Sat 1 Feb 2025 is Thu 2 Jan 2025",
    ),
    (
        "merits_hearing_filing",
        D(2026, 2, 18),
        D(2026, 1, 20),
        "is Mon 19 Jan 2026, Martin Luther King Jr. Day, a federal holiday: due Tue 20 Jan 2026",
    ),
    (
        "merits_hearing_filing",
        D(2026, 8, 3),
        D(2026, 7, 6),
        "is Sat 4 Jul 2026, Independence Day, a federal holiday: due Mon 6 Jul 2026",
    ),
    (
        "master_hearing_filing",
        D(2026, 7, 18),
        D(2026, 7, 6),
        "is Fri 3 Jul 2026, Independence Day (observed), a federal holiday: due Mon 6 Jul 2026",
    ),
    # Ten days to respond to the other party's filing.
    (
        "filing_response",
        D(2026, 6, 4),
        D(2026, 6, 15),
        "10 days after the receipt of the other party's filing on Thu 4 Jun 2026 is Sun 14 Jun 2026, a weekend day",
    ),
    (
        "filing_response",
        D(2026, 6, 9),
        D(2026, 6, 22),
        "is Fri 19 Jun 2026, Juneteenth National Independence Day, a federal holiday: due Mon 22 Jun 2026",
    ),
    (
        "filing_response",
        D(2021, 6, 8),
        D(2021, 6, 21),
        "is Fri 18 Jun 2021, Juneteenth National Independence Day (observed)",
    ),
    # Thirty days to appeal to the BIA.
    (
        "bia_appeal",
        D(2026, 6, 3),
        D(2026, 7, 6),
        "30 days after the immigration judge's decision on Wed 3 Jun 2026 is Fri 3 Jul 2026, Independence Day (observed)",
    ),
    (
        "bia_appeal",
        D(2026, 6, 4),
        D(2026, 7, 6),
        "is Sat 4 Jul 2026, Independence Day, a federal holiday: due Mon 6 Jul 2026 — 8 CFR 1003.38(b).",
    ),
    (
        "bia_appeal",
        D(2025, 12, 2),
        D(2026, 1, 2),
        "is Thu 1 Jan 2026, New Year's Day, a federal holiday: due Fri 2 Jan 2026",
    ),
    ("bia_appeal", D(2026, 5, 8), D(2026, 6, 8), "is Sun 7 Jun 2026, a weekend day: due Mon 8 Jun 2026"),
    ("bia_appeal", D(2026, 6, 5), D(2026, 7, 6), "is Sun 5 Jul 2026, a weekend day"),
    # BIA brief: 21 days from the briefing schedule.
    (
        "bia_brief",
        D(2026, 12, 4),
        D(2026, 12, 28),
        "21 days after the BIA briefing schedule on Fri 4 Dec 2026 is Fri 25 Dec 2026, Christmas Day",
    ),
    ("bia_brief", D(2026, 6, 4), D(2026, 6, 25), "is Thu 25 Jun 2026, a business day: due that day"),
    # Motion to reopen: 90 days.
    (
        "motion_to_reopen",
        D(2026, 6, 4),
        D(2026, 9, 2),
        "90 days after the final administrative order on Thu 4 Jun 2026 is Wed 2 Sep 2026, a business day",
    ),
    (
        "motion_to_reopen",
        D(2026, 6, 9),
        D(2026, 9, 8),
        "is Mon 7 Sep 2026, Labor Day, a federal holiday: due Tue 8 Sep 2026",
    ),
    ("motion_to_reopen", D(2023, 12, 1), D(2024, 2, 29), "is Thu 29 Feb 2024, a business day"),  # leap year
    # Motion to reconsider: 30 days.
    (
        "motion_to_reconsider",
        D(2024, 1, 30),
        D(2024, 2, 29),
        "30 days after the final administrative order on Tue 30 Jan 2024 is Thu 29 Feb 2024",
    ),
    ("motion_to_reconsider", D(2023, 1, 30), D(2023, 3, 1), "is Wed 1 Mar 2023, a business day"),  # no 29 Feb in 2023
    (
        "motion_to_reconsider",
        D(2026, 10, 12),
        D(2026, 11, 12),
        "is Wed 11 Nov 2026, Veterans Day, a federal holiday: due Thu 12 Nov 2026",
    ),
    # Petition for review: 30 days from the BIA's order, across the year end.
    (
        "petition_for_review",
        D(2024, 12, 26),
        D(2025, 1, 27),
        "30 days after the BIA's order on Thu 26 Dec 2024 is Sat 25 Jan 2025, a weekend day: due Mon 27 Jan 2025",
    ),
    (
        "petition_for_review",
        D(2026, 11, 25),
        D(2026, 12, 28),
        "is Fri 25 Dec 2026, Christmas Day, a federal holiday: due Mon 28 Dec 2026",
    ),
    (
        "petition_for_review",
        D(2026, 10, 27),
        D(2026, 11, 27),
        "is Thu 26 Nov 2026, Thanksgiving Day, a federal holiday: due Fri 27 Nov 2026",
    ),
    # The EAD clock: calendar days, not rolled forward (an earliest day, not a deadline).
    (
        "ead_earliest_filing",
        D(2026, 6, 4),
        D(2026, 11, 1),
        "150 days after the receipt of the I-589 on Thu 4 Jun 2026 is Sun 1 Nov 2026: not before that day",
    ),
    ("ead_earliest_filing", D(2024, 1, 1), D(2024, 5, 30), "is Thu 30 May 2024: not before that day"),  # leap year
    (
        "ead_earliest_grant",
        D(2026, 6, 4),
        D(2026, 12, 1),
        "180 days after the receipt of the I-589 on Thu 4 Jun 2026 is Tue 1 Dec 2026: not before that day",
    ),
    (
        "ead_earliest_grant",
        D(2026, 6, 28),
        D(2026, 12, 25),
        "is Fri 25 Dec 2026: not before that day",
    ),  # a holiday, not moved
    # FOIA: 20 business days; weekends and holidays are not counted.
    (
        "foia_response",
        D(2026, 6, 4),
        D(2026, 7, 6),
        "20 business days after the agency's receipt of the FOIA request on Thu 4 Jun 2026 is Mon 6 Jul 2026",
    ),
    (
        "foia_response",
        D(2026, 12, 15),
        D(2027, 1, 14),
        "20 business days after the agency's receipt of the FOIA request on Tue 15 Dec 2026 is Thu 14 Jan 2027",
    ),
    ("foia_response", D(2026, 1, 16), D(2026, 2, 17), "is Tue 17 Feb 2026, a business day"),
    ("foia_response", D(2026, 6, 6), D(2026, 7, 7), "is Tue 7 Jul 2026"),  # received on a Saturday
    # Change of address to the court: 5 days.
    (
        "change_of_address",
        D(2026, 6, 29),
        D(2026, 7, 6),
        "5 days after the move to a new address on Mon 29 Jun 2026 is Sat 4 Jul 2026",
    ),
    (
        "change_of_address",
        D(2026, 12, 27),
        D(2027, 1, 4),
        "is Fri 1 Jan 2027, New Year's Day, a federal holiday: due Mon 4 Jan 2027",
    ),
    # RFE: the notice states the date; a weekend or holiday still rolls forward.
    (
        "rfe_response",
        D(2026, 6, 13),
        D(2026, 6, 15),
        "The notice sets Sat 13 Jun 2026, a weekend day: due Mon 15 Jun 2026 — 8 CFR 103.2(b)(8).",
    ),
    (
        "rfe_response",
        D(2026, 11, 26),
        D(2026, 11, 27),
        "The notice sets Thu 26 Nov 2026, Thanksgiving Day, a federal holiday",
    ),
    ("rfe_response", D(2026, 6, 4), D(2026, 6, 4), "The notice sets Thu 4 Jun 2026, a business day: due that day"),
]


def _compute(code, trigger_on, **kwargs):
    return compute(version_in_force(versions_of(code), trigger_on), trigger_on, **kwargs)


@pytest.mark.parametrize(("code", "trigger_on", "due_on", "fragment"), CASES, ids=lambda v: str(v)[:40])
def test_rule_table(code, trigger_on, due_on, fragment):
    result = _compute(code, trigger_on)
    assert result.due_on == due_on
    assert fragment in result.explanation
    assert result.citation in result.explanation
    assert result.due_on.weekday() < 5 or not result.spec.roll_forward


def test_the_table_covers_every_rule():
    assert {row[0] for row in CASES} == set(rule_codes())
    assert len(rule_codes()) == 14


def test_every_rule_with_a_roll_forward_lands_on_a_business_day():
    for code, trigger_on, due_on, _fragment in CASES:
        spec = version_in_force(versions_of(code), trigger_on)
        if spec.roll_forward:
            assert dates.is_business_day(due_on), (code, trigger_on)


@pytest.mark.parametrize(
    ("hearing", "citation_part", "offset"),
    [
        (D(2020, 12, 22), "(2008 manual)", 15),
        (D(2020, 12, 23), "(manual of 23 Dec 2020)", 30),
        (D(2022, 8, 25), "(manual of 23 Dec 2020)", 30),
        (D(2022, 8, 26), "(DM 22-04, manual of 26 Aug 2022)", 15),
        (D(2025, 1, 31), "(DM 22-04, manual of 26 Aug 2022)", 15),
        (D(2025, 2, 1), "(DM 22-04 rescinded, Feb 2025)", 30),
        (D(2008, 1, 1), "(2008 manual)", 15),
    ],
)
def test_merits_version_is_chosen_by_the_hearing_date(hearing, citation_part, offset):
    spec = version_in_force(versions_of("merits_hearing_filing"), hearing)
    assert spec.offset == offset
    assert citation_part in spec.citation


def test_a_deadline_before_a_hearing_that_rolls_forward_has_a_safe_target():
    # Hearing Mon 20 Jul 2026: day 15 is Sun 5 Jul, due Mon 6 Jul; the business day before Sun 5 Jul
    # is Thu 2 Jul (Sat 4 Jul is Independence Day, observed Fri 3 Jul).
    result = _compute("master_hearing_filing", D(2026, 7, 20))
    assert result.due_on == D(2026, 7, 6)
    assert result.target_on == D(2026, 7, 2)
    assert "File by Thu 2 Jul 2026 to be safe." in result.explanation
    # No target when nothing moved, nor after a trigger.
    assert _compute("master_hearing_filing", D(2026, 6, 4)).target_on is None
    assert _compute("bia_appeal", D(2026, 6, 4)).target_on is None


def test_hearing_day_is_day_zero():
    # 15 days before Wed 15 Jul 2026: Tue 14 Jul is day 1 ... Tue 30 Jun is day 15.
    assert _compute("master_hearing_filing", D(2026, 7, 15)).due_on == D(2026, 6, 30)


@pytest.mark.parametrize(
    ("code", "received", "stopped", "due_on", "fragment"),
    [
        # 150 + 10 days after Thu 4 Jun 2026: Wed 11 Nov 2026 (Veterans Day, not moved: an earliest day).
        ("ead_earliest_filing", D(2026, 6, 4), 10, D(2026, 11, 11), "150 days plus 10 days the clock was stopped"),
        ("ead_earliest_grant", D(2026, 6, 4), 25, D(2026, 12, 26), "180 days plus 25 days the clock was stopped"),
        ("ead_earliest_filing", D(2026, 6, 4), 0, D(2026, 11, 1), "150 days after"),
    ],
)
def test_ead_clock_stops_push_the_date(code, received, stopped, due_on, fragment):
    result = _compute(code, received, stopped_days=stopped)
    assert result.due_on == due_on
    assert fragment in result.explanation


def test_stopped_days_do_not_move_other_rules():
    assert _compute("bia_appeal", D(2026, 6, 4), stopped_days=40).due_on == D(2026, 7, 6)


def test_negative_clock_stops_are_refused():
    with pytest.raises(RuleError):
        _compute("ead_earliest_filing", D(2026, 6, 4), stopped_days=-1)


def test_unknown_code_and_no_version_in_force():
    with pytest.raises(RuleError):
        versions_of("no_such_rule")
    dated_only = [RULES[3]]  # merits, from 23 Dec 2020
    with pytest.raises(RuleError):
        version_in_force(dated_only, D(2020, 12, 22))


def test_business_days_before_a_hearing_count_back():
    # An admin-added rule "3 business days before": Mon 6 Jul 2026 is day 0; Sun 5, Sat 4 (Independence
    # Day) and Fri 3 Jul (observed) are not counted; Thu 2 Jul is 1, Wed 1 Jul is 2, Tue 30 Jun is 3.
    spec = RuleSpec(
        code="x",
        title="x",
        trigger="master_hearing",
        offset=3,
        citation="test",
        lead_days=(1,),
        direction=Direction.BEFORE,
        counting=Counting.BUSINESS_DAYS,
    )
    assert compute(spec, D(2026, 7, 6)).due_on == D(2026, 6, 30)


def test_dates_helpers():
    assert dates.add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert dates.add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert dates.roll_forward(D(2026, 7, 3)) == D(2026, 7, 6)
    assert dates.roll_forward(D(2026, 7, 6)) == D(2026, 7, 6)
    assert dates.holiday_name(D(2021, 12, 31)) == "New Year's Day (observed)"
    assert not dates.is_business_day(D(2021, 12, 31))
    assert dates.is_business_day(D(2026, 12, 24))  # Christmas Eve is not a federal holiday
