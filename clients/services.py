"""Every write of walk-ins, clients and their people. Keyword-only, atomic, audited, and each one
keeps the name index (clients.name_index) in step.

Audit entries name records by number ("Client 42"), never by the person's name, and list which
fields changed, not their values: the log itself should not become a second copy of client data.
"""

from dataclasses import asdict
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import name_index, names
from clients.access import require_client_access, require_restricted_access, sees_restricted
from clients.identifiers import normalize_a_number
from clients.models import AdverseParty, Client, ClientAddress, ClientAlias, ConflictCheck, FamilyMember, WalkIn
from clinic.audit import audit_record, audit_record_many
from clinic.models import AuditEvent

Action = AuditEvent.Action


class DuplicateANumberError(ValidationError):
    """The A-number belongs to a client already: point to them instead of making a second record."""

    def __init__(self, existing: Client):
        self.existing = existing
        super().__init__({"a_number": _("A client with this A-number already exists.")}, code="duplicate_a_number")


def _label(record) -> str:
    return f"{type(record).__name__} {record.pk}"


def _audit(actor, action: str, record, summary: str = "", changed: list[str] | None = None, request=None) -> None:
    audit_record(
        action=action,
        actor=actor,
        obj=record,
        object_label=_label(record),
        summary=summary,
        changes={"fields": changed} if changed else None,
        request=request,
    )


def _apply(record, data: dict) -> list[str]:
    """Sets the fields in `data` on `record`; returns the names of those whose value changed."""
    changed = [field for field, value in data.items() if getattr(record, field) != value]
    for field in changed:
        setattr(record, field, data[field])
    return changed


# Walk-ins


@transaction.atomic
def walk_in_log(*, actor, data: dict, request=None) -> WalkIn:
    membership = require_client_access(actor)
    walk_in = WalkIn(clinic=membership.clinic, created_by=actor, handled_by=actor, **data)
    walk_in.full_clean()
    walk_in.save()
    name_index.index(walk_in)
    _audit(actor, Action.CREATE, walk_in, "Logged a walk-in", request=request)
    return walk_in


@transaction.atomic
def walk_in_update(*, actor, walk_in: WalkIn, data: dict, request=None) -> WalkIn:
    require_client_access(actor)
    changed = _apply(walk_in, data)
    if not changed:
        return walk_in
    walk_in.full_clean()
    walk_in.save(update_fields=[*changed, "updated_at"])
    name_index.index(walk_in)
    _audit(actor, Action.UPDATE, walk_in, changed=changed, request=request)
    return walk_in


@transaction.atomic
def walk_in_set_status(
    *, actor, walk_in: WalkIn, status: str, consultation_at: datetime | None = None, request=None
) -> WalkIn:
    require_client_access(actor)
    if walk_in.status == WalkIn.Status.ACCEPTED:
        raise ValidationError(_("This walk-in is already a client; their status cannot change."))
    if status == WalkIn.Status.ACCEPTED:
        raise ValidationError(_("Use “Accept as client”: it needs a recorded conflict check."))
    if status == WalkIn.Status.CONSULTATION_BOOKED and consultation_at is None:
        raise ValidationError({"consultation_at": _("Give the date and time of the consultation.")})
    walk_in.status = status
    walk_in.consultation_at = (
        consultation_at if status == WalkIn.Status.CONSULTATION_BOOKED else walk_in.consultation_at
    )
    walk_in.handled_by = actor
    walk_in.save(update_fields=["status", "consultation_at", "handled_by", "updated_at"])
    _audit(actor, Action.UPDATE, walk_in, f"Status: {status}", request=request)
    return walk_in


# A return appointment further ahead than this is a mistyped year.
APPOINTMENT_DAYS_AHEAD = 366
# A walk-in in one of these is done with: reopen it (its status) before booking them again.
NO_APPOINTMENT_STATUSES = (WalkIn.Status.ACCEPTED, WalkIn.Status.REFERRED_OUT, WalkIn.Status.DECLINED)


