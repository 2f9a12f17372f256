"""The hearing notice summary given to a client: their name, the hearing in plain words, when (in the
court's zone: the client goes to the court, wherever the clinic is), where, the judge if recorded,
what to bring, to arrive early, and what missing it means. Nothing of the claim, the incidents, the
evidence, the hearing's notes or result (clinic.printouts draws it)."""

from django.utils import translation
from django.utils.translation import gettext as _

from cases import hearing_times
from cases.models import Hearing
from clinic.models import Clinic
from clinic.printouts import Printout, clock, long_date

Kind, Medium = Hearing.Kind, Hearing.Medium
# Not in domain-rules.md: the statute that lets a judge order removal when the person does not come.
IN_ABSENTIA = "INA § 240(b)(5)"


def _kind_in_plain_words(kind: str) -> str:
    return {
        Kind.MASTER: _("A short hearing with the immigration judge (master calendar hearing)"),
        Kind.INDIVIDUAL: _("Your final hearing: the judge hears your case and decides (individual hearing)"),
        Kind.CUSTODY: _("Bond hearing: the judge decides whether you can be released from detention"),
        Kind.INTERVIEW: _("Asylum interview with an asylum officer"),
    }[kind]


def _how(medium: str) -> str:
    return {
        Medium.IN_PERSON: _("In person"),
        Medium.VIDEO: _("By video"),
        Medium.TELEPHONE: _("By telephone"),
    }[medium]


def _where(hearing: Hearing) -> list[tuple[str, str]]:
    if hearing.kind == Kind.INTERVIEW or hearing.court is None:
        return [(_("Place"), hearing.location or _("On the notice you received"))]
    court = hearing.court
    rows = [
        (_("Court"), _("%(name)s Immigration Court") % {"name": court.name}),
        (_("Address"), court.address or _("On the notice the court sent you")),
    ]
    if hearing.location:
        rows.append((_("Room or place"), hearing.location))
    return rows


def _what_to_bring(hearing: Hearing) -> tuple[str, ...]:
    if hearing.kind == Kind.INTERVIEW:
        return (
            _("This paper and the interview notice from USCIS."),
            _("Your passport and identity documents."),
            _("The originals of the documents sent with your application, with their translations."),
            _("An interpreter, if you do not speak English well."),
            _("Your spouse and children who are included in your application."),
        )
    return (
        _("This paper and the hearing notice from the court."),
        _("Your identity documents and all your immigration papers (Notice to Appear, I-94, court notices)."),
        _("Any document your attorney asked you to bring."),
    )


def _warning(hearing: Hearing) -> str:
    if hearing.kind == Kind.INTERVIEW:
        return _(
            "If you miss your interview without a good reason, your asylum application can be dismissed or "
            "sent to an immigration judge. If you cannot go, tell your legal team right away."
        )
    return _(
        "If you miss your hearing, the judge can order your removal (deportation) in your absence, "
        "“in absentia” (%(law)s). If you cannot go, tell your legal team right away."
    ) % {"law": IN_ABSENTIA}


def hearing_notice(hearing: Hearing, *, client, clinic: Clinic, language: str) -> Printout:
    """The notice of `hearing` for `client` (the case's principal), in `language`."""
    local = hearing_times.in_zone(hearing.starts_at, hearing.time_zone)
    interview = hearing.kind == Kind.INTERVIEW
    with translation.override(language):
        when = {"time": clock(local), "zone": local.tzname()}
        facts = [
            (_("Name"), client.full_name),
            (_("Interview") if interview else _("Hearing"), _kind_in_plain_words(hearing.kind)),
            (_("Date"), long_date(local.date())),
            (_("Time"), _("%(time)s %(zone)s, local time") % when),
            *_where(hearing),
        ]
        if hearing.judge and not interview:
            facts.append((_("Immigration judge"), hearing.judge))
        facts.append((_("How"), _how(hearing.medium)))
        return Printout(
            language=language,
            organisation=clinic.name,
            title=_("Your asylum interview") if interview else _("Your hearing"),
            intro=_("A reminder from your legal team. The official notice is the one from USCIS.")
            if interview
            else _("A reminder from your legal team. The official notice is the one from the court."),
            facts=tuple(facts),
            lists=((_("Bring with you"), _what_to_bring(hearing)),),
            notes=(_("Arrive at least 30 minutes early: there is a security check at the entrance."),),
            callout=_warning(hearing),
            callout_kind="warning",
            closing=(_("Dates can change. If you receive a new notice, bring it to the clinic right away."),),
        )


def notice_filename(hearing: Hearing, language: str) -> str:
    """The case number and the day; never the client's name."""
    day = hearing_times.local_day(hearing.starts_at, hearing.time_zone)
    return f"{hearing.case.number}-hearing-{day.isoformat()}-{language}.pdf"
