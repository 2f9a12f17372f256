"""Who can be a derivative on the principal's I-589. Pure functions, no database.

domain-rules.md section 2 (uscis.gov, "What about my spouse and children"): the spouse and
unmarried children under 21 who are in the United States. Children who marry or turn 21 file
their own I-589. Withholding and CAT have no derivatives.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from cases.dates import add_years

SPOUSE, CHILD = "spouse", "child"
MARRIED = "married"
IN_US = "in_us"


@dataclass(frozen=True)
class DerivativeStatus:
    eligible: bool
    reason: str
    age_out_date: date | None = None


def age_out_date(date_of_birth: date | None) -> date | None:
    """A child's 21st birthday: the day they can no longer be a derivative."""
    return add_years(date_of_birth, 21) if date_of_birth else None


def derivative_status(
    *, relationship: str, marital_status: str, location: str, date_of_birth: date | None, today: date
) -> DerivativeStatus:
    if relationship not in (SPOUSE, CHILD):
        return DerivativeStatus(False, _("Only a spouse or a child can be a derivative."))
    if location != IN_US:
        return DerivativeStatus(False, _("Not in the US: can follow later through an I-730."))
    if relationship == SPOUSE:
        return DerivativeStatus(True, _("Spouse in the US."))
    turns_21 = age_out_date(date_of_birth)
    if marital_status == MARRIED:
        return DerivativeStatus(False, _("Married child: files their own I-589."), turns_21)
    if turns_21 is None:
        return DerivativeStatus(True, _("Unmarried child in the US; add the date of birth to check the age."))
    if today >= turns_21:
        return DerivativeStatus(False, _("21 or older: files their own I-589."), turns_21)
    return DerivativeStatus(True, _("Unmarried child under 21 in the US."), turns_21)
