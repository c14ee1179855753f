"""Shared records: divisions, the organisation tree, people, working days, numbering and audit.

Every measure's app stands on these. Jurisdiction is a property of the organisation tree: a bureau sees
itself and the bureaus below it (the city bureau sees its 12 county-level bureaus), see queries.py.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """An administrative division by its GB/T 2260 code (DOMAIN.md C.10), e.g. 150402 红山区."""

    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=[("province", _("province")), ("city", _("city")), ("county", _("county"))],
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return self.name


class OrgUnitKind(models.TextChoices):
    BUREAU = "bureau", _("bureau")
    ENFORCEMENT = "enforcement", _("enforcement bureau")
    LEGAL = "legal", _("legal section")
    ADVERTISING = "advertising", _("advertising section")
    CONSUMER_PROTECTION = "consumer_protection", _("consumer protection (12315)")
    REGISTRATION = "registration", _("registration section")
    TASK_OFFICE = "task_office", _("campaign task office")
    INSTITUTE = "institute", _("market supervision institute")
    DEPARTMENT = "department", _("department")


class OrgUnit(models.Model):
    """A unit of the bureau tree: a bureau, one of its departments, or a grass-roots institute.

    `path` is the chain of codes from the root, so "everything under this bureau" is one prefix
    query whatever the depth. Each unit belongs to one bureau (itself, for a bureau); a bureau's
    jurisdiction is its division.
    """

    code = models.CharField(_("unit code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(
        _("document prefix"),
        max_length=20,
        blank=True,
        help_text=_("The prefix the bureau puts on its document numbers, e.g. 赤市监."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrgUnitKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="units", verbose_name=_("division"))
    path = models.CharField(max_length=400, db_index=True, editable=False)
    bureau = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        editable=False,
        help_text="The bureau this unit belongs to (itself for a bureau).",
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")

    def __str__(self) -> str:
        return self.name

    @property
    def is_bureau(self) -> bool:
        return self.kind == OrgUnitKind.BUREAU

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path}{self.code}/" if self.parent_id else f"{self.code}/"
        super().save(*args, **kwargs)
        bureau = self if self.is_bureau else (self.parent.bureau if self.parent_id else None)
        if bureau is not None and self.bureau_id != bureau.pk:
            OrgUnit.objects.filter(pk=self.pk).update(bureau=bureau)
            self.bureau = bureau


class Role(models.TextChoices):
    """The roles of DESIGN.md section 2 (the public uses the portal and has no account)."""

    HOTLINE_OPERATOR = "hotline_operator", _("12315 operator")
    INFORMANT = "informant", _("informant")
    LEGAL_OFFICER = "legal_officer", _("legal officer")
    TASK_OFFICE = "task_office", _("task office")
    INVESTIGATOR = "investigator", _("investigator")
    UNIT_HEAD = "unit_head", _("unit head")
    REVIEWER = "reviewer", _("reviewer")
    LEADER = "leader", _("leader")
    EXPERT = "expert", _("outside expert")
    AD_MONITOR = "ad_monitor", _("ad monitor")
    REGISTRATION_SECTION = "registration_section", _("registration section")
    PUBLICITY_OFFICER = "publicity_officer", _("publicity officer")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")


class Speciality(models.TextChoices):
    FOOD = "food", _("food and health food")
    DRUG = "drug", _("drugs")
    DEVICE = "device", _("medical devices")
    ADVERTISING = "advertising", _("advertising")
    PRICING = "pricing", _("pricing")
    CONSUMER = "consumer", _("consumer rights")
    COMPETITION = "competition", _("unfair competition")
    LAW = "law", _("law")


class User(AbstractUser):
    """A person with an account: an officer, operator, informant, expert or administrator.

    Their `unit` fixes their jurisdiction; their `role` fixes what they may do there.
    """

    full_name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit"))
    specialities = models.JSONField(_("specialities"), default=list, blank=True)
    credential_number = models.CharField(
        _("enforcement credential number"),
        max_length=30,
        blank=True,
        help_text=_("Investigators need one to verify leads and run cases (程序规定 Art. 19)."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def bureau(self) -> OrgUnit:
        return self.unit.bureau or self.unit

    @property
    def has_credential(self) -> bool:
        return bool(self.credential_number)


class VenueKind(models.TextChoices):
    """Where a grass-roots station sits: the places elderly people go."""

    COMMUNITY = "community", _("residential community")
    ELDERLY_UNIVERSITY = "elderly_university", _("university for the elderly")
    PHARMACY = "pharmacy", _("pharmacy")
    SUPERMARKET = "supermarket", _("supermarket")
    FARM_MARKET = "farm_market", _("farmers' market")
    OTHER = "other", _("other")


class Station(models.Model):
    """A consumer-association grass-roots station or point (消协基层工作站（点）; Chifeng: 232)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, verbose_name=_("division"))
    bureau = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="stations", verbose_name=_("bureau"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    venue_kind = models.CharField(_("where"), max_length=30, choices=VenueKind.choices, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("station")
        verbose_name_plural = _("stations")

    def __str__(self) -> str:
        return self.name


class InformantRole(models.TextChoices):
    INFORMANT = "informant", _("信息员 informant")
    LIAISON = "liaison", _("联络员 liaison")
    COLLABORATOR = "collaborator", _("协作员 collaborator")


class Informant(models.Model):
    """A member of the "three-member" network (信息员 / 联络员 / 协作员; Chifeng: 70+)."""

    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=InformantRole.choices)
    station = models.ForeignKey(Station, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("station"))
    area = models.CharField(_("area"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="informant")

    class Meta:
        verbose_name = _("informant")
        verbose_name_plural = _("informants")

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """An outside member of the enforcement advisory panel (执法咨询专家组; Chifeng: 15)."""

    name = models.CharField(_("name"), max_length=50)
    affiliation = models.CharField(_("affiliation"), max_length=100)
    field = models.CharField(_("field"), max_length=50)
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="expert")

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.name


class LinkageRole(models.TextChoices):
    COMMANDER = "commander", _("commander")
    DEPUTY_COMMANDER = "deputy_commander", _("deputy commander")
    LINKAGE_OFFICER = "linkage_officer", _("linkage officer")


class LinkageMember(models.Model):
    """A place on the linkage roster (联动队伍; Chifeng: 1 commander, 13 deputies, 110 officers)."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="linkage_roles")
    role = models.CharField(_("role"), max_length=20, choices=LinkageRole.choices)

    class Meta:
        verbose_name = _("linkage roster member")
        verbose_name_plural = _("linkage roster")
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="linkage_member_unique")]


class NumberSequence(models.Model):
    """The last number given out per bureau, kind of document and year (e.g. leads of 2026)."""

    bureau = models.ForeignKey(OrgUnit, on_delete=models.PROTECT)
    kind = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bureau", "kind", "year"], name="number_sequence_unique")]


class NumberingRule(models.Model):
    """How a kind of document is numbered; an administrator may change the pattern.

    Placeholders: {prefix} (the bureau's document prefix), {year}, {seq} (with a format, e.g. {seq:05d}).
    """

    kind = models.CharField(_("kind"), max_length=20, unique=True)
    pattern = models.CharField(_("pattern"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("numbering rule")
        verbose_name_plural = _("numbering rules")

    def __str__(self) -> str:
        return f"{self.kind}: {self.pattern}"

    def clean(self) -> None:
        try:
            self.pattern.format(prefix="赤市监", year=2026, seq=1)
        except (KeyError, ValueError, IndexError) as exc:
            raise ValidationError({"pattern": _("Unknown placeholder or bad format: %(e)s") % {"e": exc}}) from exc


class CalendarDay(models.Model):
    """A day an administrator marks as a holiday or a working weekend.

    chinese-calendar knows the State Council schedule up to 2026 (DOMAIN.md C.9.2); years after that
    are entered here once the schedule is published. Entries here override the package.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_working_day else '休'}"


class CalendarYear(models.Model):
    """A year whose holiday schedule an administrator has entered completely in CalendarDay."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class ClockUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    HOURS = "hours", _("hours")


class ClockRule(models.Model):
    """A statutory clock as data (DOMAIN.md Part B): what starts and stops it, how long, from which law.

    The rule in force is chosen by the date the item was received or opened, so a change of law
    (e.g. the complaint rules of 2026-04-15) applies only to items after it.
    """

    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("applies to"), max_length=20, choices=[("lead", _("lead")), ("case", _("case"))])
    start_event = models.CharField(_("start event"), max_length=50)
    stop_event = models.CharField(_("stop event"), max_length=50)
    length = models.PositiveIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=20, choices=ClockUnit.choices)
    extension_length = models.PositiveIntegerField(_("extension"), default=0)
    extension_rule = models.CharField(_("extension rule"), max_length=200, blank=True)
    source = models.CharField(_("legal source"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    verified = models.BooleanField(
        _("verified"), default=True, help_text=_("Unticked where DOMAIN.md marks the rule UNVERIFIED.")
    )

    class Meta:
        ordering = ["code", "effective_from"]
        verbose_name = _("clock rule")
        verbose_name_plural = _("clock rules")

    def __str__(self) -> str:
        return f"{self.name} ({self.source})"


class AuditEvent(models.Model):
    """One append-only, hash-chained row of history: a state change, a create or an update.

    `subject_type` and `subject_id` name the lead, case or entity; `changes` holds the changed fields
    as {field: [old, new]}. Rows are never updated or deleted (enforced here and by database
    triggers), and each row's hash covers the previous row's, so a removed or edited row shows.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        TRANSITION = "transition", _("state changed")
        VIEW_PERSONAL_DATA = "view_personal_data", _("viewed personal data")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=30)
    subject_id = models.BigIntegerField()
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    transition = models.CharField(_("transition"), max_length=50, blank=True)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="audit_subject_idx")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def compute_hash(self) -> str:
        # Called unbound too, on plain namespaces of the same attributes (the bulk imports' events).
        return hashlib.sha256(AuditEvent.hashed_text(self).encode("utf-8")).hexdigest()

    def hashed_text(self) -> str:
        return json.dumps(
            [
                self.previous_hash,
                self.at.isoformat(),
                self.actor_id,
                self.subject_type,
                self.subject_id,
                self.action,
                self.transition,
                self.from_state,
                self.to_state,
                self.reason,
                self.changes,
            ],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )

    def hash_text_around_subject(self) -> tuple[str, str]:
        """The hashed text (`compute_hash`) is '["<previous hash>", ' + before + ', <subject id>, ' + after:
        these two parts, for a database that knows the previous hash and the subject's id only when it
        writes the row (core.audit.create_with_event). A test holds the two ways equal."""
        head = json.dumps([self.at.isoformat(), self.actor_id, self.subject_type], ensure_ascii=False, default=str)
        tail = json.dumps(
            [self.action, self.transition, self.from_state, self.to_state, self.reason, self.changes],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        return head[1:-1], tail[1:]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events are append-only.")


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; revoking sets `revoked_at`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class AuditChainHead(models.Model):
    """The hash of the newest audit row; locked while a row is appended so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    hash = models.CharField(max_length=64, blank=True)


class Notification(models.Model):
    """A message to one person about an item (a lead dispatched to them, a case they must work).

    Written only after the change that causes it has committed (transaction.on_commit), so nobody is
    told about a change that was rolled back.
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject_type = models.CharField(max_length=30)
    subject_id = models.BigIntegerField()
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message
