"""How names are compared: one normal form for every way staff and clients write a name.

Pure functions, no database. Used to build the search index (clients.name_index) and by the
conflict check (clients.conflicts). Spanish naming: one or more given names, then the paternal
and the maternal surname; particles (de, del, de la) are dropped; common nicknames map to the
names they stand for.
"""

import re
import unicodedata
from functools import lru_cache

# Dropped before comparing: "de la Cruz" and "Cruz" are the same surname for a conflict check.
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos", "di", "du", "van", "von"})

# Common Spanish hypocorisms -> the given names they stand for (accents already stripped).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "pepe": ("jose",), "pepito": ("jose",), "chepe": ("jose",), "chema": ("jose",),
    "paco": ("francisco",), "pancho": ("francisco",), "curro": ("francisco",), "paquito": ("francisco",),
    "pancha": ("francisca",), "paca": ("francisca",), "paquita": ("francisca",),
    "lupe": ("guadalupe",), "lupita": ("guadalupe",),
    "chuy": ("jesus",), "chucho": ("jesus",), "chuyito": ("jesus",),
    "memo": ("guillermo",), "guille": ("guillermo", "guillermina"),
    "lalo": ("eduardo",),
    "nacho": ("ignacio",),
    "tono": ("antonio",), "tonio": ("antonio",), "tona": ("antonia",),
    "beto": ("alberto", "roberto", "humberto", "norberto", "heriberto", "gilberto"),
    "charo": ("rosario",), "chayo": ("rosario",),
    "concha": ("concepcion",), "conchita": ("concepcion",),
    "lola": ("dolores",), "lolita": ("dolores",), "loli": ("dolores",),
    "pili": ("pilar",),
    "quique": ("enrique",), "kike": ("enrique",),
    "rafa": ("rafael",),
    "chelo": ("consuelo", "marcelo"),
    "chente": ("vicente",),
    "tere": ("teresa",), "teresita": ("teresa",),
    "chava": ("salvador",), "chavo": ("salvador",),
    "goyo": ("gregorio",),
    "licha": ("alicia",),
    "chabela": ("isabel",), "isa": ("isabel",),
    "meche": ("mercedes",),
    "cuca": ("refugio",), "cuco": ("refugio",),
    "pepa": ("josefa",), "chepa": ("josefa",), "fina": ("josefina",),
    "paty": ("patricia",), "pati": ("patricia",),
    "lencho": ("lorenzo",),
    "poncho": ("alfonso",),
    "juancho": ("juan",),
    "neto": ("ernesto",),
    "rigo": ("rigoberto",),
    "fito": ("adolfo", "rodolfo"),
    "moncho": ("ramon",),
    "chalo": ("gonzalo",),
    "lucho": ("luis",), "guicho": ("luis",),
    "pato": ("patricio",),
    "nando": ("fernando", "hernando"),
    "manolo": ("manuel",), "manu": ("manuel",),
    "santi": ("santiago",),
    "alex": ("alejandro", "alexander"), "ale": ("alejandra", "alejandro"),
    "dani": ("daniel", "daniela"),
    "gaby": ("gabriela", "gabriel"), "gabi": ("gabriela", "gabriel"),
    "vero": ("veronica",),
    "lety": ("leticia",), "leti": ("leticia",),
    "caro": ("carolina",),
    "cata": ("catalina",),
    "susy": ("susana",), "susi": ("susana",),
    "vicky": ("victoria",),
    "mari": ("maria",), "maru": ("maria",), "ma": ("maria",),
    "lulu": ("lourdes", "luz"),
    "nico": ("nicolas",),
    "fede": ("federico",),
    "tavo": ("gustavo", "octavio"),
    "checo": ("sergio",),
    "yoli": ("yolanda",),
    "magda": ("magdalena",),
    "tina": ("cristina", "agustina"),
    "mando": ("armando",),
    "temo": ("cuauhtemoc",),
    "magos": ("margarita",), "maggie": ("margarita",), "mago": ("margarita",),
    "chui": ("jesus",), "wicho": ("luis",), "chela": ("graciela", "marcela"), "chio": ("rocio",),
    "chencho": ("crescencio", "inocencio"), "tencha": ("hortensia",), "lucha": ("luz",),
    "rulo": ("raul",), "fer": ("fernando", "fernanda"), "edu": ("eduardo",), "rosi": ("rosa", "rosario"),
    "chepina": ("josefina",), "malu": ("maria",), "nancy": ("ana",),
    # Diminutives used as names.
    "juanito": ("juan",), "juanita": ("juana",), "carlitos": ("carlos",), "anita": ("ana",),
    "rosita": ("rosa",), "pedrito": ("pedro",), "miguelito": ("miguel",), "panchito": ("francisco",),
    # Abbreviations on forms and documents: Fco. Javier, Ma. Gpe.
    "fco": ("francisco",), "gpe": ("guadalupe",),
}  # fmt: skip

_NOT_LETTERS = re.compile(r"[^a-z\s]+")
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize(text: str) -> str:
    """'  José-Luis  DE LA Cruz ' -> 'jose luis de la cruz': no accents, lower case, hyphens and
    punctuation as spaces."""
    plain = strip_accents(text or "").lower()
    return _SPACES.sub(" ", _NOT_LETTERS.sub(" ", plain)).strip()


def tokens(text: str) -> list[str]:
    """The words of a name that count for comparison, in order, without particles."""
    return [token for word in (text or "").split() for token in _word_tokens(word)]


@lru_cache(maxsize=100_000)
def _word_tokens(word: str) -> tuple[str, ...]:
    # Cached: the same words come back again and again (bulk indexing, the conflict check).
    return tuple(token for token in normalize(word).split(" ") if token and token not in PARTICLES)


def canonical_forms(token: str) -> tuple[str, ...]:
    """The token itself and, for a nickname, the names it stands for."""
    return (token, *NICKNAMES.get(token, ()))


def split_full_name(text: str) -> tuple[list[str], list[str]]:
    """A name written in one field -> (given-name tokens, surname tokens), by the Spanish
    convention: with three or more words the last two are the surnames, with two the last one."""
    words = tokens(text)
    surname_count = 2 if len(words) >= 3 else (1 if len(words) == 2 else 0)
    split = len(words) - surname_count
    return words[:split], words[split:]


def sort_key(given_names: str, paternal_surname: str, maternal_surname: str) -> str:
    """How lists order people: by surnames, then given names, ignoring accents and case."""
    return normalize(f"{paternal_surname} {maternal_surname} {given_names}")


def full_name(given_names: str, paternal_surname: str = "", maternal_surname: str = "") -> str:
    return " ".join(part.strip() for part in (given_names, paternal_surname, maternal_surname) if part and part.strip())
