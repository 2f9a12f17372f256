"""Every write of a case's asylum claim: its fields, persecutors, harm incidents and bars.
Keyword-only, atomic, allowed only to those who may change the case, and audited by case number
with the names of the fields that changed, never the narrative itself (8 CFR 208.6)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import require_change
from cases.claim_selectors import (
    EXCEPTIONS_WITH_A_DATE,
    claim_of,
    principal_adverse_parties,
)
from cases.models import BarCheck, Case, Claim, HarmIncident
from cases.services import audit_case
from clinic.models import AuditEvent

Action = AuditEvent.Action

# The claim's own fields an attorney edits; persecutors (a relation) have their own service.
CLAIM_FIELDS = (
    *Claim.GROUND_FIELDS,
    "psg_wording", "psg_immutability", "psg_particularity", "psg_social_distinction",
    "fear_of_future_harm", "nexus", "protection_failure", "internal_relocation",
    "one_year_status", "one_year_exception_date", "one_year_note",
)  # fmt: skip
INCIDENT_FIELDS = (
    "occurred_on", "date_is_approximate", "place", "description", "perpetrators", "reported_to_police",
    "police_response", "police_failed_to_act",
)  # fmt: skip
BAR_FIELDS = ("applies", "rebutted", "note")


def _apply(record, data: dict) -> list[str]:
    """Sets the fields in `data` on `record`; returns the names of those whose value changed."""
    changed = [field for field, value in data.items() if getattr(record, field) != value]
    for field in changed:
        setattr(record, field, data[field])
    return changed


def _strip(data: dict) -> dict:
    return {field: value.strip() if isinstance(value, str) else value for field, value in data.items()}


def claim_viewed(*, actor, case: Case, claim: Claim, request=None) -> None:
    """Every look at a claim is on the record: its narratives are the most confidential part of a case."""
    audit_case(actor, Action.VIEW, case, "Claim viewed", request=request, obj=claim)


@transaction.atomic
def claim_update(*, actor, case: Case, data: dict, request=None) -> Claim:
    """Changes any of the claim's grounds, social group, elements and one-year fields in `data`."""
    require_change(actor, case)
    unknown = set(data) - set(CLAIM_FIELDS)
    if unknown:
        raise ValueError(f"Not claim fields: {sorted(unknown)}")
    claim = Claim.objects.select_for_update().get(case=case)
    changed = _apply(claim, _strip(data))
    _check_one_year(claim)
    if changed:
        claim.full_clean()
        claim.save(update_fields=[*changed, "updated_at"])
        audit_case(actor, Action.UPDATE, case, "Claim changed", changed, request, obj=claim)
    return claim


def _check_one_year(claim: Claim) -> None:
    """Rule 1a: a changed or extraordinary circumstance is dated, because the I-589 must follow it
    within a "reasonable period" (8 CFR 208.4(a)(4)-(5))."""
    day = claim.one_year_exception_date
    if claim.one_year_status in EXCEPTIONS_WITH_A_DATE and day is None:
        raise ValidationError(
            {"one_year_exception_date": _("Give the date of the circumstance: the exception is measured from it.")}
        )
    if day and day > timezone.localdate():
        raise ValidationError({"one_year_exception_date": _("The circumstance cannot be in the future.")})


@transaction.atomic
def claim_set_persecutors(*, actor, case: Case, persecutor_type: str, persecutors, request=None) -> Claim:
    """Who persecuted the client: the government, someone else or both, and which of the
    principal's adverse parties. Anyone else's adverse party is refused."""
    require_change(actor, case)
    claim = Claim.objects.select_for_update().get(case=case)
    parties = _principals_parties(case, persecutors, field="persecutors")
    changed = _apply(claim, {"persecutor_type": persecutor_type})
    if {party.pk for party in parties} != set(claim.persecutors.values_list("pk", flat=True)):
        claim.persecutors.set(parties)
        changed.append("persecutors")
    if changed:
        claim.full_clean()
        claim.save(update_fields=["persecutor_type", "updated_at"])
        audit_case(actor, Action.UPDATE, case, "Claim changed", changed, request, obj=claim)
    return claim


