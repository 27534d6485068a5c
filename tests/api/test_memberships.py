"""Which enterprise / owner unit a user acts for lives in tables owned by those domains."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apisupport import make_user, new_logged_in_client, valid_uscc
from backend import access
from backend.enterprises.models import EnterpriseMember
from backend.enterprises.services import enterprise_create, enterprise_member_add
from backend.sites.models import OwnerUnit, OwnerUnitMember
from backend.sites.services import owner_unit_member_add

pytestmark = pytest.mark.django_db


def test_it_moves_an_enterprise_user_to_another_enterprise_over_time(enterprise):
    other = enterprise_create(uscc=valid_uscc("91310112QTHER00"), name="别家企业", lat=31.13, lng=121.43, industry="F")
    boss = make_user("boss", "enterprise", enterprise=enterprise)
    assert access.enterprises.enterprise_id_of(boss) == enterprise.id
    enterprise_member_add(user=boss, enterprise=other)
    assert access.enterprises.enterprise_id_of(boss) == other.id
    history = list(EnterpriseMember.objects.filter(user=boss).order_by("since", "id").values_list("enterprise_id", "until"))
    assert [e for e, _ in history] == [enterprise.id, other.id]
    assert history[0][1] is not None and history[1][1] is None
    client = new_logged_in_client("boss")
    me = client.get("/api/auth/me").json()
    assert (me["enterprise_id"], me["enterprise_name"]) == (other.id, "别家企业")
    assert client.get(f"/api/enterprises/{enterprise.id}").status_code == 404
    assert client.get(f"/api/enterprises/{other.id}").status_code == 200


def test_it_moves_an_owner_account_to_another_unit(owner_unit):
    unit_b = OwnerUnit.objects.create(code="OU002", name="南塘村经济合作社")
    owner = make_user("owner_b", "owner", owner_unit=owner_unit)
    owner_unit_member_add(user=owner, owner_unit=unit_b)
    assert access.sites.owner_unit_id_of(owner) == unit_b.id
    assert OwnerUnitMember.objects.filter(user=owner).count() == 2
    me = new_logged_in_client("owner_b").get("/api/auth/me").json()
    assert (me["owner_unit_id"], me["owner_unit_name"]) == (unit_b.id, "南塘村经济合作社")


def test_it_gives_an_enterprise_account_without_a_current_membership_nothing(enterprise):
    make_user("former", "enterprise", enterprise=enterprise)
    EnterpriseMember.objects.filter(user__username="former").update(until="2026-01-01T00:00Z")
    client = new_logged_in_client("former")
    me = client.get("/api/auth/me").json()
    assert (me["enterprise_id"], me["enterprise_name"]) == (None, None)
    assert client.get(f"/api/enterprises/{enterprise.id}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_it_copies_the_old_user_links_into_memberships_when_migrating():
    before = [("accounts", "0003_privacy_ack"), ("enterprises", "0001_initial"), ("sites", "0003_fill_area_and_version")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    ent = old.get_model("enterprises", "Enterprise").objects.create(
        uscc="91350100M000100Y43", name="老企业", lat=31.1, lng=121.4, industry="C"
    )
    unit = old.get_model("sites", "OwnerUnit").objects.create(code="OLD1", name="老合作社")
    User = old.get_model("accounts", "User")
    boss = User.objects.create(username="old_boss", role="enterprise", enterprise=ent)
    owner = User.objects.create(username="old_owner", role="owner", owner_unit=unit)
    User.objects.create(username="old_staff", role="staff")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(EnterpriseMember.objects.values_list("user_id", "enterprise_id", "until")) == [(boss.id, ent.id, None)]
    assert list(OwnerUnitMember.objects.values_list("user_id", "owner_unit_id", "until")) == [(owner.id, unit.id, None)]