@transaction.atomic
def walk_in_set_appointment(*, actor, walk_in: WalkIn, at: datetime, with_whom: str = "", request=None) -> WalkIn:
    """Sets or moves the walk-in's return appointment (printed on their slip, clients.slip): the
    walk-in is then "consultation booked". Refused, with nothing written, for a time already past,
    and for a walk-in accepted, referred out or declined."""
    require_client_access(actor)
    if walk_in.status in NO_APPOINTMENT_STATUSES:
        raise ValidationError(
            _("This walk-in is “%(status)s”: change the status before booking an appointment.")
            % {"status": walk_in.get_status_display()}
        )
    now = timezone.now()
    if at <= now:
        raise ValidationError({"consultation_at": _("This date and time have passed: choose a time still to come.")})
    if at > now + timedelta(days=APPOINTMENT_DAYS_AHEAD):
        raise ValidationError({"consultation_at": _("This is more than a year ahead: check the year.")})
    data = {"consultation_at": at, "consultation_with": with_whom.strip(), "status": WalkIn.Status.CONSULTATION_BOOKED}
    changed = _apply(walk_in, data)
    if not changed:
        return walk_in
    walk_in.handled_by = actor
    walk_in.full_clean()
    walk_in.save(update_fields=[*changed, "handled_by", "updated_at"])
    _audit(actor, Action.UPDATE, walk_in, "Appointment set", changed=changed, request=request)
    return walk_in


@transaction.atomic
def walk_in_accept(*, actor, walk_in: WalkIn, request=None) -> Client:
    """Turns a walk-in into a client, carrying over what was logged. Needs a conflict check,
    recorded as cleared or waived, and an A-number that no client has yet."""
    require_client_access(actor)
    # Two clicks make one client.
    walk_in = WalkIn.objects.select_for_update().get(clinic=walk_in.clinic_id, pk=walk_in.pk)
    if walk_in.client_id:
        raise ValidationError(_("This walk-in is already a client."))
    latest = walk_in.conflict_checks.order_by("-performed_at", "-id").first()
    if latest is None or not latest.allows_acceptance:
        raise ValidationError(_("Record a conflict check as cleared or waived before accepting this walk-in."))
    client = client_create(actor=actor, data=_client_data_from(walk_in), request=request)
    walk_in.client = client
    walk_in.status = WalkIn.Status.ACCEPTED
    walk_in.handled_by = actor
    walk_in.save(update_fields=["client", "status", "handled_by", "updated_at"])
    name_index.index(walk_in)
    _audit(actor, Action.UPDATE, walk_in, f"Accepted as {_label(client)}", request=request)
    return client


def _client_data_from(walk_in: WalkIn) -> dict:
    fields = ("given_names", "paternal_surname", "maternal_surname", "phone", "preferred_language")
    fields += ("country_of_nationality", "date_of_birth", "a_number", "detained")
    return {field: getattr(walk_in, field) for field in fields} | {"last_entry_date": walk_in.last_arrival_date}


# Conflict checks


@transaction.atomic
def conflict_check_run(
    *, actor, walk_in: WalkIn | None = None, query: dict | None = None, request=None
) -> ConflictCheck:
    """Searches the clinic's people for the walk-in (or the typed `query`: given_names,
    paternal_surname, maternal_surname, date_of_birth, a_number) and records what was found."""
    from clients.conflict_search import find_conflicts

    membership = require_client_access(actor)
    query = _walk_in_query(walk_in) if walk_in is not None else _clean_query(query or {})
    words = names.tokens(f"{query['given_names']} {query['paternal_surname']} {query['maternal_surname']}")
    if len(words) < 2 and not query["a_number"]:
        raise ValidationError(_("Enter a given name and a surname, or an A-number, to run a conflict check."))
    matches = find_conflicts(
        clinic_id=membership.clinic_id,
        given_names=query["given_names"],
        paternal_surname=query["paternal_surname"],
        maternal_surname=query["maternal_surname"],
        date_of_birth=date.fromisoformat(query["date_of_birth"]) if query["date_of_birth"] else None,
        a_number=query["a_number"] or None,
        exclude=[("walk_in", walk_in.pk)] if walk_in is not None else [],
    )
    check = ConflictCheck.objects.create(
        clinic=membership.clinic,
        walk_in=walk_in,
        performed_by=actor,
        query=query,
        results=[asdict(match) | {"reasons": list(match.reasons)} for match in matches],
    )
    _audit(actor, Action.VIEW, check, f"Conflict check: {len(matches)} possible matches", request=request)
    return check


