"""`manage.py deadline_calc RULE_CODE TRIGGER_DATE`: the engine on the stored rules."""

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cases.admin import DeadlineRuleVersionForm
from cases.deadline_rules import rule_codes
from cases.models import DeadlineRule
from tests.cases.test_deadline_rules import CASES

pytestmark = pytest.mark.django_db

# The first row of the rules table for each code: (code, trigger, due, fragment of the explanation).
ONE_PER_CODE = list({row[0]: row for row in reversed(CASES)}.values())
ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> str:
    out = StringIO()
    call_command("deadline_calc", *args, stdout=out)
    return out.getvalue()


def test_one_case_per_code():
    assert sorted(row[0] for row in ONE_PER_CODE) == rule_codes()


@pytest.mark.parametrize(("code", "trigger_on", "due_on", "fragment"), ONE_PER_CODE, ids=lambda v: str(v)[:30])
def test_plain_output(code, trigger_on, due_on, fragment):
    lines = run(code, trigger_on.isoformat()).splitlines()
    assert lines[0] == f"Due: {due_on.isoformat()}"
    assert fragment in lines[1]
    assert lines[2].startswith("Citation: ")
    assert lines[2].removeprefix("Citation: ") in lines[1]


@pytest.mark.parametrize(("code", "trigger_on", "due_on", "fragment"), ONE_PER_CODE, ids=lambda v: str(v)[:30])
def test_json_output(code, trigger_on, due_on, fragment):
    data = json.loads(run(code, trigger_on.isoformat(), "--json"))
    assert data["rule"] == code
    assert data["trigger_date"] == trigger_on.isoformat()
    assert data["due_date"] == due_on.isoformat()
    assert fragment in data["explanation"]
    assert data["citation"]
    assert data["citation"] in data["explanation"]
    assert "version_effective_from" in data


@pytest.mark.parametrize(
    ("hearing", "due", "effective_from"),
    [
        ("2020-12-22", "2020-12-07", None),
        ("2020-12-23", "2020-11-23", "2020-12-23"),
        ("2022-08-25", "2022-07-26", "2020-12-23"),
        ("2022-08-26", "2022-08-11", "2022-08-26"),
        ("2025-01-31", "2025-01-16", "2022-08-26"),
        ("2025-02-01", "2025-01-02", "2025-02-01"),
    ],
)
def test_merits_versions_by_hearing_date(hearing, due, effective_from):
    data = json.loads(run("merits_hearing_filing", hearing, "--json"))
    assert (data["due_date"], data["version_effective_from"]) == (due, effective_from)


def test_stopped_days_push_the_ead_date():
    # 150 + 10 days after Thu 4 Jun 2026 is Wed 11 Nov 2026.
    data = json.loads(run("ead_earliest_filing", "2026-06-04", "--stopped-days", "10", "--json"))
    assert data["due_date"] == "2026-11-11"
    assert "plus 10 days the clock was stopped" in data["explanation"]


def test_a_deadline_before_a_hearing_that_moved_shows_the_safe_day():
    data = json.loads(run("master_hearing_filing", "2026-07-20", "--json"))
    assert (data["due_date"], data["target_date"]) == ("2026-07-06", "2026-07-02")


def test_unknown_code_lists_the_known_codes():
    with pytest.raises(CommandError) as error:
        run("bia_apeal", "2026-06-04")
    assert error.value.returncode == 2
    message = str(error.value)
    assert "Unknown rule code “bia_apeal”" in message
    for code in rule_codes():
        assert code in message
    assert "\n" not in message


@pytest.mark.parametrize("value", ["2026-13-01", "06/04/2026", "yesterday", "2026-02-30"])
def test_bad_date_says_the_format(value):
    with pytest.raises(CommandError) as error:
        run("bia_appeal", value)
    assert error.value.returncode == 2
    assert "YYYY-MM-DD" in str(error.value)


@pytest.mark.parametrize("value", ["-3", "ten"])
def test_bad_stopped_days(value):
    with pytest.raises(CommandError) as error:
        run("ead_earliest_filing", "2026-06-04", f"--stopped-days={value}")
    assert error.value.returncode == 2


def _manage(*args) -> subprocess.CompletedProcess:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "clinic.settings.test",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "deadline_calc", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("bia_appeal", "4 June 2026"), "YYYY-MM-DD"),
        (("no_such_rule", "2026-06-04"), "Known codes: bia_appeal, bia_brief"),
    ],
)
def test_real_exit_status_and_no_traceback(args, needle):
    done = _manage(*args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert needle in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_real_run_prints_the_due_date():
    done = _manage("bia_appeal", "2026-06-04", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["due_date"] == "2026-07-06"


def test_help_explains_the_trigger_date():
    done = subprocess.run(
        [sys.executable, "manage.py", "deadline_calc", "--help"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings.test"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "hearing date" in text
    assert "rfe_response" in text
    assert "YYYY-MM-DD" in text


def test_an_admin_added_version_applies_from_its_effective_date(monkeypatch):
    monkeypatch.setattr("cases.admin.timezone.localdate", lambda: date(2026, 6, 1))
    rule = DeadlineRule.objects.get(code="bia_appeal")
    form = DeadlineRuleVersionForm(
        data={
            "rule": rule.pk,
            "effective_from": "2026-07-01",
            "offset": 45,
            "direction": "after",
            "counting": "calendar_days",
            "roll_forward": True,
            "lead_days": "[14, 7]",
            "citation": "8 CFR 1003.38(b) (as amended)",
        }
    )
    assert form.is_valid(), form.errors
    form.save()
    # From Wed 1 Jul 2026: 45 days is Sat 15 Aug 2026, due Mon 17 Aug 2026.
    later = json.loads(run("bia_appeal", "2026-07-01", "--json"))
    assert (later["due_date"], later["version_effective_from"]) == ("2026-08-17", "2026-07-01")
    assert "as amended" in later["explanation"]
    # The day before, the original 30 days: Tue 30 Jun 2026 + 30 is Thu 30 Jul 2026.
    earlier = json.loads(run("bia_appeal", "2026-06-30", "--json"))
    assert (earlier["due_date"], earlier["version_effective_from"]) == ("2026-07-30", None)
