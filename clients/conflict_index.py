"""The conflict check's in-memory copy of a clinic's name index: for every word, which names
(PersonName) have it, as numpy arrays.

Why in memory: the check must find "José Hernández García" among 600,000 names in well under
50 ms, and each of those three words is in 40,000 to 70,000 of them. Adding up the matches per
name in SQL reads all those index rows every time (measured on PostgreSQL: 350 to 650 ms); doing it
over numpy arrays takes a few milliseconds. The copy costs about 4 bytes per index row plus 8 per
name (15 MB for 600,000 names) per process and clinic.

The copy is read once per process and clinic (a few seconds for 600,000 names), and holds the names
up to the newest one at that moment. Names added since are found in the database itself (their
index rows are few and the index reads only them), so the check never misses a new name; the copy
is read again in the background when it is old or many names were added. Deleted or renamed names
leave their old ids in the copy; the database no longer returns them.
Only the ORM and portable SQL: the same code runs on PostgreSQL and SQLite.
"""

import math
import threading
import time
from array import array
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Max
from rapidfuzz import process
from rapidfuzz.distance import OSA

from clients import names
from clients.conflicts import GIVEN, allowed_typos
from clients.models import PersonName, PersonNameToken
from clinic.scoping import across_clinics

RELOAD_AFTER = 6 * 3600  # seconds
RELOAD_AFTER_NEW_NAMES = 5_000
# A transaction that took a name id just before the copy was read may commit just after: for a
# while, names this close to the copy's newest are looked up in the database as well.
LATE_COMMITS = 1_000
LATE_COMMIT_SECONDS = 30
# A name found through a nickname form or a typing error counts for less than the word itself.
NICKNAME_WEIGHT = 0.9
FUZZY_WEIGHT = 0.7
EXTRA_WORD_WEIGHT = 0.5
# Query words whose typing-error neighbours are kept (the same names come back all day).
NEIGHBOURS_KEPT = 50_000
# A word in more than 0.5% of a clinic's names (and at least 50) is a common word (José, García).
COMMON_SHARE = 0.005
COMMON_FLOOR = 50
# A word in more than 0.02% of a clinic's names (and at least 10) is an established name, not a
# typing error of another (Andrea is not a misspelt Andrés).
KNOWN_SHARE = 0.0002
KNOWN_FLOOR = 10
_READ_CHUNK = 20_000

_copies: dict[int, "ClinicIndex"] = {}
_reading: set[int] = set()
_lock = threading.Lock()


@dataclass(frozen=True)
class WordGroup:
    """The index words one query word can stand for: itself, its nickname forms, and the
    clinic's words within its typing-error allowance."""

    literal: frozenset[str]
    nicknames: frozenset[str]
    fuzzy: frozenset[str]
    role: str  # the query word's role, conflicts.GIVEN or conflicts.SURNAME

    @property
    def words(self) -> frozenset[str]:
        return self.literal | self.nicknames | self.fuzzy


