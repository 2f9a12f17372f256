"""Scale data: a large, realistic, deterministic clinic for benchmarks (`manage.py seed_scale`).

Everything random comes from one random.Random(seed), drawn in a fixed order, so the same seed
gives the same people (names, birth dates, A-numbers, families) on every database. Walk-in arrival
times are offsets from the day of loading, so the data stays "recent" whenever it is loaded.

Later features add their records (cases, hearings, deadlines) in further steps of ScaleLoader.
"""

import queue
import random
import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.db import connection, transaction
from django.utils import timezone

from clients import bulk, name_index, names, scale_names
from clients.models import AdverseParty, Client, ClientAlias, FamilyMember, PersonName, PersonNameToken, WalkIn
from clinic.models import Clinic

MAIN_SLUGS = ("las-americas-demo", "scale-clinic")
OTHER_SLUG = "scale-other"
OTHER_SHARE = 0.05
# Birth dates are drawn relative to this day, not today, so they do not move with the calendar.
AGE_ANCHOR = date(2025, 1, 1)
BATCH_CLIENTS = 1000
# Names the desk mistyped: walk-ins are written in a hurry, family members from what clients say.
MISSPELT_WALK_INS = 0.04
MISSPELT_FAMILY = 0.03


@dataclass(frozen=True)
class ScaleCounts:
    """What N clients come with. Family: about two people per client (FamilyBuilder), so that
    family members, aliases and adverse parties together are about 2.5 per client."""

    clients: int
    alias_share: float = 0.25  # clients with an alias
    adverse_party_share: float = 0.25  # clients who named a persecutor
    walk_ins_per_client: float = 2.5  # over five years, including those who became clients
    clients_from_walk_ins: float = 0.6  # clients who first came as a walk-in (it points to them)


@dataclass(frozen=True)
class Person:
    given_names: str
    paternal_surname: str
    maternal_surname: str
    sex: str

    @property
    def full_name(self) -> str:
        return names.full_name(self.given_names, self.paternal_surname, self.maternal_surname)


def _zipf(items: Sequence[str], offset: int = 5) -> tuple[Sequence[str], list[float]]:
    """Cumulative weights 1/(rank + offset): the first names are the most common."""
    return items, list(accumulate(1 / (rank + offset) for rank in range(len(items))))


