"""A day at the clinic for locust, driven by benchmarks/load.py (not meant to be run alone: it
reads the plan load.py writes, with the accounts, cases and names of the prepared database).

Three kinds of simulated staff, each signed in through the real login form with their own session:
intake staff (the intake desk, logging walk-ins through the form and running their conflict
check, stand-alone conflict checks, client search), attorneys (My work, the case list with
filters, a case's overview with its deadlines, its hearings and notes, the calendar; now and then
a note or a deadline added) and one supervisor (the dashboard, filtered or not, the clinic's
deadline list, the case list, an export). Mostly reads, as a day is.

The app runs as it would behind a TLS-terminating proxy on loopback (production settings with
BEHIND_TLS_PROXY=true): each request carries `X-Forwarded-Proto: https`, POSTs carry the
`Origin` a browser would send, and the client sends the Secure session and CSRF cookies over the
plain-HTTP loopback hop, as the proxy would (`_cookies_for_the_loopback_hop`).

A request fails when its status is not the expected one (200 for a page, 302 after a form that
saved), when a page turns out to be the login page (a lost session), or on any 5xx. Every request
is also written to the samples file load.py reads (exact percentiles, not locust's rounded ones).
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["AMPARO_LOAD_PLAN"]).read_text())
SAMPLES_PATH = os.environ.get("AMPARO_LOAD_SAMPLES")
WAIT = between(PLAN["wait_seconds"][0], PLAN["wait_seconds"][1])
LOGIN = "/accounts/login/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')

# ---- what every simulated user records --------------------------------------------------------

_samples: list[list] = []
_run = {"started": None, "stopped": None, "users": {}}


@events.test_start.add_listener
def _started(**_kwargs):
    _run["started"] = time.time()


@events.test_stop.add_listener
def _stopped(**_kwargs):
    _run["stopped"] = time.time()


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    _samples.append([name, round(response_time, 2), exception is None, status])


@events.quitting.add_listener
def _write_samples(**_kwargs):
    if SAMPLES_PATH:
        Path(SAMPLES_PATH).write_text(json.dumps({**_run, "samples": _samples}))


# ---- a signed-in member of staff --------------------------------------------------------------


class Staff(HttpUser):
    abstract = True
    wait_time = WAIT
    role = ""
    start_page = ""
    accounts: itertools.cycle

    def on_start(self):
        self.client.headers.update({"X-Forwarded-Proto": "https", "User-Agent": "amparo-load-benchmark"})
        self.client.hooks["response"].append(_cookies_for_the_loopback_hop)
        self.origin = "https://" + urlsplit(self.host).netloc
        self.csrf = ""
        self.rng = random.Random()  # noqa: S311  (which page next, not a secret)
        self.account = next(self.accounts)
        _run["users"][self.role] = _run["users"].get(self.role, 0) + 1
        self.sign_in()

    # Requests

    def page(self, url: str, name: str, *, expect: str = "") -> str:
        """GET a page as a browser would (following redirects); its text, or "" when it failed."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return ""
            if urlsplit(response.url).path == LOGIN and url != LOGIN:
                response.failure("signed out: the login page answered")
                return ""
            if expect and expect not in response.text:
                response.failure(f"{expect!r} not on the page")
                return ""
            self._keep_csrf(response.text)
            return response.text

    def submit(self, url: str, data: dict, name: str, *, to: str = "") -> str:
        """POST a form as a browser would; the address it redirects to ("" when it failed: a
        form that answers 200 showed an error)."""
        payload = {"csrfmiddlewaretoken": self.csrf, **data}
        headers = {"Origin": self.origin, "Referer": self.origin + url}
        with self.client.post(
            url, data=payload, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302:
                response.failure(f"status {response.status_code} (a form error or worse), not a redirect")
                return ""
            if urlsplit(location).path == LOGIN:
                response.failure("signed out: redirected to the login page")
                return ""
            if to and not re.match(to, urlsplit(location).path):
                response.failure(f"redirected to {location}, not {to}")
                return ""
            return location

    def _keep_csrf(self, text: str) -> None:
        found = CSRF.search(text)
        if found:
            self.csrf = found.group(1)

    # Signing in

    def sign_in(self) -> None:
        self.page(LOGIN, "sign in: the login page")
        location = self.submit(
            LOGIN, {"username": self.account, "password": PLAN["password"], "next": ""}, "sign in: POST"
        )
        if not location:
            return
        with self.client.get(location, name="sign in: start page", catch_response=True) as response:
            path = urlsplit(response.url).path
            if response.status_code == 200 and path == self.start_page:
                self._keep_csrf(response.text)
                return
            if response.status_code == 200 and _asks_for_a_code(response.text):
                response.success()
                self.complete_two_factor(response.url, response.text)
                return
            response.failure(f"sign-in landed on {path} ({response.status_code}), not {self.start_page}")

    def complete_two_factor(self, url: str, text: str) -> None:
        """TWO-FACTOR HOOK. Supervisors and clinic admins pass a second step after the password
        (clinic/two_factor.py: the gate sends them to /account/two-factor/verify/). Answer it
        with the TOTP of the device load.py's `two_factor_keys()` gave this account: django-otp's
        hex key, 30-second steps, 6 digits, one step of drift, a step never accepted twice. The
        form field is `code` (django-otp's own `otp_token` is recognised too); if the pages
        change, adjust `_CODE_FIELD` here."""
        key = PLAN["two_factor_keys"].get(self.account)
        self._keep_csrf(text)
        field = _CODE_FIELD.search(text)
        if not key or not field:
            self.environment.events.request.fire(
                request_type="POST", name="sign in: two-factor code", response_time=0, response_length=0,
                response=None, context={}, exception=RuntimeError("a code was asked for: see TWO-FACTOR HOOK"),
            )  # fmt: skip
            return
        if self.submit(urlsplit(url).path, {field.group(1): totp(key, _unused_step())}, "sign in: two-factor code"):
            self.page(self.start_page, "sign in: start page")

    # Shared by the roles

    def client_search(self) -> None:
        person = self.rng.choice(PLAN["people"])
        query = self.rng.choice(
            [
                person["paternal_surname"],
                f"{person['given_names'].split()[0]} {person['paternal_surname']}",
                person["paternal_surname"][:3].lower(),
                person["a_number"] or person["paternal_surname"],
            ]
        )
        text = self.page(f"/clients/?{urlencode({'q': query})}", "client search")
        self.found_clients = CLIENT_LINK.findall(text)

    def calendar(self, scope: str = "") -> None:
        params = {"view": self.rng.choice(["month", "week"])}
        if scope:
            params["scope"] = scope
        self.page(f"/cases/calendar/?{urlencode(params)}", "calendar")


def _cookies_for_the_loopback_hop(response, *_args, **_kwargs):
    """The session and CSRF cookies are Secure: the browser sends them over its https hop to the
    proxy, and the proxy passes them on over plain HTTP to gunicorn. This client plays both, so its
    cookie jar must see them without `Secure`, or it would keep them to https:// addresses. The
    attribute is dropped from the raw headers requests reads cookies from, before it reads them
    (a response hook runs first, on every hop of a redirect too); the server still sets it."""
    headers = response.raw._original_response.msg
    cookies = headers.get_all("Set-Cookie") or []
    if cookies:
        del headers["Set-Cookie"]
        for cookie in cookies:
            headers["Set-Cookie"] = _SECURE.sub("", cookie)
    return response


_SECURE = re.compile(r";\s*Secure(?=;|$)", re.IGNORECASE)
_CODE_FIELD = re.compile(r'name="(otp_token|token|code)"')


def _asks_for_a_code(text: str) -> bool:
    return _CODE_FIELD.search(text) is not None


def _unused_step() -> int:
    """The current 30-second step, or the next one when the current one was used by an earlier
    run (the warm-up signs in too): django-otp accepts one step ahead, never one twice."""
    state = Path(PLAN["two_factor_state"])
    last = int(state.read_text()) if state.exists() else -1
    now = int(time.time() // 30)
    if last > now:  # the next step was used: wait until it is the current one
        time.sleep((last * 30) - time.time() + 1)
        now = int(time.time() // 30)
    step = max(now, last + 1)
    state.write_text(str(step))
    return step


def totp(hex_key: str, counter: int, digits: int = 6) -> str:
    """RFC 6238 (SHA-1, 30-second steps), as django-otp's TOTPDevice computes it."""
    counter = struct.pack(">Q", counter)
    digest = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def clinic_today() -> date:
    """Today in the clinic's zone, as its forms judge "in the future"."""
    return datetime.now(ZoneInfo(PLAN["time_zone"])).date()


def _some_name(rng: random.Random) -> dict:
    """A walk-in's name: parts of the names in the database, mixed (some match someone)."""
    people = PLAN["people"]
    return {
        "given_names": rng.choice(people)["given_names"],
        "paternal_surname": rng.choice(people)["paternal_surname"],
        "maternal_surname": rng.choice(people)["maternal_surname"],
    }


# ---- intake staff -----------------------------------------------------------------------------


class Intake(Staff):
    weight = PLAN["weights"]["intake"]
    role = "intake"
    start_page = "/intake/"
    accounts = itertools.cycle(PLAN["intake"])

    @task(6)
    def intake_desk(self):
        self.page("/intake/", "intake desk")

    @task(2)
    def intake_desk_week(self):
        self.page("/intake/?period=week", "intake desk, this week")

    @task(5)
    def search(self):
        self.client_search()

    @task(2)
    def client_record(self):
        ids = getattr(self, "found_clients", None) or PLAN["client_ids"]
        self.page(f"/clients/{self.rng.choice(ids)}/", "client record")

    @task(3)
    def log_walk_in(self):
        """The walk-in form, saved, then its conflict check run from the walk-in's page."""
        self.page("/intake/walk-ins/new/", "walk-in form")
        today = clinic_today()
        born = today - timedelta(days=self.rng.randint(18 * 365, 60 * 365))
        data = {
            **_some_name(self.rng),
            "phone": f"+1 915 555 {self.rng.randint(0, 9999):04d}",
            "preferred_language": self.rng.choice(["es", "es", "es", "quc", "ht", "pt"]),
            "country_of_nationality": self.rng.choice(["MX", "HN", "GT", "SV", "VE", "CU", "HT", "NI"]),
            "date_of_birth": born.isoformat(),
            "last_arrival_date": (today - timedelta(days=self.rng.randint(10, 500))).isoformat(),
            "reason": self.rng.choice(["asylum", "asylum", "court", "detention", "work_permit"]),
            "referred_by": self.rng.choice(["", "", "Annunciation House", "a relative"]),
        }
        detail = self.submit("/intake/walk-ins/new/", data, "walk-in form: save", to=r"^/intake/walk-ins/\d+/$")
        if not detail:
            return
        detail = urlsplit(detail).path
        self.page(detail, "walk-in")
        checked = self.submit(f"{detail}conflict-check/", {}, "walk-in: run the conflict check", to=detail)
        if checked:
            self.page(detail, "walk-in")

    @task(2)
    def conflict_check(self):
        """A stand-alone conflict check (a co-respondent, a referral)."""
        self.page("/conflict-check/", "conflict check form")
        person = self.rng.choice(PLAN["people"])
        data = {
            "given_names": person["given_names"],
            "paternal_surname": person["paternal_surname"],
            "maternal_surname": self.rng.choice([person["maternal_surname"], ""]),
            "date_of_birth": self.rng.choice([person["date_of_birth"] or "", ""]),
        }
        result = self.submit("/conflict-check/", data, "conflict check: run", to=r"^/conflict-check/\d+/$")
        if result:
            self.page(urlsplit(result).path, "conflict check result")

    @task(1)
    def walk_ins_this_week(self):
        self.page("/intake/walk-ins/", "walk-in list")

    @task(1)
    def hearings_calendar(self):
        self.calendar(scope="clinic")


# ---- attorneys --------------------------------------------------------------------------------


class Attorney(Staff):
    weight = PLAN["weights"]["attorney"]
    role = "attorney"
    start_page = "/cases/my-work/"
    accounts = itertools.cycle([attorney["username"] for attorney in PLAN["attorneys"]])

    def on_start(self):
        super().on_start()
        me = next(attorney for attorney in PLAN["attorneys"] if attorney["username"] == self.account)
        self.user_id, self.cases = me["id"], me["cases"]

    def a_case(self) -> int:
        return self.rng.choice(self.cases)

    @task(6)
    def my_work(self):
        self.page("/cases/my-work/", "my work")

    @task(4)
    def case_list(self):
        params = self.rng.choice(
            [
                {},
                {"attorney": self.user_id},
                {"attorney": self.user_id, "status": "all"},
                {"process": self.rng.choice(["defensive", "affirmative"])},
                {"court": self.rng.choice(PLAN["court_ids"]), "sort": "number"} if PLAN["court_ids"] else {},
                {"status": "all", "sort": "-opened"},
            ]
        )
        self.page("/cases/" + (f"?{urlencode(params)}" if params else ""), "case list (filtered)")

    @task(5)
    def case_overview(self):
        self.page(f"/cases/{self.a_case()}/", "case overview (with its deadlines)", expect='id="deadlines"')

    @task(2)
    def hearings(self):
        self.page(f"/cases/{self.a_case()}/hearings/", "case hearings")

    @task(1)
    def claim(self):
        self.page(f"/cases/{self.a_case()}/claim/", "case claim")

    @task(3)
    def my_calendar(self):
        self.calendar()

    @task(1)
    def add_note(self):
        case = self.a_case()
        self.page(f"/cases/{case}/notes/", "case notes")
        text = self.rng.choice(
            [
                "Called the client: hearing date confirmed.",
                "Declaration draft sent for translation.",
                "Met with client.",
            ]
        )
        if self.submit(
            f"/cases/{case}/notes/", {"text": text}, "case notes: add a note", to=rf"^/cases/{case}/notes/$"
        ):
            self.page(f"/cases/{case}/notes/", "case notes")

    @task(1)
    def add_deadline(self):
        case = self.a_case()
        self.page(f"/cases/{case}/", "case overview (with its deadlines)", expect='id="deadlines"')
        due = clinic_today() + timedelta(days=self.rng.randint(3, 90))
        data = {"title": "Load test: supporting declarations", "due_on": due.isoformat(), "note": ""}
        if self.submit(f"/cases/{case}/deadlines/add/", data, "case: add a deadline", to=rf"^/cases/{case}/$"):
            self.page(f"/cases/{case}/", "case overview (with its deadlines)", expect='id="deadlines"')

    @task(1)
    def search(self):
        self.client_search()


# ---- the supervisor ---------------------------------------------------------------------------


class Supervisor(Staff):
    fixed_count = 1
    role = "supervisor"
    start_page = "/dashboard/"
    accounts = itertools.cycle([PLAN["supervisor"]])

    @task(5)
    def dashboard(self):
        self.page("/dashboard/", "dashboard")

    @task(3)
    def dashboard_filtered(self):
        today = clinic_today()
        params = self.rng.choice(
            [
                {"attorney": self.rng.choice(PLAN["attorney_ids"])},
                {"court": self.rng.choice(PLAN["court_ids"])} if PLAN["court_ids"] else {"process": "defensive"},
                {"process": self.rng.choice(["defensive", "affirmative"])},
                {"date_from": (today - timedelta(days=90)).isoformat(), "date_to": today.isoformat()},
            ]
        )
        self.page(f"/dashboard/?{urlencode(params)}", "dashboard (filtered)")

    @task(3)
    def deadlines(self):
        which = self.rng.choice(["overdue", "next7", "next30", "open"])
        self.page(f"/deadlines/?which={which}", "deadline list (clinic)")

    @task(2)
    def case_list(self):
        params = self.rng.choice([{}, {"attorney": self.rng.choice(PLAN["attorney_ids"])}, {"status": "all"}])
        self.page("/cases/" + (f"?{urlencode(params)}" if params else ""), "case list (filtered)")

    @task(1)
    def export(self):
        if self.rng.random() < 0.5:
            process = self.rng.choice(["defensive", "affirmative"])
            self.page(f"/reports/cases.csv?process={process}", "export: case list CSV")
        else:
            self.page(f"/dashboard/export/{self.rng.choice(['caseload', 'deadlines'])}.csv", "export: dashboard CSV")

    @task(1)
    def clinic_calendar(self):
        self.calendar(scope="clinic")
