"""Reads of a case's asylum claim. The case comes from cases.access.case_for_user (scoped to the
user's clinic and need-to-know); these functions only read what hangs off it. The claim page runs
a fixed number of queries whatever the number of incidents, persecutors and bars."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.models import BarCheck, Case, CaseAssignment, Claim, HarmIncident
from clients.models import AdverseParty
from clients.triage import one_year_deadline

# One-year statuses that claim an exception needing the date of its circumstance (rule 1a).
EXCEPTIONS_WITH_A_DATE = (Claim.OneYear.CHANGED, Claim.OneYear.EXTRAORDINARY)
NON_STATE = (Claim.PersecutorType.NON_STATE, Claim.PersecutorType.BOTH)
PSG_NOTES = ("psg_immutability", "psg_particularity", "psg_social_distinction")
ELEMENT_FIELDS = ("fear_of_future_harm", "nexus", "protection_failure", "internal_relocation")
# Every claim argues these; the failure to protect only when a persecutor is not the government.
UNCONDITIONAL_ELEMENTS = ("fear_of_future_harm", "nexus", "internal_relocation")

# The model's "Both" says too little on its own on the page.
PERSECUTOR_LABELS = dict(Claim.PersecutorType.choices) | {
    "": gettext_lazy("Not yet known whether the government or someone else"),
    Claim.PersecutorType.BOTH: gettext_lazy("Both the government and others"),
}

# Each element's legal test in one line, with its source: the page shows it beside the note and
# the form as help text (../shared/domain-rules.md, section 2).
LEGAL_TESTS = {
    "psg_wording": gettext_lazy(
        'Word it exactly as it will be argued, e.g. "former municipal police officers of Ciudad Juárez who arrested '
        'cartel members".'
    ),
    "psg_immutability": gettext_lazy(
        "Matter of Acosta, 19 I&N Dec. 211 (BIA 1985): a shared characteristic members cannot change, or should not "
        "be required to, because it is fundamental to identity or conscience."
    ),
    "psg_particularity": gettext_lazy(
        "Matter of M-E-V-G-, 26 I&N Dec. 227 (BIA 2014): boundaries clear enough to say who is in the group and "
        "who is not."
    ),
    "psg_social_distinction": gettext_lazy(
        "M-E-V-G-; Matter of W-G-R-, 26 I&N Dec. 208 (BIA 2014): the society in question sees the group as "
        "distinct, whether or not it can be seen."
    ),
    "fear_of_future_harm": gettext_lazy(
        "A reasonable possibility of persecution on return (8 CFR 208.13(b)); past persecution presumes it."
    ),
    "nexus": gettext_lazy(
        "The protected ground must be at least one central reason for the harm, INA 208(b)(1)(B)(i)."
    ),
    "protection_failure": gettext_lazy(
        "For a persecutor who is not the government: it is unable or unwilling to control them (Matter of Acosta; "
        "Matter of A-B-, 28 I&N Dec. 307 (A.G. 2021), A-B- III)."
    ),
    "internal_relocation": gettext_lazy(
        "Why the client could not safely and reasonably live elsewhere in the country (8 CFR 208.13(b)(3))."
    ),
}
ELEMENT_LABELS = {
    "psg_immutability": gettext_lazy("Immutability"),
    "psg_particularity": gettext_lazy("Particularity"),
    "psg_social_distinction": gettext_lazy("Social distinction"),
    "fear_of_future_harm": gettext_lazy("Fear of future harm"),
    "nexus": gettext_lazy("Nexus"),
    "protection_failure": gettext_lazy("The government is unable or unwilling to protect"),
    "internal_relocation": gettext_lazy("Internal relocation"),
}


def with_team(case: Case) -> Case:
    """The case with its team and their users, in one query: the case header (cases.context) and
    the can-change check read them from here instead of asking the database each time."""
    prefetch_related_objects([case], Prefetch("assignments", queryset=CaseAssignment.objects.select_related("user")))
    return case


def claim_of(case: Case) -> Claim:
    return Claim.objects.get(case=case)


def principal_adverse_parties(case: Case) -> QuerySet[AdverseParty]:
    """The only adverse parties a claim may name: the principal's own."""
    return AdverseParty.objects.filter(client_id=case.client_id)