class PersonMaker:
    """Draws invented people by the naming customs of their country."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.given = {"M": _zipf(scale_names.MALE_GIVEN, 3), "F": _zipf(scale_names.FEMALE_GIVEN, 3)}
        self.compound = {"M": _zipf(scale_names.MALE_COMPOUND, 4), "F": _zipf(scale_names.FEMALE_COMPOUND, 4)}
        self.haitian = {"M": _zipf(scale_names.HAITIAN_MALE, 4), "F": _zipf(scale_names.HAITIAN_FEMALE, 4)}
        self.surnames = _zipf(scale_names.SURNAMES, 5)
        self.haitian_surnames = _zipf(scale_names.HAITIAN_SURNAMES, 4)
        self.countries = list(scale_names.COUNTRIES), list(accumulate(scale_names.COUNTRIES.values()))
        self.a_numbers: set[str] = set()

    def pick(self, weighted: tuple[Sequence[str], list[float]]) -> str:
        items, cumulative = weighted
        return self.rng.choices(items, cum_weights=cumulative)[0]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def country(self) -> str:
        return self.pick(self.countries)

    def given_name(self, *, country: str, sex: str) -> str:
        if country == "HT":
            return self.pick(self.haitian[sex])
        return self.pick(self.compound[sex] if self.chance(0.3) else self.given[sex])

    def surname(self, *, country: str) -> str:
        if country == "HT":
            return self.pick(self.haitian_surnames)
        regional = scale_names.REGIONAL_SURNAMES.get(country, ())
        if regional and self.chance(0.2):
            return self.rng.choice(regional)
        if self.chance(0.01):
            # A compound surname written with a hyphen.
            return f"{self.pick(self.surnames)}-{self.pick(self.surnames)}"
        return self.pick(self.surnames)

    def person(self, *, country: str, sex: str, paternal: str = "", maternal: str = "") -> Person:
        given = self.given_name(country=country, sex=sex)
        paternal = paternal or self.surname(country=country)
        if country == "HT":
            return Person(given, paternal, "", sex)
        one_surname = self.chance(0.07) and not maternal
        maternal = "" if one_surname else (maternal or self.surname(country=country))
        return Person(given, paternal, maternal, sex)

    def birth_date(self, *, youngest: int, oldest: int) -> date:
        return AGE_ANCHOR - timedelta(days=self.rng.randint(youngest * 365, oldest * 365 + 364))

    def maybe_birth_date(self, probability: float, *, youngest: int, oldest: int) -> date | None:
        known = self.chance(probability)
        born = self.birth_date(youngest=youngest, oldest=oldest)
        return born if known else None

    def a_number(self) -> str:
        while True:
            number = f"2{self.rng.randint(0, 99_999_999):08d}"
            if number not in self.a_numbers:
                self.a_numbers.add(number)
                return number

    def maybe_a_number(self, probability: float) -> str | None:
        return self.a_number() if self.chance(probability) else None


_KEYBOARD = dict(
    zip(
        "qwertyuiopasdfghjklzxcvbnm",
        ("wa", "qes", "wrd", "etf", "ryg", "tuh", "yij", "uok", "ipl", "ol", "qsz", "awdx", "sefc", "drgv", "fthb",
         "gyjn", "hukm", "jil", "kop", "asx", "zsdc", "xdfv", "cfgb", "vghn", "bhjm", "njk"),
        strict=True,
    )
)  # fmt: skip


def misspell(word: str, rng: random.Random) -> str:
    """One keyboard slip, away from the first letter: a neighbouring key, a letter dropped or
    doubled, or two letters swapped. Words of three letters or less are left alone."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("neighbour", "drop", "double", "swap"))
    if kind == "neighbour":
        near = _KEYBOARD.get(names.strip_accents(word[at]).lower(), "e")
        return word[:at] + rng.choice(near) + word[at + 1 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def misspelt(person: Person, rng: random.Random) -> Person:
    """The person as the intake desk sometimes writes them: one word mistyped."""
    parts = [person.given_names, person.paternal_surname, person.maternal_surname]
    part = rng.choice([i for i, text in enumerate(parts) if text])
    words = parts[part].split(" ")
    slot = rng.randrange(len(words))
    words[slot] = misspell(words[slot], rng)
    parts[part] = " ".join(words)
    return Person(*parts, person.sex)


@dataclass
class Batch:
    """Records of a batch of clients, written together."""

    clients: list[Client] = field(default_factory=list)
    family: list[FamilyMember] = field(default_factory=list)
    aliases: list[ClientAlias] = field(default_factory=list)
    adverse: list[AdverseParty] = field(default_factory=list)
    walk_ins: list[WalkIn] = field(default_factory=list)

    def named_records(self) -> list:
        return [*self.clients, *self.family, *self.aliases, *self.adverse, *self.walk_ins]


class ScaleLoader:
    """Loads the people of one clinic, batch by batch."""

    def __init__(
        self, *, maker: PersonMaker, clinic: Clinic, counts: ScaleCounts, now: datetime, writer: "BatchWriter"
    ):
        self.maker = maker
        self.writer = writer
        self.rng = maker.rng
        self.clinic = clinic
        self.counts = counts
        self.now = now
        self.visitors: list[tuple[Person, date | None, str | None]] = []
        self.walk_ins_left = round(counts.clients * counts.walk_ins_per_client)

    def load(self, log: Callable[[str], None]) -> None:
        done = 0
        while done < self.counts.clients:
            size = min(BATCH_CLIENTS, self.counts.clients - done)
            self.load_batch(size, walk_in_quota=self._walk_in_quota(done, size))
            done += size
            log(f"{self.clinic.slug}: {done} of {self.counts.clients} clients")

    def _walk_in_quota(self, done: int, size: int) -> int:
        remaining_clients = self.counts.clients - done
        quota = round(self.walk_ins_left * size / remaining_clients)
        self.walk_ins_left -= quota
        return quota

    def load_batch(self, size: int, *, walk_in_quota: int) -> None:
        """Draws a batch of clients with their people (objects only, no ids yet) and hands it over."""
        batch = Batch(clients=[self.client() for _ in range(size)])
        for client in batch.clients:
            self.add_people_of(client, batch)
        batch.walk_ins.extend(self.walk_in_of(client) for client in batch.clients if self._came_as_walk_in())
        while len(batch.walk_ins) < walk_in_quota:
            batch.walk_ins.append(self.other_walk_in())
        self.writer.write(batch)

    def _came_as_walk_in(self) -> bool:
        return self.maker.chance(self.counts.clients_from_walk_ins)

    # Clients and their people

    def client(self) -> Client:
        country = self.maker.country()
        person = self.maker.person(country=country, sex="M" if self.maker.chance(0.55) else "F")
        born = self.maker.maybe_birth_date(0.9, youngest=16, oldest=62)
        return bulk.new(
            Client,
            clinic=self.clinic,
            given_names=person.given_names,
            paternal_surname=person.paternal_surname,
            maternal_surname=person.maternal_surname,
            sort_name=names.sort_key(person.given_names, person.paternal_surname, person.maternal_surname),
            sex=person.sex,
            date_of_birth=born,
            country_of_nationality=country,
            country_of_birth=country,
            preferred_language=self._language(country),
            a_number=self.maker.maybe_a_number(0.6),
            phone=f"+1915{self.rng.randint(2_000_000, 9_999_999)}" if self.maker.chance(0.8) else "",
            last_entry_date=(AGE_ANCHOR - timedelta(days=self.rng.randint(30, 1800))),
            manner_of_entry=self.rng.choice(_MANNERS),
            detained=self.maker.chance(0.08),
        )

    def _language(self, country: str) -> str:
        if country == "HT":
            return "ht"
        if country == "GT" and self.maker.chance(0.3):
            return self.rng.choice(("quc", "mam", "kjb"))
        return "es"

    def add_people_of(self, client: Client, batch: Batch) -> None:
        batch.family.extend(FamilyBuilder(self.maker, client).members())
        if self.maker.chance(self.counts.alias_share):
            batch.aliases.append(bulk.new(ClientAlias, client=client, **alias_of(self.maker, client)))
        if self.maker.chance(self.counts.adverse_party_share):
            batch.adverse.append(bulk.new(AdverseParty, client=client, **adverse_party_for(self.maker, client)))

    # Walk-ins

    def arrival(self) -> datetime:
        """A moment in the five years before the load."""
        return self.now - timedelta(days=self.rng.randint(0, 5 * 365), minutes=self.rng.randint(0, 8 * 60))

    def walk_in_of(self, client: Client) -> WalkIn:
        """The visit that made `client` a client; the desk sometimes wrote the name differently."""
        person = Person(client.given_names, client.paternal_surname, client.maternal_surname, client.sex)
        if self.maker.chance(0.1):
            person = Person(names.strip_accents(person.given_names), person.paternal_surname, "", person.sex)
        return self._walk_in(
            person, client.date_of_birth, client.a_number, status=WalkIn.Status.ACCEPTED, client=client
        )

    def other_walk_in(self) -> WalkIn:
        """Someone who did not become a client; some come back a second time."""
        if self.visitors and self.maker.chance(0.15):
            person, born, a_number = self.rng.choice(self.visitors)
        else:
            country = self.maker.country()
            person = self.maker.person(country=country, sex="M" if self.maker.chance(0.55) else "F")
            born = self.maker.maybe_birth_date(0.85, youngest=16, oldest=65)
            a_number = self.maker.maybe_a_number(0.3)
            self.visitors.append((person, born, a_number))
        status = self.rng.choice(_CLOSED_NOT_ACCEPTED)
        return self._walk_in(person, born, a_number, status=status, client=None)

    def _walk_in(self, person: Person, born: date | None, a_number: str | None, *, status: str, client) -> WalkIn:
        if self.maker.chance(MISSPELT_WALK_INS):
            person = misspelt(person, self.rng)
        return bulk.new(
            WalkIn,
            clinic=self.clinic,
            given_names=person.given_names,
            paternal_surname=person.paternal_surname,
            maternal_surname=person.maternal_surname,
            arrived_at=self.arrival(),
            date_of_birth=born,
            a_number=a_number,
            status=status,
            client=client,
            reason=WalkIn.Reason.ASYLUM if self.maker.chance(0.7) else self.rng.choice(_REASONS),
        )


_MANNERS = tuple(Client.MannerOfEntry.values)
_REASONS = tuple(WalkIn.Reason.values)
_LOCATIONS = tuple(FamilyMember.Location.values)
_CLOSED_NOT_ACCEPTED = (
    WalkIn.Status.REFERRED_OUT, WalkIn.Status.REFERRED_OUT, WalkIn.Status.DECLINED,
    WalkIn.Status.NO_SHOW, WalkIn.Status.NO_SHOW, WalkIn.Status.SCREENED, WalkIn.Status.CONSULTATION_BOOKED,
)  # fmt: skip


class FamilyBuilder:
    """A client's spouse, children, and now and then a parent or a sibling (about two people)."""

    CHILDREN_WEIGHTS = (0.3, 0.3, 0.2, 0.12, 0.08)

    def __init__(self, maker: PersonMaker, client: Client):
        self.maker = maker
        self.client = client
        self.country = str(client.country_of_nationality)

    def members(self) -> list[FamilyMember]:
        spouse = self.spouse() if self.maker.chance(0.5) else None
        children = [self.child(spouse) for _ in range(self._child_count())]
        others = [self.parent()] if self.maker.chance(0.1) else []
        others += [self.sibling()] if self.maker.chance(0.1) else []
        return [member for member in (spouse, *children, *others) if member is not None]

    def _child_count(self) -> int:
        return self.maker.rng.choices(range(len(self.CHILDREN_WEIGHTS)), weights=self.CHILDREN_WEIGHTS)[0]

    def _member(self, person: Person, relationship: str, born: date | None, **fields) -> FamilyMember:
        if self.maker.chance(MISSPELT_FAMILY):
            person = misspelt(person, self.maker.rng)
        location = self.maker.rng.choices(_LOCATIONS, weights=(70, 25, 5))[0]
        return bulk.new(
            FamilyMember,
            client=self.client,
            given_names=person.given_names,
            paternal_surname=person.paternal_surname,
            maternal_surname=person.maternal_surname,
            relationship=relationship,
            date_of_birth=born,
            location=location,
            country_of_residence="US" if location == FamilyMember.Location.IN_US else self.country,
            a_number=self.maker.maybe_a_number(0.15) if location == FamilyMember.Location.IN_US else None,
            **fields,
        )

    def spouse(self) -> FamilyMember:
        sex = "F" if self.client.sex == "M" else "M"
        person = self.maker.person(country=self.country, sex=sex)
        born = self.maker.maybe_birth_date(0.85, youngest=18, oldest=60)
        return self._member(person, FamilyMember.Relationship.SPOUSE, born, marital_status="married")

    def child(self, spouse: FamilyMember | None) -> FamilyMember:
        father, mother = (self.client, spouse) if self.client.sex == "M" else (spouse, self.client)
        sex = "M" if self.maker.chance(0.5) else "F"
        person = self.maker.person(
            country=self.country,
            sex=sex,
            paternal=father.paternal_surname if father else "",
            maternal=mother.paternal_surname if mother else "",
        )
        if father is self.client and sex == "M" and self.maker.chance(0.08):
            # Sons named after their father are common: same given name, same surnames.
            person = Person(self.client.given_names, person.paternal_surname, person.maternal_surname, sex)
        born = self.maker.maybe_birth_date(0.95, youngest=0, oldest=17)
        us_citizen = self.maker.chance(0.1)
        return self._member(person, FamilyMember.Relationship.CHILD, born, us_citizen=us_citizen)

    def parent(self) -> FamilyMember:
        is_father = self.maker.chance(0.5)
        surname = self.client.paternal_surname if is_father else self.client.maternal_surname
        person = self.maker.person(country=self.country, sex="M" if is_father else "F", paternal=surname)
        born = self.maker.maybe_birth_date(0.6, youngest=40, oldest=85)
        return self._member(person, FamilyMember.Relationship.PARENT, born, marital_status="married")

    def sibling(self) -> FamilyMember:
        sex = "M" if self.maker.chance(0.5) else "F"
        person = self.maker.person(
            country=self.country,
            sex=sex,
            paternal=self.client.paternal_surname,
            maternal=self.client.maternal_surname or "",
        )
        born = self.maker.maybe_birth_date(0.7, youngest=10, oldest=60)
        return self._member(person, FamilyMember.Relationship.SIBLING, born)


def alias_of(maker: PersonMaker, client: Client) -> dict:
    """Another name the client used: a nickname, another spelling, a married name or an alias."""
    first_given = client.given_names.split(" ")[0]
    nicknames = scale_names.NICKNAMES_OF.get(first_given, ())
    roll = maker.rng.random()
    if nicknames and roll < 0.35:
        return {"kind": ClientAlias.Kind.NICKNAME, "name": f"{maker.rng.choice(nicknames)} {client.paternal_surname}"}
    if roll < 0.6:
        return {"kind": ClientAlias.Kind.SPELLING, "name": names.strip_accents(client.full_name).upper()}
    if client.sex == "F" and roll < 0.8:
        husband = maker.surname(country=str(client.country_of_nationality))
        married = f"{client.given_names} {client.paternal_surname} de {husband}"
        return {"kind": ClientAlias.Kind.FORMER_NAME, "name": married}
    other = maker.person(country=str(client.country_of_nationality), sex=client.sex or "M")
    return {"kind": ClientAlias.Kind.ALIAS, "name": other.full_name}


def adverse_party_for(maker: PersonMaker, client: Client) -> dict:
    """Someone the client fled: a gang member, a cartel boss, a police officer, an abuser."""
    country = str(client.country_of_nationality)
    role = _adverse_role(maker, country, client.sex)
    organization = maker.rng.choice(scale_names.ORGANIZATIONS[role]) if role in scale_names.ORGANIZATIONS else ""
    nickname = maker.rng.choice(scale_names.ADVERSE_NICKNAMES)
    roll = maker.rng.random()
    if roll < 0.45 or role == AdverseParty.Role.ABUSER:
        name, other_names = maker.person(country=country, sex="M").full_name, (nickname if roll < 0.2 else "")
    elif roll < 0.7:
        name, other_names = f"{maker.rng.choice(scale_names.ADVERSE_RANKS)} {maker.surname(country=country)}", ""
    else:
        name, other_names = nickname, ""
    return {"name": name, "other_names": other_names, "role": role, "organization": organization}


_Role = AdverseParty.Role
# Whom people flee, by country: gangs in the Northern Triangle, cartels in Mexico, the state elsewhere.
_ROLES_BY_COUNTRY = {
    "HN": (_Role.GANG, _Role.GANG, _Role.POLICE), "SV": (_Role.GANG, _Role.GANG, _Role.MILITARY),
    "GT": (_Role.GANG, _Role.POLICE, _Role.PERSECUTOR), "MX": (_Role.CARTEL, _Role.CARTEL, _Role.POLICE),
    "VE": (_Role.OFFICIAL, _Role.MILITARY, _Role.POLICE), "CU": (_Role.OFFICIAL, _Role.POLICE),
    "NI": (_Role.OFFICIAL, _Role.POLICE, _Role.MILITARY),
}  # fmt: skip


def _adverse_role(maker: PersonMaker, country: str, sex: str) -> str:
    if sex == "F" and maker.chance(0.3):
        return _Role.ABUSER
    return maker.rng.choice(_ROLES_BY_COUNTRY.get(country, (_Role.PERSECUTOR, _Role.GANG, _Role.OTHER)))


# Writing


def _tables(batch: Batch) -> list[tuple[type, list]]:
    """The batch's records by model, in the order they must be written (clients first)."""
    return [
        (Client, batch.clients),
        (FamilyMember, batch.family),
        (ClientAlias, batch.aliases),
        (AdverseParty, batch.adverse),
        (WalkIn, batch.walk_ins),
    ]


def write_batch(batch: Batch) -> None:
    for model, records in _tables(batch):
        bulk.insert(model, records)
    name_index.bulk_index(batch.named_records())


def batch_rows(batch: Batch) -> list[bulk.Rows]:
    """The COPY rows of a batch, in the order they must be written."""
    rows = [bulk.object_rows(model, records) for model, records in _tables(batch)]
    return rows + name_index.index_rows(batch.named_records())


class BatchWriter:
    """On PostgreSQL, prepares each batch's rows here (Python) and copies them on a second
    connection while the next batch is drawn, so both cores work; each batch commits on its own.
    Elsewhere, and inside a transaction (whose rows a second connection could not see), writes
    inline with bulk_create."""

    def __init__(self):
        self.parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.queue: queue.Queue[list[bulk.Rows] | None] = queue.Queue(maxsize=2)
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="seed-scale-writer", daemon=True)

    def __enter__(self) -> "BatchWriter":
        if self.parallel:
            self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.parallel:
            self.queue.put(None)
            self.thread.join()
            self._raise_failure()

    def write(self, batch: Batch) -> None:
        if not self.parallel:
            write_batch(batch)
            return
        self._raise_failure()
        self.queue.put(batch_rows(batch))

    def _raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure

    def _run(self) -> None:
        try:
            for rows in iter(self.queue.get, None):
                if self.failure is None:
                    self._copy_committed(rows)
        finally:
            connection.close()  # this thread's own connection

    def _copy_committed(self, rows: list[bulk.Rows]) -> None:
        try:
            with transaction.atomic():
                for table_rows in rows:
                    bulk.copy(table_rows)
        except BaseException as error:  # handed to the main thread, which raises it
            self.failure = error


