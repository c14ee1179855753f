"""The checker on its own (no database): what it flags, where, and what it leaves alone."""

from datetime import date

import pytest

from silvershield.ads.checker import PRODUCT_TYPES, CompiledRulebook
from silvershield.ads.checker.spec import cite
from silvershield.ads.rulebook import DEFAULT_RULES, default_rulespecs

HF_WARNING = "本品不能代替药物。"
HF_NUMBER = "蒙食健广审(文)第260315-00021号"
DRUG_NOTICES = (
    "请按药品说明书或者在药师指导下购买和使用。禁忌、不良反应详见说明书。"
    "国药准字Z15020123 蒙药广审（文）第260411-00012号"
)


@pytest.fixture(scope="module")
def rulebook():
    return CompiledRulebook(rules=default_rulespecs(), on=date(2026, 11, 28))


def articles(rulebook, text, product_type):
    return {v.article for v in rulebook.check(text=text, product_type=product_type)}


def found(rulebook, text, product_type):
    """{article: [offending text, …]} so a test can say both what was found and where."""
    result: dict[str, list[str]] = {}
    for v in rulebook.check(text=text, product_type=product_type):
        result.setdefault(v.article, []).append(text[v.start : v.end])
    return result


def test_citation_uses_arabic_numerals_with_paragraph_and_item_only_where_they_apply():
    assert cite(law="advertising_law", article=18, paragraph=1, item=2) == "广告法第18条第1款第2项"
    assert cite(law="advertising_law", article=9, item=3) == "广告法第9条第3项"
    assert cite(law="advertising_law", article=17) == "广告法第17条"
    assert cite(law="food_safety_law", article=73, paragraph=1) == "食品安全法第73条第1款"


def test_default_rulebook_covers_the_articles_the_issue_names():
    covered = {(rule["law"], rule["article_number"]) for rule in DEFAULT_RULES}
    for number in (9, 16, 17, 18, 19, 25, 28, 38, 46):
        assert ("advertising_law", number) in covered
    assert {("food_safety_law", 73), ("food_safety_law", 79)} <= covered
    assert all(rule["source_note"] and rule["explanation"] for rule in DEFAULT_RULES)


def test_spans_point_at_the_offending_words_even_after_full_width_punctuation(rulebook):
    text = "（新品上市）！！草原牌苦荞茶，专治糖尿病，全国销量第一。"
    result = found(rulebook, text, "ordinary_food")
    assert result["广告法第17条"] == ["专治糖尿病"]
    assert result["食品安全法第73条第1款"] == ["专治糖尿病"]
    assert result["广告法第9条第3项"] == ["销量第一"]


def test_each_finding_has_a_plain_explanation_and_a_severity(rulebook):
    (violation,) = [v for v in rulebook.check(text="本品可根治糖尿病", product_type="other")]
    assert "根治糖尿病" in violation.explanation
    assert violation.severity == "high"
    assert violation.as_output() == {
        "article": "广告法第17条",
        "span": [3, 8],
        "explanation": violation.explanation,
    }


@pytest.mark.parametrize(
    "text",
    [
        "本品为普通食品，不能治疗疾病。",
        "本品并非药品，不能代替药物治疗糖尿病。",
        "网传某茶能降血糖纯属谣言。",
        "谨防宣称“包治百病”的保健品。",
        "市场监管部门提醒：警惕能根治高血压的说法。",
        "有人号称“三天根治颈椎病”，请勿轻信。",
        "“药到病除”的说法都是骗人的。",
    ],
)
def test_negated_quoted_and_warned_against_claims_are_not_findings(rulebook, text):
    assert articles(rulebook, text, "ordinary_food") == set()


def test_quotation_marks_used_for_emphasis_do_not_hide_a_claim(rulebook):
    assert "广告法第17条" in articles(rulebook, "本茶“根治”糖尿病，效果好。", "ordinary_food")


def test_a_negation_in_another_clause_does_not_cancel_the_claim(rulebook):
    assert "广告法第17条" in articles(rulebook, "不打针不吃药，专治糖尿病。", "ordinary_food")


def test_drug_ad_may_state_its_indications_where_a_food_ad_may_not(rulebook):
    sentence = "用于治疗风湿关节炎引起的关节疼痛。"
    assert articles(rulebook, sentence + DRUG_NOTICES, "drug") == set()
    assert articles(rulebook, sentence, "ordinary_food") == {"广告法第17条", "食品安全法第73条第1款"}


def test_health_food_may_state_its_registered_function_but_not_a_cure(rulebook):
    lawful = "保健功能：辅助降血糖。" + HF_WARNING + HF_NUMBER
    assert articles(rulebook, lawful, "health_food") == set()
    cure = "本品能降血糖，治疗糖尿病。" + HF_WARNING + HF_NUMBER
    assert found(rulebook, cure, "health_food")["广告法第18条第1款第2项"] == ["降血糖", "治疗糖尿病"]


def test_health_food_ad_without_the_warning_is_flagged_under_both_laws(rulebook):
    text = "保健功能：增强免疫力。" + HF_NUMBER
    result = {v.article: v for v in rulebook.check(text=text, product_type="health_food")}
    assert {"广告法第18条第2款", "食品安全法第79条"} <= set(result)
    # Nothing in the text is wrong; what is missing is missing from the whole ad.
    assert (result["广告法第18条第2款"].start, result["广告法第18条第2款"].end) == (0, len(text))