def _walk_in_query(walk_in: WalkIn) -> dict:
    return {
        "given_names": walk_in.given_names,
        "paternal_surname": walk_in.paternal_surname,
        "maternal_surname": walk_in.maternal_surname,
        "date_of_birth": walk_in.date_of_birth.isoformat() if walk_in.date_of_birth else "",
        "a_number": walk_in.a_number or "",
    }


def _clean_query(query: dict) -> dict:
    dob = query.get("date_of_birth")
    a_number = (query.get("a_number") or "").strip()
    return {
        "given_names": (query.get("given_names") or "").strip(),
        "paternal_surname": (query.get("paternal_surname") or "").strip(),
        "maternal_surname": (query.get("maternal_surname") or "").strip(),
        "date_of_birth": dob.isoformat() if dob else "",
        "a_number": normalize_a_number(a_number) if a_number else "",
    }


@transaction.atomic
def conflict_check_decide(*, actor, check: ConflictCheck, decision: str, note: str = "", request=None) -> ConflictCheck:
    membership = require_client_access(actor)
    check = ConflictCheck.objects.select_for_update().get(pk=check.pk, clinic=membership.clinic)
    if check.decision:
        raise ValidationError(_("This check was decided already. Run a new check to decide again."))
    if decision == ConflictCheck.Decision.WAIVED:
        # Waiving a conflict is a lawyer's judgment, with the clients' informed consent (ABA Rule 1.7).
        require_restricted_access(actor)
        if not note.strip():
            raise ValidationError({"decision_note": _("Say why the conflict is waived and how consent was given.")})
    check.decision, check.decision_note = decision, note.strip()
    check.decided_by, check.decided_at = actor, timezone.now()
    check.full_clean()
    check.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    _audit(actor, Action.UPDATE, check, f"Conflict check decided: {decision}", request=request)
    return check


# Clients


def _check_a_number_free(client: Client) -> None:
    if not client.a_number:
        return
    existing = Client.objects.filter(clinic_id=client.clinic_id, a_number=client.a_number).exclude(pk=client.pk).first()
    if existing is not None:
        raise DuplicateANumberError(existing)


def _set_sort_name(client: Client) -> None:
    client.sort_name = names.sort_key(client.given_names, client.paternal_surname, client.maternal_surname)


@transaction.atomic
def client_create(*, actor, data: dict, address: dict | None = None, aliases: list[str] = (), request=None) -> Client:
    membership = require_client_access(actor)
    client = Client(clinic=membership.clinic, created_by=actor, **data)
    _set_sort_name(client)
    _check_a_number_free(client)
    client.full_clean()
    client.save()
    if address:
        _add_address(actor, client, address, moved_in_on=address.pop("moved_in_on", None))
    for alias in aliases:
        if alias.strip():
            ClientAlias.objects.create(client=client, name=alias.strip())
    name_index.bulk_index([client, *client.aliases.all()])
    _audit(actor, Action.CREATE, client, "Added a client", request=request)
    return client


BULK_BATCH_SIZE = 500


