"""A labelled set for measuring the conflict check: real people of a seeded clinic, each written
the ways staff and clients write names (accents dropped, surnames swapped, a nickname, a typing
error...), labelled with the record the check must find; and invented people, who must find
nobody. Deterministic for a seed. Used by tests/clients/test_conflict_quality.py and
benchmarks/conflict_check.py.

A query is only kept if the name identifies the person: when the words left in a variant are
shared by many people ("José Hernández" once the second surname is dropped), no check can tell
which one is meant, so such targets are skipped and counted (`Labelled.ambiguous`).
"""

import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from clients import names, scale_names
from clients.conflict_index import clinic_index
from clients.conflict_search import ConflictMatch, find_conflicts
from clients.conflicts import STRONG, token_likeness
from clients.models import Client, ClientAlias, FamilyMember, PersonName, WalkIn
from clients.scale import misspell

VARIANTS = (
    "accents", "capitals", "swapped", "one_surname", "short_given", "hyphen", "particle",
    "nickname", "one_typo", "two_typos", "birth_date", "a_number", "one_field",
)  # fmt: skip
INVENTED = "invented"
# Variants that carry what tells namesakes apart (the birth date, the A-number).
IDENTIFIED_OTHERWISE = ("birth_date", "a_number")
# A variant whose words are shared by this many other people does not identify anyone.
MAX_NAMESAKES = 6
# A word in fewer names than this (a share of the clinic's names, at least 3) is taken for a
# typing error in the record: one mistyped García recurs a few times among 600,000 names.
MIN_WORD_SHARE = 0.0001
MIN_WORD_USES = 3
TOP = 10
MAX_UNRELATED = 3

