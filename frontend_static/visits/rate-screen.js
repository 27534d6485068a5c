// 走访评价, #/rate/<token>: the page the enterprise reaches by scanning the QR code
// on the staff phone with its own phone. Big stars, a comment, one submit.
// The rating counts (team report, trends) only from a logged-in user of the
// visited enterprise; without logging in it is kept as an uncounted one, and
// staff (or the official's own phone) are told to hand over. The server decides
// (`standing`); this page only shows it.

import { get, post } from "../common/api.js";
import { formatDate } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { errorView, fill, h, icon, stateView } from "../common/ui.js";

const STAR_KEYS = ["rate.star1", "rate.star2", "rate.star3", "rate.star4", "rate.star5"];

function starsShown(n) {
  return h("p", { class: "stars-shown", "aria-label": t("rate.starsLabel", { n }) }, "★".repeat(n), h("span", { class: "stars-off" }, "★".repeat(5 - n)));
}

export function mount(el, { args }) {
  const token = args[0] || "";
  const body = h("div", { class: "rate-body" });
  el.append(
    h(
      "div",
      { class: "page rate" },
      h(
        "header",
        { class: "rate-header" },
        h("img", { class: "rate-logo", src: new URL("../common/icons/icon-192.png", import.meta.url).href, alt: "", width: 40, height: 40 }),
        h("h1", { class: "rate-app" }, t("rate.title")),
      ),
      body,
    ),
  );
  let gone = false;

  const loginHref = `#/login?next=${encodeURIComponent(`rate/${token}`)}`;

  function loginLink() {
    return h("a", { class: "btn btn-primary btn-block", href: loginHref, id: "rate-login" }, icon("login"), t("rate.loginButton"));
  }

  function thanks(info, { already = false } = {}) {
    fill(
      body,
      h(
        "section",
        { class: "card rate-done", id: "rate-done", dataset: { already: String(already) } },
        icon(already ? "check" : "star", "result-icon"),
        h("p", { class: "result-title", id: "rate-message" }, already ? t("rate.already") : t("rate.thanks")),
        info && info.rating ? starsShown(info.rating) : null,
        info && info.rating_comment ? h("p", { class: "rate-comment" }, info.rating_comment) : null,
      ),
    );
  }

  // A rating without logging in was taken: it counts nowhere until the enterprise's user rates.
  function thanksUnverified({ already = false } = {}) {
    fill(
      body,
      h(
        "section",
        { class: "card rate-done", id: "rate-done", dataset: { already: String(already), verified: "false" } },
        icon(already ? "check" : "star", "result-icon"),
        h("p", { class: "result-title", id: "rate-message" }, already ? t("rate.unverifiedAlready") : t("rate.unverifiedThanks")),
        loginLink(),
      ),
    );
  }

  function refused(info) {
    fill(
      body,
      h(
        "section",
        { class: "card rate-done", id: "rate-refused", role: "status" },
        icon("warning", "result-icon"),
        h("p", { class: "result-title", id: "rate-message" }, info.refusal),
      ),
    );
  }

  function form(info) {
    let stars = 0;
    const buttons = [1, 2, 3, 4, 5].map((n) =>
      h("button", { type: "button", class: "star", role: "radio", "aria-checked": "false", "aria-label": t(STAR_KEYS[n - 1]), dataset: { stars: n } }, "★"),
    );
    const starLabel = h("p", { class: "star-label", id: "star-label", "aria-live": "polite" }, t("rate.tapStars"));
    const comment = h("textarea", {
      class: "input textarea",
      id: "rate-comment",
      rows: 3,
      maxlength: 500,
      placeholder: t("rate.commentPlaceholder"),
      "aria-label": t("rate.comment"),
    });
    const error = h("p", { class: "form-error", role: "alert", id: "rate-error", hidden: true });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block btn-big", id: "rate-submit", disabled: true }, t("rate.submit"));

    function choose(n) {
      stars = n;
      buttons.forEach((b, i) => {
        b.setAttribute("aria-checked", String(i + 1 === n));
        b.classList.toggle("is-on", i < n);
      });
      starLabel.textContent = t(STAR_KEYS[n - 1]);
      submit.disabled = false;
    }
    buttons.forEach((b, i) => b.addEventListener("click", () => choose(i + 1)));

    const formEl = h(
      "form",
      { class: "card rate-form", id: "rate-form", novalidate: true },
      h("p", { class: "rate-question" }, t("rate.question")),
      info.standing === "verified"
        ? h("p", { class: "rate-note", id: "rate-note", dataset: { standing: "verified" } }, t("rate.verifiedNote"))
        : h("div", { class: "rate-note", id: "rate-note", dataset: { standing: "unverified" } }, h("p", {}, t("rate.unverifiedNote")), loginLink()),
      h("div", { class: "stars", role: "radiogroup", "aria-label": t("rate.starsGroup") }, buttons),
      starLabel,
      h("label", { class: "rate-comment-label", for: "rate-comment" }, t("rate.comment")),
      comment,
      error,
      submit,
    );
    formEl.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!stars) return;
      submit.disabled = true;
      submit.textContent = t("rate.sending");
      error.hidden = true;
      try {
        const answer = await post(`/api/ratings/${encodeURIComponent(token)}`, { stars, comment: comment.value.trim() }, { authRedirect: false });
        if (gone) return;
        if (answer.rated) thanks(answer);
        else thanksUnverified();
      } catch (failure) {
        if (gone) return;
        if (failure.status === 409) {
          if (failure.code === "already_rated_unverified") thanksUnverified({ already: true });
          else thanks(null, { already: true });
          return;
        }
        if (failure.status === 403) {
          refused({ refusal: failure.message });
          return;
        }
        error.textContent = failure.offline ? t("rate.offline") : failure.message;
        error.hidden = false;
        submit.disabled = false;
        submit.textContent = t("rate.submit");
      }
    });

    fill(
      body,
      h(
        "section",
        { class: "card rate-visit" },
        h("p", { class: "rate-enterprise", id: "rate-enterprise" }, info.enterprise_name),
        h("p", { class: "rate-meta" }, t("rate.visitBy", { name: info.staff_name, date: formatDate(info.visit_date) })),
      ),
      formEl,
    );
  }

  async function load() {
    fill(body, stateView("loading"));
    try {
      const info = await get(`/api/ratings/${encodeURIComponent(token)}`, { authRedirect: false });
      if (gone) return;
      if (info.rated) thanks(info, { already: true });
      else if (info.standing === "refused") refused(info);
      else if (info.standing === "unverified" && info.unverified_rated) thanksUnverified({ already: true });
      else form(info);
    } catch (error) {
      if (gone) return;
      fill(body, errorView(error, { title: error.status === 404 ? t("rate.invalid") : t("rate.loadFailed"), onRetry: error.status === 404 ? null : load }));
    }
  }

  load();
  return () => {
    gone = true;
  };
}
