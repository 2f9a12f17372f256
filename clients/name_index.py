"""Keeps PersonName and PersonNameToken in step with the records that hold names.

Every service that creates, renames or deletes a client, alias, family member, adverse party or
walk-in calls index() or unindex() inside its transaction; bulk loaders call bulk_index(), or
index_rows() to copy the rows on a connection of their own (clients.scale).
"""

from django.db import transaction

from clients import bulk, names
from clients.models import AdverseParty, Client, ClientAlias, FamilyMember, PersonName, PersonNameToken, WalkIn

Kind = PersonName.Kind
KIND_OF_MODEL = {
    Client: Kind.CLIENT,
    WalkIn: Kind.WALK_IN,
    FamilyMember: Kind.FAMILY_MEMBER,
    ClientAlias: Kind.ALIAS,
    AdverseParty: Kind.ADVERSE_PARTY,
}


def searchable_words(text: str) -> set[str]:
    """The words a name can be found by: its tokens and, for nicknames, the names they stand for."""
    words = set()
    for word in names.tokens(text):
        words.update(names.canonical_forms(word))
    return words


def entry_for(record) -> tuple[PersonName, set[str]]:
    """The PersonName row of a record and the words it can be found by."""
    values, words = entry_values(record)
    return PersonName(**{field: values[field] for field in NAME_FIELDS}), words


def entry_values(record) -> tuple[dict, set[str]]:
    """The field values of the PersonName row of a record, and the words it can be found by."""
    if isinstance(record, ClientAlias | AdverseParty):
        client = record.client
        given, surnames = names.split_full_name(record.name)
        is_alias = isinstance(record, ClientAlias)
        extra = "" if is_alias else record.other_names
        values = {
            "full_name": record.name.strip(),
            "client_id": client.pk,
            "clinic_id": clinic_id_of(record),
            # An alias is the client under another name: same birth date and A-number.
            "date_of_birth": client.date_of_birth if is_alias else None,
            "a_number": client.a_number if is_alias else None,
        }
        words = searchable_words(f"{record.name} {extra.replace(';', ' ')}")
    else:
        given = names.tokens(record.given_names)
        surnames = names.tokens(f"{record.paternal_surname} {record.maternal_surname}")
        values = {
            "full_name": record.full_name,
            "client_id": record.pk if isinstance(record, Client) else record.client_id,
            "clinic_id": clinic_id_of(record),
            "date_of_birth": record.date_of_birth,
            "a_number": record.a_number,
        }
        words = searchable_words(record.full_name)
    values |= _search_owner(record) | {
        "kind": KIND_OF_MODEL[type(record)].value,
        "record_id": record.pk,
        "given_key": " ".join(given)[:200],
        "surname_key": " ".join(surnames)[:200],
    }
    return values, words


def clinic_id_of(record) -> int:
    return record.clinic_id if isinstance(record, Client | WalkIn) else record.client.clinic_id


def _search_owner(record) -> dict:
    """The client whose search finds this name (their own name or an alias), for the word rows."""
    if isinstance(record, Client):
        return {"search_client_id": record.pk, "client_sort_name": record.sort_name}
    if isinstance(record, ClientAlias):
        return {"search_client_id": record.client_id, "client_sort_name": record.client.sort_name}
    return {"search_client_id": None, "client_sort_name": ""}


@transaction.atomic
def index(record) -> None:
    """(Re)writes the searchable name of `record` after it was created or changed."""
    unindex(record)
    bulk_index([record])


NAME_FIELDS = (
    "kind", "record_id", "client_id", "clinic_id", "full_name", "given_key", "surname_key", "date_of_birth", "a_number",
)  # fmt: skip
TOKEN_FIELDS = ("person_name_id", "clinic_id", "token", "search_client_id", "client_sort_name")


def bulk_index(records) -> None:
    """Writes the searchable names of new records (COPY on PostgreSQL for large batches)."""
    entries = [entry_values(record) for record in records]
    ids = bulk.insert_rows(PersonName, NAME_FIELDS, [_name_row(values) for values, _words in entries])
    bulk.insert_rows(PersonNameToken, TOKEN_FIELDS, _token_rows(ids, entries), ids=False)


def index_rows(records) -> list[bulk.Rows]:
    """What bulk_index writes, as COPY rows (PostgreSQL), for a loader that copies them on
    another connection. The records must have their ids."""
    entries = [entry_values(record) for record in records]
    name_rows = bulk.value_rows(PersonName, NAME_FIELDS, [_name_row(values) for values, _words in entries])
    token_rows = bulk.value_rows(PersonNameToken, TOKEN_FIELDS, _token_rows(name_rows.ids, entries), ids=False)
    return [name_rows, token_rows]


def _name_row(values: dict) -> tuple:
    return tuple(values[field] for field in NAME_FIELDS)


def _token_rows(ids: list[int], entries: list[tuple[dict, set[str]]]) -> list[tuple]:
    rows = [
        (pk, values["clinic_id"], word[:60], values["search_client_id"], values["client_sort_name"])
        for pk, (values, words) in zip(ids, entries, strict=True)
        for word in words
    ]
    # In word order: the database inserts into its word indexes a quarter faster.
    return sorted(rows, key=lambda row: (row[2], row[0]))


def unindex(record) -> None:
    PersonName.objects.filter(
        clinic=clinic_id_of(record), kind=KIND_OF_MODEL[type(record)], record_id=record.pk
    ).delete()
