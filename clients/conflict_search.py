"""The conflict check: everyone a clinic already knows whose name, birth date or A-number matches
a person at the intake desk, best first, each with its reasons.

Candidates come from the name index (clients.name_index) of one clinic only, through its copy in
memory (clients.conflict_index): for each word of the query, the names that have it, a nickname
form of it, or a word of the clinic within a typing error or two (rapidfuzz). Names that have at
least two of the query's words are ranked by how many and how rare, and the best few hundred are
read, with every name of the same birth date or A-number. clients.conflicts scores them.
Only the ORM: the same code runs on PostgreSQL and SQLite.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from clients import conflicts
from clients.conflict_index import ClinicIndex, WordGroup, clinic_index, recent_name_ids
from clients.identifiers import normalize_a_number
from clients.models import PersonName

Kind = PersonName.Kind
# How many names, best first, are read and scored.
CANDIDATES = 100
_ROW_FIELDS = (
    "id", "kind", "record_id", "client_id", "full_name", "given_key", "surname_key", "date_of_birth", "a_number",
)  # fmt: skip


@dataclass(frozen=True)
class ConflictMatch:
    kind: str  # a PersonName.Kind value
    record_id: int
    client_id: int | None  # the client the name belongs to (None for a walk-in not accepted)
    name: str  # the full name as recorded
    score: int  # 0..100
    reasons: tuple[str, ...]


def find_conflicts(
    *,
    clinic_id: int,
    given_names: str = "",
    paternal_surname: str = "",
    maternal_surname: str = "",
    full_name: str = "",
    date_of_birth: date | None = None,
    a_number: str | None = None,
    exclude: Iterable[tuple[str, int]] = (),
    limit: int = 10,
) -> list[ConflictMatch]:
    """The people of `clinic_id` who may be the person described, best first (at most `limit`)."""
    query = _query_person(given_names, paternal_surname, maternal_surname, full_name, date_of_birth, a_number)
    excluded = {(str(kind), int(record_id)) for kind, record_id in exclude}
    index = clinic_index(clinic_id)
    rows = [row for row in _candidate_rows(clinic_id, index, query) if _key(row) not in excluded]
    scorer = partial(_Found.of, query, known=index.known)
    found = _walk_ins_as_clients(clinic_id, scorer, {_key(row): scorer(row) for row in rows}, excluded)
    shown = [item for item in found.values() if item.verdict.score >= conflicts.THRESHOLD]
    shown.sort(key=lambda item: (-item.verdict.score, item.row["full_name"], *_key(item.row)))
    return [item.as_match() for item in shown[:limit]]


def _query_person(given_names, paternal_surname, maternal_surname, full_name, date_of_birth, a_number):
    a_number = _clean_a_number(a_number)
    surnames = f"{paternal_surname} {maternal_surname}"
    if not (given_names.strip() and surnames.strip()):
        # One field (the command line), or a form with only given names or only surnames filled:
        # the roles of the words are a guess.
        written = full_name if full_name.strip() else f"{given_names} {surnames}"
        return conflicts.person_from_full_name(written, date_of_birth=date_of_birth, a_number=a_number)
    return conflicts.person_from_parts(
        given_names=given_names,
        paternal_surname=paternal_surname,
        maternal_surname=maternal_surname,
        date_of_birth=date_of_birth,
        a_number=a_number,
    )


def _clean_a_number(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    try:
        return normalize_a_number(value)
    except ValidationError:
        return None  # a mistyped A-number must not stop the name search


# Candidates


def _candidate_rows(clinic_id: int, index: ClinicIndex, query: conflicts.Person) -> list[dict]:
    """The names to score: the best by name from the in-memory index, those added since it was
    read, and every name with the same birth date or A-number."""
    roles = {word.token: word.role for word in reversed(query.words)}
    groups = [index.group(token, role) for token, role in reversed(roles.items())]
    ids = index.best_names(groups, roles_known=query.roles_known, limit=CANDIDATES) if groups else []
    ids += _recent_ids(clinic_id, index, groups)
    wanted = Q(pk__in=ids)
    if query.date_of_birth:
        wanted |= Q(date_of_birth=query.date_of_birth)
    if query.a_number:
        wanted |= Q(a_number=query.a_number)
    return list(PersonName.objects.filter(wanted, clinic_id=clinic_id).values(*_ROW_FIELDS))


def _recent_ids(clinic_id: int, index: ClinicIndex, groups: list[WordGroup]) -> list[int]:
    if not groups or not index.may_miss_names():
        return []
    recent = (
        recent_name_ids(clinic_id, index, groups)
        .annotate(words=Count("id"))
        .filter(words__gte=min(2, len(groups)))
        .order_by("-words", "person_name_id")
    )
    return list(recent.values_list("person_name_id", flat=True)[:CANDIDATES])


# Scoring and merging


def _key(row: dict) -> tuple[str, int]:
    return row["kind"], row["record_id"]


@dataclass(frozen=True)
class _Found:
    row: dict
    verdict: conflicts.Verdict
    # The client scored by the name they gave when they walked in (it matched better).
    via_walk_in: bool = False

    @classmethod
    def of(cls, query: conflicts.Person, row: dict, *, known: frozenset[str]) -> "_Found":
        candidate = conflicts.person_from_keys(
            full_name=row["full_name"],
            given_key=row["given_key"],
            surname_key=row["surname_key"],
            date_of_birth=row["date_of_birth"],
            a_number=row["a_number"],
        )
        return cls(row, conflicts.score(query, candidate, known=known))

    def as_match(self) -> ConflictMatch:
        row = self.row
        return ConflictMatch(
            kind=row["kind"],
            record_id=row["record_id"],
            client_id=row["client_id"],
            name=row["full_name"],
            score=self.verdict.score,
            reasons=self.verdict.reasons + ((_("by the name given at a walk-in visit"),) if self.via_walk_in else ()),
        )


def _walk_ins_as_clients(clinic_id: int, scorer, found: dict, excluded: set) -> dict:
    """A walk-in who became a client is that client: one result, the client, with the better of
    the two scores (the desk may have written the name differently from the client record)."""
    accepted = [item for item in found.values() if item.row["kind"] == Kind.WALK_IN and item.row["client_id"]]
    known = {record_id for kind, record_id in [*found, *excluded] if kind == Kind.CLIENT}
    missing = {item.row["client_id"] for item in accepted} - known
    for row in _client_rows(clinic_id, missing):
        found.setdefault(_key(row), scorer(row))
    for walk_in in accepted:
        del found[_key(walk_in.row)]
        key = (Kind.CLIENT.value, walk_in.row["client_id"])
        client = found.get(key)
        if client is not None and key not in excluded and walk_in.verdict.score > client.verdict.score:
            found[key] = _Found(client.row, walk_in.verdict, via_walk_in=True)
    return {key: item for key, item in found.items() if key not in excluded}


def _client_rows(clinic_id: int, client_ids: set[int]) -> list[dict]:
    if not client_ids:
        return []
    rows = PersonName.objects.filter(clinic_id=clinic_id, kind=Kind.CLIENT, record_id__in=client_ids)
    return list(rows.values(*_ROW_FIELDS))
