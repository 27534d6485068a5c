// 轨迹: one person's check-ins and check-outs for one day — pick the person (from
// the team) and the day, step day by day — on a map (numbered pins, the path,
// flagged points in red) and a timeline beside it (below it on phones). Tapping
// a point opens the visit with its flags to review.
//
// Routes: #/trails?staff=<id>&date=YYYY-MM-DD (managers), #/team-trail?… (admins,
// under 团队), #/my-trail?date=… (anyone's own trail). Every read of someone
// else's trail is logged by the server, and they can see who looked.

import { get } from "../common/api.js";
import { addDays, formatDayLong, isDay, today } from "../common/dates.js";
import { openFlagReview } from "./flagreview.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { formatNumber } from "./metrics.js";
import { loadRoster } from "./roster.js";
import { renderTimeline } from "./timeline.js";
import { mountTrailMap, pointReview } from "./trailmap.js";
import { errorView, h, icon, stateView } from "../common/ui.js";

// The last person and day looked at, so that the 轨迹 tab comes back to them.
let lastPick = { staff: null, date: null };

function summaryItem(id, label, value) {
  return h("div", { class: "trail-stat", id }, h("span", { class: "trail-stat-value" }, value), h("span", { class: "trail-stat-label" }, label));
}

export function mount(el, { user, name, params }) {
  const own = name === "my-trail" || user.role === "staff";
  const day0 = isDay(params.get("date")) && params.get("date") <= today() ? params.get("date") : lastPick.date || today();
  const staff0 = own ? user.id : Number(params.get("staff")) || lastPick.staff || null;
  const pick = { staff: staff0, date: day0 };

  const staffSelect = h("select", { class: "input", id: "trail-staff", "aria-label": t("trail.staff"), disabled: true }, h("option", { value: "" }, t("state.loading")));
  const dateInput = h("input", { type: "date", class: "input", id: "trail-date", value: pick.date, max: today(), "aria-label": t("trail.date") });
  const prevButton = h("button", { type: "button", class: "btn btn-secondary day-step", id: "day-prev", "aria-label": t("trail.prevDay") }, "‹", h("span", { class: "day-step-label" }, " ", t("trail.prevDayShort")));
  const nextButton = h("button", { type: "button", class: "btn btn-secondary day-step", id: "day-next", "aria-label": t("trail.nextDay") }, h("span", { class: "day-step-label" }, t("trail.nextDayShort"), " "), "›");
  const summary = h("section", { class: "trail-summary", id: "trail-summary", hidden: true });
  const side = h("div", { class: "trail-side", id: "trail-side" });
  const mapWrap = h("div", { class: "trail-map-wrap", id: "trail-map" });

  el.append(
    h(
      "div",
      { class: "wide-page trail-page" },
      h(
        "section",
        { class: "card controls-card trail-controls" },
        own ? null : h("label", { class: "field trail-staff-field" }, h("span", { class: "field-title" }, t("trail.staff")), staffSelect),
        h(
          "div",
          { class: "field trail-date-field" },
          h("span", { class: "field-title" }, t("trail.date")),
          h("div", { class: "day-stepper" }, prevButton, dateInput, nextButton),
        ),
      ),
      own ? null : h("p", { class: "hint trail-logged" }, icon("warning"), t("trail.loggedHint")),
      summary,
      h("div", { class: "trail-body" }, mapWrap, side),
    ),
  );

  let trail = null;
  let selected = null;
  let controller = null;
  let gone = false;
  let sheet = null;
  const trailMap = mountTrailMap(mapWrap, { onPick: (index) => openPoint(index) });

  function writeHash() {
    lastPick = own ? { staff: null, date: pick.date } : { ...pick };
    const query = own ? `date=${pick.date}` : `staff=${pick.staff}&date=${pick.date}`;
    history.replaceState(history.state, "", `#/${name}?${query}`);
  }

  function renderControls() {
    dateInput.value = pick.date;
    nextButton.disabled = pick.date >= today();
  }

  function renderSummary() {
    if (!trail) {
      summary.hidden = true;
      return;
    }
    summary.hidden = false;
    const who = h(
      "p",
      { class: "trail-who" },
      h("span", { class: "trail-who-name", id: "trail-who" }, trail.staff_name),
      h("span", { class: "trail-day", id: "trail-day" }, formatDayLong(trail.date)),
    );
    if (!trail.points.length) {
      // Said above the map: on a phone the column under the map is below the fold,
      // and an empty map alone looks like one still loading.
      summary.replaceChildren(
        who,
        h("div", { class: "notice trail-empty", id: "trail-empty", role: "status" }, icon("empty"), h("span", {}, h("strong", {}, t("trail.emptyTitle")), " ", t("trail.emptyMessage"))),
      );
      return;
    }
    const visits = new Set(trail.points.map((p) => p.visit_id)).size;
    const pending = trail.points.filter((p) => pointReview(p) === "pending").length;
    const flagged = trail.points.filter((p) => pointReview(p)).length;
    summary.replaceChildren(
      who,
      h(
        "div",
        { class: "trail-stats" },
        summaryItem("trail-visits", t("trail.visits"), formatNumber(visits)),
        summaryItem("trail-distance", t("trail.distanceKm"), formatNumber(trail.distance_km, { decimals: 1 })),
        summaryItem("trail-flagged", t("trail.flagged"), formatNumber(flagged)),
        h("div", { class: `trail-stat ${pending ? "trail-stat-bad" : ""}`, id: "trail-pending" }, h("span", { class: "trail-stat-value" }, formatNumber(pending)), h("span", { class: "trail-stat-label" }, t("trail.pending"))),
      ),
    );
  }

  function renderSide() {
    if (!trail.points.length) {
      side.replaceChildren(); // the summary above the map says so
      return;
    }
    side.replaceChildren(renderTimeline(trail, { selected, onPick: (index) => openPoint(index) }));
  }

  function openPoint(index) {
    if (!trail || !trail.points[index]) return;
    selected = index;
    trailMap.select(index);
    renderSide();
    const item = side.querySelector(`#point-${index}`);
    item?.scrollIntoView({ block: "nearest" });
    const point = trail.points[index];
    sheet = openFlagReview({
      visitId: point.visit_id,
      point,
      user,
      onReviewed: (visitId, flag, status) => {
        if (gone || !trail) return;
        for (const p of trail.points) {
          if (p.visit_id !== visitId) continue;
          for (const f of p.flags) if (f.flag === flag) f.status = status;
        }
        trailMap.show(trail, { fit: false });
        trailMap.select(selected);
        renderSummary();
        renderSide();
      },
    });
  }

  async function loadTrail() {
    controller?.abort();
    const mine = (controller = new AbortController());
    renderControls();
    if (!pick.staff) return;
    writeHash();
    trail = null;
    selected = null;
    summary.hidden = true;
    side.replaceChildren(stateView("loading", { title: t("trail.loading") }));
    trailMap.show({ points: [], legs: [] }, { fit: false });
    try {
      const data = await get(`/api/trails?staff_id=${pick.staff}&date=${pick.date}`, { signal: mine.signal });
      if (gone || mine.signal.aborted) return;
      trail = data;
      trailMap.show(trail, { fit: true });
      renderSummary();
      renderSide();
    } catch (error) {
      if (gone || mine.signal.aborted) return;
      summary.hidden = true;
      side.replaceChildren(errorView(error, { title: t(error.offline ? "trail.offlineTitle" : "trail.errorTitle"), onRetry: loadTrail }));
    }
  }

  async function loadStaff() {
    side.replaceChildren(stateView("loading", { title: t("trail.loading") }));
    try {
      const roster = await loadRoster();
      if (gone) return;
      if (!roster.length) {
        staffSelect.replaceChildren(h("option", { value: "" }, "—"));
        side.replaceChildren(stateView("empty", { title: t("team.emptyTitle"), message: t("team.emptyMessage") }));
        return;
      }
      // Someone else first: a manager mostly looks at the team, not at themselves.
      if (!pick.staff) pick.staff = (roster.find((r) => r.staff_id !== user.id) || roster[0]).staff_id;
      const options = roster.map((r) => h("option", { value: String(r.staff_id) }, r.team && new Set(roster.map((x) => x.team)).size > 1 ? `${r.staff_name}（${r.team}）` : r.staff_name));
      if (!roster.some((r) => r.staff_id === pick.staff)) options.unshift(h("option", { value: String(pick.staff) }, t("trail.staffId", { id: pick.staff })));
      staffSelect.replaceChildren(...options);
      staffSelect.value = String(pick.staff);
      staffSelect.disabled = false;
    } catch (error) {
      if (gone) return;
      // Without the list, a person named in the link can still be shown.
      if (!pick.staff) {
        side.replaceChildren(errorView(error, { title: t(error.offline ? "trail.offlineTitle" : "trail.errorTitle"), onRetry: loadStaff }));
        return;
      }
      staffSelect.replaceChildren(h("option", { value: String(pick.staff) }, t("trail.staffId", { id: pick.staff })));
    }
    loadTrail();
  }

  staffSelect.addEventListener("change", () => {
    pick.staff = Number(staffSelect.value) || null;
    loadTrail();
  });
  dateInput.addEventListener("change", () => {
    if (!isDay(dateInput.value) || dateInput.value > today()) return renderControls();
    pick.date = dateInput.value;
    loadTrail();
  });
  prevButton.addEventListener("click", () => {
    pick.date = addDays(pick.date, -1);
    loadTrail();
  });
  nextButton.addEventListener("click", () => {
    if (pick.date >= today()) return;
    pick.date = addDays(pick.date, 1);
    loadTrail();
  });

  renderControls();
  if (own) loadTrail();
  else loadStaff();

  return () => {
    gone = true;
    controller?.abort();
    sheet?.close();
    trailMap.destroy();
  };
}
