"""Cases and the asylum claim, element by element, with evidence, hearings and outcomes.

Domain facts with sources: ../shared/domain-rules.md (section 2 for the claim, hearings and outcomes).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField

from cases.deadline_rules import Counting, Direction, RuleSpec, Trigger
from clients.models import AdverseParty, Client, FamilyMember, Language
from clinic.models import Clinic
from clinic.scoping import ClinicScopedManager, ClinicScopedQuerySet
from clinic.urls_fast import record_url


class Court(models.Model):
    """An immigration court, by its EOIR base-city code (domain-rules.md section 2, Appendix N of
    the EOIR Policy Manual). A table that can be updated: codes are retired and added."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    state = models.CharField(_("state"), max_length=2, blank=True)
    time_zone = TimeZoneField(_("time zone"))
    detained = models.BooleanField(_("detained docket"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Codes no longer in use still appear in old records and EOIR data (WAS, LOW, PIS...).
    retired = models.BooleanField(_("retired code"), default=False)

    class Meta:
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CaseQuerySet(ClinicScopedQuerySet):
    def open(self):
        return self.exclude(status=Case.Status.CLOSED)


class CaseStatus(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    PREPARING = "preparing", _("Preparing the application")
    FILED = "filed", _("Filed")
    AWAITING = "awaiting", _("Awaiting interview or hearing")
    DECIDED = "decided", _("Decided")
    ON_APPEAL = "on_appeal", _("On appeal")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    class Process(models.TextChoices):
        AFFIRMATIVE = "affirmative", _("Affirmative (USCIS asylum office)")
        DEFENSIVE = "defensive", _("Defensive (immigration court)")

    Status = CaseStatus

    class RepresentationScope(models.TextChoices):
        ALL = "all", _("All proceedings")
        CUSTODY_ONLY = "custody", _("Custody and bond only")
        ALL_BUT_CUSTODY = "all_but_custody", _("All but custody and bond")

    class Funding(models.TextChoices):
        LSC = "lsc", _("LSC grant")
        IOLTA = "iolta", _("IOLTA")
        FOUNDATION = "foundation", _("Foundation grant")
        GOVERNMENT = "government", _("State or local government")
        PRO_BONO = "pro_bono", _("Pro bono (no funder)")
        OTHER = "other", _("Other")

    class Eligibility(models.TextChoices):
        # 45 CFR 1626: LSC money may serve citizens and "eligible aliens" only (domain-rules.md s. 3).
        LSC_ELIGIBLE = "lsc_eligible", _("Eligible for LSC-funded help")
        ABUSE_TRAFFICKING = "abuse_trafficking", _("Eligible under the abuse or trafficking exception")
        NOT_LSC = "not_lsc", _("Not LSC-eligible: other funds only")

    class Outcome(models.TextChoices):
        """How the proceeding ended (EOIR DEC_CODE / OTHER_COMP; domain-rules.md section 2)."""

        GRANTED_ASYLUM = "granted_asylum", _("Asylum granted")
        GRANTED_WITHHOLDING = "granted_withholding", _("Withholding of removal granted")
        GRANTED_CAT_WITHHOLDING = "granted_cat_withholding", _("CAT withholding granted")
        GRANTED_CAT_DEFERRAL = "granted_cat_deferral", _("CAT deferral granted")
        DENIED_REMOVAL = "denied_removal_ordered", _("Denied, removal ordered")
        VOLUNTARY_DEPARTURE = "voluntary_departure", _("Voluntary departure")
        REMOVAL_IN_ABSENTIA = "removal_in_absentia", _("Removal ordered in absentia")
        TERMINATED = "terminated", _("Terminated")
        DISMISSED = "dismissed", _("Dismissed")
        ADMIN_CLOSED = "admin_closed", _("Administratively closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ABANDONED = "abandoned", _("Abandoned")
        USCIS_GRANTED = "uscis_granted", _("Granted by USCIS")
        REFERRED_TO_IJ = "referred_to_ij", _("Referred to the immigration court")
        USCIS_DENIED = "uscis_denied", _("Denied by USCIS (NOID)")
        OTHER = "other", _("Other")

    class Appeal(models.TextChoices):
        RESERVED = "reserved", _("Appeal reserved")
        WAIVED = "waived", _("Appeal waived")

    class ClosingReason(models.TextChoices):
        """LSC case-closing categories (CSR Handbook 2017; domain-rules.md section 3)."""

        COUNSEL_ADVICE = "A", _("A: Counsel and advice")
        LIMITED_ACTION = "B", _("B: Limited action")
        NEGOTIATED = "F", _("F: Negotiated settlement without litigation")
        NEGOTIATED_LITIGATION = "G", _("G: Negotiated settlement with litigation")
        AGENCY_DECISION = "H", _("H: Administrative agency decision")
        COURT_DECISION = "I", _("I: Court decision")
        EXTENSIVE_SERVICE = "L", _("L: Extensive service")
        OTHER = "K", _("K: Other")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("case number"), max_length=20)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases", verbose_name=_("principal"))
    included_family = models.ManyToManyField(
        FamilyMember, blank=True, related_name="cases", verbose_name=_("family members on the application")
    )
    process = models.CharField(_("process"), max_length=12, choices=Process.choices)
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("court")
    )
    asylum_office = models.CharField(_("asylum office"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONSULTATION)
    last_arrival_date = models.DateField(_("last arrival in the US"), null=True, blank=True)
    nta_served_on = models.DateField(_("NTA served on"), null=True, blank=True)
    i589_received_on = models.DateField(_("I-589 received on"), null=True, blank=True)
    eoir28_filed_on = models.DateField(_("EOIR-28 filed on"), null=True, blank=True)
    eoir28_scope = models.CharField(_("EOIR-28 scope"), max_length=16, choices=RepresentationScope.choices, blank=True)
    g28_filed_on = models.DateField(_("G-28 filed on"), null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=12, choices=Funding.choices, blank=True)
    eligibility_basis = models.CharField(_("eligibility basis"), max_length=20, choices=Eligibility.choices, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(_("closing reason"), max_length=1, choices=ClosingReason.choices, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when a case was closed with deadlines still open: who confirmed it.
    closed_with_open_deadlines = models.BooleanField(default=False)
    outcome = models.CharField(_("outcome of the proceeding"), max_length=24, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("decided on"), null=True, blank=True)
    in_absentia = models.BooleanField(_("decided in absentia"), default=False)
    appeal = models.CharField(_("appeal"), max_length=8, choices=Appeal.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "number"], name="cases_case_number_unique"),
            models.UniqueConstraint(fields=["clinic", "year", "sequence"], name="cases_case_sequence_unique"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="cases_case_closed_after_opened",
            ),
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="cases_case_status_valid"),
        ]
        indexes = [
            # The case list, newest first, and its filters by status and court.
            models.Index(fields=["clinic", "-opened_on", "-sequence"], name="cases_case_list"),
            models.Index(fields=["clinic", "status"], name="cases_case_status"),
            # The open cases before one court, in the list's order: a court's page of the list
            # and its count read this index alone, not every case the court ever had (with an
            # attorney's filter as well, 16 ms -> 6 ms of SQL at 120,000 cases, bench.py).
            models.Index(
                fields=["clinic", "court", "-opened_on", "-sequence"],
                include=["id"],
                condition=~Q(status="closed"),
                name="cases_case_open_by_court",
            ),
            # The dashboard's one-year risk: open cases without an I-589, per client, and the
            # clients with one filed on any case (include= is PostgreSQL's, ignored elsewhere).
            models.Index(
                fields=["clinic", "client"],
                include=["last_arrival_date", "number"],
                condition=Q(i589_received_on__isnull=True) & ~Q(status="closed"),
                name="cases_case_open_unfiled",
            ),
            models.Index(fields=["client"], condition=Q(i589_received_on__isnull=False), name="cases_case_i589_filed"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        # Cheap on a list of 50 rows: reversed once per process (clinic.urls_fast).
        return record_url("cases:case-detail", self.pk)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseAssignment(models.Model):
    """Who works on a case. One lead; attorneys see the cases they are assigned to."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead attorney")
        TEAM = "team", _("On the team")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField(_("role"), max_length=4, choices=Role.choices, default=Role.TEAM)
    assigned_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["role", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_assignment_no_duplicates"),
            models.UniqueConstraint(fields=["case"], condition=Q(role="lead"), name="cases_assignment_one_lead"),
        ]
        indexes = [
            # "My cases": the cases a user is on.
            models.Index(fields=["user", "case"], name="cases_assignment_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.case}"


class ReliefApplication(models.Model):
    """One form of relief asked for on the case, with its own decision (EOIR APPL_DEC)."""

    class Kind(models.TextChoices):
        ASYLUM = "asylum", _("Asylum")
        WITHHOLDING = "withholding", _("Withholding of removal (INA 241(b)(3))")
        CAT = "cat", _("Convention Against Torture")

    class Decision(models.TextChoices):
        GRANTED = "granted", _("Granted")
        CONDITIONAL = "conditional", _("Conditionally granted")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ABANDONED = "abandoned", _("Abandoned")
        NOT_ADJUDICATED = "not_adjudicated", _("Not adjudicated")
        RESERVED = "reserved", _("Decision reserved")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relief_applications")
    kind = models.CharField(_("relief"), max_length=12, choices=Kind.choices)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="cases_relief_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case})"


class Claim(models.Model):
    """The asylum claim of a case: the protected grounds, the particular social group, the
    persecutors, nexus, the government's failure to protect, relocation, the one-year rule."""

    class PersecutorType(models.TextChoices):
        STATE = "state", _("The government (state actor)")
        NON_STATE = "non_state", _("Not the government (non-state actor)")
        BOTH = "both", _("Both")

    class OneYear(models.TextChoices):
        WITHIN = "within", _("Filed within one year of the last arrival")
        CHANGED = "changed", _("Exception: changed circumstances")
        EXTRAORDINARY = "extraordinary", _("Exception: extraordinary circumstances")
        CHILD = "child", _("Exception: unaccompanied child")
        LATE = "late", _("Late, no exception: withholding and CAT only")
        UNKNOWN = "unknown", _("Not yet assessed")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="claim")
    ground_race = models.BooleanField(_("race"), default=False)
    ground_religion = models.BooleanField(_("religion"), default=False)
    ground_nationality = models.BooleanField(_("nationality"), default=False)
    ground_social_group = models.BooleanField(_("membership in a particular social group"), default=False)
    ground_political_opinion = models.BooleanField(_("political opinion"), default=False)
    psg_wording = models.TextField(_("particular social group, exact wording"), blank=True)
    psg_immutability = models.TextField(_("immutable characteristic (Acosta)"), blank=True)
    psg_particularity = models.TextField(_("particularity (M-E-V-G-)"), blank=True)
    psg_social_distinction = models.TextField(_("social distinction (M-E-V-G-, W-G-R-)"), blank=True)
    persecutor_type = models.CharField(_("persecutor"), max_length=10, choices=PersecutorType.choices, blank=True)
    persecutors = models.ManyToManyField(AdverseParty, blank=True, related_name="claims")
    fear_of_future_harm = models.TextField(_("fear of future harm"), blank=True)
    nexus = models.TextField(_("nexus: why the ground is one central reason"), blank=True)
    protection_failure = models.TextField(_("government unable or unwilling to protect"), blank=True)
    internal_relocation = models.TextField(_("internal relocation"), blank=True)
    one_year_status = models.CharField(
        _("one-year deadline"), max_length=14, choices=OneYear.choices, default=OneYear.UNKNOWN
    )
    one_year_exception_date = models.DateField(
        _("date of the changed or extraordinary circumstance"), null=True, blank=True
    )
    one_year_note = models.TextField(_("one-year note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    GROUND_FIELDS = (
        "ground_race",
        "ground_religion",
        "ground_nationality",
        "ground_social_group",
        "ground_political_opinion",
    )

    objects = ClinicScopedManager()

    def __str__(self) -> str:
        return f"Claim of {self.case}"


class HarmIncident(models.Model):
    """One thing that happened to the client: the facts of past persecution."""

    class Reported(models.TextChoices):
        YES = "yes", _("Reported to the police")
        NO = "no", _("Not reported")
        UNKNOWN = "unknown", _("Not known")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="incidents")
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    date_is_approximate = models.BooleanField(_("the date is approximate"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("what happened"))
    perpetrators = models.CharField(_("by whom"), max_length=300, blank=True)
    perpetrator_parties = models.ManyToManyField(AdverseParty, blank=True, related_name="incidents")
    reported_to_police = models.CharField(_("police"), max_length=8, choices=Reported.choices, default=Reported.UNKNOWN)
    police_response = models.TextField(_("what the police did"), blank=True)
    # Reported, and the police did nothing: the heart of a failure-to-protect argument.
    police_failed_to_act = models.BooleanField(_("the police took no action"), default=False)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.occurred_on or '?'} {self.place}"


class BarCheck(models.Model):
    """One bar to asylum or regulatory presumption, checked for the case (domain-rules.md s. 2)."""

    class Bar(models.TextChoices):
        ONE_YEAR = "one_year", _("One-year filing deadline (INA 208(a)(2)(B))")
        SAFE_THIRD_COUNTRY = "safe_third_country", _("Safe third country agreement (INA 208(a)(2)(A))")
        PREVIOUS_DENIAL = "previous_denial", _("Previous asylum denial (INA 208(a)(2)(C))")
        PERSECUTOR = "persecutor", _("Persecutor of others (INA 208(b)(2)(A)(i))")
        SERIOUS_CRIME = "serious_crime", _("Particularly serious crime (INA 208(b)(2)(A)(ii))")
        NONPOLITICAL_CRIME = "nonpolitical_crime", _("Serious nonpolitical crime abroad (INA 208(b)(2)(A)(iii))")
        SECURITY = "security", _("Danger to US security (INA 208(b)(2)(A)(iv))")
        TERRORISM = "terrorism", _("Terrorism (INA 208(b)(2)(A)(v))")
        FIRM_RESETTLEMENT = "firm_resettlement", _("Firm resettlement (INA 208(b)(2)(A)(vi))")
        LAWFUL_PATHWAYS = "lawful_pathways", _("Circumvention of Lawful Pathways presumption (8 CFR 208.33)")
        SECURING_BORDER = "securing_border", _("Securing the Border rule (from 5 Jun 2024)")

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Not yet known")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="bar_checks")
    bar = models.CharField(_("bar"), max_length=20, choices=Bar.choices)
    applies = models.CharField(_("applies?"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN)
    rebutted = models.CharField(
        _("rebutted or excepted?"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    note = models.TextField(_("note"), blank=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["claim", "bar"], name="cases_barcheck_one_per_bar")]

    def __str__(self) -> str:
        return self.get_bar_display()


class ClaimElement(models.TextChoices):
    """What the evidence must prove, element by element (domain-rules.md section 2). A link to
    HARM names the incident it supports."""

    IDENTITY = "identity", _("Identity and nationality")
    HARM = "harm", _("Past harm: an incident")
    GROUND = "ground", _("Protected ground")
    PSG_IMMUTABILITY = "psg_immutability", _("Social group: immutable characteristic")
    PSG_PARTICULARITY = "psg_particularity", _("Social group: particularity")
    PSG_SOCIAL_DISTINCTION = "psg_social_distinction", _("Social group: social distinction")
    NEXUS = "nexus", _("Nexus: one central reason")
    PROTECTION_FAILURE = "protection_failure", _("Government unable or unwilling to protect")
    FUTURE_FEAR = "future_fear", _("Well-founded fear of future harm")
    RELOCATION = "relocation", _("No safe internal relocation")
    ONE_YEAR = "one_year", _("One-year deadline or its exception")


def evidence_upload_path(evidence: "Evidence", filename: str) -> str:
    # Never the uploader's file name: it may hold a client's name. A random one, per clinic.
    import uuid

    return f"evidence/{evidence.case.clinic_id}/{evidence.case_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Category(models.TextChoices):
        DECLARATION = "declaration", _("Declaration")
        IDENTITY = "identity", _("Identity document")
        MEDICAL = "medical", _("Medical record")
        POLICE = "police", _("Police record")
        COUNTRY_CONDITIONS = "country_conditions", _("Country conditions")
        EXPERT = "expert", _("Expert report")
        NEWS = "news", _("News article")
        WITNESS = "witness", _("Witness statement")
        OTHER = "other", _("Other")

    class Translation(models.TextChoices):
        NOT_NEEDED = "not_needed", _("In English: none needed")
        NEEDED = "needed", _("Translation needed")
        IN_PROGRESS = "in_progress", _("Being translated")
        DONE = "done", _("Translated")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("description"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    language = models.CharField(
        _("language of the document"), max_length=10, choices=Language.choices, default=Language.SPANISH
    )
    translation = models.CharField(
        _("translation"), max_length=12, choices=Translation.choices, default=Translation.NEEDED
    )
    translator_certificate = models.BooleanField(_("translator's certificate attached"), default=False)
    file = models.FileField(upload_to=evidence_upload_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # Position in the exhibit list (1 = Exhibit A); null while the document is not an exhibit.
    exhibit_position = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["exhibit_position", "uploaded_at", "id"]
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "exhibit_position"],
                condition=Q(exhibit_position__isnull=False),
                name="cases_evidence_one_exhibit_per_position",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceLink(models.Model):
    """What one piece of evidence supports: a claim element (and, for past harm, the incident)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="links")
    element = models.CharField(_("element"), max_length=24, choices=ClaimElement.choices)
    incident = models.ForeignKey(
        HarmIncident, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_links"
    )

    objects = ClinicScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evidence", "element", "incident"], name="cases_evidencelink_unique"),
            models.UniqueConstraint(
                fields=["evidence", "element"],
                condition=Q(incident__isnull=True),
                name="cases_evidencelink_unique_no_incident",
            ),
            models.CheckConstraint(
                condition=Q(element="harm", incident__isnull=False) | (~Q(element="harm") & Q(incident__isnull=True)),
                name="cases_evidencelink_incident_only_for_harm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence} → {self.get_element_display()}"


def hearing_local_day() -> Cast:
    """A hearing's day in its own zone, in SQL: `(starts_at AT TIME ZONE time_zone)::date`, as
    cases.hearing_times.local_day works it out in Python. The month calendar counts and ranks each
    day's hearings by it (cases.hearing_selectors.calendar_firsts). A hearing saved without a zone
    has no day (NULL), rather than making PostgreSQL refuse the row for the index's sake."""
    zone = NullIf(F("time_zone"), Value(""))
    at_zone = Func(zone, F("starts_at"), function="timezone", output_field=models.DateTimeField())
    return Cast(at_zone, models.DateField())


class Hearing(models.Model):
    """A hearing in immigration court or an interview at the asylum office. Times are stored in
    UTC and shown in the court's (or office's) time zone."""

    class Kind(models.TextChoices):
        MASTER = "master", _("Master calendar hearing")
        INDIVIDUAL = "individual", _("Individual (merits) hearing")
        CUSTODY = "custody", _("Custody or bond hearing")
        INTERVIEW = "interview", _("Asylum office interview")

    class Medium(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")
        TELEPHONE = "telephone", _("Telephone")

    class Result(models.TextChoices):
        HELD = "held", _("Held")
        ADJOURNED = "adjourned", _("Adjourned")
        CANCELLED = "cancelled", _("Cancelled")
        DECIDED = "decided", _("Decided")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, null=True, blank=True, related_name="hearings", verbose_name=_("court")
    )
    location = models.CharField(_("asylum office or place"), max_length=200, blank=True)
    # The zone the time was given in (the court's, or the asylum office's): shown in it.
    time_zone = TimeZoneField(_("time zone"))
    judge = models.CharField(_("immigration judge"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    medium = models.CharField(_("how"), max_length=10, choices=Medium.choices, default=Medium.IN_PERSON)
    interpreter_language = models.CharField(_("interpreter"), max_length=10, choices=Language.choices, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    adjournment_reason = models.CharField(_("adjournment reason"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")), name="cases_hearing_ends_after_start"
            ),
        ]
        indexes = [
            # The calendars and "hearings in the next 7 / 30 days".
            models.Index(fields=["starts_at"], name="cases_hearing_by_time"),
            # The month calendar: a month of the clinic's hearings read from the index alone, each
            # day's already in the order the day lists them (cases.hearing_selectors.calendar_firsts).
            models.Index(
                hearing_local_day(), "starts_at", "id", include=["time_zone", "case"], name="cases_hearing_by_local_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("note"))
    privileged = models.BooleanField(
        _("privileged"), default=False, help_text=_("Attorney-client privileged or work product.")
    )

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.case} by {self.author}"


class CaseNumberCounter(models.Model):
    """The last case number given in a clinic and year; taken with SELECT ... FOR UPDATE."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    objects = ClinicScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "year"], name="cases_counter_one_per_year")]

    def __str__(self) -> str:
        return f"{self.clinic} {self.year}: {self.last}"


class DeadlineRule(models.Model):
    """A deadline rule by its code (cases/deadline_rules.py, domain-rules.md section 1). Its
    arithmetic lives in versions, each in force from an effective date; history is never edited."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    trigger = models.CharField(_("trigger"), max_length=24, choices=Trigger.CHOICES)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class DeadlineRuleVersion(models.Model):
    """The rule's arithmetic from `effective_from` (blank: since before any version recorded).
    Added, never changed: a court that changes a default gets a new version, and deadlines of
    earlier triggers keep the version they were computed with."""

    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="versions")
    effective_from = models.DateField(_("in force for triggers from"), null=True, blank=True)
    offset = models.PositiveSmallIntegerField(_("offset"))
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.CHOICES, default=Direction.AFTER)
    counting = models.CharField(_("counting"), max_length=16, choices=Counting.CHOICES, default=Counting.CALENDAR_DAYS)
    roll_forward = models.BooleanField(_("weekend or holiday moves it to the next business day"), default=True)
    adds_clock_stops = models.BooleanField(_("days the clock was stopped are added"), default=False)
    lead_days = models.JSONField(_("reminder lead times (days before)"), default=list)
    citation = models.CharField(_("citation"), max_length=200)
    source_url = models.URLField(_("source"), max_length=300, blank=True)
    source_note = models.TextField(_("source note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rule", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "effective_from"],
                condition=Q(effective_from__isnull=False),
                name="cases_ruleversion_one_per_date",
            ),
            models.UniqueConstraint(
                fields=["rule"], condition=Q(effective_from__isnull=True), name="cases_ruleversion_one_original"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} from {self.effective_from or 'the start'}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise RuleHistoryError("A rule version is never changed; add a new version with a later effective date.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuleHistoryError("A rule version is never deleted; deadlines were computed with it.")

    def spec(self) -> RuleSpec:
        return RuleSpec(
            code=self.rule.code,
            title=self.rule.title,
            trigger=self.rule.trigger,
            offset=self.offset,
            direction=self.direction,
            counting=self.counting,
            roll_forward=self.roll_forward,
            adds_clock_stops=self.adds_clock_stops,
            lead_days=tuple(self.lead_days),
            citation=self.citation,
            effective_from=self.effective_from,
            source_url=self.source_url,
            source_note=self.source_note,
        )


class RuleHistoryError(Exception):
    pass


class ClinicLeadTime(models.Model):
    """A clinic's own reminder lead times for a rule, set by a supervisor; without a row the
    rule version's lead times apply."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="lead_times")
    rule = models.ForeignKey(DeadlineRule, on_delete=models.CASCADE, related_name="+")
    lead_days = models.JSONField(_("reminder lead times (days before)"), default=list)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    objects = ClinicScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "rule"], name="cases_leadtime_one_per_rule")]

    def __str__(self) -> str:
        return f"{self.rule} {self.lead_days}"


class CaseEventKind(models.TextChoices):
    FILING_RECEIVED = Trigger.FILING_RECEIVED, _("Filing received from the other party")
    IJ_DECISION = Trigger.IJ_DECISION, _("Immigration judge's decision")
    FINAL_ORDER = Trigger.FINAL_ORDER, _("Final administrative order")
    BRIEFING_SCHEDULE = Trigger.BRIEFING_SCHEDULE, _("BIA briefing schedule issued")
    BIA_ORDER = Trigger.BIA_ORDER, _("BIA order")
    FOIA_RECEIVED = Trigger.FOIA_RECEIVED, _("FOIA request received by the agency")
    RFE_RECEIVED = Trigger.RFE_RECEIVED, _("Request for evidence or NOID received")


class CaseEvent(models.Model):
    """Something that happened in the case and starts deadlines: a decision, an order, a
    filing received, a FOIA request, a request for evidence. Arrival, I-589 receipt, hearings
    and moves are triggers too; they live on their own records."""

    Kind = CaseEventKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=24, choices=Kind.choices)
    occurred_on = models.DateField(_("on"))
    # A request for evidence states its own response date.
    response_due_on = models.DateField(_("response due on (from the notice)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CaseEventKind.values), name="cases_event_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=Trigger.RFE_RECEIVED) | Q(response_due_on__isnull=False),
                name="cases_event_rfe_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class ClockStop(models.Model):
    """A period the asylum EAD clock did not run: a delay the applicant caused (8 CFR 208.7(a)(2))."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clock_stops")
    stopped_on = models.DateField(_("clock stopped on"))
    resumed_on = models.DateField(_("clock resumed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["stopped_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=F("stopped_on")),
                name="cases_clockstop_resumes_after_stop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stopped_on} to {self.resumed_on or 'now'}"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived")
    # The trigger was removed or no longer applies (hearing cancelled, I-589 filed, decision deleted).
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Deadline(models.Model):
    """Something due on a case by a date: computed from a rule and its trigger, set by the
    judge's own scheduling order, or entered by hand."""

    Status = DeadlineStatus

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    title = models.CharField(_("what is due"), max_length=200)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Computed deadlines: the rule version used, what triggered it (a stable key such as
    # "hearing:12" so a changed trigger finds its deadlines), and why the date is what it is.
    rule_version = models.ForeignKey(
        DeadlineRuleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines"
    )
    trigger_key = models.CharField(max_length=40, blank=True)
    trigger_on = models.DateField(null=True, blank=True)
    computed_due_on = models.DateField(_("date by the rule"), null=True, blank=True)
    explanation = models.TextField(blank=True)
    citation = models.CharField(_("citation"), max_length=200, blank=True)
    # The judge's scheduling order overrides the rule's default (ICPM 3.1(b)).
    judge_ordered = models.BooleanField(_("set by the judge's scheduling order"), default=False)
    # The next day a reminder is due; the sweep reads only open rows with a date (partial index).
    next_reminder_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DeadlineStatus.values), name="cases_deadline_status_valid"),
            # One open computed deadline per rule and trigger: recomputing updates it in place.
            models.UniqueConstraint(
                fields=["case", "rule_version", "trigger_key"],
                condition=Q(status="open") & ~Q(trigger_key=""),
                name="cases_deadline_one_open_per_trigger",
            ),
        ]
        indexes = [
            # Open deadlines of a case (case page, closing a case) and by date (dashboards).
            models.Index(fields=["case", "due_on"], condition=Q(status="open"), name="cases_deadline_open"),
            models.Index(
                fields=["next_reminder_on"],
                condition=Q(status="open", next_reminder_on__isnull=False),
                name="cases_deadline_reminder_due",
            ),
            # The supervisor dashboard's open deadlines by date, clinic-wide: an index-only scan
            # (include= is PostgreSQL's; other databases build a plain partial index).
            models.Index(
                fields=["due_on"],
                include=["id", "case", "rule_version"],
                condition=Q(status="open"),
                name="cases_deadline_open_by_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    @property
    def is_computed(self) -> bool:
        return self.rule_version_id is not None

    @property
    def is_earliest_date(self) -> bool:
        """The EAD dates are the first day something may be done, not a last day: once passed
        they are open, never overdue (8 CFR 208.7(a)). Needs rule_version__rule loaded."""
        return self.rule_version is not None and self.rule_version.rule.trigger == Trigger.I589_RECEIVED

    def is_overdue(self, today) -> bool:
        return self.due_on < today and not self.is_earliest_date


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The deadline was finished or withdrawn before the reminder went out.
    CANCELLED = "cancelled", _("Cancelled")


class Delivery(models.Model):
    """One message to one person, claimed by a worker with a conditional UPDATE so that a
    duplicate task, a second worker or a second beat sends it once (cases/reminders.py)."""

    Status = DeliveryStatus

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    # Sent after the day it was due (a beat that missed a day, a clock jump, a long outage).
    late = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True


class Reminder(Delivery):
    """A reminder of a deadline at one lead time to one person (lead -1: overdue, to a supervisor)."""

    OVERDUE = -1

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    # The due date the reminder was for: a deadline that moves gets its reminders again.
    due_on = models.DateField()
    lead_days = models.SmallIntegerField()
    # The day it was due to go out (not before the deadline existed).
    remind_on = models.DateField()

    objects = ClinicScopedManager()
    # Also narrowed by the person: their own records (clinic.scoping).
    scoped_by_person = ("recipient",)

    class Meta:
        ordering = ["-remind_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "due_on", "lead_days", "recipient"], name="cases_reminder_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["queued_at"], condition=Q(status__in=["queued", "sending"]), name="cases_reminder_in_flight"
            ),
            models.Index(fields=["status"], condition=Q(status="failed"), name="cases_reminder_failed"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} at {self.lead_days} days to {self.recipient_id}"

    @property
    def is_escalation(self) -> bool:
        return self.lead_days == self.OVERDUE


class Digest(Delivery):
    """The morning email of a person's week, once per local day."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()

    objects = ClinicScopedManager()
    # Also narrowed by the person: their own records (clinic.scoping).
    scoped_by_person = ("recipient",)

    class Meta:
        ordering = ["-local_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "local_date"], name="cases_digest_once_a_day")]
        indexes = [
            models.Index(
                fields=["queued_at"], condition=Q(status__in=["queued", "sending"]), name="cases_digest_in_flight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.local_date}"


class CalendarFeed(models.Model):
    """A person's secret iCalendar address. Revoking deletes the row; a new one has a new token."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClinicScopedManager()
    # Also narrowed by the person: their own records (clinic.scoping).
    scoped_by_person = ("user",)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
