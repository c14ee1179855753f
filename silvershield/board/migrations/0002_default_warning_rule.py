"""The default warning rule: yellow at 3 working days or fewer left (issue 5, item 7; local practice)."""

from datetime import date

from django.db import migrations


def load(apps, schema_editor):
    WarningRule = apps.get_model("board", "WarningRule")
    if not WarningRule.objects.exists():
        WarningRule.objects.create(
            warning_working_days=3,
            effective_from=date(2020, 1, 1),
            source="赤峰市“挂图作战”做法（DOMAIN.md 措施四）；issue 5 第7项",
            note="UNVERIFIED：非法定期限，为本地工作惯例，可由管理员调整。",
        )


def unload(apps, schema_editor):
    apps.get_model("board", "WarningRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("board", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