def incident_get(*, case: Case, pk: int) -> HarmIncident:
    """An incident of this case's claim, else 404."""
    return get_object_or_404(HarmIncident.objects.filter(claim__case=case), pk=pk)


def incident_initial(incident: HarmIncident) -> dict:
    """The incident as its form shows it."""
    return model_to_dict(incident, exclude=["id", "claim"])


def bar_checks(case: Case) -> QuerySet[BarCheck]:
    return BarCheck.objects.filter(claim__case=case).order_by("id")


@dataclass(frozen=True)
class Element:
    """One element of the claim as the page shows it: its legal test and the attorney's note."""

    label: str
    test: str
    note: str
    # Whether the claim needs it: an empty element the claim does not need is no warning.
    needed: bool = True


@dataclass(frozen=True)
class IncidentRow:
    incident: HarmIncident
    parties: list[AdverseParty]
    police_inaction: bool
    police_response: str


@dataclass(frozen=True)
class BarRow:
    check: BarCheck
    applies: bool
    # Applies and not (yet) rebutted or excepted: what stands between the client and a grant.
    open: bool


@dataclass(frozen=True)
class OneYear:
    status: str
    label: str
    exception_claimed: bool
    exception_date: date | None
    last_arrival: date | None
    deadline: date | None
    days_left: int | None
    filed_on: date | None

    @property
    def filed_in_time(self) -> bool:
        return bool(self.filed_on and self.deadline and self.filed_on <= self.deadline)

    @property
    def days_passed(self) -> int | None:
        return -self.days_left if self.days_left is not None else None


@dataclass(frozen=True)
class ClaimPage:
    claim: Claim
    grounds: list[str]
    ground_marks: list[tuple[bool, str]]
    psg_chosen: bool
    psg_elements: list[Element]
    elements: list[Element]
    persecutors: list[AdverseParty]
    incidents: list[IncidentRow]
    bars: list[BarRow]
    one_year: OneYear
    warnings: list[str]

    @property
    def persecutor_label(self) -> str:
        return str(PERSECUTOR_LABELS.get(self.claim.persecutor_type, self.claim.persecutor_type))

    @property
    def reported_count(self) -> int:
        return sum(row.incident.reported_to_police == HarmIncident.Reported.YES for row in self.incidents)

    @property
    def inaction_count(self) -> int:
        return sum(row.police_inaction for row in self.incidents)

    @property
    def bars_applying(self) -> list[BarRow]:
        return [row for row in self.bars if row.applies]

    @property
    def bars_open(self) -> list[BarRow]:
        return [row for row in self.bars if row.open]

    @property
    def bars_unchecked(self) -> int:
        return sum(row.check.applies == BarCheck.Answer.UNKNOWN for row in self.bars)


def claim_page(*, case: Case, today: date) -> ClaimPage:
    """Everything the claim tab shows. Six queries: the case's team, the claim, its incidents, the
    adverse parties they name, the persecutors, the bars."""
    with_team(case)
    claim = claim_of(case)
    incidents = [_incident_row(incident) for incident in _incidents(claim)]
    bars = [_bar_row(check) for check in claim.bar_checks.order_by("id")]
    one_year = one_year_of(claim, case, today)
    marks = [(getattr(claim, name), _label(name)) for name in Claim.GROUND_FIELDS]
    return ClaimPage(
        claim=claim,
        grounds=[label for chosen, label in marks if chosen],
        ground_marks=marks,
        psg_chosen=claim.ground_social_group,
        psg_elements=[_element(claim, name) for name in PSG_NOTES],
        elements=[
            _element(claim, name, needed=name != "protection_failure" or claim.persecutor_type in NON_STATE)
            for name in ELEMENT_FIELDS
        ],
        persecutors=list(claim.persecutors.order_by("id")),
        incidents=incidents,
        bars=bars,
        one_year=one_year,
        warnings=claim_warnings(claim, bars),
    )


def _label(field: str) -> str:
    return capfirst(Claim._meta.get_field(field).verbose_name)


def _element(claim: Claim, field: str, *, needed: bool = True) -> Element:
    return Element(str(ELEMENT_LABELS[field]), str(LEGAL_TESTS[field]), getattr(claim, field).strip(), needed)


