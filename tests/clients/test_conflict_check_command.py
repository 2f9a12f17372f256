"""`manage.py conflict_check`: the conflict check from the command line, read only."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ClientFactory


def conflict_check(*args) -> str:
    out = StringIO()
    call_command("conflict_check", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def jose(clinic):
    return ClientFactory(clinic=clinic, date_of_birth=date(1990, 3, 14), a_number="201234567")


def test_it_prints_json_with_the_documented_keys(clinic, jose):
    results = json.loads(conflict_check("--clinic", clinic.slug, "Garcia Hernandez Jose Luis", "--json"))
    assert results == [
        {
            "type": "client",
            "id": jose.pk,
            "name": "José Luis Hernández García",
            "score": 100,
            "reasons": ["accents or capitals differ"],
        }
    ]


def test_it_takes_a_birth_date_and_an_a_number(clinic, jose):
    args = ("--clinic", clinic.slug, "Oksana Petrenko", "--dob", "1990-03-14", "--a-number", "A-201-234-567", "--json")
    [result] = json.loads(conflict_check(*args))
    assert (result["id"], result["score"], result["reasons"][0]) == (jose.pk, 100, "same A-number")


def test_it_prints_an_empty_list_for_a_name_that_matches_nobody(clinic, jose):
    assert json.loads(conflict_check("--clinic", clinic.slug, "Wei Zhang", "--json")) == []


def test_it_prints_a_table_without_json(clinic, jose):
    table = conflict_check("--clinic", clinic.slug, "Pepe Hernández")
    assert "José Luis Hernández García" in table
    assert "nickname of José" in table
    assert "No one matches." in conflict_check("--clinic", clinic.slug, "Wei Zhang")


def test_it_names_an_unknown_clinic(clinic):
    with pytest.raises(CommandError, match="no clinic with the short name “nowhere”"):
        conflict_check("--clinic", "nowhere", "José Hernández")


@pytest.mark.parametrize(
    ("option", "value", "message"), [("--dob", "14/03/1990", "YYYY-MM-DD"), ("--a-number", "A-12", "7 to 9 digits")]
)
def test_it_explains_a_bad_date_or_a_number(clinic, option, value, message):
    with pytest.raises(CommandError, match=message):
        conflict_check("--clinic", clinic.slug, "José Hernández", option, value)


def test_it_only_reads(clinic, jose):
    with CaptureQueriesContext(connection) as captured:
        conflict_check("--clinic", clinic.slug, "José Hernández", "--dob", "1990-03-14", "--json")
    assert captured.captured_queries
    # SELECTs, and the server-side cursor (DECLARE ... FOR SELECT) that reads the name index.
    statements = [query["sql"].lstrip().upper() for query in captured.captured_queries]
    assert all(sql.startswith(("SELECT", "DECLARE")) for sql in statements), statements
