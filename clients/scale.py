"""Scale data: a large, realistic, deterministic clinic for benchmarks (`manage.py seed_scale`).

Everything random comes from one random.Random(seed), drawn in a fixed order, so the same seed
gives the same people (names, birth dates, A-numbers, families) on every database. Walk-in arrival
times are offsets from the day of loading, so the data stays "recent" whenever it is loaded.

Per client, on average: 2.5 family members (FamilyBuilder), 0.25 aliases, 0.25 adverse parties
and 2.5 walk-ins over five years. The command has each batch of clients followed by their cases,
hearings and deadlines (cases.scale.CaseStreams), in the same transaction.

Rows are built as tuples (clients.bulk.Table), with their ids taken from the sequences first, and
the name index (PersonName, PersonNameToken) is built from the same values, as
clients.name_index.entry_values would build it for the saved records (test_seed_scale checks that
they agree), in a forked process on PostgreSQL. A second connection copies each batch while the
next is drawn (clients.bulk.Writer), all in one transaction: an interrupted load leaves nothing.
100,000 clients take about 2.5 minutes on 2 cores (PostgreSQL included), most of it spent by the
database; see clients.bulk for how.
"""

import random
import time
from bisect import bisect as _bisect
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import accumulate
from typing import NamedTuple, Protocol

from django.db import connection, transaction
from django.utils import timezone

from clients import bulk, names, scale_names
from clients.models import AdverseParty, Client, ClientAlias, FamilyMember, PersonName, PersonNameToken, WalkIn
from clients.name_index import NAME_FIELDS, TOKEN_FIELDS, searchable_words
from clinic.models import Clinic

MAIN_SLUGS = ("las-americas-demo", "scale-clinic")
OTHER_SLUG = "scale-other"
OTHER_SHARE = 0.05
# Birth dates are drawn relative to this day, not today, so they do not move with the calendar.
AGE_ANCHOR = date(2025, 1, 1)
BATCH_CLIENTS = 2000
# Names the desk mistyped: walk-ins are written in a hurry, family members from what clients say.
MISSPELT_WALK_INS = 0.04
MISSPELT_FAMILY = 0.03
PEOPLE_MODELS = (Client, FamilyMember, ClientAlias, AdverseParty, WalkIn, PersonName, PersonNameToken)


@dataclass(frozen=True)
class ScaleCounts:
    """What N clients come with. Family: 2.5 people per client (FamilyBuilder)."""

    clients: int
    alias_share: float = 0.25  # clients with an alias
    adverse_party_share: float = 0.25  # clients who named a persecutor
    walk_ins_per_client: float = 2.5  # over five years, including those who became clients
    clients_from_walk_ins: float = 0.6  # clients who first came as a walk-in (it points to them)


class Person(NamedTuple):
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


def weighted_choice(rng: random.Random, items: Sequence, cumulative: Sequence[float]):
    """rng.choices(items, cum_weights=cumulative)[0], the same draw, without its overhead (a
    million calls a load)."""
    return items[_bisect(cumulative, rng.random() * cumulative[-1], 0, len(cumulative) - 1)]


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
        return items[_bisect(cumulative, self.rng.random() * cumulative[-1], 0, len(items) - 1)]

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


class ClientRow(NamedTuple):
    id: int
    clinic_id: int
    given_names: str
    paternal_surname: str
    maternal_surname: str
    sort_name: str
    sex: str
    date_of_birth: date | None
    country_of_nationality: str
    country_of_birth: str
    preferred_language: str
    a_number: str | None
    phone: str
    last_entry_date: date
    manner_of_entry: str
    detained: bool

    @property
    def full_name(self) -> str:
        return names.full_name(self.given_names, self.paternal_surname, self.maternal_surname)


class FamilyRow(NamedTuple):
    client_id: int
    given_names: str
    paternal_surname: str
    maternal_surname: str
    relationship: str
    date_of_birth: date | None
    location: str
    country_of_residence: str
    a_number: str | None
    marital_status: str
    us_citizen: bool