def _incidents(claim: Claim) -> QuerySet[HarmIncident]:
    parties = Prefetch("perpetrator_parties", queryset=AdverseParty.objects.order_by("id"))
    return claim.incidents.prefetch_related(parties)


def _incident_row(incident: HarmIncident) -> IncidentRow:
    reported = incident.reported_to_police == HarmIncident.Reported.YES
    inaction = reported and incident.police_failed_to_act
    return IncidentRow(incident, list(incident.perpetrator_parties.all()), inaction, incident.police_response)


def _bar_row(check: BarCheck) -> BarRow:
    applies = check.applies == BarCheck.Answer.YES
    return BarRow(check, applies, applies and check.rebutted != BarCheck.Answer.YES)


def one_year_of(claim: Claim, case: Case, today: date) -> OneYear:
    """The claim's one-year status beside the deadline computed from the case's last arrival."""
    last_arrival = case.last_arrival_date
    deadline = one_year_deadline(last_arrival) if last_arrival else None
    return OneYear(
        status=claim.one_year_status,
        label=claim.get_one_year_status_display(),
        exception_claimed=claim.one_year_status in EXCEPTIONS_WITH_A_DATE,
        exception_date=claim.one_year_exception_date,
        last_arrival=last_arrival,
        deadline=deadline,
        days_left=(deadline - today).days if deadline else None,
        filed_on=case.i589_received_on,
    )


def claim_warnings(claim: Claim, bars: list[BarRow]) -> list[str]:
    """What is missing or open in the claim, in the order a brief argues it. Warnings, never blocks:
    a claim is built over weeks."""
    warnings = []
    if not any(getattr(claim, name) for name in Claim.GROUND_FIELDS):
        warnings.append(_("No protected ground is chosen yet."))
    if claim.ground_social_group:
        warnings += _psg_warnings(claim)
    warnings += _persecutor_warnings(claim)
    unwritten = [
        str(ELEMENT_LABELS[name]).lower() for name in UNCONDITIONAL_ELEMENTS if not getattr(claim, name).strip()
    ]
    if unwritten:
        warnings.append(_("Not written yet: %(elements)s.") % {"elements": "; ".join(unwritten)})
    warnings += _one_year_warnings(claim)
    warnings += _bar_warnings(bars)
    return warnings


def _psg_warnings(claim: Claim) -> list[str]:
    if not claim.psg_wording.strip():
        return [_("Membership in a particular social group is chosen, but the group is not worded yet.")]
    missing = [str(ELEMENT_LABELS[name]).lower() for name in PSG_NOTES if not getattr(claim, name).strip()]
    if missing:
        return [_("The particular social group has no note yet on: %(elements)s.") % {"elements": "; ".join(missing)}]
    return []


def _persecutor_warnings(claim: Claim) -> list[str]:
    if not claim.persecutor_type:
        return [_("Whether the persecutors are the government or not is not recorded yet.")]
    if claim.persecutor_type in NON_STATE and not claim.protection_failure.strip():
        return [
            _("A persecutor is not the government, but nothing says why the government cannot or will not protect.")
        ]
    return []


def _one_year_warnings(claim: Claim) -> list[str]:
    if claim.one_year_status == Claim.OneYear.UNKNOWN:
        return [_("The one-year deadline is not assessed yet.")]
    if claim.one_year_status in EXCEPTIONS_WITH_A_DATE and not claim.one_year_exception_date:
        return [_("An exception to the one-year deadline is claimed without the date of its circumstance.")]
    return []


def _bar_warnings(bars: list[BarRow]) -> list[str]:
    warnings = []
    open_count = sum(row.open for row in bars)
    if open_count:
        message = ngettext(
            "%(count)d bar applies and is not rebutted.", "%(count)d bars apply and are not rebutted.", open_count
        )
        warnings.append(message % {"count": open_count})
    unchecked = sum(row.check.applies == BarCheck.Answer.UNKNOWN for row in bars)
    if unchecked:
        message = ngettext("%(count)d bar is not checked yet.", "%(count)d bars are not checked yet.", unchecked)
        warnings.append(message % {"count": unchecked})
    return warnings
