"""Reads of a case's evidence, always through cases.access (evidence is confidential: attorneys and
supervisors only). Each page's reads are a fixed number of queries, whatever the number of items."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cases.access import case_for_user
from cases.claim_elements import ElementRow, elements_of_claim
from cases.exhibits import ExhibitList, exhibit_letter, number_exhibits
from cases.models import Case, Claim, ClaimElement, Evidence, EvidenceLink, HarmIncident


def evidence_case(*, actor, pk: int, write: bool = False) -> Case:
    """The case whose evidence `actor` may see (404 / 403 as cases.access says); `write` to change it."""
    return case_for_user(actor=actor, pk=pk, confidential=True, write=write)


def evidence_get(*, actor, case_pk: int, pk: int, write: bool = False) -> Evidence:
    case = evidence_case(actor=actor, pk=case_pk, write=write)
    evidence = get_object_or_404(Evidence.objects.filter(case=case), pk=pk)
    evidence.case = case
    return evidence


def claim_and_incidents(case: Case) -> tuple[Claim, list[HarmIncident]]:
    """Two queries. A case always has its claim (case_open makes it); an empty one stands in otherwise."""
    claim = Claim.objects.filter(case=case).first() or Claim(case=case)
    incidents = list(claim.incidents.all()) if claim.pk else []
    return claim, incidents


def incident_label(incident: HarmIncident) -> str:
    if incident.occurred_on:
        when = date_format(incident.occurred_on, "j M Y")
        if incident.date_is_approximate:
            when = _("about %(date)s") % {"date": when}
    else:
        when = _("date unknown")
    parts = [when, incident.place, Truncator(incident.description).chars(60)]
    return ", ".join(part for part in parts if part)


def element_label(element: str, incident: HarmIncident | None = None) -> str:
    if element == ClaimElement.HARM and incident is not None:
        return _("Past harm: %(incident)s") % {"incident": incident_label(incident)}
    return str(ClaimElement(element).label)


def _lettered(evidence: Evidence) -> Evidence:
    # Services keep exhibit positions 1..n without gaps, so the position gives the letter.
    evidence.exhibit_letter = exhibit_letter(evidence.exhibit_position) if evidence.exhibit_position else ""
    return evidence


def evidence_list(*, case: Case) -> list[Evidence]:
    """The case's documents, newest first, each with its links (and their labels). Two queries."""
    links = Prefetch("links", queryset=EvidenceLink.objects.select_related("incident").order_by("element", "id"))
    items = list(Evidence.objects.filter(case=case).prefetch_related(links).order_by("-uploaded_at", "-id"))
    for item in items:
        _lettered(item)
        for link in item.links.all():
            link.label = element_label(link.element, link.incident)
    return items


@dataclass
class MatrixRow:
    element: str
    label: str
    incident: HarmIncident | None
    # For past harm, which incident: its date, place and the start of its description.
    detail: str = ""
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        return not self.evidence


@dataclass
class EvidenceMatrix:
    rows: list[MatrixRow]
    has_incidents: bool

    @property
    def gaps(self) -> int:
        return sum(row.gap for row in self.rows)

    @property
    def covered(self) -> int:
        return len(self.rows) - self.gaps


def evidence_matrix(*, case: Case) -> EvidenceMatrix:
    """Every element the claim must prove (cases.claim_elements) with the evidence linked to it.
    Three queries: the claim, its incidents, the links with their evidence."""
    claim, incidents = claim_and_incidents(case)
    by_id = {incident.pk: incident for incident in incidents}
    linked: dict[ElementRow, list[Evidence]] = defaultdict(list)
    links = (
        EvidenceLink.objects.filter(evidence__case=case)
        .select_related("evidence")
        .order_by("evidence__exhibit_position", "evidence__uploaded_at", "evidence_id")
    )
    for link in links:
        linked[ElementRow(link.element, link.incident_id)].append(_lettered(link.evidence))
    rows = [
        _matrix_row(claim, row, by_id.get(row.incident_id), linked) for row in elements_of_claim(claim, list(by_id))
    ]
    return EvidenceMatrix(rows, bool(incidents))


def _matrix_row(claim: Claim, row: ElementRow, incident: HarmIncident | None, linked: dict) -> MatrixRow:
    evidence = linked.get(row, [])
    if incident is not None:
        return MatrixRow(row.element, _("Past harm"), incident, incident_label(incident), evidence)
    return MatrixRow(row.element, element_label(row.element), None, _element_detail(claim, row.element), evidence)


def _element_detail(claim: Claim, element: str) -> str:
    """What the claim says about the element, as a reminder of what the evidence has to show."""
    if element == ClaimElement.GROUND:
        grounds = [
            str(Claim._meta.get_field(name).verbose_name) for name in Claim.GROUND_FIELDS if getattr(claim, name)
        ]
        return ", ".join(grounds).capitalize() or _("No ground chosen in the claim yet")
    if element == ClaimElement.PROTECTION_FAILURE:
        return claim.get_persecutor_type_display() or _("Persecutor not yet identified")
    if element == ClaimElement.ONE_YEAR:
        return claim.get_one_year_status_display()
    return ""


def exhibit_documents(*, case: Case) -> tuple[ExhibitList, list[Evidence]]:
    """The exhibits in order, lettered and paginated, and the documents not on the list. One query."""
    documents = [
        _lettered(item)
        for item in Evidence.objects.filter(case=case).order_by("exhibit_position", "-uploaded_at", "-id")
    ]
    exhibits = [item for item in documents if item.exhibit_position]
    others = [item for item in documents if not item.exhibit_position]
    return number_exhibits(exhibits), others