class AliasRow(NamedTuple):
    client_id: int
    kind: str
    name: str


class AdverseRow(NamedTuple):
    client_id: int
    name: str
    other_names: str
    role: str
    organization: str


class WalkInRow(NamedTuple):
    clinic_id: int
    given_names: str
    paternal_surname: str
    maternal_surname: str
    arrived_at: datetime
    date_of_birth: date | None
    a_number: str | None
    status: str
    client_id: int | None
    reason: str


@dataclass
class Batch:
    """Records of a batch of clients, written together. The clients have their ids; the others
    get theirs when the batch is written."""

    clients: list[ClientRow] = field(default_factory=list)
    family: list[FamilyRow] = field(default_factory=list)
    aliases: list[AliasRow] = field(default_factory=list)
    adverse: list[AdverseRow] = field(default_factory=list)
    walk_ins: list[WalkInRow] = field(default_factory=list)


class Follower(Protocol):
    """What comes with each batch of a clinic's new clients (cases.scale.CaseStream): rows
    written after theirs, in the same transaction."""

    def rows(self, clients: list[ClientRow], family: list[tuple]) -> list[bulk.Rows]:
        """The rows that follow `clients` and their `family` rows (id, *FamilyRow)."""

    def finish(self) -> None:
        """Runs on the writer's connection once the clinic's last batch is written."""


class Followers(Protocol):
    """Makes the Follower of each clinic (before the load starts, while the tables can be
    read); entered once they are made, around the load (to start and stop what they need)."""

    def of(self, clinic: Clinic) -> Follower: ...

    def __enter__(self) -> "Followers": ...

    def __exit__(self, *exc_info) -> None: ...