@transaction.atomic
def clients_create_many(*, actor, rows: list[tuple[dict, list[str]]], progress=None) -> list[Client]:
    """Adds many clients at once (a spreadsheet import): the checks of client_create, written in
    batches. All or nothing. An error carries `row_index`, the position in `rows` it is about.
    `progress(done, total)` is called after each batch."""
    membership = require_client_access(actor)
    created = []
    for start in range(0, len(rows), BULK_BATCH_SIZE):
        try:
            created += _create_batch(membership, actor, rows[start : start + BULK_BATCH_SIZE], start)
        except ValidationError as exc:
            if not hasattr(exc, "row_index"):
                exc.row_index = start
            raise
        if progress is not None:
            progress(len(created), len(rows))
    return created


def _create_batch(membership, actor, batch: list[tuple[dict, list[str]]], start: int) -> list[Client]:
    clients = [_new_client(membership, actor, data) for data, _aliases in batch]
    _check_a_numbers_free(membership.clinic_id, clients, first_index=start)
    Client.objects.bulk_create(clients)
    aliases = [
        ClientAlias(client=client, name=alias.strip())
        for client, (_data, names_of) in zip(clients, batch, strict=True)
        for alias in names_of
        if alias.strip()
    ]
    ClientAlias.objects.bulk_create(aliases)
    name_index.bulk_index([*clients, *aliases])
    audit_record_many(action=Action.CREATE, actor=actor, objects=clients, summary="Added a client (spreadsheet import)")
    return clients


def _new_client(membership, actor, data: dict) -> Client:
    # No full_clean here: every row was cleaned by the import's form (clients.imports), and
    # cleaning 10,000 clients twice costs more than writing them. The database still enforces
    # the A-number format and its uniqueness.
    client = Client(clinic=membership.clinic, created_by=actor, **data)
    _set_sort_name(client)
    return client


def _check_a_numbers_free(clinic_id: int, clients: list[Client], first_index: int) -> None:
    """One query for a whole batch: no A-number may belong to a client already."""
    wanted = {client.a_number: offset for offset, client in enumerate(clients) if client.a_number}
    existing = Client.objects.filter(clinic_id=clinic_id, a_number__in=wanted).first()
    if existing is not None:
        error = DuplicateANumberError(existing)
        error.row_index = first_index + wanted[existing.a_number]
        raise error


@transaction.atomic
def client_update(*, actor, client: Client, data: dict, request=None) -> Client:
    require_client_access(actor)
    changed = _apply(client, data)
    if not changed:
        return client
    _set_sort_name(client)
    _check_a_number_free(client)
    client.full_clean()
    client.save(update_fields=[*changed, "sort_name", "updated_at"])
    # Aliases carry the client's birth date and A-number in the index.
    for record in (client, *client.aliases.all()):
        name_index.index(record)
    _audit(actor, Action.UPDATE, client, changed=changed, request=request)
    return client


def _add_address(actor, client: Client, address: dict, moved_in_on: date | None) -> ClientAddress:
    row = ClientAddress(client=client, created_by=actor, moved_in_on=moved_in_on, **address)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def client_move(*, actor, client: Client, address: dict, moved_on: date, request=None) -> ClientAddress:
    """Records a new US address from `moved_on`; the current one ends that day and stays in the history."""
    require_client_access(actor)
    current = client.addresses.select_for_update().filter(moved_out_on__isnull=True).first()
    if current is not None:
        if current.moved_in_on and moved_on < current.moved_in_on:
            raise ValidationError(
                {"moved_on": _("The move cannot be before the client moved into the current address.")}
            )
        current.moved_out_on = moved_on
        current.save(update_fields=["moved_out_on"])
    new = _add_address(actor, client, address, moved_in_on=moved_on)
    _audit(actor, Action.UPDATE, client, "New address", changed=["address"], request=request)
    # A move during a defensive case starts the change-of-address deadline (EOIR-33).
    from cases.deadline_services import sync_case_deadlines

    for case in client.cases.open():
        sync_case_deadlines(case=case, actor=actor, request=request)
    return new


