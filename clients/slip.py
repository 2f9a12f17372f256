"""The appointment slip a walk-in takes home: the clinic, their name, when to come back and to whom,
what to bring, and that the service is free and confidential. Nothing else of what was logged: no
reason for the visit, no urgency, no conflict check (clinic.printouts draws it)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clients.models import WalkIn
from clinic.models import Clinic
from clinic.printouts import Printout, clock, long_date


def _what_to_bring() -> tuple[str, ...]:
    return (
        _("Your identity documents: passport, national identity card or birth certificate."),
        _("All your immigration papers, such as a Notice to Appear (NTA) or your I-94 record."),
        _("Every notice or letter from the immigration court, ICE or USCIS."),
        _(
            "Any evidence of the harm you suffered or fear: photos, medical or police reports, "
            "messages or letters with threats."
        ),
    )


def appointment_slip(walk_in: WalkIn, *, clinic: Clinic, language: str) -> Printout:
    """The slip of the walk-in's appointment (consultation_at, which must be set), in `language`,
    its time in the clinic's zone."""
    local = timezone.localtime(walk_in.consultation_at, clinic.time_zone)
    with translation.override(language):
        facts = [(_("Name"), walk_in.full_name), (_("Date"), long_date(local.date())), (_("Time"), clock(local))]
        if walk_in.consultation_with:
            facts.append((_("Ask for"), walk_in.consultation_with))
        return Printout(
            language=language,
            organisation=clinic.name,
            title=_("Your appointment"),
            intro=_("Please come back on the day and at the time below, and bring this paper with you."),
            facts=tuple(facts),
            lists=((_("Bring with you"), _what_to_bring()),),
            notes=(_("Bring the originals, and copies if you have them. If you do not have a document, come anyway."),),
            callout=_("Our services are free. What you tell us is confidential."),
            callout_kind="info",
        )


def slip_filename(walk_in: WalkIn, language: str) -> str:
    """No name in it: downloads folders are not confidential."""
    return f"appointment-{walk_in.pk}-{language}.pdf"
