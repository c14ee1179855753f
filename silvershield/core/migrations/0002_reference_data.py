"""Reference data: Chifeng's divisions (DOMAIN.md C.10), the statutory clocks (Part B), numbering rules,
and database triggers that keep the audit history append-only."""

from datetime import date

from django.db import migrations

DIVISIONS = [
    ("150000", "内蒙古自治区", None, "province"),
    ("150400", "赤峰市", "150000", "city"),
    ("150402", "红山区", "150400", "county"),
    ("150403", "元宝山区", "150400", "county"),
    ("150404", "松山区", "150400", "county"),
    ("150421", "阿鲁科尔沁旗", "150400", "county"),
    ("150422", "巴林左旗", "150400", "county"),
    ("150423", "巴林右旗", "150400", "county"),
    ("150424", "林西县", "150400", "county"),
    ("150425", "克什克腾旗", "150400", "county"),
    ("150426", "翁牛特旗", "150400", "county"),
    ("150428", "喀喇沁旗", "150400", "county"),
    ("150429", "宁城县", "150400", "county"),
    ("150430", "敖汉旗", "150400", "county"),
]

# (code, name, subject, start, stop, length, unit, extension, extension rule, source, from, to, verified)
CLOCKS = [
    ("lead_verification", "核查线索并决定是否立案", "lead", "received", "concluded", 15, "working_days", 15,
     "经市场监督管理部门负责人批准可延长十五个工作日；检测、检验、检疫、鉴定等时间不计入",
     "市场监督管理行政处罚程序规定 第十八条", date(2019, 4, 1), None, True),
    ("case_decision", "立案后作出处理决定", "case", "opened", "decided", 90, "calendar_days", 30,
     "经负责人批准可延长三十日；再延期须负责人集体讨论决定；中止、听证、公告、检测等时间不计入",
     "市场监督管理行政处罚程序规定 第六十四条", date(2019, 4, 1), None, True),
    ("case_review", "法制审核或案件审核", "case", "in_review", "notified", 10, "working_days", 0,
     "特殊情况下经负责人批准可以延长", "市场监督管理行政处罚程序规定 第五十五条", date(2019, 4, 1), None, True),
    ("party_statement", "当事人陈述、申辩或要求听证", "case", "notified", "decided", 5, "working_days", 0, "",
     "市场监督管理行政处罚程序规定 第五十七条", date(2019, 4, 1), None, True),
    ("case_closing", "结案", "case", "executed", "closed", 15, "working_days", 0, "",
     "市场监督管理行政处罚程序规定 第七十七条", date(2019, 4, 1), None, True),
    ("penalty_publication", "公示行政处罚信息", "case", "decided", "published", 20, "working_days", 0,
     "当事人在其他省份的：10个工作日推送，接收地10个工作日公示",
     "市场监督管理行政处罚信息公示规定 第九条、第十条", date(2021, 9, 1), None, True),
    ("criminal_transfer_approval", "批准移送涉嫌犯罪案件", "case", "transfer_reported", "transfer_approved", 3,
     "calendar_days", 0, "“日”未定义为工作日或自然日（待核实），按自然日计算，可由管理员修改",
     "行政执法机关移送涉嫌犯罪案件的规定 第五条", date(2020, 8, 7), None, False),
    ("complaint_acceptance", "决定是否受理投诉", "lead", "received", "accepted", 7, "working_days", 0, "",
     "市场监督管理投诉举报处理暂行办法 第十四条", date(2020, 1, 1), date(2026, 4, 14), True),
    ("complaint_acceptance", "决定是否受理投诉（新规，待核实）", "lead", "received", "accepted", 7, "working_days", 0,
     "总局令第121号的受理期限尚未核实，暂沿用旧规，请管理员核对后修改",
     "市场监督管理投诉举报处理办法（总局令第121号）", date(2026, 4, 15), None, False),
    ("reporter_notification", "告知实名举报人是否立案", "lead", "case_decision", "reporter_told", 5,
     "working_days", 0, "", "市场监督管理投诉举报处理暂行办法 第三十一条", date(2020, 1, 1), date(2026, 4, 14), True),
    ("reporter_notification", "告知实名举报人是否立案（新规，待核实）", "lead", "case_decision", "reporter_told", 5,
     "working_days", 0, "总局令第121号的告知期限尚未核实，暂沿用旧规，请管理员核对后修改",
     "市场监督管理投诉举报处理办法（总局令第121号）", date(2026, 4, 15), None, False),
]

NUMBERING = [
    ("lead", "{prefix}线〔{year}〕{seq:05d}号", "线索（案件来源登记表）编号"),
    ("case", "{prefix}立〔{year}〕{seq:05d}号", "立案编号"),
]

TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
        "CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;",
        "CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();",
    ],
}


def load(apps, schema_editor):
    Division = apps.get_model("core", "Division")
    for code, name, parent, level in DIVISIONS:
        Division.objects.update_or_create(code=code, defaults={"name": name, "parent_id": parent, "level": level})
    ClockRule = apps.get_model("core", "ClockRule")
    for (code, name, subject, start, stop, length, unit, ext, ext_rule, source, frm, to, verified) in CLOCKS:
        ClockRule.objects.get_or_create(
            code=code, effective_from=frm,
            defaults=dict(name=name, subject=subject, start_event=start, stop_event=stop, length=length, unit=unit,
                          extension_length=ext, extension_rule=ext_rule, source=source, effective_to=to,
                          verified=verified),
        )
    NumberingRule = apps.get_model("core", "NumberingRule")
    for kind, pattern, description in NUMBERING:
        NumberingRule.objects.get_or_create(kind=kind, defaults={"pattern": pattern, "description": description})


def add_triggers(apps, schema_editor):
    for sql in TRIGGERS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
