"""Hypothesis strategies for what a person (or a script) can type into a form or a query string:
arbitrary text, dates, times and numbers, valid or not, and a form's whole submission built from its
own fields, where each field is either a value the form accepts or one of those.

`submission(forms, valid)` is the one the tests use: it reads the fields of unbound forms (built as
the view builds them, so choices and querysets are the user's own) and draws a dict for the test
client's post, where a field may also be left out."""

# ruff: noqa: RUF001 - look-alike characters (full-width and Arabic-Indic digits) are the point here

from datetime import date, timedelta

from django import forms
from hypothesis import strategies as st

# The test client sends UTF-8: a lone surrogate cannot be encoded, so no browser can send one.
CHARACTERS = st.characters(exclude_categories=("Cs",))

FRAGMENTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "\x1b[31m",
    "\x7f\x08\x0c",
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066\u2069",  # isolates
    "\u200b\u200d\ufeff",  # zero-width space, joiner, byte-order mark
    "\u0301\u0308",  # combining marks with nothing to combine with
    "José Ñúñez-Pérez de la Cruz",
    "محمد عبد الله",
    "שלום",
    "王小明",
    "Nguyễn Thị Minh Khai",
    "İıßﬁǅ",
    "١٢٣٤٥٦٧٨٩",  # Arabic-Indic digits
    "１２３４５６７８９",  # full-width digits
    "𝟘𝟙𝟚",
    "👨‍👩‍👧‍👦🇲🇽🏳️‍🌈",
    "' OR '1'='1",
    "'; DROP TABLE clients_client; --",
    '" OR ""="',
    "1; SELECT pg_sleep(0)",
    "%",
    "_",
    "\\",
    "%s %d %(name)s {0} {name}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request }}{% debug %}",
    '=HYPERLINK("http://x")',
    "+1-2",
    "-1",
    "@SUM(1)",
    "../../etc/passwd",
    "null",
    "None",
    "NaN",
    "true",
    "A-123-456-789",
    "+1 (915) 555-0123",
    "79901-1234",
]

text = st.one_of(
    st.text(CHARACTERS, max_size=40),
    st.sampled_from(FRAGMENTS),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(CHARACTERS, max_size=5), min_size=2, max_size=6).map("".join),
    # Very long: past every max_length of the app.
    st.tuples(st.sampled_from(["a", "é", "𝟘", "👨‍👩‍👧", "\u200f", "x\x00"]), st.integers(300, 12_000)).map(
        lambda pair: pair[0] * pair[1]
    ),
)

_TODAY = date.today()  # noqa: DTZ011 - only a centre for "near today", the app's own dates are the clinic's

valid_dates = st.one_of(
    st.dates(min_value=_TODAY - timedelta(days=365 * 30), max_value=_TODAY).map(date.isoformat),
    st.dates(min_value=_TODAY - timedelta(days=400), max_value=_TODAY + timedelta(days=400)).map(date.isoformat),
)

date_strings = st.one_of(
    valid_dates,
    # Far past and far future: year 1 to 9999, the whole range Python and PostgreSQL share.
    st.dates().map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "1900-01-01", "2100-12-31", "1970-01-01"]),
    # Not dates, or not in the format of the form.
    st.sampled_from(
        [
            "2026-02-30",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "0000-00-00",
            "0000-01-01",
            "99999-01-01",
            "-2026-01-05",
            "2026-1-5",
            " 2026-01-05 ",
            "2026/01/05",
            "05/01/2026",
            "01/05/26",
            "12/31/9999",
            "31.12.2026",
            "1 May 2026",
            "May 1, 2026",
            "today",
            "2026-01-05T10:00",
            "2026-01-05 10:00",
            "２０２６-０１-０５",
            "٢٠٢٦-٠١-٠٥",
            "20260105",
            "2026-W01",
            "1e4-01-01",
        ]
    ),
    text,
)

time_strings = st.one_of(
    st.times().map(lambda value: value.strftime("%H:%M")),
    st.times().map(lambda value: value.isoformat()),
    st.sampled_from(["00:00", "23:59", "02:30", "01:30", "24:00", "25:61", "12:00 PM", "7pm", "-1:00", "1:2:3:4"]),
    text,
)

datetime_strings = st.one_of(
    st.tuples(valid_dates, time_strings).map("T".join),
    st.tuples(date_strings, st.sampled_from(["T", " ", ""]), time_strings).map("".join),
    st.sampled_from(["9999-12-31T23:59", "0001-01-01T00:00", "9999-12-31 23:59:59", "2026-03-08T02:30"]),
    text,
)

