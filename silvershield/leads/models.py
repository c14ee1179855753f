"""Leads (线索 / 案源) and the ledger (台账): measure 2, "register every lead once, in one ledger".

A lead's state changes only through leads/workflow.py. Reporter identity is encrypted at rest and
masked by default (DOMAIN.md C.2, 暂行办法 Art. 33).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.crypto import EncryptedTextField, mask_name, mask_phone
from silvershield.core.models import Division, OrgUnit, User


class Channel(models.TextChoices):
    """How a lead arrived (案源渠道, GLOSSARY.md)."""

    COMPLAINT = "complaint", _("complaint")
    REPORT = "report", _("report")
    HOTLINE = "hotline", _("12315 hotline")
    ASSIGNED = "assigned", _("assigned from above")
    REFERRAL = "referral", _("referral from another department")
    INSPECTION = "inspection", _("inspection")
    AD_MONITORING = "ad_monitoring", _("ad monitoring")
    INFORMANT = "informant", _("informant")
    PUBLIC_CALL = "public_call", _("public call")


class FraudCategory(models.TextChoices):
    """The six categories of the 2022 national campaign (DOMAIN.md Part A, C.6), plus "not elder-care fraud"."""

    ELDERLY_SERVICE = "elderly_service", _("elderly-care services")
    PROJECT_INVESTMENT = "project_investment", _("elderly-care project investment")
    PRODUCT_SALES = "product_sales", _("elderly-care products")
    HOUSE_FOR_PENSION = "house_for_pension", _("house-for-pension")
    PENSION_INSURANCE = "pension_insurance", _("pension insurance handling")
    ELDERLY_ASSISTANCE = "elderly_assistance", _("help for the elderly")
    NOT_ELDER_FRAUD = "not_elder_fraud", _("not elder-care fraud")


class ProductDomain(models.TextChoices):
    FOOD = "food", _("food and health food")
    DRUG = "drug", _("drug")
    MEDICAL_DEVICE = "medical_device", _("medical device")
    ELDERLY_CARE_SERVICE = "elderly_care_service", _("elderly-care service")
    INVESTMENT = "investment", _("investment and finance")
    HOUSING = "housing", _("housing")
    INSURANCE = "insurance", _("insurance")
    OTHER = "other", _("other")


class Priority(models.TextChoices):
    URGENT = "urgent", _("urgent")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")


class LeadState(models.TextChoices):
    """DESIGN.md section 4: received → registered → screened → dispatched → verifying → concluded → struck off."""

    RECEIVED = "received", _("received")
    REGISTERED = "registered", _("registered")
    SCREENED = "screened", _("screened")
    DISPATCHED = "dispatched", _("dispatched")
    VERIFYING = "verifying", _("verifying")
    CONCLUDED = "concluded", _("concluded")
    STRUCK_OFF = "struck_off", _("struck off")
    MERGED = "merged", _("merged")


class Outcome(models.TextChoices):
    """How a concluded lead ended (DESIGN.md section 4)."""

    CASE_OPENED = "case_opened", _("case opened")
    NOT_OPENED = "not_opened", _("case not opened")
    TRANSFERRED_DEPARTMENT = "transferred_department", _("transferred to another department")
    TRANSFERRED_POLICE = "transferred_police", _("transferred to the police")
    MEDIATED = "mediated", _("mediated")


class Approach(models.TextChoices):
    """How the victim was approached (DOMAIN.md Part A: the six fraud categories' usual openings)."""

    FREE_LECTURE = "free_lecture", _("free health lecture")
    FREE_GIFTS = "free_gifts", _("free gifts or eggs")
    TRIP = "trip", _("free or cheap trip")
    PHONE = "phone", _("phone call")
    HOME_VISIT = "home_visit", _("home visit")
    SHOP = "shop", _("shop or experience store")
    ONLINE = "online", _("internet, live stream or short video")
    OTHER = "other", _("other")


class ReporterRelation(models.TextChoices):
    """Who is reporting, relative to the victim: the elderly report through their families."""

    SELF = "self", _("myself")
    CHILD = "child", _("son or daughter")
    SPOUSE = "spouse", _("husband or wife")
    RELATIVE = "relative", _("other relative")
    NEIGHBOUR = "neighbour", _("neighbour or friend")
    OTHER = "other", _("other")


class Lead(models.Model):
    """A lead, registered once in its bureau's ledger on the case-source registration form (案件来源登记表).

    The verification clock runs from receipt: 15 working days to verify and decide whether to open a
    case (程序规定 Art. 18), stored as `due_date` when the lead is registered.
    """

    number = models.CharField(_("number"), max_length=40, null=True, blank=True)  # unique: Meta
    bureau = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="leads", verbose_name=_("bureau"), db_index=False
    )  # indexed by lead_ledger_idx
    state = models.CharField(
        _("state"), max_length=20, choices=LeadState.choices, default=LeadState.RECEIVED, editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_date = models.DateField(_("date received"))
    sender = models.CharField(
        _("sender"), max_length=100, blank=True, help_text=_("The department or superior that referred or assigned it.")
    )
    category = models.CharField(_("fraud category"), max_length=30, choices=FraudCategory.choices, blank=True)
    product_domain = models.CharField(_("product domain"), max_length=30, choices=ProductDomain.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    summary = models.TextField(_("summary of facts"))
    party_name = models.CharField(_("party"), max_length=200, blank=True)
    party_entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="leads",
        verbose_name=_("registered entity"), db_index=False,
    )  # indexed by lead_party_entity_idx
    party_address = models.CharField(_("party address"), max_length=200, blank=True)
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, verbose_name=_("division"), db_index=False
    )  # indexed by lead_division_idx
    reporter_is_named = models.BooleanField(_("named reporter"), default=False)
    reporter_name = EncryptedTextField(_("reporter name"), blank=True)
    reporter_phone = EncryptedTextField(_("reporter phone"), blank=True)
    reporter_id_number = EncryptedTextField(_("reporter ID number"), blank=True)
    reporter_address = EncryptedTextField(_("reporter address"), blank=True)
    # A keyed hash (HMAC-SHA256) of the reporter's phone, so "same reporter" is found by an index without
    # decrypting any row; written by leads.services, recomputed by `silvershield reencrypt`.
    reporter_phone_hash = models.CharField(max_length=64, blank=True, editable=False)  # indexed: Meta
    # The party's name reduced to its core (entities.linking.core_name), for "same party" by an index.
    party_key = models.CharField(max_length=200, blank=True, editable=False)  # indexed: Meta
    reporter_relation = models.CharField(
        _("reporter is the victim's"), max_length=20, choices=ReporterRelation.choices, blank=True
    )
    approach = models.CharField(_("how the victim was approached"), max_length=20, choices=Approach.choices, blank=True)
    informant = models.ForeignKey(
        "core.Informant", null=True, blank=True, on_delete=models.PROTECT, related_name="leads",
        verbose_name=_("informant"),
    )
    sender_due_date = models.DateField(
        _("reply due to sender"), null=True, blank=True,
        help_text=_("For referrals and assignments: the date the sender wants the result by."),
    )
    external_ref = models.CharField(
        _("external reference"), max_length=64, blank=True,
        help_text=_("The sender's own number, e.g. the 12315 work-order number; one lead per reference and channel."),
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, null=True, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    category_confidence = models.FloatField(_("category confidence"), null=True, blank=True, editable=False)
    victim_age = models.PositiveSmallIntegerField(_("victim's age"), null=True, blank=True)
    loss_amount = models.DecimalField(_("losses (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    suggested_handling = models.TextField(_("suggested handling"), blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True, editable=False)
    registered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
        verbose_name=_("registrant"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, editable=False)
    due_provisional = models.BooleanField(default=False, editable=False)
    handling_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="handled_leads", editable=False,
        verbose_name=_("handling unit"),
    )
    assignees = models.ManyToManyField(User, blank=True, related_name="assigned_leads", verbose_name=_("verifiers"))
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True, editable=False)
    result = models.TextField(_("result"), blank=True, editable=False)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True, editable=False)
    struck_off_at = models.DateTimeField(_("struck off at"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_leads", editable=False,
        verbose_name=_("merged into"),
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="leads", editable=False,
        verbose_name=_("case"),
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="created_leads", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_date", "-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["bureau", "-received_date", "-id"], name="lead_ledger_idx"),
            models.Index(fields=["state", "due_date"], name="lead_state_due_idx"),
            models.Index(fields=["division", "-received_date"], name="lead_division_idx"),
            models.Index(fields=["party_entity", "-received_date"], name="lead_party_entity_idx"),
            # The wall board counts open items per stage and division (board/queries.py).
            models.Index(fields=["state", "division", "due_date"], name="lead_state_division_due_idx"),
            # Duplicate look-ups by equality only. Declared here rather than with db_index/unique on the
            # field, which on PostgreSQL adds a second, LIKE-pattern index per column that nothing uses:
            # every lead row written pays for each index, and intake writes hundreds a second.
            models.Index(fields=["reporter_phone_hash"], name="lead_phone_hash_idx"),
            models.Index(fields=["party_key"], name="lead_party_key_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="received") | models.Q(state="merged") | models.Q(registered_at__isnull=False),
                name="lead_registered_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=["concluded", "struck_off"])
                | (models.Q(concluded_at__isnull=False) & ~models.Q(outcome="")),
                name="lead_concluded_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="struck_off") | models.Q(struck_off_at__isnull=False),
                name="lead_struck_off_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="merged") | models.Q(merged_into__isnull=False),
                name="lead_merged_has_target",
            ),
            models.UniqueConstraint(
                fields=["channel", "external_ref"], condition=~models.Q(external_ref=""),
                name="lead_unique_external_ref",
            ),
            models.UniqueConstraint(fields=["number"], name="lead_unique_number"),
            models.UniqueConstraint(fields=["tracking_code"], name="lead_unique_tracking_code"),
            models.UniqueConstraint(fields=["idempotency_key"], name="lead_unique_idempotency_key"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def display_number(self) -> str:
        return self.number or _("(unregistered) #%(id)s") % {"id": self.pk}

    @property
    def reporter_name_masked(self) -> str:
        return mask_name(self.reporter_name)

    @property
    def reporter_phone_masked(self) -> str:
        return mask_phone(self.reporter_phone)

    @property
    def is_open(self) -> bool:
        return self.state not in {LeadState.CONCLUDED, LeadState.STRUCK_OFF, LeadState.MERGED}


class Attachment(models.Model):
    """A file that came with a lead: a photo of a receipt, a leaflet, a recording, a referral letter.

    Type and size are checked before it is stored (core.uploads); the SHA-256 lets the same photo sent
    twice be recognised.
    """

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("lead"))
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class CategoryCorrection(models.Model):
    """An officer's correction of a lead's fraud category and product domain (issue 3, item 4).

    Kept for good, with the lead's summary as it stood at the time, because corrections are what
    `silvershield leads train` learns from next: the classifier improves on the bureau's own leads.
    Written only by `leads.classification.correct_category`, which also audits the change to the lead.
    """

    lead = models.ForeignKey(
        Lead, on_delete=models.PROTECT, related_name="category_corrections", verbose_name=_("lead")
    )
    text = models.TextField(_("text at the time"))
    old_category = models.CharField(
        _("old category"), max_length=30, choices=FraudCategory.choices, blank=True
    )
    new_category = models.CharField(_("new category"), max_length=30, choices=FraudCategory.choices)
    old_product_domain = models.CharField(
        _("old product domain"), max_length=30, choices=ProductDomain.choices, blank=True
    )
    new_product_domain = models.CharField(
        _("new product domain"), max_length=30, choices=ProductDomain.choices
    )
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer"))
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["corrected_at", "id"]
        verbose_name = _("category correction")
        verbose_name_plural = _("category corrections")
        indexes = [models.Index(fields=["lead", "corrected_at"], name="category_correction_lead_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(new_category=""), name="category_correction_has_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead} {self.old_category or '—'} → {self.new_category}"


class DuplicateRule(models.Model):
    """How likely duplicates are looked for at registration (issue 3, item 3). Law as data: the window and
    the similarity threshold are a bureau's practice, not a statute (UNVERIFIED: no rule fixes them), so
    they are rows an administrator edits; the row in force on the lead's date of receipt applies."""

    window_days = models.PositiveIntegerField(
        _("window (days)"), default=30, help_text=_("Leads received this many days before or after are compared.")
    )
    text_similarity = models.PositiveSmallIntegerField(
        _("text similarity threshold (%)"), default=70,
        help_text=_("Summaries at least this similar (rapidfuzz ratio, 0–100) are shown as likely duplicates."),
    )
    scan_limit = models.PositiveIntegerField(
        _("leads compared by text"), default=500,
        help_text=_("At most this many of the most recent leads in the window are compared by text."),
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = _("duplicate rule")
        verbose_name_plural = _("duplicate rules")

    def __str__(self) -> str:
        return f"{self.window_days}d / {self.text_similarity}% ({self.effective_from})"


class DuplicateDismissal(models.Model):
    """The officer's decision that two leads are not duplicates: the pair is not proposed again."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="duplicate_dismissals")
    other = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dismissed duplicate")
        verbose_name_plural = _("dismissed duplicates")
        constraints = [models.UniqueConstraint(fields=["lead", "other"], name="duplicate_dismissal_unique")]
