"""Keeps PersonName and PersonNameToken in step with the records that hold names.

Every service that creates, renames or deletes a client, alias, family member, adverse party or
walk-in calls index() or unindex() inside its transaction; bulk loaders call bulk_index().
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
    return PersonName(**values), words


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
            "clinic_id": client.clinic_id,
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
            "clinic_id": record.client.clinic_id if isinstance(record, FamilyMember) else record.clinic_id,
            "date_of_birth": record.date_of_birth,
            "a_number": record.a_number,
        }
        words = searchable_words(record.full_name)
    values |= {
        "kind": KIND_OF_MODEL[type(record)].value,
        "record_id": record.pk,
        "given_key": " ".join(given)[:200],
        "surname_key": " ".join(surnames)[:200],
    }
    return values, words


@transaction.atomic
def index(record) -> None:
    """(Re)writes the searchable name of `record` after it was created or changed."""
    unindex(record)
    bulk_index([record])


def bulk_index(records) -> None:
    entries = [entry_values(record) for record in records]
    fields = tuple(entries[0][0]) if entries else ()
    ids = bulk.insert_rows(PersonName, fields, [tuple(values[field] for field in fields) for values, _words in entries])
    bulk.insert_rows(
        PersonNameToken,
        ("person_name_id", "clinic_id", "token"),
        [(pk, values["clinic_id"], word[:60]) for pk, (values, words) in zip(ids, entries, strict=True) for word in sorted(words)],
    )


def unindex(record) -> None:
    PersonName.objects.filter(kind=KIND_OF_MODEL[type(record)], record_id=record.pk).delete()