@transaction.atomic
def alias_add(*, actor, client: Client, kind: str, name: str, request=None) -> ClientAlias:
    require_client_access(actor)
    alias = ClientAlias(client=client, kind=kind, name=name.strip())
    alias.full_clean()
    alias.save()
    name_index.index(alias)
    _audit(actor, Action.CREATE, alias, f"Alias for {_label(client)}", request=request)
    return alias


@transaction.atomic
def alias_remove(*, actor, alias: ClientAlias, request=None) -> None:
    require_client_access(actor)
    name_index.unindex(alias)
    _audit(actor, Action.DELETE, alias, f"Alias of {_label(alias.client)}", request=request)
    alias.delete()


@transaction.atomic
def family_member_save(
    *, actor, client: Client, data: dict, member: FamilyMember | None = None, request=None
) -> FamilyMember:
    """Adds a family member to `client`, or changes one of theirs. Only the client's own family:
    a member of another client's family cannot be attached here."""
    membership = require_client_access(actor)
    if member is not None and member.client_id != client.pk:
        raise ValidationError(_("This person is not in this client's family."))
    _require_restricted_for_abroad(membership, member, data)
    creating = member is None
    member = member or FamilyMember(client=client)
    changed = _apply(member, data)
    member.full_clean()
    member.save()
    name_index.index(member)
    _audit(actor, Action.CREATE if creating else Action.UPDATE, member, f"Family of {_label(client)}", changed, request)
    return member


def _require_restricted_for_abroad(membership, member: FamilyMember | None, data: dict) -> None:
    abroad = FamilyMember.Location.ABROAD
    abroad_now_or_before = data.get("location") == abroad or (member is not None and member.location == abroad)
    if abroad_now_or_before and not sees_restricted(membership):
        raise ValidationError(_("Only attorneys and supervisors record family members who are abroad."))


@transaction.atomic
def family_member_remove(*, actor, member: FamilyMember, request=None) -> None:
    membership = require_client_access(actor)
    _require_restricted_for_abroad(membership, member, {})
    name_index.unindex(member)
    _audit(actor, Action.DELETE, member, f"Family of {_label(member.client)}", request=request)
    member.delete()


@transaction.atomic
def adverse_party_save(
    *, actor, client: Client, data: dict, party: AdverseParty | None = None, request=None
) -> AdverseParty:
    require_restricted_access(actor)
    if party is not None and party.client_id != client.pk:
        raise ValidationError(_("This adverse party belongs to another client."))
    creating = party is None
    party = party or AdverseParty(client=client)
    changed = _apply(party, data)
    party.full_clean()
    party.save()
    name_index.index(party)
    _audit(
        actor,
        Action.CREATE if creating else Action.UPDATE,
        party,
        f"Adverse party of {_label(client)}",
        changed,
        request,
    )
    return party


@transaction.atomic
def adverse_party_remove(*, actor, party: AdverseParty, request=None) -> None:
    require_restricted_access(actor)
    name_index.unindex(party)
    _audit(actor, Action.DELETE, party, f"Adverse party of {_label(party.client)}", request=request)
    party.delete()


def client_viewed(*, actor, client: Client, request=None) -> None:
    """Every look at a client record is on the record (8 CFR 208.6)."""
    _audit(actor, Action.VIEW, client, request=request)


def walk_in_viewed(*, actor, walk_in: WalkIn, request=None) -> None:
    """A walk-in's page shows the person and their conflict checks' matches: a look is on the record."""
    _audit(actor, Action.VIEW, walk_in, request=request)


def walk_in_slip_printed(*, actor, walk_in: WalkIn, language: str, file_format: str, request=None) -> None:
    """A slip carries the person's name and appointment: each print is on the record, with its language."""
    _audit(actor, Action.PRINT, walk_in, f"Appointment slip printed ({file_format}, {language})", request=request)


def conflict_check_viewed(*, actor, check: ConflictCheck, request=None) -> None:
    """The check's page names the clients and adverse parties it matched: a look is on the record."""
    _audit(actor, Action.VIEW, check, request=request)