number_strings = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.integers().map(str),
    st.integers(min_value=2**31 - 2, max_value=2**70).map(str),
    st.integers(max_value=-(2**31) + 1, min_value=-(2**70)).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "0", "-0", "1.5", "1e309", "1e10", "0x10", "1_000", "٣", "１２", " 7 ", "+3", "nan", "inf"]),
    text,
)

# What a browser posts for a checkbox, and what else arrives.
booleans = st.one_of(st.sampled_from(["on", "", "true", "false", "0", "1", "True", "None"]), text)

OMIT = object()  # the field is left out of the submission


def _choice_values(field) -> list[str]:
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an option group
            values += [str(inner) for inner, _label in label]
        else:
            values.append(str(value))
    return values


past_dates = st.dates(min_value=_TODAY - timedelta(days=365 * 30), max_value=_TODAY - timedelta(days=1))
names = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzáéíóúñüÁÉÑ '-"), min_size=1, max_size=30).filter(
    lambda value: any(char.isalpha() for char in value)
)


def _valid(field: forms.Field, initial) -> st.SearchStrategy:
    """A value of the field's own kind that it accepts, or at least could."""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        values = [value for value in _choice_values(field) if value]
        return st.lists(st.sampled_from(values), max_size=3, unique=True) if values else st.just([])
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        values = [value for value in _choice_values(field) if value or not field.required]
        return st.sampled_from(values) if values else st.just("")
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, forms.DateTimeField):
        return st.tuples(valid_dates, st.times().map(lambda value: value.strftime("%H:%M"))).map("T".join)
    if isinstance(field, forms.DateField):
        return past_dates.map(date.isoformat)
    if isinstance(field, forms.TimeField):
        return st.times().map(lambda value: value.strftime("%H:%M"))
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else 0
        high = field.max_value if field.max_value is not None else low + 50
        return st.integers(low, min(high, low + 50)).map(str)
    if isinstance(field, forms.EmailField):
        return st.from_regex(r"\A[a-z]{1,10}@[a-z]{1,10}\.org\Z")
    if initial not in (None, ""):
        return st.just(initial if isinstance(initial, list) else str(initial))
    if isinstance(field.widget, forms.MultipleHiddenInput) or getattr(field.widget, "allow_multiple_selected", False):
        return st.just([])  # several values, none chosen: a browser sends nothing
    return names if field.required else st.just("")


def _nasty(field: forms.Field) -> st.SearchStrategy:
    """Anything a person or a script could send instead."""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(st.one_of(text, number_strings), max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        return number_strings
    if isinstance(field, forms.ChoiceField):
        return text
    if isinstance(field, forms.BooleanField):
        return booleans
    if isinstance(field, forms.DateTimeField):
        return datetime_strings
    if isinstance(field, forms.DateField):
        return date_strings
    if isinstance(field, forms.TimeField):
        return time_strings
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return number_strings
    return text


def _pk(value):
    return value.pk if hasattr(value, "pk") else value


@st.composite
def submission(draw, forms_, valid: dict | None = None):
    """A post for `forms_` (unbound forms, as the view builds them; prefixes respected): a dict
    of field name to value, or list of values; files are the tests' own business. `valid` gives a
    value known to pass for some fields (by the posted name).

    Either a few fields are bad and the others valid (shrinking goes there first, down to a
    post that should succeed), or every field is anything: valid, bad or left out."""
    valid = valid or {}
    good, bad = {}, {}
    for form in forms_:
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue
            key = form.add_prefix(name)
            initial = form.get_initial_for_field(field, name)
            initial = [_pk(item) for item in initial] if isinstance(initial, list | tuple) else _pk(initial)
            good[key] = st.just(valid[key]) if key in valid else _valid(field, initial)
            bad[key] = st.one_of(_nasty(field), st.just(OMIT))
    keys = sorted(good)
    if draw(st.booleans()):
        chosen = draw(st.sets(st.sampled_from(keys), max_size=3)) if keys else set()
        values = {key: draw(bad[key] if key in chosen else good[key], label=key) for key in keys}
    else:
        values = {key: draw(st.one_of(good[key], bad[key]), label=key) for key in keys}
    # Names the form does not know, sent anyway.
    extra = draw(st.dictionaries(st.sampled_from(["id", "pk", "clinic", "next", "x\x00", "status"]), text, max_size=2))
    return {key: value for key, value in (extra | values).items() if value is not OMIT}


def query_params(names) -> st.SearchStrategy:
    """A query string's parameters for a search or list page: each name given text, a date, a
    number, or nothing."""
    value = st.one_of(text, date_strings, number_strings)
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, value))