def test_copying_the_health_food_warning_into_an_ordinary_food_ad_does_not_make_a_cure_claim_lawful(rulebook):
    text = "本品不能代替药物。黑蒜精华，抗癌防癌。"
    assert found(rulebook, text, "ordinary_food")["广告法第17条"] == ["抗癌防癌"]


def test_required_warnings_per_product_type(rulebook):
    assert "广告法第16条第2款" in articles(rulebook, "清热解毒。国药准字Z15020123", "drug")
    device = "上臂式电子血压计。蒙械注准20232090012 蒙械广审(文)第260501-00003号"
    assert articles(rulebook, device, "medical_device") == {"广告法第16条第3款"}
    with_warning = "上臂式电子血压计。请仔细阅读产品说明书或者在医务人员的指导下购买和使用。" + device[9:]
    assert articles(rulebook, with_warning, "medical_device") == set()
    # An elderly-care service or a plain product needs none of these warnings.
    assert articles(rulebook, "日间照料中心提供助餐服务。", "elder_service") == set()


def test_approval_numbers_missing_or_malformed_are_flagged_never_called_unreviewed(rulebook):
    missing = rulebook.check(text="保健功能：增强免疫力。" + HF_WARNING, product_type="health_food")
    assert [v.article for v in missing] == ["广告法第46条"]
    assert "无法判断是否经过审查" in missing[0].explanation
    text = "布洛芬缓释胶囊。" + DRUG_NOTICES.replace("Z15020123", "H2005123")
    assert found(rulebook, text, "drug") == {"广告法第46条": ["国药准字H2005123"]}


@pytest.mark.parametrize(
    "number",
    [
        "国药准字H20051234",
        "国食健注G20150123",
        "国食健字G20040123",
        "卫食健字(2000)第0123号",
        "卫食健字（2000）第0123号",
        "食健备G202137000123",
        "国械注准20153120123",
        "蒙械注准20152640012",
    ],
)
def test_well_formed_approval_numbers_are_accepted(rulebook, number):
    assert articles(rulebook, f"产品批准文号：{number}。", "other") == set()


def test_investment_rules_apply_only_to_ads_with_an_investment_return(rulebook):
    pitch = "养老公寓认购，每年12%固定回报，保本保息。"
    result = found(rulebook, pitch, "elder_service")
    assert result["广告法第25条第1项"] == ["12%固定回报", "保本保息"]
    assert "广告法第25条" in result  # no risk warning
    assert articles(rulebook, "零风险购物，七天无理由退货。", "other") == set()
    assert articles(rulebook, "理财产品不保本，投资有风险。", "other") == set()


def test_testimonial_of_an_impossible_effect_and_endorsers(rulebook):
    text = "张大爷服用三个月，血糖恢复正常。专家推荐。" + HF_WARNING + HF_NUMBER
    result = found(rulebook, text, "health_food")
    assert result["广告法第28条第2款第4项"] == ["服用三个月，血糖恢复正常"]
    assert result["广告法第18条第1款第5项"] == ["专家推荐"]
    assert result["广告法第38条第1款"] == ["专家推荐"]
    # An ordinary food may use an endorser.
    assert "广告法第38条第1款" not in articles(rulebook, "专家推荐的好小米。", "ordinary_food")


def test_child_endorser_under_ten(rulebook):
    assert articles(rulebook, "8岁小童星倾情推荐的饼干。", "ordinary_food") == {"广告法第38条第2款"}
    assert articles(rulebook, "18岁的冠军推荐的饼干。", "ordinary_food") == set()


def test_absolute_terms_but_not_everyday_advice(rulebook):
    assert articles(rulebook, "行业第一的小米，顶级品质。", "ordinary_food") == {"广告法第9条第3项"}
    assert articles(rulebook, "最佳赏味期6个月，最好在阴凉处保存。", "ordinary_food") == set()


def test_every_product_type_is_checked_and_an_unknown_one_is_refused(rulebook):
    for product_type in PRODUCT_TYPES:
        rulebook.check(text="普通的广告文字。", product_type=product_type)
    with pytest.raises(KeyError):
        rulebook.check(text="x", product_type="food")


def test_rules_outside_their_dates_or_disabled_do_not_apply():
    rules = [rule for rule in default_rulespecs() if rule.code == "ad17_disease_treatment"]
    assert (
        CompiledRulebook(rules=rules, on=date(2015, 8, 31)).check(text="专治糖尿病", product_type="other")
        == []
    )
    assert CompiledRulebook(rules=rules, on=date(2015, 9, 1)).check(text="专治糖尿病", product_type="other")


def test_baseline_finds_exactly_what_the_engine_finds():
    from silvershield.ads.benchmark import generate_ads
    from silvershield.ads.checker.baseline import RegexBaselineRulebook

    engine = CompiledRulebook(rules=default_rulespecs(), on=date(2026, 11, 28))
    baseline = RegexBaselineRulebook(rules=default_rulespecs(), on=date(2026, 11, 28))
    for text, product_type in generate_ads(n=300, seed=7):
        assert baseline.check(text=text, product_type=product_type) == engine.check(
            text=text, product_type=product_type
        )
