"""Which elements of an asylum claim the evidence must prove. Pure: no database.

The rule (../shared/domain-rules.md, section 2, "Data-model facts"):
- Identity and nationality: always (the applicant must be who the I-589 says, from where it says).
- Past harm: one element per incident recorded in the claim; each needs its own corroboration.
- Protected ground: always (INA 101(a)(42)(A): race, religion, nationality, social group, politics).
- The particular social group's three elements, only when the claim rests on a social group:
  an immutable characteristic (*Acosta*), particularity and social distinction (*M-E-V-G-*, *W-G-R-*).
- Nexus: always; the ground must be "at least one central reason" (INA 208(b)(1)(B)(i)).
- The government "unable or unwilling" to protect (*Acosta*): only when a persecutor is not the
  government, so when the persecutor is non-state, both, or not yet known.
- Well-founded fear of future harm and the lack of a safe place to relocate: always.
- The one-year deadline or its exception (INA 208(a)(2)(B)): unless filed within the year.
"""

from collections.abc import Iterable
from typing import NamedTuple

from cases.models import Claim, ClaimElement

PSG_ELEMENTS = (
    ClaimElement.PSG_IMMUTABILITY,
    ClaimElement.PSG_PARTICULARITY,
    ClaimElement.PSG_SOCIAL_DISTINCTION,
)
# A persecutor who may be someone other than the government; "" is a claim not yet assessed.
NON_STATE_PERSECUTORS = (Claim.PersecutorType.NON_STATE, Claim.PersecutorType.BOTH, "")


class ElementRow(NamedTuple):
    """One row of the evidence matrix: an element, and for past harm the incident's id."""

    element: str
    incident_id: int | None = None


def claim_elements(
    *, social_group: bool, persecutor_type: str, one_year_status: str, incident_ids: Iterable[int]
) -> list[ElementRow]:
    """The elements of the claim that need evidence, in the order a brief argues them."""
    rows = [ElementRow(ClaimElement.IDENTITY)]
    rows += [ElementRow(ClaimElement.HARM, incident_id) for incident_id in incident_ids]
    rows.append(ElementRow(ClaimElement.GROUND))
    if social_group:
        rows += [ElementRow(element) for element in PSG_ELEMENTS]
    rows.append(ElementRow(ClaimElement.NEXUS))
    if persecutor_type in NON_STATE_PERSECUTORS:
        rows.append(ElementRow(ClaimElement.PROTECTION_FAILURE))
    rows += [ElementRow(ClaimElement.FUTURE_FEAR), ElementRow(ClaimElement.RELOCATION)]
    if one_year_status != Claim.OneYear.WITHIN:
        rows.append(ElementRow(ClaimElement.ONE_YEAR))
    return rows


def elements_of_claim(claim: Claim, incident_ids: Iterable[int]) -> list[ElementRow]:
    """claim_elements() for a Claim row already loaded (reads its fields only)."""
    return claim_elements(
        social_group=claim.ground_social_group,
        persecutor_type=claim.persecutor_type,
        one_year_status=claim.one_year_status,
        incident_ids=incident_ids,
    )
