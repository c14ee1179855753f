"""Default rulebook for measure 4: elderly-related keywords, risk weights and tier rules.

Administrators change them in the admin; these are starting points, not law. DOMAIN.md C.7: no national
inspection ratios or frequencies exist (the 大庆/林甸 example below is not binding; Inner Mongolia's are
UNVERIFIED), and no national scoring weights exist at all.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

MEASURE4 = "赤峰市市场监管局“八项措施”之四：涉老市场主体（经营范围含养老、养老服务、老年人养护服务及保健品店、食品、保健食品、医疗器械等）"
LOCAL = "银盾默认值，无全国统一标准，由本局设定"
FROM = date(2022, 1, 1)

# (keyword, where, category, active, note)
RULES = [
    ("养老", "both", "elderly_care", True, ""),
    ("老年人养护", "scope", "elderly_care", True, ""),
    ("老年人日间照料", "scope", "elderly_care", True, ""),
    ("老年公寓", "name", "elderly_care", True, ""),
    ("敬老院", "name", "elderly_care", True, ""),
    ("护理院", "name", "elderly_care", True, ""),
    ("老年人", "both", "elderly_care", True, "经营范围或名称面向老年人"),
    ("保健食品", "scope", "health_food", True, ""),
    ("保健品", "both", "health_food", True, "保健品店"),
    ("保健用品", "scope", "health_food", True, ""),
    ("养生保健", "scope", "health_food", True, ""),
    ("特殊医学用途配方食品", "scope", "food", True, ""),
    ("老年食品", "both", "food", True, ""),
    ("营养品", "both", "food", True, ""),
    ("食品销售", "scope", "food", False, "范围过宽（所有便利店），默认停用；需要时由管理员启用"),
    ("医疗器械", "both", "medical_device", True, ""),
    ("康复辅具", "scope", "medical_device", True, ""),
    ("药品零售", "scope", "drug", True, ""),
    ("大药房", "name", "drug", True, ""),
    ("康养", "both", "wellness_travel", True, ""),
    ("旅居", "both", "wellness_travel", True, ""),
    ("养生旅游", "scope", "wellness_travel", True, ""),
    ("理疗", "both", "therapy", True, ""),
    ("健康咨询", "scope", "therapy", True, "健康讲座常见的经营范围"),
    ("健康管理", "both", "therapy", True, ""),
    ("艾灸", "both", "therapy", True, ""),
]

# (factor, category, weight, cap)
WEIGHTS = [
    ("complaints", "", "4", "20"),
    ("leads", "", "3", "15"),
    ("open_leads", "", "5", "20"),
    ("cases", "", "10", "30"),
    ("penalties", "", "15", "30"),
    ("ad_findings", "", "6", "24"),
    ("inspection_issues", "", "5", "15"),
    ("inspection_serious", "", "15", "30"),
    ("open_hazards", "", "4", "16"),
    ("chain", "", "10", None),
    ("credit_abnormal", "", "10", None),
    ("credit_serious", "", "40", None),
    ("category", "health_food", "10", None),
    ("category", "wellness_travel", "10", None),
    ("category", "medical_device", "8", None),
    ("category", "drug", "6", None),
    ("category", "therapy", "6", None),
    ("category", "elderly_care", "5", None),
    ("category", "food", "3", None),
]

TIER_SOURCE = (
    "国市监信发〔2022〕6号定A/B/C/D四类，未定抽查比例和频次；默认值取自大庆/林甸2024年示例（A≤5%、B 5–20%、"
    "C 21–60%、D 61–100%），对内蒙古不具约束力，须由本局设定（DOMAIN.md C.7）"
)
TIERS = [
    ("A", "0", "5", "0.5", "信用风险低：除投诉举报、大数据监测、转办交办线索外可不主动检查（无事不扰）"),
    ("B", "10", "20", "1", "信用风险一般：按常规比例和频次抽查"),
    ("C", "30", "60", "2", "信用风险较高：提高抽查比例和频次"),
    ("D", "60", "100", "4", "信用风险高：严格监管，大幅提高抽查比例和频次，必要时现场检查（无处不在）"),
]


def load(apps, schema_editor):
    ElderlyRule = apps.get_model("entities", "ElderlyRule")
    RiskWeight = apps.get_model("entities", "RiskWeight")
    RiskTierRule = apps.get_model("entities", "RiskTierRule")
    ElderlyRule.objects.bulk_create(
        ElderlyRule(keyword=k, where=w, category=c, active=a, note=n, source=MEASURE4, effective_from=FROM)
        for k, w, c, a, n in RULES
    )
    RiskWeight.objects.bulk_create(
        RiskWeight(
            factor=f, category=c, weight=Decimal(w), cap=Decimal(cap) if cap else None, source=LOCAL,
            effective_from=FROM,
        )
        for f, c, w, cap in WEIGHTS
    )
    RiskTierRule.objects.bulk_create(
        RiskTierRule(
            tier=t, min_score=Decimal(s), inspection_ratio=Decimal(r), inspections_per_year=Decimal(n),
            meaning=m, source=TIER_SOURCE, effective_from=FROM,
        )
        for t, s, r, n, m in TIERS
    )


def unload(apps, schema_editor):
    for name in ("ElderlyRule", "RiskWeight", "RiskTierRule"):
        apps.get_model("entities", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("entities", "0002_measure4")]
    operations = [migrations.RunPython(load, unload)]
