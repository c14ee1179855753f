"""Registering and correcting market entities."""

import pytest

from silvershield.core.audit import events_for
from silvershield.core.errors import InvalidInput
from silvershield.core.identifiers import uscc_check_character
from silvershield.entities.models import Entity
from silvershield.entities.queries import entities_visible_to, search_entities
from silvershield.entities.services import create_entity, update_entity


def code(body17="92150402MA0N2X3Y4"):
    return body17 + uscc_check_character(body17)


def make(**overrides):
    fields = dict(
        uscc=code(), name="赤峰市红山区康寿堂保健品店", legal_representative="马德胜", division="150402",
        business_scope="保健食品销售；预包装食品销售", is_elderly_related=True,
    )
    fields.update(overrides)
    return create_entity(actor=None, **fields)


def test_entity_is_created_with_pinyin_initials_and_an_event(db):
    entity = make()
    assert entity.name_initials.startswith("cfshsqkstbjpd")
    assert events_for(entity).first().action == "create"


def test_full_width_credit_code_is_stored_normalised(db):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code())
    assert make(uscc=full_width).uscc == code()


@pytest.mark.parametrize(
    "field, value", [("uscc", "91150402MA0N2X3Y4Z"), ("name", "  "), ("division", "999999"), ("phone", "12")]
)
def test_bad_input_names_the_field_and_writes_nothing(db, field, value):
    with pytest.raises(InvalidInput) as excinfo:
        make(**{field: value})
    assert excinfo.value.field == field
    assert not Entity.objects.exists()


def test_duplicate_credit_code_is_a_field_error(db):
    make()
    with pytest.raises(InvalidInput) as excinfo:
        make(name="另一家")
    assert excinfo.value.field == "uscc"


def test_update_records_the_changed_fields(db):
    entity = make()
    update_entity(entity=entity, actor=None, status="deregistering", address="红山区站前街道1号")
    last = events_for(entity).last()
    assert last.action == "update"
    assert last.changes["status"] == ["active", "deregistering"]


def test_search_by_pinyin_initials(db):
    entity = make()
    assert list(search_entities(Entity.objects.all(), "cfshsq")) == [entity]
    assert list(search_entities(Entity.objects.all(), "康寿堂")) == [entity]
    assert list(search_entities(Entity.objects.all(), "KST")) == [entity]  # initials of 康寿堂, anywhere


def test_county_officer_sees_only_own_divisions_entities(personas, org):
    hongshan_entity = make()
    songshan_entity = make(uscc=code("92150404MA0N2X3Y4"), name="松山区某药店", division="150404")
    assert list(entities_visible_to(personas.outsider)) == [songshan_entity]
    assert set(entities_visible_to(personas.city_leader)) == {hongshan_entity, songshan_entity}
    assert not entities_visible_to(personas.expert).exists()
