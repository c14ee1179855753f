"""Seed the ad rulebook with the shipped defaults (ads/rulebook/), the same data the checker uses without a
database. Existing rows are left as the administrator edited them."""

from django.db import migrations

from silvershield.ads.checker.spec import cite
from silvershield.ads.rulebook import DEFAULT_RULES


def load(apps, schema_editor):
    AdRule = apps.get_model("ads", "AdRule")
    for data in DEFAULT_RULES:
        fields = dict(data)
        code, effective_from = fields.pop("code"), fields.pop("effective_from")
        fields["article"] = cite(law=fields["law"], article=fields["article_number"],
                                 paragraph=fields["paragraph_number"], item=fields["item_number"])
        AdRule.objects.get_or_create(code=code, effective_from=effective_from, defaults=fields)


def unload(apps, schema_editor):
    AdRule = apps.get_model("ads", "AdRule")
    AdRule.objects.filter(code__in=[data["code"] for data in DEFAULT_RULES], version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("ads", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