def _principals_parties(case: Case, parties, *, field: str) -> list:
    parties = list(parties)
    own = set(principal_adverse_parties(case).values_list("pk", flat=True))
    if any(party.pk not in own for party in parties):
        raise ValidationError({field: _("Only the principal's own adverse parties can be named here.")})
    return parties


@transaction.atomic
def incident_save(
    *,
    actor,
    case: Case,
    data: dict,
    perpetrator_parties=(),
    police_failed_to_act: bool = False,
    incident: HarmIncident | None = None,
    request=None,
) -> HarmIncident:
    """Adds a harm incident to the claim, or changes `incident`. `police_failed_to_act` says the
    incident was reported and the police did nothing: the heart of a failure-to-protect argument."""
    require_change(actor, case)
    if incident is not None and incident.claim.case_id != case.pk:
        raise ValidationError(_("This incident belongs to another case."))
    data = _strip(data)
    _check_incident(data, police_failed_to_act)
    parties = _principals_parties(case, perpetrator_parties, field="perpetrator_parties")
    creating = incident is None
    incident = incident or HarmIncident(claim=claim_of(case))
    data["police_failed_to_act"] = police_failed_to_act
    changed = _apply(incident, {field: data[field] for field in INCIDENT_FIELDS if field in data})
    if creating or changed:
        incident.full_clean()
        incident.save(update_fields=None if creating else changed)
    if _set_parties(incident, parties, creating):
        changed.append("perpetrator_parties")
    _audit_incident(actor, case, incident, creating, changed, request)
    return incident


def _check_incident(data: dict, police_failed_to_act: bool) -> None:
    if not data.get("description"):
        raise ValidationError({"description": _("Say what happened.")})
    day = data.get("occurred_on")
    if day and day > timezone.localdate():
        raise ValidationError({"occurred_on": _("An incident cannot be in the future.")})
    if police_failed_to_act and data.get("reported_to_police") != HarmIncident.Reported.YES:
        raise ValidationError(
            {"police_failed_to_act": _("Only an incident reported to the police can be left unanswered by them.")}
        )


def _set_parties(incident: HarmIncident, parties: list, creating: bool) -> bool:
    if not creating and {party.pk for party in parties} == set(
        incident.perpetrator_parties.values_list("pk", flat=True)
    ):
        return False
    incident.perpetrator_parties.set(parties)
    return True


def _audit_incident(actor, case: Case, incident: HarmIncident, creating: bool, changed: list[str], request) -> None:
    if creating:
        audit_case(actor, Action.CREATE, case, "Harm incident added", request=request, obj=incident)
    elif changed:
        audit_case(actor, Action.UPDATE, case, "Harm incident changed", changed, request, obj=incident)


@transaction.atomic
def incident_remove(*, actor, incident: HarmIncident, request=None) -> None:
    case = incident.claim.case
    require_change(actor, case)
    audit_case(actor, Action.DELETE, case, "Harm incident removed", request=request, obj=incident)
    incident.delete()


@transaction.atomic
def bar_checks_update(*, actor, case: Case, answers: dict[int, dict], request=None) -> list[str]:
    """Records, for each bar of the claim (by BarCheck id), whether it applies, whether it is
    rebutted or excepted, and a note. Returns what changed, as "bar.field"."""
    require_change(actor, case)
    checks = {check.pk: check for check in BarCheck.objects.select_for_update().filter(claim__case=case)}
    if not set(answers) <= set(checks):
        raise ValidationError(_("Only the bars of this claim can be checked here."))
    changed = []
    for pk, data in answers.items():
        check = checks[pk]
        fields = _apply(check, _strip({field: data[field] for field in BAR_FIELDS if field in data}))
        if fields:
            check.full_clean()
            check.save(update_fields=fields)
            changed += [f"{check.bar}.{field}" for field in fields]
    if changed:
        audit_case(actor, Action.UPDATE, case, "Bars checked", changed, request)
    return changed
