"""The entity pages: the registry list with search and export, and the entity page."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from silvershield.core.identifiers import uscc_check_character
from silvershield.core.testing import make_lead
from silvershield.entities.services import create_entity

pytestmark = pytest.mark.django_db


def code(body17):
    return body17 + uscc_check_character(body17)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def entities(db):
    shop = create_entity(
        actor=None,
        uscc=code("92150402MA0N2X3Y4"),
        name="赤峰市红山区康寿堂保健品店",
        legal_representative="马德胜",
        division="150402",
        business_scope="保健食品销售",
        is_elderly_related=True,
    )
    garage = create_entity(
        actor=None,
        uscc=code("92150402MA0N2X3Y5"),
        name="红山区顺达汽车修理厂",
        division="150402",
        business_scope="机动车维修",
    )
    songshan = create_entity(
        actor=None,
        uscc=code("92150404MA0N2X3Y6"),
        name="松山区福寿养生馆",
        division="150404",
        is_elderly_related=True,
    )
    return shop, garage, songshan


def test_list_searches_by_pinyin_initials_and_filters(client, personas, entities):
    shop, garage, songshan = entities
    client = signed_in(client, personas.legal_officer)
    html = client.get("/entities/").content.decode()
    assert f'data-entity-id="{shop.pk}"' in html and f'data-entity-id="{songshan.pk}"' not in html
    html = client.get("/entities/", {"q": "kstbjp"}).content.decode()
    assert f'data-entity-id="{shop.pk}"' in html and f'data-entity-id="{garage.pk}"' not in html
    html = client.get("/entities/", {"elderly": "no"}).content.decode()
    assert f'data-entity-id="{garage.pk}"' in html and f'data-entity-id="{shop.pk}"' not in html


def test_bad_filter_names_the_field(client, personas, entities):
    response = signed_in(client, personas.legal_officer).get("/entities/", {"status": "vanished"})
    assert response.status_code == 400 and "经营状态" in response.content.decode()


def test_entity_page_shows_its_leads_and_history(client, personas, org, entities):
    shop = entities[0]
    lead = make_lead(bureau=org.hongshan, actor=personas.legal_officer, party_entity=shop)
    html = signed_in(client, personas.legal_officer).get(f"/entities/{shop.pk}/").content.decode()
    assert shop.uscc in html and "保健食品销售" in html
    assert f'data-lead-id="{lead.pk}"' in html
    assert 'id="timeline"' in html


def test_county_officer_gets_404_for_another_countys_entity(client, personas, entities):
    shop = entities[0]
    assert signed_in(client, personas.outsider).get(f"/entities/{shop.pk}/").status_code == 404


def test_roles_without_the_registry_get_403(client, personas, entities):
    assert signed_in(client, personas.expert).get("/entities/").status_code == 403


def test_export_follows_the_filters(client, personas, entities):
    response = signed_in(client, personas.legal_officer).get("/entities/export.xlsx", {"elderly": "yes"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "赤峰市红山区康寿堂保健品店"
