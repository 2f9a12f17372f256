"""Cases and the asylum claim, element by element, with evidence, hearings and outcomes.

Domain facts with sources: ../shared/domain-rules.md (section 2 for the claim, hearings and outcomes).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField

from clients.models import AdverseParty, Client, FamilyMember, Language
from clinic.models import Clinic


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


class CaseQuerySet(models.QuerySet):
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
    court = models.ForeignKey(Court, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
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
        ]

    def __str__(self) -> str:
        return self.number

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
    court = models.ForeignKey(Court, on_delete=models.PROTECT, null=True, blank=True, related_name="hearings")
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

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.case} by {self.author}"


class CaseNumberCounter(models.Model):
    """The last case number given in a clinic and year; taken with SELECT ... FOR UPDATE."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "year"], name="cases_counter_one_per_year")]

    def __str__(self) -> str:
        return f"{self.clinic} {self.year}: {self.last}"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived")


class Deadline(models.Model):
    """Something due on a case by a date. Entered by hand for now; the deadline engine (rules
    with citations, reminders) builds on this table."""

    Status = DeadlineStatus

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    title = models.CharField(_("what is due"), max_length=200)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=8, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DeadlineStatus.values), name="cases_deadline_status_valid"),
        ]
        indexes = [
            # Open deadlines of a case (case page, closing a case) and by date (dashboards).
            models.Index(fields=["case", "due_on"], condition=Q(status="open"), name="cases_deadline_open"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"
