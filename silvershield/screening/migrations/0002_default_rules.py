"""Default routing rules and screening thresholds (law as data: an administrator edits them in the admin)."""

from datetime import date

from django.db import migrations

SETTING_SOURCE = (
    "UNVERIFIED: no statute fixes the clock window, the major-loss threshold or the cluster-key cap; bureau practice, "
    "editable. Two verifiers: 《市场监督管理行政处罚程序规定》第十九条（两名以上具有行政执法资格的办案人员）"
)

RULES = [
    dict(
        name="连锁、跨区经营报市局", order=10, words="连锁|多家门店|多家同名门店|分店|跨区|各旗县区",
        target="city_enforcement", priority="high",
        note="跨区域、连锁经营的线索由市局执法稽查统筹，上下联动、跨区域协同",
        source="DOMAIN.md 措施6（大案要案协同作战）；《市场监督管理行政处罚程序规定》第十一条、第十四条（上级可以办理下级管辖的案件）",
    ),
    dict(
        name="上级交办", order=20, channels=["assigned"], priority="high",
        note="上级交办线索，按交办期限反馈办理结果",
        source="DOMAIN.md 措施2（案源登记）；交办文件载明的期限",
    ),
    dict(
        name="危害老人健康", order=30, words="停药|住院|抢救|死亡|中毒|晕倒",
        priority="urgent", note="涉及老年人生命健康，优先核查，必要时先行采取措施",
        source="UNVERIFIED: 局内工作惯例（危及人身健康的线索优先办理），可修改",
    ),
    dict(
        name="涉嫌非法集资", order=40, categories=["project_investment", "house_for_pension"],
        words="集资|高息|返利|保本|以房养老|抵押", priority="high",
        note="可能涉嫌非法集资或诈骗，核查中注意移送公安、金融监管部门",
        source="国务院《防范和处置非法集资条例》第十二条、第二十二条（行业主管部门配合处置）；DOMAIN.md 措施6",
    ),
    dict(
        name="匿名举报", order=50, anonymous="yes",
        note="匿名举报：核查后无需答复举报人，但须登记核查结果",
        source="《市场监督管理投诉举报处理暂行办法》第三十一条（举报人实名的，告知是否立案）",
    ),
]


def load(apps, schema_editor):
    Setting = apps.get_model("screening", "ScreeningSetting")
    Rule = apps.get_model("screening", "RoutingRule")
    Setting.objects.create(
        due_window_days=5, major_loss_amount=100000, min_verifiers=2, max_leads_per_key=60,
        source=SETTING_SOURCE, effective_from=date(2022, 4, 1),
    )
    for row in RULES:
        Rule.objects.create(effective_from=date(2022, 4, 1), **row)


def unload(apps, schema_editor):
    apps.get_model("screening", "ScreeningSetting").objects.all().delete()
    apps.get_model("screening", "RoutingRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