_FOREIGN_GIVEN = ("Oksana", "Wei", "Amadou", "Priya", "Dmitri", "Fatima", "Kenji", "Ingrid", "Tariq", "Svetlana")
_FOREIGN_SURNAMES = (
    "Petrenko",
    "Zhang",
    "Diallo",
    "Raman",
    "Ivanov",
    "Haddad",
    "Nguyen",
    "Kowalski",
    "Okafor",
    "Tanaka",
)
_PARTICLE_WORD = re.compile(r"\b(" + "|".join(sorted(names.PARTICLES)) + r")\b\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    kind: str  # a PersonName kind
    record_id: int
    client_id: int | None
    given_names: str
    paternal_surname: str
    maternal_surname: str
    date_of_birth: date | None
    a_number: str | None
    same_person: frozenset[tuple[str, int]]  # its other records: the client's aliases, walk-in


@dataclass(frozen=True)
class LabelledQuery:
    variant: str
    query: dict  # keyword arguments of find_conflicts, without clinic_id
    target: Target | None  # None: an invented person
    words: frozenset[str]  # the words the query stands for, before any typing error


@dataclass
class Labelled:
    queries: list[LabelledQuery]
    ambiguous: Counter = field(default_factory=Counter)  # per variant, targets skipped


# Making the set


def labelled_queries(*, clinic_id: int, seed: int, per_variant: int = 20, invented: int = 40) -> Labelled:
    rng = random.Random(seed)  # noqa: S311 (a reproducible test set, not a secret)
    pool = _target_ids(clinic_id)
    labelled = Labelled(queries=[])
    index = clinic_index(clinic_id)
    for variant in VARIANTS:
        made, attempts = 0, 0
        while made < per_variant and attempts < per_variant * 40:
            attempts += 1
            target = _load_target(*rng.choice(pool))
            if _misspelt(index, target):
                continue
            query = _variant(variant, target, rng)
            if query is None:
                continue
            if variant not in IDENTIFIED_OTHERWISE and _namesakes(index, query.words, target) > MAX_NAMESAKES:
                labelled.ambiguous[variant] += 1
                continue
            labelled.queries.append(query)
            made += 1
    labelled.queries += _invented(index, rng, invented)
    return labelled


def _target_ids(clinic_id: int) -> list[tuple[str, int]]:
    """Clients (most), family members and walk-ins who did not become clients."""
    clients = Client.objects.filter(clinic_id=clinic_id).values_list("id", flat=True)
    family = FamilyMember.objects.filter(client__clinic_id=clinic_id).values_list("id", flat=True)
    walk_ins = WalkIn.objects.filter(clinic_id=clinic_id, client__isnull=True).values_list("id", flat=True)
    pool = [("client", pk) for pk in clients] * 3
    return pool + [("family_member", pk) for pk in family] + [("walk_in", pk) for pk in walk_ins]


def _load_target(kind: str, pk: int) -> Target:
    if kind == "client":
        record = Client.objects.get(pk=pk)
        same = {("alias", alias) for alias in ClientAlias.objects.filter(client=record).values_list("id", flat=True)}
        same |= {("walk_in", walk_in) for walk_in in WalkIn.objects.filter(client=record).values_list("id", flat=True)}
        client_id = pk
    else:
        record = (FamilyMember if kind == "family_member" else WalkIn).objects.get(pk=pk)
        same, client_id = set(), getattr(record, "client_id", None)
    return Target(
        kind, pk, client_id, record.given_names, record.paternal_surname, record.maternal_surname,
        record.date_of_birth, record.a_number, frozenset(same | {(kind, pk)}),
    )  # fmt: skip


def _misspelt(index, target: Target) -> bool:
    """A record whose name has a word almost no one else has: most likely mistyped at the desk.
    Variants are made of names as they should be written."""
    words = names.tokens(f"{target.given_names} {target.paternal_surname} {target.maternal_surname}")
    rare = max(MIN_WORD_USES, index.size * MIN_WORD_SHARE)
    return any(index.count(word) < rare for word in words)


def _namesakes(index, words: frozenset[str], target: Target) -> int:
    """How many other people have every one of `words`, or a nickname form of it (their names
    fit the query as well)."""
    having = None
    for word in words:
        forms = [index.postings[form] for form in names.canonical_forms(word) if form in index.postings]
        posting = np.unique(np.concatenate(forms)) if forms else np.empty(0, np.int32)
        having = posting if having is None else np.intersect1d(having, posting, assume_unique=True)
    ids = index.name_ids[having].tolist() if having is not None else []
    if len(ids) > MAX_NAMESAKES + 20:
        return len(ids)
    rows = PersonName.objects.filter(pk__in=ids).values_list("kind", "record_id")
    return sum(1 for row in rows if row not in target.same_person)


# The variants


def _variant(variant: str, target: Target, rng: random.Random) -> LabelledQuery | None:
    parts = (target.given_names, target.paternal_surname, target.maternal_surname)
    made = _MAKERS[variant](target, parts, rng)
    if made is None:
        return None
    query, clean_parts = made
    words = frozenset(names.tokens(" ".join(clean_parts)))
    return LabelledQuery(variant, query, target, words)


def _structured(given: str, paternal: str, maternal: str, **extra) -> dict:
    return {"given_names": given, "paternal_surname": paternal, "maternal_surname": maternal, **extra}


def _accents(target, parts, rng):
    plain = tuple(names.strip_accents(part) for part in parts)
    return None if plain == parts else (_structured(*plain), parts)


def _capitals(target, parts, rng):
    cased = tuple(part.upper() if rng.random() < 0.5 else part.lower() for part in parts)
    return _structured(*cased), parts


def _swapped(target, parts, rng):
    given, paternal, maternal = parts
    return (_structured(given, maternal, paternal), parts) if paternal and maternal else None


def _one_surname(target, parts, rng):
    given, paternal, maternal = parts
    if not (paternal and maternal):
        return None
    kept = paternal if rng.random() < 0.7 else maternal
    return _structured(given, kept, ""), (given, kept)


def _short_given(target, parts, rng):
    given, paternal, maternal = parts
    words = [word for word in given.split() if names.tokens(word)]
    if len(words) < 2:
        return None
    kept = rng.choice(words)
    return _structured(kept, paternal, maternal), (kept, paternal, maternal)


def _hyphen(target, parts, rng):
    given, paternal, maternal = parts
    if not (paternal and maternal):
        return None
    return _structured(given, f"{paternal}-{maternal}", ""), parts


def _particle(target, parts, rng):
    plain = tuple(_PARTICLE_WORD.sub("", part).strip() for part in parts)
    return None if plain == parts else (_structured(*plain), parts)


def _nickname(target, parts, rng):
    given, paternal, maternal = parts
    first, *rest = given.split()
    nicknames = scale_names.NICKNAMES_OF.get(first)
    if not nicknames:
        return None
    typed = (" ".join([rng.choice(nicknames), *rest]), paternal, maternal)
    # The words the query stands for include every name the nickname can stand for (Tavo: Gustavo, Octavio).
    return _structured(*typed), typed


def _one_typo(target, parts, rng):
    typed = _with_typos(parts, 1, rng)
    return None if typed is None else (_structured(*typed), parts)


def _two_typos(target, parts, rng):
    typed = _with_typos(parts, 2, rng)
    return None if typed is None else (_structured(*typed), parts)


def _birth_date(target, parts, rng):
    """The same birth date, the name written worse: no second surname, no accents, a typo."""
    given, paternal, maternal = parts
    if target.date_of_birth is None or not (paternal and maternal):
        return None
    typed = _with_typos((names.strip_accents(given), names.strip_accents(paternal), ""), 1, rng)
    if typed is None:
        return None
    return _structured(*typed, date_of_birth=target.date_of_birth), (given, paternal)


def _a_number(target, parts, rng):
    """The same A-number, as written on a notice, with a name that is nothing like it."""
    if not target.a_number:
        return None
    digits = target.a_number
    written = rng.choice(
        (f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"A{digits}", f"{digits[:3]} {digits[3:6]} {digits[6:]}")
    )
    other = (rng.choice(_FOREIGN_GIVEN), rng.choice(_FOREIGN_SURNAMES), "")
    return _structured(*other, a_number=written), other


def _one_field(target, parts, rng):
    """The whole name in one field, surnames first, as lists and some documents write it."""
    given, paternal, maternal = parts
    if not paternal:
        return None
    return {"full_name": f"{paternal} {maternal} {given}".replace("  ", " ")}, parts


_MAKERS: dict[str, Callable] = {
    "accents": _accents, "capitals": _capitals, "swapped": _swapped, "one_surname": _one_surname,
    "short_given": _short_given, "hyphen": _hyphen, "particle": _particle, "nickname": _nickname,
    "one_typo": _one_typo, "two_typos": _two_typos, "birth_date": _birth_date, "a_number": _a_number,
    "one_field": _one_field,
}  # fmt: skip


def _with_typos(parts: tuple[str, ...], count: int, rng: random.Random) -> tuple[str, ...] | None:
    """`count` typing errors in different words of four letters or more (both in one word of
    eight or more, for two)."""
    spots = [
        (i, j)
        for i, part in enumerate(parts)
        for j, word in enumerate(part.split())
        if len(word) >= 4 and "-" not in word
    ]
    long_spots = [(i, j) for i, j in spots if len(parts[i].split()[j]) >= 8]
    if count == 2 and len(spots) < 2 and not long_spots:
        return None
    if not spots:
        return None
    if count == 2 and (len(spots) < 2 or (long_spots and rng.random() < 0.3)):
        chosen = [rng.choice(long_spots)] * 2
    else:
        chosen = rng.sample(spots, count)
    typed = [part.split() for part in parts]
    for i, j in chosen:
        typed[i][j] = misspell(typed[i][j], rng)
    return tuple(" ".join(words) for words in typed)


def _invented(index, rng: random.Random, count: int) -> list[LabelledQuery]:
    """People not in the data: names from elsewhere (half), and Spanish names whose words no one
    in the clinic has two of (a regional surname of one country with one of another)."""
    queries = []
    for _attempt in range(count * 50):
        if len(queries) == count:
            break
        if len(queries) % 2 == 0:
            parts = (rng.choice(_FOREIGN_GIVEN), rng.choice(_FOREIGN_SURNAMES), rng.choice(_FOREIGN_SURNAMES))
        else:
            first, second = rng.sample(sorted(scale_names.REGIONAL_SURNAMES), 2)
            given = rng.choice(scale_names.MALE_GIVEN + scale_names.FEMALE_GIVEN)
            surnames = (
                rng.choice(scale_names.REGIONAL_SURNAMES[first]),
                rng.choice(scale_names.REGIONAL_SURNAMES[second]),
            )
            parts = (given, *surnames)
        words = frozenset(names.tokens(" ".join(parts)))
        if not _shares_two_words(index, words):
            queries.append(LabelledQuery(INVENTED, _structured(*parts), None, words))
    return queries


def _shares_two_words(index, words: frozenset[str]) -> bool:
    postings = [index.postings[word] for word in words if word in index.postings]
    if len(postings) < 2:
        return False
    _positions, counts = np.unique(np.concatenate(postings), return_counts=True)
    return bool((counts >= 2).any())


# Measuring


@dataclass
class Outcome:
    query: LabelledQuery
    matches: list[ConflictMatch]
    seconds: float
    queries: int  # SQL queries the check ran

    @property
    def found(self) -> bool:
        keys = {(match.kind, match.record_id) for match in self.matches[:TOP]}
        return self.query.target is not None and bool(keys & _found_as(self.query.target))

    @property
    def unrelated(self) -> int:
        """Results that are neither the person nor someone whose name fits the query: every
        word of one name is in the other (a namesake, or the same name with a word missing). A
        client fits by any of their names (an alias, the name they gave as a walk-in)."""
        same = _found_as(self.query.target) if self.query.target else frozenset()
        return sum(
            1
            for match in self.matches[:TOP]
            if (match.kind, match.record_id) not in same
            and not any(_fits(name, self.query.words) for name in _names_of(match))
        )

    @property
    def strongest(self) -> int:
        return max((match.score for match in self.matches), default=0)


def _names_of(match: ConflictMatch) -> list[str]:
    if match.kind != "client":
        return [match.name]
    others = PersonName.objects.filter(client_id=match.record_id, kind__in=("alias", "walk_in"))
    return [match.name, *others.values_list("full_name", flat=True)]


def _found_as(target: Target) -> frozenset[tuple[str, int]]:
    """The results that count as finding the target: its records, or its client (a walk-in who
    became a client is reported as the client)."""
    keys = set(target.same_person)
    if target.kind in ("client", "walk_in") and target.client_id:
        keys.add(("client", target.client_id))
    return frozenset(keys)


def _fits(name: str, words: frozenset[str]) -> bool:
    """Every word of one name is in the other (or a nickname form of it), allowing one typing
    error in all: "Raúl Cruz" fits "Raúl Cabrera Cruz" and "Rayl Cruz"; "Raúl Luna" does not."""
    theirs = names.tokens(name)
    return _covered(words, theirs) or _covered(theirs, words)


def _covered(words, others) -> bool:
    typos = 0
    for word in words:
        likeness = [token_likeness(word, other) for other in others]
        if any(found and found[0] != "spelling" for found in likeness):
            continue
        typos += 1
        if typos > 1 or not any(likeness):
            return False
    return True


def run(queries: list[LabelledQuery], *, clinic_id: int, count_queries=None) -> list[Outcome]:
    """Runs every query; `count_queries` is a context manager factory returning an object with
    `captured_queries` (django.test.utils.CaptureQueriesContext), or None."""
    outcomes = []
    for labelled in queries:
        started = time.perf_counter()
        if count_queries is None:
            matches, queries_run = find_conflicts(clinic_id=clinic_id, **labelled.query), 0
        else:
            with count_queries() as captured:
                matches = find_conflicts(clinic_id=clinic_id, **labelled.query)
            queries_run = len(captured.captured_queries)
        outcomes.append(Outcome(labelled, matches, time.perf_counter() - started, queries_run))
    return outcomes


@dataclass
class Report:
    recall: float
    recall_by_variant: dict[str, float]
    unrelated_max: int
    unrelated_mean: float
    invented_with_results: int
    invented_strong: int
    misses: list[Outcome]

    @classmethod
    def of(cls, outcomes: list[Outcome]) -> "Report":
        variants = [outcome for outcome in outcomes if outcome.query.target is not None]
        invented = [outcome for outcome in outcomes if outcome.query.target is None]
        by_variant: dict[str, list[bool]] = {}
        for outcome in variants:
            by_variant.setdefault(outcome.query.variant, []).append(outcome.found)
        unrelated = [outcome.unrelated for outcome in outcomes]
        return cls(
            recall=sum(outcome.found for outcome in variants) / max(1, len(variants)),
            recall_by_variant={variant: sum(hits) / len(hits) for variant, hits in by_variant.items()},
            unrelated_max=max(unrelated, default=0),
            unrelated_mean=sum(unrelated) / max(1, len(unrelated)),
            invented_with_results=sum(1 for outcome in invented if outcome.matches),
            invented_strong=sum(1 for outcome in invented if outcome.strongest >= STRONG),
            misses=[outcome for outcome in variants if not outcome.found],
        )
