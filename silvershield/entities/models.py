"""The market-entity registry (市场主体): every registered business a lead or case can be about."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.core.models import Division


class EntityStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DEREGISTERING = "deregistering", _("deregistering")
    DEREGISTERED = "deregistered", _("deregistered")


class Entity(models.Model):
    """A registered market entity, keyed by its unified social credit code (GB 32100).

    `is_elderly_related` marks the entities Chifeng's measure 4 manages by risk tier (涉老市场主体:
    scope containing 养老, 养老服务, 老年人养护服务, health products, food, health food, devices).
    """

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, verbose_name=_("division"))
    business_scope = models.TextField(_("business scope"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=EntityStatus.choices, default=EntityStatus.ACTIVE)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    is_elderly_related = models.BooleanField(_("elderly-related"), default=False, db_index=True)
    name_initials = models.CharField(_("pinyin initials"), max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("market entity")
        verbose_name_plural = _("market entities")
        indexes = [models.Index(fields=["division", "is_elderly_related", "name"], name="entity_division_idx")]

    def __str__(self) -> str:
        return self.name