@dataclass
class ClinicIndex:
    name_ids: np.ndarray  # sorted PersonName ids; a name's position here is its position below
    postings: dict[str, np.ndarray]  # word -> positions of the names that have it
    word_counts: np.ndarray  # per name, how many index words it has
    newest_name: int  # the newest PersonName id (of any clinic) when the copy was read
    read_at: float = field(default_factory=time.monotonic)
    newest_seen: int = 0  # the newest PersonName id at the last check
    by_length: dict[int, list[str]] = field(default_factory=dict)

    known: frozenset[str] = frozenset()
    _neighbours: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self):
        for word in self.postings:
            self.by_length.setdefault(len(word), []).append(word)
        floor = max(KNOWN_FLOOR, int(self.size * KNOWN_SHARE))
        self.known = frozenset(word for word, posting in self.postings.items() if len(posting) >= floor)

    @property
    def size(self) -> int:
        return max(1, len(self.name_ids))

    def may_miss_names(self) -> bool:
        """True when names were added since the copy was read (or may still be committing)."""
        young = time.monotonic() - self.read_at < LATE_COMMIT_SECONDS
        return young or self.newest_seen > self.newest_name

    def count(self, word: str) -> int:
        posting = self.postings.get(word)
        return 0 if posting is None else len(posting)

    def common_count(self) -> int:
        """More names than this have a word, and it is a common word."""
        return max(COMMON_FLOOR, int(self.size * COMMON_SHARE))

    def neighbours(self, token: str) -> frozenset[str]:
        """The clinic's words within a typing error or two of `token` (swapped letters count as
        one), by the allowance of the longer word. Two common words are two names (Josué is not
        a typing error of José), so a common word gets only rare neighbours."""
        known = self._neighbours.get(token)
        if known is None:
            known = self._neighbours[token] = self._find_neighbours(token)
            if len(self._neighbours) > NEIGHBOURS_KEPT:
                self._neighbours.clear()
        return known

    def _find_neighbours(self, token: str) -> frozenset[str]:
        found = set()
        for length in range(max(1, len(token) - 2), len(token) + 3):
            limit = allowed_typos(max(len(token), length))
            words = self.by_length.get(length) if limit else None
            if words:
                hits = process.extract(token, words, scorer=OSA.distance, score_cutoff=limit, limit=None)
                found.update(word for word, distance, _index in hits if distance > 0)
        if self.count(token) > self.common_count():
            found = {word for word in found if self.count(word) <= self.common_count()}
        return frozenset(found)

    def group(self, token: str, role: str) -> WordGroup:
        nicknames = frozenset(names.canonical_forms(token)) - {token}
        fuzzy = frozenset(self.neighbours(token)) - nicknames
        return WordGroup(frozenset({token}), nicknames, fuzzy, role)

    def best_names(self, groups: list[WordGroup], *, roles_known: bool, limit: int) -> list[int]:
        """The ids of up to `limit` names that have the words of at least two query words (any,
        for a one-word query; with the roles known, a given name and a surname), those with the
        most and rarest words, and the fewest other words, first."""
        total = np.zeros(self.size, np.float32)
        given = np.zeros(self.size, np.uint8)
        surname = np.zeros(self.size, np.uint8)
        for group in groups:
            positions, weights = self._weights(group)
            # With a name listed twice in `positions`, each += counts it once (numpy buffers them).
            total[positions] += weights
            (given if group.role == GIVEN else surname)[positions] += 1
        if roles_known and given.any() and surname.any():
            found = np.flatnonzero((given > 0) & (surname > 0))
        else:
            found = np.flatnonzero(given + surname >= min(2, len(groups)))
        # Of two names with the query's words, the one with fewer other words first.
        others = self.word_counts[found] - given[found] - surname[found]
        score = total[found] - EXTRA_WORD_WEIGHT * np.maximum(others, 0)
        return self._top(found, score, limit)

    def _weights(self, group: WordGroup) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the names that have this query word, and how much it counts for each:
        the rarer the word, the more; less through a nickname form, less again through a typing
        error (where a name has both, the better counts)."""
        levels = ((group.fuzzy, FUZZY_WEIGHT), (group.nicknames, NICKNAME_WEIGHT), (group.literal, 1.0))
        parts = [(self.postings[word], factor) for words, factor in levels for word in words if word in self.postings]
        if not parts:
            return np.empty(0, np.int32), np.empty(0, np.float32)
        positions = np.concatenate([posting for posting, _factor in parts])
        rarity = math.log(1 + self.size / (1 + len(positions)))
        factors = np.concatenate([np.full(len(posting), factor * rarity, np.float32) for posting, factor in parts])
        if len(parts) > 1:
            # Best level first, so that the first of a name's repeats is the one kept.
            order = np.argsort(-factors, kind="stable")
            positions, factors = positions[order], factors[order]
            positions, first = np.unique(positions, return_index=True)
            factors = factors[first]
        return positions, factors

    def _top(self, found: np.ndarray, score: np.ndarray, limit: int) -> list[int]:
        """The ids of the `limit` best scores, ties by id (only the few near the cut are sorted)."""
        if len(found) > limit:
            cut = -np.partition(-score, limit - 1)[limit - 1]
            near = score >= cut
            found, score = found[near], score[near]
        ids = self.name_ids[found]
        return ids[np.lexsort((ids, -score))][:limit].tolist()


def clinic_index(clinic_id: int) -> ClinicIndex:
    """The clinic's copy: read now if there is none, read again in the background if it is old."""
    with _lock:
        copy = _copies.get(clinic_id)
    if copy is None:
        copy = _read(clinic_id)
        with _lock:
            _copies[clinic_id] = copy
    elif _is_stale(copy):
        _read_later(clinic_id)
    return copy


