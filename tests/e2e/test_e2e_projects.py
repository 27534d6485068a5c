"""招商项目 on a 360-px phone (issue 15, acceptance 4): a staff member starts a lead from a
visit's record, moves it to 洽谈, asks for 签约 with the contract; the manager approves it
on the project page; the 调度会 packet shows the change."""

import datetime as dt
import uuid

import pytest
from e2e_support import log_in, small_touch_targets
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

def jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def phone_of(new_context, username):
    context = new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, username)
    return page, errors


def test_it_takes_a_lead_from_a_visit_to_an_approved_signing_and_into_the_packet(new_context, users, tmp_path, settings):
    from django.utils import timezone

    from backend.enterprises.models import Enterprise
    from backend.projects.models import Project, StageChange
    from backend.visits.models import Visit

    settings.MEDIA_ROOT = tmp_path
    enterprise = Enterprise.objects.get()
    now = timezone.now()
    visit = Visit.objects.create(
        client_id=uuid.uuid4(), staff=users["staff"], enterprise=enterprise, checkin_at=now - dt.timedelta(hours=1),
        checkin_received_at=now, checkin_lat=31.121, checkin_lng=121.421, distance_m=12, within_geofence=True,
        checkout_client_id=uuid.uuid4(), checkout_at=now - dt.timedelta(minutes=20), checkout_lat=31.121,
        checkout_lng=121.421, purpose="investment", summary="对方计划新建电池包产线",
    )

    staff, staff_errors = phone_of(new_context, "e2e_staff")
    staff.goto(f"/#/visit/{visit.id}")
    staff.locator("#visit-start-lead").click()
    expect(staff.locator("#project-from-visit")).to_contain_text("测试精密制造有限公司")
    staff.locator("#project-name").fill("电池包产线项目")
    staff.locator("#project-investment").fill("12000")
    assert small_touch_targets(staff) == []
    staff.locator("#project-save").click()
    expect(staff.locator("#project-stage")).to_have_text("线索")
    project = Project.objects.get()
    assert (project.enterprise_id, list(project.visits.values_list("id", flat=True))) == (enterprise.id, [visit.id])

    # 线索 → 洽谈 by tap.
    staff.locator("#project-move-talks").click()
    staff.locator("#project-move-comment").fill("首次洽谈，对方关注用地")
    staff.locator("#project-move-confirm").click()
    expect(staff.locator("#project-stage")).to_have_text("洽谈")
    expect(staff.locator("#project-probability")).to_have_text("30%")
    # 签约 asks for the contract: upload it, then the request goes to the manager.
    staff.locator("#project-files-input").set_input_files({"name": "投资协议.jpg", "mimeType": "image/jpeg", "buffer": jpeg()})
    expect(staff.locator("#project-files-list li")).to_have_count(1)
    staff.locator("#project-move-signed").click()
    expect(staff.locator("#project-move-evidence")).to_be_visible()
    staff.locator("#project-move-confirm").click()
    expect(staff.locator("#project-request")).to_contain_text("洽谈 → 签约")
    expect(staff.locator("#project-stage")).to_have_text("洽谈")  # the gate: not before approval
    expect(staff.locator("#project-approve")).to_have_count(0)

    manager, manager_errors = phone_of(new_context, "e2e_manager")
    manager.locator("#tabbar a[href='#/me']").click()
    manager.locator("#projects-row").click()
    manager.locator("#projects-stage-talks").click()
    expect(manager.locator(f"#project-{project.id} .pj-pending")).to_be_visible()
    manager.locator(f"#project-{project.id}").click()
    manager.locator("#project-approve").click()
    expect(manager.locator("#project-stage")).to_have_text("签约")
    expect(manager.locator("#project-probability")).to_have_text("60%")
    expect(manager.locator("#project-timeline .pj-change[data-kind=move]")).to_have_count(2)
    assert list(StageChange.objects.filter(kind="move").values_list("to_stage__code", "approved_by__username").order_by("at")) == [
        ("talks", None), ("signed", "e2e_manager"),
    ]

    # The 调度会 packet, since yesterday: the project entered 签约 and is counted there.
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    manager.goto(f"/#/projects/packet?since={since}")
    expect(manager.locator("#packet-stages tr[data-stage=signed] td").nth(1)).to_have_text("1")
    expect(manager.locator("#packet-changes")).to_contain_text("电池包产线项目")
    expect(manager.locator("#packet-changes")).to_contain_text("洽谈 → 签约")
    expect(manager.locator("#packet-conversion")).to_contain_text("签约 1 个")
    assert manager.locator("#packet-xlsx").get_attribute("href").endswith("format=xlsx")
    # The dashboard under it: this month's lead, signing; manufacturing (the visit's company) with its investment.
    expect(manager.locator("#packet-months tbody tr").last).to_contain_text("1")
    expect(manager.locator("#packet-industries")).to_contain_text("制造业")
    expect(manager.locator("#packet-industries")).to_contain_text("12,000")
    assert staff_errors == [] and manager_errors == []


def test_a_manager_drags_a_card_between_columns_on_a_tablet_and_hands_the_project_over(new_context, users):
    """Issue 15 items 3–4: a kanban by drag on a tablet (a stage that wants evidence opens the
    project instead), and reassignment on the phone that keeps the stage and every follow-up."""
    from backend.projects.models import FollowUp, Project, StageChange
    from backend.projects.services import follow_up_add, project_create

    project = project_create(user=users["staff"], name="智能装备产业园", investor_name="某装备集团", investment_wan=5000, source="fair")
    for note in ("首次接洽", "看了东区地块"):
        follow_up_add(user=users["staff"], project_id=project.id, note=note)

    tablet = new_context(viewport={"width": 1180, "height": 820}, is_mobile=False, has_touch=False)
    page = tablet.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "e2e_manager")
    page.goto("/#/projects")
    card = page.locator(f"#project-{project.id}")
    expect(page.locator("#projects-column-lead")).to_contain_text("智能装备产业园")
    card.drag_to(page.locator("#projects-column-talks"))
    expect(page.locator(f"#projects-column-talks #project-{project.id}")).to_be_visible()
    assert Project.objects.get(id=project.id).stage.code == "talks"
    assert StageChange.objects.filter(project=project, to_stage__code="talks", actor=users["manager"]).exists()
    # 签约 wants the contract: the drop opens the project to choose it, nothing moves.
    page.locator(f"#project-{project.id}").drag_to(page.locator("#projects-column-signed"))
    expect(page.locator("#project-name")).to_have_text("智能装备产业园")
    assert Project.objects.get(id=project.id).stage.code == "talks"
    tablet.close()

    phone, phone_errors = phone_of(new_context, "e2e_manager")
    phone.goto(f"/#/projects/{project.id}")
    expect(phone.locator("#project-reassign-select option")).to_have_count(2)  # the prompt and the manager
    phone.locator("#project-reassign-select").select_option(str(users["manager"].id))
    phone.locator("#project-reassign").click()
    expect(phone.locator("#project-lead")).to_contain_text(users["manager"].display_name)
    expect(phone.locator("#project-stage")).to_have_text("洽谈")
    assert small_touch_targets(phone) == []
    moved = Project.objects.get(id=project.id)
    assert (moved.lead_id, moved.stage.code) == (users["manager"].id, "talks")
    assert FollowUp.objects.filter(project=project).count() == 2
    assert errors == [] and phone_errors == []
