"""How alike two people's names (and birth dates and A-numbers) are: the scoring of the conflict
check. Pure functions, no database; clients.conflict_search finds the candidates and calls score().

A score starts at 100 for the same name and loses points for each difference, so that every point
lost has a reason staff can read: a nickname costs a little, a typing error more, a missing surname
more, a different given name or surname a lot. The same A-number is the same person.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rapidfuzz.distance import OSA

from clients import names

# Results below this are not shown; results from this up are strong (likely the same person).
# Tuned on the labelled variants of clients.conflict_eval: every kind of variant scores at least
# THRESHOLD, a different given name or a different surname scores below it.
THRESHOLD = 72
STRONG = 85

SAME_A_NUMBER = 100
COST_NICKNAME = 6
COST_PER_TYPO = 8
COST_ORDER = 3
COST_EXTRA_GIVEN = 6
COST_MISSING_SURNAME = 10
COST_OTHER_GIVEN = 45
COST_OTHER_SURNAME = 30
COST_NO_SURNAME_MATCH = 25
# Each side has a word the other lacks ("José Luis Hernández" / "José Hernández García"): each
# could be a shorter form of one person, but together they point to two people more often.
COST_BOTH_SIDES_DIFFER = 15
BONUS_SAME_BIRTH = 10
COST_OTHER_BIRTH = 15
COST_OTHER_A_NUMBER = 20

GIVEN, SURNAME = "given", "surname"
_WORD_SPLIT = re.compile(r"[\s\-]+")

# The reasons, kept untranslated while scoring (a check scores a few hundred names) and
# translated when read.
SAME_A_NUMBER_REASON = gettext_noop("same A-number")
SAME_BIRTH_REASON = gettext_noop("same date of birth")
OTHER_BIRTH_REASON = gettext_noop("date of birth differs")
OTHER_A_NUMBER_REASON = gettext_noop("A-number differs")
SAME_NAME_REASON = gettext_noop("same name")
NICKNAME_REASON = gettext_noop("nickname of %(name)s")
SPELLING_REASON = gettext_noop("spelling differs (%(typed)s / %(recorded)s)")
ACCENTS_REASON = gettext_noop("accents or capitals differ")
SWAPPED_REASON = gettext_noop("surnames swapped")
ORDER_REASON = gettext_noop("given names and surnames in another order")
NO_SURNAME_REASON = gettext_noop("no surname in common")
OTHER_GIVEN_REASON = gettext_noop("given name differs")
OTHER_SURNAME_REASON = gettext_noop("surname differs")
COMPOUND_REASON = gettext_noop("compound given name")
MISSING_SURNAME_REASON = gettext_noop("one surname missing")


class Word(NamedTuple):
    token: str  # normalised: no accents, lower case
    written: str  # as typed or recorded, for the reasons
    role: str  # GIVEN or SURNAME (a guess for a name typed in one field)


@dataclass(frozen=True)
class Person:
    """One side of a comparison: the query, or a candidate from the name index."""

    words: tuple[Word, ...]
    date_of_birth: date | None = None
    a_number: str | None = None
    # False when the roles of the words are a guess (a name typed in one field).
    roles_known: bool = True


@dataclass(frozen=True)
class Verdict:
    score: int
    notes: tuple[tuple[str, tuple], ...]  # (reason, its parameters as pairs), untranslated

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(_(reason) % dict(params) if params else _(reason) for reason, params in self.notes)


class _Pair(NamedTuple):
    query: int  # index into the query's words
    candidate: int  # index into the candidate's words
    how: str  # "same", "nickname" or "spelling"
    cost: int


@dataclass
class _Tally:
    cost: int = 0
    notes: list[tuple[str, tuple]] = field(default_factory=list)

    def add(self, cost: int, reason: str = "", **params: str) -> None:
        self.cost += cost
        note = (reason, tuple(params.items()))
        if reason and note not in self.notes:
            self.notes.append(note)


# Building the two sides


def written_forms(text: str) -> dict[str, str]:
    """Each normalised token of `text` -> the word it came from, as written ('hernandez' -> 'Hernández')."""
    forms = {}
    for piece in _WORD_SPLIT.split(text or ""):
        for token in names.tokens(piece):
            forms.setdefault(token, piece.strip(".,;"))
    return forms


def _words(text: str, roles: tuple[tuple[str, list[str]], ...]) -> tuple[Word, ...]:
    forms = written_forms(text)
    return tuple(Word(token, forms.get(token, token), role) for role, tokens in roles for token in tokens)


def person_from_parts(
    *, given_names: str, paternal_surname: str, maternal_surname: str, date_of_birth=None, a_number=None
) -> Person:
    surnames = f"{paternal_surname} {maternal_surname}"
    words = _words(given_names, ((GIVEN, names.tokens(given_names)),))
    words += _words(surnames, ((SURNAME, names.tokens(surnames)),))
    return Person(words, date_of_birth, a_number)


def person_from_full_name(full_name: str, *, date_of_birth=None, a_number=None) -> Person:
    """A name in one field: given names first, then one or two surnames (a guess, see split_full_name)."""
    given, surnames = names.split_full_name(full_name)
    return Person(_words(full_name, ((GIVEN, given), (SURNAME, surnames))), date_of_birth, a_number, False)


def person_from_keys(*, full_name: str, given_key: str, surname_key: str, date_of_birth=None, a_number=None) -> Person:
    """A candidate from the name index: its normalised given names and surnames as indexed."""
    return Person(_indexed_words(full_name, given_key, surname_key), date_of_birth, a_number)


@lru_cache(maxsize=100_000)
def _indexed_words(full_name: str, given_key: str, surname_key: str) -> tuple[Word, ...]:
    # Cached: the same names are candidates again and again.
    return _words(full_name, ((GIVEN, given_key.split()), (SURNAME, surname_key.split())))


# Comparing words


def allowed_typos(length: int) -> int:
    """Typing errors a word of this length (the longer of two) may have and still be the same
    word: none in "Ana", one in "García", two in "Hernández". More would make "María" of "García"."""
    if length <= 3:
        return 0
    return 1 if length <= 7 else 2


@lru_cache(maxsize=200_000)
def token_likeness(query: str, candidate: str) -> tuple[str, int] | None:
    """('same' | 'nickname' | 'spelling', cost) when two normalised words can be the same name."""
    if query == candidate:
        return "same", 0
    if set(names.canonical_forms(query)) & set(names.canonical_forms(candidate)):
        return "nickname", COST_NICKNAME
    if _gender_pair(query, candidate):
        return None
    limit = allowed_typos(max(len(query), len(candidate)))
    distance = OSA.distance(query, candidate, score_cutoff=limit) if limit else 1
    if distance <= limit:
        return "spelling", COST_PER_TYPO * distance
    return None


def _gender_pair(first: str, second: str) -> bool:
    """Francisco and Francisca, Juan and Juana: one letter apart, and two different people."""
    if first[:-1] == second[:-1] and {first[-1], second[-1]} == {"a", "o"}:
        return True
    return f"{first}a" == second or f"{second}a" == first


def _pairs(query: Person, candidate: Person, known: frozenset[str]) -> list[_Pair]:
    """The best one-to-one matching of the query's words to the candidate's, cheapest first
    (and, at equal cost, a given name with a given name). Not a typing error: two words that are
    both names many people have (Andrés and Andrea, Batista and Bautista), nor a given name and a
    surname when the query says which is which (Marín is not María)."""
    options = []
    for qi, q in enumerate(query.words):
        for ci, c in enumerate(candidate.words):
            likeness = token_likeness(q.token, c.token)
            if likeness is None:
                continue
            crossed = q.role != c.role
            if likeness[0] == "spelling" and ((crossed and query.roles_known) or {q.token, c.token} <= known):
                continue
            options.append((likeness[1], crossed, qi, ci, likeness[0]))
    pairs, used_q, used_c = [], set(), set()
    for cost, _cross, qi, ci, how in sorted(options):
        if qi not in used_q and ci not in used_c:
            used_q.add(qi)
            used_c.add(ci)
            pairs.append(_Pair(qi, ci, how, cost))
    return pairs


# Scoring


def score(query: Person, candidate: Person, *, known: frozenset[str] = frozenset()) -> Verdict:
    """How likely `candidate` is the person the query describes, with the reasons. `known`: the
    normalised words that are established names in the clinic (see _pairs)."""
    tally = _Tally()
    same_a_number = bool(query.a_number) and query.a_number == candidate.a_number
    if same_a_number:
        tally.add(0, SAME_A_NUMBER_REASON)
    if not query.words:
        # Without a name, only the A-number tells who it is (a birth date is shared by many).
        return Verdict(SAME_A_NUMBER if same_a_number else 0, tuple(tally.notes))
    _score_birth_and_a_number(query, candidate, tally)
    name = _score_name(query, candidate, known)
    tally.add(name.cost)
    tally.notes.extend(name.notes)
    value = SAME_A_NUMBER if same_a_number else max(0, min(100, 100 - tally.cost))
    return Verdict(value, tuple(tally.notes))


def _score_birth_and_a_number(query: Person, candidate: Person, tally: _Tally) -> None:
    if query.date_of_birth and candidate.date_of_birth:
        if query.date_of_birth == candidate.date_of_birth:
            tally.add(-BONUS_SAME_BIRTH, SAME_BIRTH_REASON)
        else:
            tally.add(COST_OTHER_BIRTH, OTHER_BIRTH_REASON)
    if query.a_number and candidate.a_number and query.a_number != candidate.a_number:
        tally.add(COST_OTHER_A_NUMBER, OTHER_A_NUMBER_REASON)


def _score_name(query: Person, candidate: Person, known: frozenset[str]) -> _Tally:
    tally = _Tally()
    pairs = _pairs(query, candidate, known)
    for pair in pairs:
        _score_pair(query.words[pair.query], candidate.words[pair.candidate], pair, tally)
    _score_order(query, candidate, pairs, tally)
    _score_leftovers(query, candidate, pairs, tally)
    if not tally.notes:
        tally.add(0, SAME_NAME_REASON)
    return tally


def _score_pair(typed: Word, recorded: Word, pair: _Pair, tally: _Tally) -> None:
    if pair.how == "nickname":
        formal = recorded if recorded.token not in names.NICKNAMES else typed
        tally.add(pair.cost, NICKNAME_REASON, name=formal.written.capitalize())
    elif pair.how == "spelling":
        tally.add(pair.cost, SPELLING_REASON, typed=typed.written, recorded=recorded.written)
    elif typed.written != recorded.written:
        tally.add(0, ACCENTS_REASON)


def _score_order(query: Person, candidate: Person, pairs: list[_Pair], tally: _Tally) -> None:
    surnames = [
        pair.candidate
        for pair in sorted(pairs)
        if query.words[pair.query].role == SURNAME and candidate.words[pair.candidate].role == SURNAME
    ]
    if len(surnames) >= 2 and surnames != sorted(surnames):
        tally.add(COST_ORDER, SWAPPED_REASON)
    crossed = any(query.words[pair.query].role != candidate.words[pair.candidate].role for pair in pairs)
    if crossed and query.roles_known:
        tally.add(COST_ORDER, ORDER_REASON)


def _score_leftovers(query: Person, candidate: Person, pairs: list[_Pair], tally: _Tally) -> None:
    """Words without a partner: a missing word costs little, a different word a lot."""
    matched_q = {pair.query for pair in pairs}
    matched_c = {pair.candidate for pair in pairs}
    left_q = [word for i, word in enumerate(query.words) if i not in matched_q]
    left_c = [word for i, word in enumerate(candidate.words) if i not in matched_c]
    missing_c = 0
    for role in (GIVEN, SURNAME):
        mine = [word for word in left_c if word.role == role]
        theirs = [word for word in left_q if word.role == role or not query.roles_known]
        clashes = min(len(mine), len(theirs))
        for word in theirs[:clashes]:
            left_q.remove(word)
        _score_clashes(role, clashes, tally)
        _score_missing(role, len(mine) - clashes, tally)
        missing_c += len(mine) - clashes
    for word in left_q:
        _score_missing(word.role, 1, tally)
    if left_q and missing_c:
        tally.add(COST_BOTH_SIDES_DIFFER)
    surname_matched = any(candidate.words[pair.candidate].role == SURNAME for pair in pairs)
    if not surname_matched and any(word.role == SURNAME for word in candidate.words):
        tally.add(COST_NO_SURNAME_MATCH, NO_SURNAME_REASON)


def _score_clashes(role: str, count: int, tally: _Tally) -> None:
    if count and role == GIVEN:
        tally.add(COST_OTHER_GIVEN * count, OTHER_GIVEN_REASON)
    elif count:
        tally.add(COST_OTHER_SURNAME * count, OTHER_SURNAME_REASON)


def _score_missing(role: str, count: int, tally: _Tally) -> None:
    if count and role == GIVEN:
        tally.add(COST_EXTRA_GIVEN * count, COMPOUND_REASON)
    elif count:
        tally.add(COST_MISSING_SURNAME * count, MISSING_SURNAME_REASON)
