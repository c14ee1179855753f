"""Officers' corrections of a lead's category: recorded, audited, scoped, and learned from."""

import io
import json

import pytest
from django.core.management import call_command
from django.http import Http404

from silvershield.core.audit import events_for, verify_chain
from silvershield.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from silvershield.core.testing import make_lead
from silvershield.leads.classification import can_correct_category, correct_category, suggest_category
from silvershield.leads.classifier.model import load_classifier
from silvershield.leads.models import CategoryCorrection
from silvershield.leads.workflow import run_lead_transition

# A lead the shipped classifier files, without much confidence, under 养老服务 (fees from the elderly,
# publicity that did not match), which the bureau treats as an ordinary travel dispute.
AMBIGUOUS = "老年大学组织学员外出采风，每人收费800元，行程与宣传不符"


def test_officer_correction_updates_the_lead_and_keeps_the_correction_and_an_audit_event(personas, org):
    lead = make_lead(
        bureau=org.hongshan, actor=personas.legal_officer, category="product_sales", product_domain="food"
    )
    before = events_for(lead).count()
    correction = correct_category(
        lead=lead,
        actor=personas.task_office,
        category="elderly_service",
        product_domain="elderly_care_service",
        reason="核查后确认为养老机构预收费",
    )
    lead.refresh_from_db()
    assert (lead.category, lead.product_domain) == ("elderly_service", "elderly_care_service")
    stored = CategoryCorrection.objects.get(pk=correction.pk)
    assert (stored.old_category, stored.new_category) == ("product_sales", "elderly_service")
    assert (stored.old_product_domain, stored.new_product_domain) == ("food", "elderly_care_service")
    assert stored.actor == personas.task_office and stored.text == lead.summary and stored.corrected_at
    event = events_for(lead).last()
    assert events_for(lead).count() == before + 1
    assert event.actor == personas.task_office and event.action == "update"
    assert event.changes == {
        "category": ["product_sales", "elderly_service"],
        "product_domain": ["food", "elderly_care_service"],
    }
    assert event.reason == "核查后确认为养老机构预收费"
    assert verify_chain() == (True, None)


def test_only_the_domain_may_change(personas, org):
    lead = make_lead(
        bureau=org.hongshan, actor=personas.legal_officer, category="product_sales", product_domain="food"
    )
    correct_category(
        lead=lead, actor=personas.legal_officer, category="product_sales", product_domain="medical_device"
    )
    assert events_for(lead).last().changes == {"product_domain": ["food", "medical_device"]}


def test_unknown_or_unchanged_values_are_refused_and_nothing_is_written(personas, org):
    lead = make_lead(
        bureau=org.hongshan, actor=personas.legal_officer, category="product_sales", product_domain="food"
    )
    before = events_for(lead).count()
    with pytest.raises(InvalidInput) as bad_category:
        correct_category(lead=lead, actor=personas.legal_officer, category="养老服务", product_domain="food")
    assert bad_category.value.field == "category"
    with pytest.raises(InvalidInput) as bad_domain:
        correct_category(
            lead=lead, actor=personas.legal_officer, category="product_sales", product_domain="x"
        )
    assert bad_domain.value.field == "product_domain"
    with pytest.raises(InvalidInput):
        correct_category(
            lead=lead, actor=personas.legal_officer, category="product_sales", product_domain="food"
        )
    assert not CategoryCorrection.objects.exists() and events_for(lead).count() == before


def test_reviewer_may_see_the_lead_but_not_correct_it(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    assert not can_correct_category(lead, personas.reviewer)
    with pytest.raises(PermissionDenied):
        correct_category(
            lead=lead, actor=personas.reviewer, category="not_elder_fraud", product_domain="other"
        )
    assert not CategoryCorrection.objects.exists()


def test_officer_of_another_county_gets_not_found(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    before = lead.category
    with pytest.raises(Http404):
        correct_category(
            lead=lead, actor=personas.outsider, category="not_elder_fraud", product_domain="other"
        )
    lead.refresh_from_db()
    assert lead.category == before and not CategoryCorrection.objects.exists()


def test_a_merged_lead_cannot_be_corrected(personas, org):
    survivor = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)
    lead = run_lead_transition(
        lead=lead,
        name="merge",
        actor=personas.legal_officer,
        reason="重复",
        params={"merged_into": survivor.pk},
    )
    assert not can_correct_category(lead, personas.legal_officer)
    with pytest.raises(TransitionNotAllowed):
        correct_category(
            lead=lead, actor=personas.legal_officer, category="not_elder_fraud", product_domain="other"
        )


def test_suggestion_comes_from_the_lead_summary(personas, org):
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer)  # a health-lecture supplement sale
    assert suggest_category(lead=lead).category == "product_sales"


def test_retraining_learns_from_officers_corrections(personas, org, tmp_path):
    shipped = load_classifier()
    assert shipped.predict(text=AMBIGUOUS).category == "elderly_service"
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer, summary=AMBIGUOUS)
    # An earlier, superseded correction of the same lead must not be learned from.
    correct_category(
        lead=lead, actor=personas.legal_officer, category="elderly_assistance", product_domain="other"
    )
    correct_category(
        lead=lead, actor=personas.legal_officer, category="not_elder_fraud", product_domain="other"
    )

    output = tmp_path / "weights.json"
    out = io.StringIO()
    call_command("leads", "train", "--output", str(output), stdout=out)
    assert "1 correction(s)" in out.getvalue()
    retrained = load_classifier(output)
    assert retrained.trained["corrections"] == 1
    assert retrained.predict(text=AMBIGUOUS).category == "not_elder_fraud"
    # The shipped file was left alone.
    assert load_classifier().trained["corrections"] == 0
    assert json.loads(output.read_text("utf-8"))["format"] == 1