def forget_copies() -> None:
    """Drops every copy (tests that reuse ids; after a bulk delete)."""
    with _lock:
        _copies.clear()


def _is_stale(copy: ClinicIndex) -> bool:
    copy.newest_seen = _newest_name_id()
    old = time.monotonic() - copy.read_at > RELOAD_AFTER
    return old or copy.newest_seen - copy.newest_name > RELOAD_AFTER_NEW_NAMES


def _newest_name_id() -> int:
    # Of any clinic: one number, no name, read from the end of the primary key index.
    with across_clinics():
        return PersonName.objects.aggregate(newest=Max("id"))["newest"] or 0


def _read_later(clinic_id: int) -> None:
    with _lock:
        if clinic_id in _reading:
            return
        _reading.add(clinic_id)
    threading.Thread(target=_read_in_background, args=(clinic_id,), daemon=True).start()


def _read_in_background(clinic_id: int) -> None:
    try:
        copy = _read(clinic_id)
        with _lock:
            _copies[clinic_id] = copy
    finally:
        with _lock:
            _reading.discard(clinic_id)
        connection.close()  # this thread's own connection


def _read(clinic_id: int) -> ClinicIndex:
    # The newest name of all clinics: names added after it are few, and found in the database.
    newest = _newest_name_id()
    rows = PersonNameToken.objects.filter(clinic_id=clinic_id, person_name_id__lte=newest)
    sql, params = rows.values_list("token", "person_name_id").query.sql_with_params()
    ids_by_word: dict[str, array] = {}
    with connection.chunked_cursor() as cursor:
        # A plain (server-side, where there are) cursor: the ORM's per-row work would double the
        # time for millions of rows, and a client-side one would hold them all in memory at once.
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(_READ_CHUNK):
            for word, name_id in chunk:
                ids = ids_by_word.get(word)
                if ids is None:
                    ids = ids_by_word[word] = array("q")
                ids.append(name_id)
    as_numpy = {word: np.frombuffer(ids, dtype=np.int64) for word, ids in ids_by_word.items()}
    name_ids = np.unique(np.concatenate(list(as_numpy.values()))) if as_numpy else np.empty(0, np.int64)
    postings = {word: np.searchsorted(name_ids, ids).astype(np.int32) for word, ids in as_numpy.items()}
    every = np.concatenate(list(postings.values())) if postings else np.empty(0, np.int32)
    word_counts = np.bincount(every, minlength=len(name_ids)).astype(np.int16)
    return ClinicIndex(name_ids, postings, word_counts, newest_name=newest, newest_seen=newest)


def recent_name_ids(clinic_id: int, copy: ClinicIndex, groups: list[WordGroup]):
    """A query of the ids of names added since the copy was read that have any of the words."""
    words = set().union(*(group.words for group in groups)) if groups else set()
    return PersonNameToken.objects.filter(
        clinic_id=clinic_id, token__in=sorted(words), person_name_id__gt=copy.newest_name - LATE_COMMITS
    ).values("person_name_id")