# The command's entry point


class ScaleDataExistsError(Exception):
    """Scale data is already loaded; loading it again would duplicate every person."""


def scale_clinic() -> Clinic:
    """The clinic that receives the bulk of the data: the demo clinic if it exists."""
    existing = Clinic.objects.filter(slug__in=MAIN_SLUGS).order_by("slug").first()
    if existing is not None:
        return existing
    return Clinic.objects.create(name="Scale Clinic", slug="scale-clinic", time_zone="America/Denver")


def seed_scale(*, clients: int, seed: int, log: Callable[[str], None] = lambda message: None) -> dict[str, Clinic]:
    """Loads `clients` clients and their people into the scale clinic and 5% as many into the
    clinic "scale-other". Refuses when "scale-other" exists: it is created first, so it marks data
    loaded (or a load that was interrupted) and nothing is ever loaded twice."""
    with transaction.atomic():
        if Clinic.objects.filter(slug=OTHER_SLUG).exists():
            raise ScaleDataExistsError(OTHER_SLUG)
        other = Clinic.objects.create(name="Scale Other Clinic", slug=OTHER_SLUG, time_zone="America/Chicago")
        main = scale_clinic()
    maker = PersonMaker(random.Random(seed))  # noqa: S311 (invented test data, reproducible by design)
    now = timezone.now()
    with BatchWriter() as writer, nullcontext() if writer.parallel else transaction.atomic():
        for clinic, count in ((main, clients), (other, round(clients * OTHER_SHARE))):
            counts = ScaleCounts(clients=count)
            ScaleLoader(maker=maker, clinic=clinic, counts=counts, now=now, writer=writer).load(log)
    return {"main": main, "other": other}


def _loaded_models():
    from cases.models import BarCheck, Case, CaseAssignment, CaseNote, Claim, HarmIncident, Hearing, ReliefApplication

    return (Client, ClientAlias, FamilyMember, AdverseParty, WalkIn, Case, CaseAssignment, Claim, BarCheck,
            HarmIncident, Hearing, ReliefApplication, CaseNote)  # fmt: skip


def analyze_name_tables() -> None:
    """Fresh statistics after a bulk load, so the planner uses the indexes (without them it
    scanned all 100,000 clients to show the first page of the list); on PostgreSQL also VACUUM
    (when not inside a transaction, where it cannot run), so index-only scans work."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in (*_loaded_models(), PersonName, PersonNameToken):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM ANALYZE {table}" if vacuum else f"ANALYZE {table}")
