from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clients import names
from clients.identifiers import format_a_number, format_phone
from clinic.models import Clinic
from clinic.scoping import ClinicScopedManager, ClinicScopedQuerySet
from clinic.urls_fast import record_url


class Language(models.TextChoices):
    """Languages clients at a border clinic speak, with ISO 639 codes."""

    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    PORTUGUESE = "pt", _("Portuguese")
    FRENCH = "fr", _("French")
    KICHE = "quc", _("K'iche'")
    MAM = "mam", _("Mam")
    QANJOBAL = "kjb", _("Q'anjob'al")
    RUSSIAN = "ru", _("Russian")
    ARABIC = "ar", _("Arabic")
    OTHER = "other", _("Other")


class PersonNameMixin(models.Model):
    """Given names plus the paternal and maternal surname; either surname may be missing."""

    given_names = models.CharField(_("given names"), max_length=100)
    paternal_surname = models.CharField(_("paternal surname"), max_length=100, blank=True)
    maternal_surname = models.CharField(_("maternal surname"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return names.full_name(self.given_names, self.paternal_surname, self.maternal_surname)


class Client(PersonNameMixin):
    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Another gender")

    class MannerOfEntry(models.TextChoices):
        WITHOUT_INSPECTION = "ewi", _("Entered without inspection")
        PORT_ASYLUM = "port_asylum", _("At a port of entry, asking for asylum")
        PORT_APPOINTMENT = "port_appointment", _("At a port of entry with an appointment (CBP One)")
        PAROLE = "parole", _("Paroled")
        VISA = "visa", _("With a visa")
        OTHER = "other", _("Other")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clients")
    # Normalised "surnames given names": list order and keyset pagination (clients.names.sort_key).
    sort_name = models.CharField(max_length=310, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    country_of_nationality = CountryField(_("country of nationality"), blank=True)
    country_of_birth = CountryField(_("country of birth"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.SPANISH
    )
    other_languages = models.CharField(_("other languages"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    # Nine digits, left-padded (clients.identifiers.normalize_a_number); shown as A-123-456-789.
    a_number = models.CharField(_("A-number"), max_length=9, null=True, blank=True)  # noqa: DJ001  (NULL: unique ignores it)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    alternate_phone = models.CharField(_("other phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    safe_contact_instructions = models.CharField(
        _("safe-contact instructions"),
        max_length=300,
        blank=True,
        help_text=_('For example "no voicemail", "call only after 6 pm", "text in Spanish".'),
    )
    last_entry_date = models.DateField(_("date of last entry"), null=True, blank=True)
    manner_of_entry = models.CharField(
        _("manner of last entry"), max_length=20, choices=MannerOfEntry.choices, blank=True
    )
    detained = models.BooleanField(_("detained"), default=False)
    detention_facility = models.CharField(_("detention facility"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["sort_name", "id"]
        constraints = [
            # A duplicate A-number points to the existing client instead of a second record.
            models.UniqueConstraint(
                fields=["clinic", "a_number"],
                condition=Q(a_number__isnull=False),
                name="clients_client_a_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(a_number__isnull=True) | Q(a_number__regex=r"^[0-9]{9}$"),
                name="clients_client_a_number_9_digits",
            ),
        ]
        indexes = [
            # The client list, in name order, paged by keyset (sort_name, id).
            models.Index(fields=["clinic", "sort_name", "id"], name="clients_client_list"),
        ]

    def get_absolute_url(self) -> str:
        # Cheap on a list of 50 rows: reversed once per process (clinic.urls_fast).
        return record_url("clients:client-detail", self.pk)

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def alternate_phone_display(self) -> str:
        return format_phone(self.alternate_phone)


class ClientAddress(models.Model):
    """A US address of a client. Moving adds a row and closes the old one, so the history stays
    (a move starts the EOIR-33 and AR-11 clocks)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField(_("street address"), max_length=200)
    line2 = models.CharField(_("apartment, unit, care of"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=2)
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["-moved_in_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(moved_out_on__isnull=True), name="clients_address_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line1}, {self.city}, {self.state} {self.zip_code}"


class ClientAlias(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", _("Alias")
        FORMER_NAME = "former", _("Former name")
        SPELLING = "spelling", _("Other spelling")
        NICKNAME = "nickname", _("Nickname")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    name = models.CharField(_("name"), max_length=200)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class FamilyMember(PersonNameMixin):
    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    class MaritalStatus(models.TextChoices):
        SINGLE = "single", _("Single")
        MARRIED = "married", _("Married")
        DIVORCED = "divorced", _("Divorced")
        WIDOWED = "widowed", _("Widowed")
        SEPARATED = "separated", _("Separated")
        UNKNOWN = "unknown", _("Unknown")

    class Location(models.TextChoices):
        IN_US = "in_us", _("In the US")
        ABROAD = "abroad", _("Abroad")
        UNKNOWN = "unknown", _("Unknown")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="family_members")
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, default=MaritalStatus.SINGLE
    )
    location = models.CharField(_("where they are"), max_length=10, choices=Location.choices, default=Location.IN_US)
    country_of_residence = CountryField(_("country where they live"), blank=True)
    a_number = models.CharField(_("A-number"), max_length=9, null=True, blank=True)  # noqa: DJ001  (NULL: unique ignores it)
    us_citizen = models.BooleanField(
        _("US citizen"), default=False, help_text=_("A child born in the US is a citizen, not a derivative.")
    )

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["relationship", "date_of_birth", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(a_number__isnull=True) | Q(a_number__regex=r"^[0-9]{9}$"),
                name="clients_familymember_a_number_9_digits",
            ),
        ]

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)

    @property
    def restricted(self) -> bool:
        """Family still abroad is hidden from intake staff (8 CFR 208.6; their safety)."""
        return self.location == self.Location.ABROAD


class AdverseParty(models.Model):
    """A persecutor, abuser or official named by the client. Attorneys and supervisors only."""

    class Role(models.TextChoices):
        PERSECUTOR = "persecutor", _("Persecutor")
        ABUSER = "abuser", _("Abuser")
        GANG = "gang", _("Gang member")
        CARTEL = "cartel", _("Cartel member")
        POLICE = "police", _("Police officer")
        MILITARY = "military", _("Soldier")
        OFFICIAL = "official", _("Government official")
        OTHER = "other", _("Other")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="adverse_parties")
    name = models.CharField(_("name"), max_length=200)
    other_names = models.CharField(_("other names or nicknames"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    organization = models.CharField(_("organisation or place"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = _("adverse parties")

    def __str__(self) -> str:
        return self.name


class WalkInQuerySet(ClinicScopedQuerySet):
    def arrived_between(self, start, end):
        return self.filter(arrived_at__gte=start, arrived_at__lt=end)


class WalkInStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SCREENED = "screened", _("Screened")
    CONSULTATION_BOOKED = "consultation", _("Consultation booked")
    ACCEPTED = "accepted", _("Accepted")
    REFERRED_OUT = "referred", _("Referred out")
    DECLINED = "declined", _("Declined")
    NO_SHOW = "no_show", _("No-show")


class WalkIn(PersonNameMixin):
    """A person logged at the intake desk. Only a given name is required."""

    Status = WalkInStatus

    class Reason(models.TextChoices):
        ASYLUM = "asylum", _("Asylum")
        COURT = "court", _("Court hearing or removal case")
        DETENTION = "detention", _("Detained relative or bond")
        WORK_PERMIT = "work_permit", _("Work permit")
        FAMILY = "family", _("Family petition")
        OTHER = "other", _("Other")

    CLOSED_STATUSES = (Status.ACCEPTED, Status.REFERRED_OUT, Status.DECLINED, Status.NO_SHOW)
    OPEN_STATUSES = (Status.WAITING, Status.SCREENED, Status.CONSULTATION_BOOKED)

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="walk_ins")
    arrived_at = models.DateTimeField(_("arrived at"), default=timezone.now)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.SPANISH
    )
    country_of_nationality = CountryField(_("country of nationality"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    a_number = models.CharField(_("A-number"), max_length=9, null=True, blank=True)  # noqa: DJ001  (NULL: unique ignores it)
    last_arrival_date = models.DateField(_("date of last arrival in the US"), null=True, blank=True)
    next_hearing_date = models.DateField(_("next hearing date"), null=True, blank=True)
    detained = models.BooleanField(_("detained"), default=False)
    prior_removal_order = models.BooleanField(_("prior removal order"), default=False)
    in_absentia_order = models.BooleanField(_("in-absentia order"), default=False)
    reason = models.CharField(_("reason for the visit"), max_length=12, choices=Reason.choices, default=Reason.ASYLUM)
    reason_details = models.CharField(_("details"), max_length=300, blank=True)
    referred_by = models.CharField(_("referred by"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    # The return appointment (the consultation booked), printed on the walk-in's slip (clients.slip).
    consultation_at = models.DateTimeField(_("consultation"), null=True, blank=True)
    # Whom to ask for: a staff member's name as printed on the slip, never a note.
    consultation_with = models.CharField(_("with"), max_length=100, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("handled by"),
    )  # fmt: skip
    client = models.OneToOneField(Client, on_delete=models.PROTECT, null=True, blank=True, related_name="walk_in")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = WalkInQuerySet.as_manager()

    class Meta:
        ordering = ["-arrived_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=WalkInStatus.values), name="clients_walkin_status_valid"),
            models.CheckConstraint(
                condition=Q(a_number__isnull=True) | Q(a_number__regex=r"^[0-9]{9}$"),
                name="clients_walkin_a_number_9_digits",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(client__isnull=False), name="clients_walkin_accepted_has_client"
            ),
        ]
        indexes = [
            # The intake queue (today, this week) and walk-in volume per week.
            models.Index(fields=["clinic", "arrived_at"], name="clients_walkin_queue"),
            # The dashboard's one-year risk: open walk-ins not yet a client, by arrival.
            models.Index(
                fields=["clinic", "last_arrival_date"],
                condition=Q(client__isnull=True, status__in=["waiting", "screened", "consultation"]),
                name="clients_walkin_open_unclaimed",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)


class ConflictCheck(models.Model):
    """One run of the conflict check: who ran it, what was searched, what was found, and what
    was decided. Results are kept as they were shown, even if records change later."""

    class Decision(models.TextChoices):
        CLEARED = "cleared", _("Cleared: no conflict")
        CONFLICT = "conflict", _("Conflict: cannot take the case")
        WAIVED = "waived", _("Conflict waived, with a note")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    walk_in = models.ForeignKey(WalkIn, on_delete=models.PROTECT, null=True, blank=True, related_name="conflict_checks")
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    performed_at = models.DateTimeField(auto_now_add=True)
    query = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["-performed_at", "-id"]
        get_latest_by = "performed_at"
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="waived") | ~Q(decision_note=""), name="clients_conflictcheck_waiver_has_note"
            ),
        ]

    def __str__(self) -> str:
        return f"Conflict check {self.pk} ({self.decision or 'undecided'})"

    @property
    def allows_acceptance(self) -> bool:
        return self.decision in (self.Decision.CLEARED, self.Decision.WAIVED)


class PersonName(models.Model):
    """One searchable name of a person the clinic knows, whatever table holds them. Kept in step
    by clients.name_index, called from every service that writes a name; read by the client
    search and the conflict check. Never edited by hand."""

    class Kind(models.TextChoices):
        CLIENT = "client", _("Client")
        ALIAS = "alias", _("Client alias")
        FAMILY_MEMBER = "family_member", _("Family member")
        ADVERSE_PARTY = "adverse_party", _("Adverse party")
        WALK_IN = "walk_in", _("Walk-in")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    record_id = models.BigIntegerField()
    # The client this name belongs to (for an alias, a family member or an adverse party, the
    # principal); null for a walk-in not yet accepted.
    client = models.ForeignKey(Client, on_delete=models.CASCADE, null=True, related_name="+")
    full_name = models.CharField(max_length=300)
    given_key = models.CharField(max_length=200, blank=True)
    surname_key = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True)
    a_number = models.CharField(max_length=9, null=True)  # noqa: DJ001  (copied from the record as it is)

    objects = ClinicScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="clients_personname_one_per_record"),
        ]
        indexes = [
            # Conflict check: same date of birth, same A-number.
            models.Index(fields=["clinic", "date_of_birth"], name="clients_personname_dob"),
            models.Index(fields=["clinic", "a_number"], name="clients_personname_a_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.full_name}"


class PersonNameToken(models.Model):
    """One comparable word of a PersonName (accent-free, nickname forms added)."""

    person_name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="tokens")
    # No index of its own: both indexes below start with the clinic.
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+", db_index=False)
    token = models.CharField(max_length=60)
    # The client this is a word of one of the names of (their own name or an alias; not a family
    # member's or an adverse party's): the client search reads it without joining PersonName.
    search_client = models.ForeignKey(Client, on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    # That client's sort_name, so the search can put its matches in name order from this index alone.
    client_sort_name = models.CharField(max_length=310, blank=True)

    objects = ClinicScopedManager()

    class Meta:
        indexes = [
            # Conflict check: every name with this word, in one clinic.
            models.Index(fields=["clinic", "token", "person_name"], name="clients_token_lookup"),
            # Client search by the first letters of a word (LIKE 'her%'), answered from the index alone.
            models.Index(
                fields=["clinic", "token"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                include=["search_client", "client_sort_name"],
                condition=Q(search_client__isnull=False),
                name="clients_token_client_search",
            ),
            # The same words in client-name order: a common first few letters ("mar") find a page
            # of clients by walking this index until it has enough, instead of sorting thousands.
            models.Index(
                fields=["clinic", "client_sort_name", "search_client"],
                include=["token"],
                condition=Q(search_client__isnull=False),
                name="clients_token_client_order",
            ),
        ]

    def __str__(self) -> str:
        return self.token


class ClientImport(models.Model):
    """An uploaded spreadsheet of clients, checked row by row before anything is saved.

    The file lives under MEDIA_ROOT (outside the web root) until the import ends. Progress while a task validates or
    imports is kept in the cache, not here, because the import runs in one transaction that
    other connections cannot see into until it ends.
    """

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking the rows")
        VALIDATED = "validated", _("Checked: ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    class Mode(models.TextChoices):
        ALL = "all", _("Every row (only if all are valid)")
        VALID_ONLY = "valid_only", _("Only the valid rows")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALIDATING)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "a_number", "message": "..."}]: row numbers as the spreadsheet shows them.
    errors = models.JSONField(default=list)
    # The first rows as they will be saved, for the preview.
    preview = models.JSONField(default=list)
    mode = models.CharField(max_length=12, choices=Mode.choices, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    imported_count = models.PositiveIntegerField(default=0)
    failure_message = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ClinicScopedManager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
