// The sheet a manager opens from a trail point: the visit (times, distances,
// purpose, summary, demands) and, for each flag, its review — 认可 / 已说明 /
// 不认可 with a comment — saved to the server. The staff member's own
// explanation shows beside it. Opening it reads the visit (logged on the server).

import { get, post } from "../common/api.js";
import { formatAccuracy, formatDateTime, formatDistance, formatDuration } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { openSheet } from "../common/sheet.js";
import { errorView, h, icon, stateView, toast } from "../common/ui.js";
import { demandList, flagLabel, reviewLabel } from "../visits/parts.js";

const VERDICTS = ["accepted", "explained", "rejected"];

function row(label, value, id) {
  return h("div", { class: "row" }, h("span", { class: "row-label" }, label), h("span", { class: "row-value", id }, value ?? "—"));
}

function details(visit, point) {
  return h(
    "section",
    { class: "review-visit" },
    h(
      "div",
      { class: "rows" },
      row(t("trail.staff"), visit.staff_name, "review-staff"),
      row(t("visit.checkinAt"), formatDateTime(visit.checkin_at)),
      row(t("visit.checkoutAt"), visit.checkout_at ? formatDateTime(visit.checkout_at) : t("trail.notOut")),
      visit.duration_s ? row(t("checkout.duration"), formatDuration(visit.duration_s)) : null,
      row(t("trail.checkinDistance"), formatDistance(visit.distance_m), "review-distance"),
      point && point.kind === "out" ? row(t("trail.checkoutDistance"), formatDistance(point.distance_m)) : null,
      point ? row(t("measure.accuracy"), formatAccuracy(point.accuracy_m)) : null,
      row(t("form.purpose"), visit.purpose ? t(`purpose.${visit.purpose}`) : "—"),
      visit.people_met ? row(t("form.people"), visit.people_met) : null,
    ),
    visit.summary ? h("p", { class: "visit-summary" }, visit.summary) : null,
    h("h3", { class: "sub-title" }, t("form.demands")),
    demandList(visit.demands),
    visit.photos && visit.photos.length
      ? h("div", { class: "photo-grid" }, visit.photos.map((p) => h("img", { class: "photo-thumb", src: p.thumbnail_url, alt: t("photo.title"), loading: "lazy" })))
      : null,
    visit.rating ? h("p", { class: "rating-line" }, t("visit.rated", { stars: "★".repeat(visit.rating), comment: visit.rating_comment || "" })) : null,
    visit.unverified_rating
      ? h("p", { class: "rating-line rating-unverified" }, t("visit.ratedUnverified", { stars: "★".repeat(visit.unverified_rating), comment: visit.unverified_comment || "" }))
      : null,
  );
}

/** Where each flag was raised: 签到, 签退 or both. */
function flagSources(visit) {
  const sources = new Map();
  for (const flag of visit.flags || []) sources.set(flag, ["in"]);
  for (const flag of visit.checkout_flags || []) sources.set(flag, [...(sources.get(flag) || []), "out"]);
  return sources;
}

/**
 * openFlagReview({visitId, point, user, onReviewed}) — onReviewed(visitId, flag, status)
 * runs after each saved review, so the trail can repaint that point.
 */