class ScaleLoader:
    """Loads the people of one clinic, batch by batch."""

    def __init__(
        self,
        *,
        maker: PersonMaker,
        clinic: Clinic,
        counts: ScaleCounts,
        now: datetime,
        writer: "PeopleWriter",
        follower: Follower | None = None,
    ):
        self.maker = maker
        self.writer = writer
        self.follower = follower
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
        if self.follower is not None:
            self.writer.writer.call(self.follower.finish)

    def _walk_in_quota(self, done: int, size: int) -> int:
        remaining_clients = self.counts.clients - done
        quota = round(self.walk_ins_left * size / remaining_clients)
        self.walk_ins_left -= quota
        return quota

    def load_batch(self, size: int, *, walk_in_quota: int) -> None:
        """Draws a batch of clients with their people and hands it over."""
        batch = Batch(clients=[self.client(pk) for pk in bulk.reserve_ids(Client, size)])
        for client in batch.clients:
            self.add_people_of(client, batch)
        batch.walk_ins.extend(self.walk_in_of(client) for client in batch.clients if self._came_as_walk_in())
        while len(batch.walk_ins) < walk_in_quota:
            batch.walk_ins.append(self.other_walk_in())
        self.writer.write(batch, self.follower)

    def _came_as_walk_in(self) -> bool:
        return self.maker.chance(self.counts.clients_from_walk_ins)

    # Clients and their people

    def client(self, pk: int) -> ClientRow:
        country = self.maker.country()
        person = self.maker.person(country=country, sex="M" if self.maker.chance(0.55) else "F")
        born = self.maker.maybe_birth_date(0.9, youngest=16, oldest=62)
        return ClientRow(
            id=pk,
            clinic_id=self.clinic.pk,
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

    def add_people_of(self, client: ClientRow, batch: Batch) -> None:
        batch.family.extend(FamilyBuilder(self.maker, client).members())
        if self.maker.chance(self.counts.alias_share):
            kind, name = alias_of(self.maker, client)
            batch.aliases.append(AliasRow(client.id, kind, name))
        if self.maker.chance(self.counts.adverse_party_share):
            batch.adverse.append(AdverseRow(client.id, *adverse_party_for(self.maker, client)))

    # Walk-ins

    def arrival(self) -> datetime:
        """A moment in the five years before the load."""
        return self.now - timedelta(days=self.rng.randint(0, 5 * 365), minutes=self.rng.randint(0, 8 * 60))

    def walk_in_of(self, client: ClientRow) -> WalkInRow:
        """The visit that made `client` a client; the desk sometimes wrote the name differently."""
        person = Person(client.given_names, client.paternal_surname, client.maternal_surname, client.sex)
        if self.maker.chance(0.1):
            person = Person(names.strip_accents(person.given_names), person.paternal_surname, "", person.sex)
        return self._walk_in(
            person, client.date_of_birth, client.a_number, status=WalkIn.Status.ACCEPTED, client_id=client.id
        )

    def other_walk_in(self) -> WalkInRow:
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
        return self._walk_in(person, born, a_number, status=status, client_id=None)

    def _walk_in(
        self, person: Person, born: date | None, a_number: str | None, *, status: str, client_id: int | None
    ) -> WalkInRow:
        if self.maker.chance(MISSPELT_WALK_INS):
            person = misspelt(person, self.rng)
        return WalkInRow(
            clinic_id=self.clinic.pk,
            given_names=person.given_names,
            paternal_surname=person.paternal_surname,
            maternal_surname=person.maternal_surname,
            arrived_at=self.arrival(),
            date_of_birth=born,
            a_number=a_number,
            status=status,
            client_id=client_id,
            reason=WalkIn.Reason.ASYLUM.value if self.maker.chance(0.7) else self.rng.choice(_REASONS),
        )


_MANNERS = tuple(Client.MannerOfEntry.values)
_REASONS = tuple(WalkIn.Reason.values)
_LOCATIONS = tuple(FamilyMember.Location.values)
_LOCATION_CUMULATIVE = tuple(accumulate((70, 25, 5)))
_CLOSED_NOT_ACCEPTED = tuple(
    status.value
    for status in (
        WalkIn.Status.REFERRED_OUT, WalkIn.Status.REFERRED_OUT, WalkIn.Status.DECLINED,
        WalkIn.Status.NO_SHOW, WalkIn.Status.NO_SHOW, WalkIn.Status.SCREENED, WalkIn.Status.CONSULTATION_BOOKED,
    )
)  # fmt: skip
_Relationship = FamilyMember.Relationship
_SINGLE, _MARRIED = FamilyMember.MaritalStatus.SINGLE.value, FamilyMember.MaritalStatus.MARRIED.value
_IN_US = FamilyMember.Location.IN_US.value


class FamilyBuilder:
    """A client's family as an asylum application lists it (the I-589 asks for the spouse, the
    children, the parents and the siblings): a spouse for half the clients, 1.4 children on
    average, and a parent or two, a sibling or a few, for some. 2.5 people a client in all."""

    SPOUSE = 0.5
    CHILDREN_WEIGHTS = (0.3, 0.3, 0.2, 0.12, 0.08)  # 0 to 4 children: 1.38 on average
    PARENTS_WEIGHTS = (0.8, 0.1, 0.1)  # none, one, both: 0.3
    SIBLINGS_WEIGHTS = (0.8, 0.11, 0.06, 0.03)  # 0 to 3 siblings: 0.32

    def __init__(self, maker: PersonMaker, client: ClientRow):
        self.maker = maker
        self.client = client
        self.country = client.country_of_nationality

    def members(self) -> list[FamilyRow]:
        spouse = self.spouse() if self.maker.chance(self.SPOUSE) else None
        children = [self.child(spouse) for _ in range(self._count(self.CHILDREN_WEIGHTS))]
        parents = self._count(self.PARENTS_WEIGHTS)
        others = [self.parent(is_father=self.maker.chance(0.5))] if parents == 1 else []
        others += [self.parent(is_father=True), self.parent(is_father=False)] if parents == 2 else []
        others += [self.sibling() for _ in range(self._count(self.SIBLINGS_WEIGHTS))]
        return [member for member in (spouse, *children, *others) if member is not None]

    def _count(self, weights: tuple[float, ...]) -> int:
        return weighted_choice(self.maker.rng, _COUNTS, _CUMULATIVE[weights])

    def _member(self, person: Person, relationship: str, born: date | None, **fields) -> FamilyRow:
        if self.maker.chance(MISSPELT_FAMILY):
            person = misspelt(person, self.maker.rng)
        location = weighted_choice(self.maker.rng, _LOCATIONS, _LOCATION_CUMULATIVE)
        return FamilyRow(
            client_id=self.client.id,
            given_names=person.given_names,
            paternal_surname=person.paternal_surname,
            maternal_surname=person.maternal_surname,
            relationship=relationship,
            date_of_birth=born,
            location=location,
            country_of_residence="US" if location == _IN_US else self.country,
            a_number=self.maker.maybe_a_number(0.15) if location == _IN_US else None,
            marital_status=fields.get("marital_status", _SINGLE),
            us_citizen=fields.get("us_citizen", False),
        )

    def spouse(self) -> FamilyRow:
        sex = "F" if self.client.sex == "M" else "M"
        person = self.maker.person(country=self.country, sex=sex)
        born = self.maker.maybe_birth_date(0.85, youngest=18, oldest=60)
        return self._member(person, _Relationship.SPOUSE.value, born, marital_status=_MARRIED)

    def child(self, spouse: FamilyRow | None) -> FamilyRow:
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
        return self._member(person, _Relationship.CHILD.value, born, us_citizen=us_citizen)

    def parent(self, *, is_father: bool) -> FamilyRow:
        surname = self.client.paternal_surname if is_father else self.client.maternal_surname
        person = self.maker.person(country=self.country, sex="M" if is_father else "F", paternal=surname)
        born = self.maker.maybe_birth_date(0.6, youngest=40, oldest=85)
        return self._member(person, _Relationship.PARENT.value, born, marital_status=_MARRIED)

    def sibling(self) -> FamilyRow:
        sex = "M" if self.maker.chance(0.5) else "F"
        person = self.maker.person(
            country=self.country,
            sex=sex,
            paternal=self.client.paternal_surname,
            maternal=self.client.maternal_surname or "",
        )
        born = self.maker.maybe_birth_date(0.7, youngest=10, oldest=60)
        return self._member(person, _Relationship.SIBLING.value, born)


_COUNTS = range(10)
_CUMULATIVE = {
    weights: tuple(accumulate(weights))
    for weights in (FamilyBuilder.CHILDREN_WEIGHTS, FamilyBuilder.PARENTS_WEIGHTS, FamilyBuilder.SIBLINGS_WEIGHTS)
}


def alias_of(maker: PersonMaker, client: ClientRow) -> tuple[str, str]:
    """(kind, name) of another name the client used: a nickname, another spelling, a married
    name or an alias."""
    first_given = client.given_names.split(" ")[0]
    nicknames = scale_names.NICKNAMES_OF.get(first_given, ())
    roll = maker.rng.random()
    if nicknames and roll < 0.35:
        return ClientAlias.Kind.NICKNAME.value, f"{maker.rng.choice(nicknames)} {client.paternal_surname}"
    if roll < 0.6:
        return ClientAlias.Kind.SPELLING.value, names.strip_accents(client.full_name).upper()
    if client.sex == "F" and roll < 0.8:
        husband = maker.surname(country=client.country_of_nationality)
        return ClientAlias.Kind.FORMER_NAME.value, f"{client.given_names} {client.paternal_surname} de {husband}"
    other = maker.person(country=client.country_of_nationality, sex=client.sex or "M")
    return ClientAlias.Kind.ALIAS.value, other.full_name


def adverse_party_for(maker: PersonMaker, client: ClientRow) -> tuple[str, str, str, str]:
    """(name, other names, role, organization) of someone the client fled: a gang member, a
    cartel boss, a police officer, an abuser."""
    country = client.country_of_nationality
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
    return name, other_names, role, organization


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
        return _Role.ABUSER.value
    return maker.rng.choice(_ROLES_BY_COUNTRY.get(country, (_Role.PERSECUTOR, _Role.GANG, _Role.OTHER))).value


# Writing


class NameIndex:
    """The PersonName and PersonNameToken rows of a batch's people: for each record what
    clients.name_index.entry_values makes of it once saved, built from the row values (here,
    or with `worker` in a forked process: a fifth of the work of a load)."""

    Kind = PersonName.Kind

    def __init__(self, worker: bulk.Forked | None = None):
        self.worker = worker
        self.entries: list[tuple] = []  # what each name is made of (index_rows)

    def person(self, kind: str, record_id: int, client_id: int | None, clinic_id: int, row) -> None:
        """A record with given names and two surnames (a client, a family member, a walk-in)."""
        own = kind == self.Kind.CLIENT
        self.entries.append(
            (True, kind, record_id, client_id, clinic_id, row.given_names, row.paternal_surname,
             row.maternal_surname, row.date_of_birth, row.a_number, client_id if own else None,
             row.sort_name if own else "")
        )  # fmt: skip

    def written(self, kind: str, record_id: int, client: ClientRow, name: str, extra: str = "") -> None:
        """A name written in one field (an alias, an adverse party) of `client`."""
        alias = kind == self.Kind.ALIAS
        self.entries.append(
            (False, kind, record_id, client.id, client.clinic_id, name, extra,
             client.date_of_birth if alias else None, client.a_number if alias else None,
             client.id if alias else None, client.sort_name if alias else "")
        )  # fmt: skip

    def rows(self, *, sort: bool = True) -> list:
        ids = bulk.reserve_ids(PersonName, len(self.entries))
        if self.worker is None:
            names_rows, tokens = index_rows(self.entries, ids, sort)
            return [bulk.Rows(PersonName, NAME_COLUMNS, names_rows), bulk.Rows(PersonNameToken, TOKEN_COLUMNS, tokens)]
        self.worker.send((self.entries, ids, sort))
        later = _Later(self.worker)
        return [
            lambda: bulk.Encoded(PersonName, NAME_COLUMNS, later.part(0)),
            lambda: bulk.Encoded(PersonNameToken, TOKEN_COLUMNS, later.part(1)),
        ]


def index_rows(entries: list[tuple], ids: list[int], sort: bool) -> tuple[list[tuple], list[tuple]]:
    """The PersonName rows (NAME_COLUMNS) and PersonNameToken rows (TOKEN_COLUMNS) of the
    names NameIndex collected, with their ids."""
    name_rows, tokens = [], []
    for pk, (two_surnames, kind, record_id, client_id, clinic_id, *rest) in zip(ids, entries, strict=True):
        if two_surnames:
            given_names, paternal, maternal, born, a_number, search_client_id, sort_name = rest
            given_key, given_words = _keyed(given_names)
            surname_key, surname_words = _keyed(f"{paternal} {maternal}")
            full_name, words = names.full_name(given_names, paternal, maternal), given_words | surname_words
        else:
            name, extra, born, a_number, search_client_id, sort_name = rest
            given, surnames = names.split_full_name(name)
            full_name, given_key, surname_key = name.strip(), " ".join(given)[:200], " ".join(surnames)[:200]
            words = searchable_words(f"{name} {extra.replace(';', ' ')}")
        name_rows.append((pk, kind, record_id, client_id, clinic_id, full_name, given_key, surname_key, born, a_number))
        tokens += [(pk, clinic_id, word[:60], search_client_id, sort_name) for word in words]
    if sort:  # in word order the database inserts into its word indexes a quarter faster
        tokens.sort(key=_word_then_name)
    return name_rows, tokens


class _Later:
    """The parts of a Forked job's result, taken once."""

    def __init__(self, worker: bulk.Forked):
        self.worker, self.parts = worker, None

    def part(self, n: int) -> bytes:
        if self.parts is None:
            self.parts = self.worker.result()
        return self.parts[n]


def _index_work(encode_names, encode_tokens, job: tuple) -> list[bytes]:
    """In the forked process: a batch's name index, encoded."""
    name_rows, tokens = index_rows(*job)
    return [encode_names(name_rows).data, encode_tokens(tokens).data]


_KEYED: dict[str, tuple[str, set[str]]] = {}


def _keyed(text: str) -> tuple[str, set[str]]:
    """The index key of some names (their tokens) and the words they are found by; the same
    given names and surnames come back thousands of times. The words of a full name are those
    of its parts: tokens split on spaces, and the full name joins its parts with spaces."""
    found = _KEYED.get(text)
    if found is None:
        found = _KEYED[text] = (" ".join(names.tokens(text))[:200], searchable_words(text))
        if len(_KEYED) > 500_000:
            _KEYED.clear()
    return found


def _word_then_name(row: tuple) -> tuple:
    return row[2], row[0]


def _columns(model, fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


NAME_COLUMNS = ["id", *_columns(PersonName, NAME_FIELDS)]
TOKEN_COLUMNS = _columns(PersonNameToken, TOKEN_FIELDS)


def people_tables() -> dict[type, bulk.Table]:
    """How each model's rows are written (made once a load: their timestamps are its start)."""
    return {
        Client: bulk.Table(Client, ClientRow._fields),
        FamilyMember: bulk.Table(FamilyMember, ("id", *FamilyRow._fields)),
        ClientAlias: bulk.Table(ClientAlias, ("id", *AliasRow._fields)),
        AdverseParty: bulk.Table(AdverseParty, ("id", *AdverseRow._fields)),
        WalkIn: bulk.Table(WalkIn, ("id", *WalkInRow._fields)),
    }


def batch_rows(
    batch: Batch, tables: dict[type, bulk.Table], unindexed: set[str] = frozenset(), index_worker=None
) -> tuple[list, list[tuple]]:
    """The rows of a batch, in the order they must be written (clients first), with the name
    index; and the family rows with their ids (id, *FamilyRow)."""
    index = NameIndex(index_worker)
    kind = NameIndex.Kind
    for client in batch.clients:
        index.person(kind.CLIENT.value, client.id, client.id, client.clinic_id, client)
    by_id = {client.id: client for client in batch.clients}
    family = _with_ids(FamilyMember, batch.family)
    for row in family:
        index.person(kind.FAMILY_MEMBER.value, row[0], row[1], by_id[row[1]].clinic_id, FamilyRow(*row[1:]))
    aliases = _with_ids(ClientAlias, batch.aliases)
    for pk, client_id, _kind, name in aliases:
        index.written(kind.ALIAS.value, pk, by_id[client_id], name)
    adverse = _with_ids(AdverseParty, batch.adverse)
    for pk, client_id, name, other_names, _role, _organization in adverse:
        index.written(kind.ADVERSE_PARTY.value, pk, by_id[client_id], name, other_names)
    walk_ins = _with_ids(WalkIn, batch.walk_ins)
    for row in walk_ins:
        walk_in = WalkInRow(*row[1:])
        index.person(kind.WALK_IN.value, row[0], walk_in.client_id, walk_in.clinic_id, walk_in)
    rows = [
        tables[Client].rows(batch.clients),
        tables[FamilyMember].rows(family),
        tables[ClientAlias].rows(aliases),
        tables[AdverseParty].rows(adverse),
        tables[WalkIn].rows(walk_ins),
        *index.rows(sort=PersonNameToken._meta.db_table not in unindexed),
    ]
    return rows, family


def _with_ids(model, rows: list[tuple]) -> list[tuple]:
    return [(pk, *row) for pk, row in zip(bulk.reserve_ids(model, len(rows)), rows, strict=True)]


class PeopleWriter:
    """Hands each batch's rows to a bulk.Writer: on PostgreSQL outside a transaction a second
    connection copies them while the next batch is drawn, in one transaction for all, and a
    forked process makes the name index."""

    def __init__(self, models=()):
        self.writer = bulk.Writer(*PEOPLE_MODELS, *models)
        self.tables = people_tables()
        self.index_worker: bulk.Forked | None = None

    def __enter__(self) -> "PeopleWriter":
        if self.writer.parallel:  # forked before the writer's thread starts
            encoders = (
                bulk.binary_encoder(PersonName, NAME_COLUMNS),
                bulk.binary_encoder(PersonNameToken, TOKEN_COLUMNS),
            )
            self.index_worker = bulk.Forked(partial(_index_work, *encoders))
        try:
            self.writer.__enter__()
        except BaseException:
            self._close_worker()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self.writer.__exit__(*exc_info)
        finally:
            self._close_worker()

    def _close_worker(self) -> None:
        if self.index_worker is not None:
            self.index_worker.close()

    def write(self, batch: Batch, follower: Follower | None = None) -> None:
        rows, family = batch_rows(batch, self.tables, self.writer.unindexed, self.index_worker)
        if follower is not None:
            rows += follower.rows(batch.clients, family)
        self.writer.copy(rows)


# The command's entry point


class ScaleDataExistsError(Exception):
    """Scale data is already loaded; loading it again would duplicate every person."""


def scale_clinic() -> Clinic:
    """The clinic that receives the bulk of the data: the demo clinic if it exists."""
    existing = Clinic.objects.filter(slug__in=MAIN_SLUGS).order_by("slug").first()
    if existing is not None:
        return existing
    return Clinic.objects.create(name="Scale Clinic", slug="scale-clinic", time_zone="America/Denver")


def loaded_clients(clinic: Clinic):
    """The clients seed_scale loaded into `clinic`: created by no one (every service records who
    created a client), which tells them from the demo clinic's own."""
    return Client.objects.filter(clinic=clinic, created_by=None)


def seed_scale(
    *,
    clients: int,
    seed: int,
    log: Callable[[str], None] = lambda message: None,
    follow: Followers | None = None,
    models: Sequence[type] = (),
) -> dict[str, Clinic]:
    """Loads `clients` clients and their people into the scale clinic and 5% as many into the
    clinic "scale-other", in one transaction; with `follow`, what follows each batch of clients
    (cases.scale.CaseStreams: their cases) too, in the same transaction, into the tables of
    `models`.
    Refuses when either clinic already holds loaded clients."""
    with transaction.atomic():
        other = Clinic.objects.filter(slug=OTHER_SLUG).first()
        if other is None:
            other = Clinic.objects.create(name="Scale Other Clinic", slug=OTHER_SLUG, time_zone="America/Chicago")
        main = scale_clinic()
        if loaded_clients(main).exists() or loaded_clients(other).exists():
            raise ScaleDataExistsError(OTHER_SLUG)
    maker = PersonMaker(random.Random(seed))  # noqa: S311 (invented test data, reproducible by design)
    now = timezone.now()
    # Made before the load starts: the tables being loaded may be locked until it ends.
    followers = {clinic.pk: follow.of(clinic) for clinic in (main, other)} if follow else {}
    started = time.monotonic()
    with follow if follow is not None else nullcontext(), PeopleWriter(models) as writer:
        for clinic, count in ((main, clients), (other, round(clients * OTHER_SHARE))):
            counts = ScaleCounts(clients=count)
            follower = followers.get(clinic.pk)
            ScaleLoader(maker=maker, clinic=clinic, counts=counts, now=now, writer=writer, follower=follower).load(log)
        log(f"All drawn in {time.monotonic() - started:.1f} s; then indexes built, keys checked, committed")
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
