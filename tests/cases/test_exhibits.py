"""Exhibit letters, order and page ranges (cases.exhibits): pure, no database."""

from types import SimpleNamespace

import pytest

from cases.exhibits import PageRange, exhibit_letter, number_exhibits, page_ranges, pages_label, reordered

DASH = "\N{EN DASH}"


@pytest.mark.parametrize(
    ("position", "letter"),
    [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (28, "AB"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA")],
)
def test_it_letters_exhibits_as_spreadsheet_columns(position, letter):
    assert exhibit_letter(position) == letter


def test_it_gives_every_position_its_own_letter():
    letters = [exhibit_letter(position) for position in range(1, 2000)]
    assert len(set(letters)) == len(letters)


def test_it_refuses_a_position_below_one():
    with pytest.raises(ValueError, match="start at 1"):
        exhibit_letter(0)


@pytest.mark.parametrize(
    ("action", "pk", "after"),
    [
        ("add", 4, [1, 2, 3, 4]),
        ("add", 2, [1, 2, 3]),
        ("remove", 2, [1, 3]),
        ("remove", 9, [1, 2, 3]),
        ("up", 3, [1, 3, 2]),
        ("up", 1, [1, 2, 3]),
        ("down", 1, [2, 1, 3]),
        ("down", 3, [1, 2, 3]),
        ("up", 9, [1, 2, 3]),
    ],
)
def test_it_reorders_the_list(action, pk, after):
    before = [1, 2, 3]
    assert reordered(before, pk, action) == after
    assert before == [1, 2, 3]


def test_it_refuses_an_unknown_action():
    with pytest.raises(ValueError, match="Unknown exhibit action"):
        reordered([1], 1, "shuffle")


def test_it_numbers_pages_across_the_exhibits():
    assert page_ranges([3, 6, 1]) == [PageRange(1, 3), PageRange(4, 9), PageRange(10, 10)]


def test_it_cannot_number_pages_after_a_document_without_a_count():
    assert page_ranges([2, None, 4, 0]) == [PageRange(1, 2), None, None, None]


def doc(pages):
    return SimpleNamespace(page_count=pages, title="x")


def test_it_totals_the_known_pages_and_names_the_exhibits_without_a_count():
    listing = number_exhibits([doc(3), doc(None), doc(5)])
    assert [exhibit.letter for exhibit in listing.exhibits] == ["A", "B", "C"]
    assert (listing.known_pages, listing.missing, listing.complete) == (8, ["B"], False)
    assert [pages_label(exhibit) for exhibit in listing.exhibits] == [f"1{DASH}3", "?", "? (5 pp.)"]


def test_it_calls_a_list_with_every_count_complete():
    listing = number_exhibits([doc(1), doc(2)])
    assert (listing.known_pages, listing.complete) == (3, True)
    assert [pages_label(exhibit) for exhibit in listing.exhibits] == ["1", f"2{DASH}3"]