export function openFlagReview({ visitId, point = null, user, onReviewed }) {
  const sheet = openSheet({ title: point ? point.enterprise_name : t("visit.title"), id: "review-sheet" });
  let visit = null;

  function reviewOf(flag) {
    return (visit.flag_reviews || []).find((r) => r.flag === flag) || null;
  }

  function flagBlock(flag, sources, canReview) {
    const review = reviewOf(flag);
    const status = review ? review.status : "pending";
    const statusChip = h("span", { class: `chip chip-small review-${status}`, dataset: { status } }, reviewLabel(status));
    const block = h(
      "section",
      { class: "review-flag", dataset: { flag, status } },
      h(
        "div",
        { class: "flag-head" },
        icon("warning", "flag-icon"),
        h("span", { class: "flag-label" }, flagLabel(flag)),
        h("span", { class: "chip chip-small review-source" }, sources.map((s) => t(s === "in" ? "trail.in" : "trail.out")).join(" · ")),
        statusChip,
      ),
      review && review.explanation ? h("p", { class: "flag-note flag-explanation" }, t("review.staffSaid", { name: visit.staff_name, text: review.explanation })) : null,
      review && review.comment ? h("p", { class: "flag-note" }, t("flags.reviewerSaid", { name: review.reviewer_name || "—", text: review.comment })) : null,
    );
    if (canReview) block.append(reviewForm(flag, review));
    return block;
  }

  function reviewForm(flag, review) {
    let chosen = review && review.status !== "pending" ? review.status : null;
    const buttons = VERDICTS.map((status) =>
      h(
        "button",
        { type: "button", class: `seg verdict verdict-${status}`, dataset: { status }, "aria-pressed": String(chosen === status) },
        t(`review.choice.${status}`),
      ),
    );
    buttons.forEach((button) =>
      button.addEventListener("click", () => {
        chosen = button.dataset.status;
        buttons.forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
        error.hidden = true;
      }),
    );
    const comment = h("textarea", {
      class: "input textarea review-comment",
      id: `review-comment-${flag}`,
      rows: 2,
      maxlength: 1000,
      placeholder: t("review.commentPlaceholder"),
      "aria-label": t("review.comment"),
    });
    if (review && review.comment) comment.value = review.comment;
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const save = h("button", { type: "submit", class: "btn btn-primary btn-block review-save" }, icon("check"), t("review.save"));
    const form = h(
      "form",
      { class: "review-form", dataset: { flag }, novalidate: true },
      h("div", { class: "segmented verdicts", role: "group", "aria-label": t("review.verdict") }, buttons),
      comment,
      error,
      save,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!chosen) {
        error.textContent = t("review.needVerdict");
        error.hidden = false;
        return;
      }
      save.disabled = true;
      save.replaceChildren(t("review.saving"));
      try {
        const saved = await post(`/api/visits/${visit.id}/flags/${encodeURIComponent(flag)}/review`, { status: chosen, comment: comment.value.trim() });
        visit.flag_reviews = [...(visit.flag_reviews || []).filter((r) => r.flag !== flag), saved];
        toast(t("review.saved", { status: reviewLabel(saved.status) }));
        if (onReviewed) onReviewed(visit.id, flag, saved.status);
        if (!sheet.closed) render();
      } catch (failure) {
        if (sheet.closed) return;
        error.textContent = failure.offline ? t("review.offline") : failure.message;
        error.hidden = false;
        save.disabled = false;
        save.replaceChildren(icon("check"), t("review.save"));
      }
    });
    return form;
  }

  function render() {
    const sources = flagSources(visit);
    const own = visit.staff_id === user.id;
    const canReview = (user.role === "manager" || user.role === "admin") && (!own || user.role === "admin");
    const flags = [...sources.keys()];
    // The flags first: that is what the manager came for; the visit's details follow.
    sheet.setContent(
      h(
        "section",
        { class: "review-flags", id: "review-flags" },
        h("h3", { class: "sub-title" }, t("visit.flagsTitle")),
        flags.length ? flags.map((flag) => flagBlock(flag, sources.get(flag), canReview)) : h("p", { class: "chip chip-ok" }, icon("check", "chip-icon"), t("flags.none")),
        flags.length && own && user.role === "manager" ? h("p", { class: "hint" }, t("review.notOwn")) : null,
        flags.length && own && user.role === "staff" ? h("a", { class: "btn btn-secondary btn-block", href: `#/visit/${visit.id}` }, t("flags.explain")) : null,
      ),
      details(visit, point),
    );
  }

  async function load() {
    sheet.setContent(stateView("loading"));
    try {
      visit = await get(`/api/visits/${visitId}`);
      if (sheet.closed) return;
      sheet.setTitle(visit.enterprise_name);
      render();
    } catch (error) {
      if (!sheet.closed) sheet.setContent(errorView(error, { title: t("review.loadFailed"), onRetry: load }));
    }
  }

  load();
  return sheet;
}
