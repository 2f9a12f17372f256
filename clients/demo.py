"""Demo walk-ins and clients (design.md, "Stable interfaces"). All names are invented.

The showcase client is modelled on a public 2010 news report: a 27-year-old former municipal
police officer from Ciudad Juárez who arrested cartel members, was shot in a gunfight the next
day, was sent back to work by his superiors without ammunition, and fled with his wife and two
children; a third child was born in Texas. Idempotent: records are found by name before they are
made, and today's walk-ins are moved to today each time, so the intake desk is never empty.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from clients import services
from clients.models import AdverseParty, Client, ClientAlias, ConflictCheck, WalkIn
from clinic.models import Clinic, Membership

SHOWCASE = {
    "given_names": "Javier Armando",
    "paternal_surname": "Castañeda",
    "maternal_surname": "Ruelas",
    "date_of_birth": date(1999, 3, 14),
    "sex": "M",
    "country_of_nationality": "MX",
    "country_of_birth": "MX",
    "preferred_language": "es",
    "a_number": "215448903",
    "phone": "+19155550142",
    "safe_contact_instructions": "No voicemail. Text first, in Spanish.",
    "last_entry_date": date(2025, 12, 9),
    "manner_of_entry": "port_asylum",
}
SHOWCASE_ADDRESS = {"line1": "2215 Myrtle Ave", "line2": "Apt 4", "city": "El Paso", "state": "TX", "zip_code": "79901"}
SHOWCASE_FAMILY = [
    {"relationship": "spouse", "given_names": "Daniela", "paternal_surname": "Ibarra", "maternal_surname": "Soto",
     "date_of_birth": date(2000, 8, 30), "marital_status": "married", "location": "in_us"},
    {"relationship": "child", "given_names": "Mateo", "paternal_surname": "Castañeda", "maternal_surname": "Ibarra",
     "date_of_birth": date(2019, 5, 2), "location": "in_us"},
    {"relationship": "child", "given_names": "Valeria", "paternal_surname": "Castañeda", "maternal_surname": "Ibarra",
     "date_of_birth": date(2021, 11, 20), "location": "in_us"},
    {"relationship": "child", "given_names": "Emiliano", "paternal_surname": "Castañeda", "maternal_surname": "Ibarra",
     "date_of_birth": date(2026, 9, 4), "location": "in_us", "us_citizen": True},
    {"relationship": "parent", "given_names": "Rosario", "paternal_surname": "Ruelas", "maternal_surname": "Domínguez",
     "date_of_birth": date(1968, 1, 9), "marital_status": "widowed", "location": "abroad", "country_of_residence": "MX"},
]  # fmt: skip
SHOWCASE_ADVERSE = [
    {"name": "Raúl Quintero Alanís", "role": "police", "organization": "Municipal police, Ciudad Juárez",
     "other_names": "Comandante Quintero", "notes": "Superior who ordered him back to work and refused him ammunition."},
    {"name": "Sergio Villa Mendoza", "role": "cartel", "organization": "Cartel cell in Ciudad Juárez",
     "other_names": "El Güero", "notes": "Named by the client as behind the gunfight."},
]  # fmt: skip

OTHER_CLIENTS = [
    {"given_names": "María Guadalupe", "paternal_surname": "Hernández", "maternal_surname": "Cruz",
     "date_of_birth": date(1994, 10, 3), "sex": "F", "country_of_nationality": "HN", "preferred_language": "es",
     "a_number": "208771345", "phone": "+19155550177", "last_entry_date": date(2026, 4, 18), "manner_of_entry": "ewi"},
    {"given_names": "José Luis", "paternal_surname": "Hernández", "maternal_surname": "Cruz",
     "date_of_birth": date(1991, 2, 11), "sex": "M", "country_of_nationality": "HN", "preferred_language": "es",
     "last_entry_date": date(2026, 4, 18), "manner_of_entry": "ewi"},
    {"given_names": "Wendy Marisol", "paternal_surname": "Aguilar", "maternal_surname": "",
     "date_of_birth": date(1988, 6, 21), "sex": "F", "country_of_nationality": "GT", "preferred_language": "quc",
     "other_languages": "Spanish (some)", "interpreter_needed": True, "a_number": "219004418",
     "detained": True, "detention_facility": "Otero County Processing Center"},
    {"given_names": "Yusleidy", "paternal_surname": "Pérez", "maternal_surname": "Llanes",
     "date_of_birth": date(1997, 12, 1), "sex": "F", "country_of_nationality": "CU", "preferred_language": "es",
     "last_entry_date": date(2025, 8, 2), "manner_of_entry": "parole"},
]  # fmt: skip

# (days ago, hour of arrival, data): today's queue and earlier this week.
WALK_INS = [
    (0, 9, {"given_names": "Pepe", "reason": "asylum", "referred_by": "Annunciation House"}),
    (0, 9, {"given_names": "Rosa Elvira", "paternal_surname": "Mejía", "maternal_surname": "Santos",
            "country_of_nationality": "HN", "phone": "+19155550111", "reason": "asylum", "days_since_arrival": 350}),
    (0, 10, {"given_names": "Wilmer Josué", "paternal_surname": "Ramírez", "country_of_nationality": "GT",
             "preferred_language": "mam", "reason": "detention", "detained": True,
             "reason_details": "Brother detained at Otero"}),
    (0, 10, {"given_names": "Jean-Baptiste", "paternal_surname": "Louis", "country_of_nationality": "HT",
             "preferred_language": "ht", "reason": "court", "hearing_in_days": 5}),
    (0, 11, {"given_names": "Carlos Enrique", "paternal_surname": "Duarte", "country_of_nationality": "VE",
             "reason": "court", "in_absentia_order": True, "prior_removal_order": True, "days_since_arrival": 500}),
    (0, 11, {"given_names": "Jose Luis", "paternal_surname": "Hernandes", "country_of_nationality": "HN",
             "reason": "asylum", "days_since_arrival": 220, "referred_by": "A cousin who is a client"}),
    (1, 10, {"given_names": "Ingrid", "paternal_surname": "Flores", "maternal_surname": "Bautista",
             "country_of_nationality": "SV", "reason": "asylum", "status": "screened", "days_since_arrival": 60}),
    (2, 14, {"given_names": "Ángel", "paternal_surname": "Reyes", "country_of_nationality": "MX", "reason": "work_permit",
             "status": "referred", "reason_details": "Work permit renewal only"}),
    (3, 9, {"given_names": "Lucía", "paternal_surname": "Mendoza", "maternal_surname": "Paz",
            "country_of_nationality": "NI", "reason": "asylum", "status": "consultation", "days_since_arrival": 120}),
    (3, 15, {"given_names": "Óscar", "paternal_surname": "Ventura", "country_of_nationality": "SV", "reason": "family",
             "status": "no_show"}),
]  # fmt: skip


def seed_clients(clinics: dict[str, Clinic]) -> None:
    staff = _demo_staff(clinics["las-americas-demo"])
    showcase = _client(staff["attorney"], SHOWCASE)
    if not showcase.addresses.exists():
        services.client_move(
            actor=staff["intake"], client=showcase, address=SHOWCASE_ADDRESS, moved_on=date(2026, 1, 15)
        )
    for member in SHOWCASE_FAMILY:
        _family_member(staff["attorney"], showcase, member)
    for party in SHOWCASE_ADVERSE:
        _adverse_party(staff["attorney"], showcase, party)
    _alias(staff["intake"], showcase, "Javier Castañeda", ClientAlias.Kind.SPELLING)
    others = [_client(staff["intake"], data) for data in OTHER_CLIENTS]
    _accepted_walk_in(staff["intake"], showcase, 60, "Former police officer, threatened by cartel and by his superiors")
    # The other clients came in over the last weeks too (the dashboard's walk-in history).
    for index, client in enumerate(others):
        _accepted_walk_in(staff["intake"], client, 9 + 17 * index)
    _walk_ins(staff["intake"])
    _past_walk_ins(staff["intake"])
    _second_clinic(clinics["border-rights-demo"])


def _demo_staff(clinic: Clinic) -> dict:
    memberships = Membership.objects.filter(clinic=clinic).select_related("user")
    return {membership.user.username: membership.user for membership in memberships}


def _client(actor, data: dict) -> Client:
    existing = Client.objects.filter(
        clinic__memberships__user=actor, given_names=data["given_names"], paternal_surname=data["paternal_surname"]
    ).first()
    return existing or services.client_create(actor=actor, data=data)


def _family_member(actor, client: Client, data: dict) -> None:
    if not client.family_members.filter(given_names=data["given_names"]).exists():
        services.family_member_save(actor=actor, client=client, data=data)


def _adverse_party(actor, client: Client, data: dict) -> None:
    if not AdverseParty.objects.filter(client=client, name=data["name"]).exists():
        services.adverse_party_save(actor=actor, client=client, data=data)


def _alias(actor, client: Client, name: str, kind: str) -> None:
    if not client.aliases.filter(name=name).exists():
        services.alias_add(actor=actor, client=client, kind=kind, name=name)


def _accepted_walk_in(actor, client: Client, days_ago: int, details: str = "") -> None:
    """The client came in as a walk-in `days_ago`, was checked and accepted."""
    if WalkIn.objects.filter(client=client).exists():
        return
    walk_in = services.walk_in_log(
        actor=actor,
        data={
            "given_names": client.given_names, "paternal_surname": client.paternal_surname,
            "maternal_surname": client.maternal_surname, "arrived_at": timezone.now() - timedelta(days=days_ago),
            "country_of_nationality": client.country_of_nationality or "MX", "last_arrival_date": client.last_entry_date,
            "reason": "asylum", "reason_details": details,
        },
    )  # fmt: skip
    check = ConflictCheck.objects.create(
        clinic=walk_in.clinic, walk_in=walk_in, performed_by=actor, query={"given_names": client.given_names}
    )
    services.conflict_check_decide(actor=actor, check=check, decision=ConflictCheck.Decision.CLEARED)
    WalkIn.objects.filter(pk=walk_in.pk).update(client=client, status=WalkIn.Status.ACCEPTED)


def _walk_ins(actor) -> None:
    zone = actor.membership.clinic.time_zone
    today = timezone.localdate(timezone=zone)
    for index, (days_ago, hour, spec) in enumerate(WALK_INS):
        data = dict(spec)
        status = data.pop("status", WalkIn.Status.WAITING)
        since_arrival = data.pop("days_since_arrival", None)
        hearing_in = data.pop("hearing_in_days", None)
        arrival = datetime.combine(today - timedelta(days=days_ago), time(hour, (index * 13) % 60))
        data["arrived_at"] = timezone.make_aware(arrival, zone)
        data["last_arrival_date"] = today - timedelta(days=since_arrival) if since_arrival else None
        data["next_hearing_date"] = today + timedelta(days=hearing_in) if hearing_in else None
        _walk_in(actor, data, status)


# Eleven earlier weeks of the desk, so the dashboard's 12-week chart has a history: (given names,
# surname, country, reason, how it ended), several a week.
PAST_GIVEN = ["Marvin", "Keila", "Edwin", "Yesenia", "Dilcia", "Brayan", "Maritza", "Yoel", "Nayeli", "Franklin",
              "Daniela", "Rudy", "Gladys", "Wilson", "Yaneth", "Reinaldo"]  # fmt: skip
PAST_SURNAMES = ["Orellana", "Banegas", "Chávez", "Portillo", "Maradiaga", "Coc", "Escobar", "Rodríguez", "Tzul",
                 "Mejía", "Quispe", "Alvarado", "Matute", "Ajú", "Cárcamo", "Paredes"]  # fmt: skip
PAST_COUNTRIES = ["HN", "GT", "SV", "HN", "MX", "CU", "VE", "NI"]
# Accepted walk-ins are the clients' own (a client record is what accepting makes).
PAST_OUTCOMES = [WalkIn.Status.REFERRED_OUT, WalkIn.Status.DECLINED, WalkIn.Status.NO_SHOW]


def _past_walk_ins(actor) -> None:
    zone = actor.membership.clinic.time_zone
    today = timezone.localdate(timezone=zone)
    n = 0
    for week in range(1, 12):
        for visit in range(2 + (week * 5) % 4):
            # A different person each time: the surname index shifts once per round of given names.
            given, surname = PAST_GIVEN[n % 16], PAST_SURNAMES[(n + n // 16) % 16]
            country = PAST_COUNTRIES[n % len(PAST_COUNTRIES)]
            arrival = datetime.combine(today - timedelta(weeks=week, days=visit), time(9 + visit, (n * 7) % 60))
            data = {"given_names": given, "paternal_surname": surname,
                    "country_of_nationality": country, "reason": "asylum" if n % 3 else "court",
                    "arrived_at": timezone.make_aware(arrival, zone), "last_arrival_date": None,
                    "next_hearing_date": None}  # fmt: skip
            _walk_in(actor, data, WalkIn.Status.WAITING)
            # How it ended, recorded as history (accepting today needs a conflict check first).
            WalkIn.objects.filter(
                clinic__memberships__user=actor, given_names=given, paternal_surname=data["paternal_surname"]
            ).update(status=PAST_OUTCOMES[n % len(PAST_OUTCOMES)])
            n += 1


def _walk_in(actor, data: dict, status: str) -> None:
    existing = WalkIn.objects.filter(
        clinic__memberships__user=actor,
        given_names=data["given_names"],
        paternal_surname=data.get("paternal_surname", ""),
    ).first()
    if existing is not None:
        # Keep the demo queue on today's date.
        WalkIn.objects.filter(pk=existing.pk).update(
            arrived_at=data["arrived_at"],
            last_arrival_date=data["last_arrival_date"],
            next_hearing_date=data["next_hearing_date"],
        )
        return
    walk_in = services.walk_in_log(actor=actor, data=data)
    if status == WalkIn.Status.CONSULTATION_BOOKED:
        services.walk_in_set_status(
            actor=actor, walk_in=walk_in, status=status, consultation_at=data["arrived_at"] + timedelta(days=7)
        )
    elif status != WalkIn.Status.WAITING:
        services.walk_in_set_status(actor=actor, walk_in=walk_in, status=status)


def _second_clinic(clinic: Clinic) -> None:
    """A few records in the other clinic, so that isolation can be seen (and searched for)."""
    actor = _demo_staff(clinic)["attorney2"]
    other = _client(actor, {"given_names": "Pedro", "paternal_surname": "Páramo", "maternal_surname": "Rulfo",
                            "country_of_nationality": "MX", "date_of_birth": date(1985, 5, 16), "a_number": "201116655"})  # fmt: skip
    _family_member(
        actor,
        other,
        {"relationship": "spouse", "given_names": "Susana", "paternal_surname": "San Juan", "location": "in_us"},
    )
    _walk_in(actor, {"given_names": "Abundio", "paternal_surname": "Martínez", "arrived_at": timezone.now(),
                     "last_arrival_date": None, "next_hearing_date": None}, WalkIn.Status.WAITING)  # fmt: skip
