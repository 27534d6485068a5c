// #/projects/new: a lead. From a visit (#/projects/new?visit=<id>) the visit's enterprise is
// the investor and the visit is linked; otherwise the investor is typed as a name (a company
// not in the registry yet). The server's 422 messages are shown as they are.

import { t } from "../common/i18n.js";
import "./strings.js";
import { createProject, getVisit } from "./api.js";
import { errorView, fill, h, stateView, toast } from "../common/ui.js";

const SOURCES = ["visit", "referral", "fair", "door", "agency", "other"];

function field(label, input) {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, label), input);
}

export function mountNew(el, { params }) {
  const page = h("div", { class: "page projects-new", id: "projects-new-screen" });
  el.append(page);
  const visitId = params.get("visit");
  let gone = false;

  async function render() {
    let visit = null;
    if (visitId) {
      fill(page, stateView("loading"));
      try {
        visit = await getVisit(visitId);
      } catch (error) {
        if (!gone) fill(page, errorView(error, { title: t("project.loadFailed"), onRetry: render }));
        return;
      }
    }
    if (gone) return;
    const name = h("input", { class: "input", type: "text", id: "project-name", maxlength: 100, required: true, value: visit ? `${visit.enterprise_name}项目` : "" });
    const investor = visit ? null : h("input", { class: "input", type: "text", id: "project-investor", maxlength: 200, required: true });
    const investment = h("input", { class: "input", type: "number", id: "project-investment", min: 0, max: 10000000, step: "0.01", inputmode: "decimal", required: true });
    const tax = h("input", { class: "input", type: "number", id: "project-tax", min: 0, max: 10000000, step: "0.01", inputmode: "decimal" });
    const jobs = h("input", { class: "input", type: "number", id: "project-jobs", min: 0, max: 1000000, step: 1, inputmode: "numeric" });
    const source = h("select", { class: "input", id: "project-source" }, SOURCES.map((s) => h("option", { value: s, selected: s === (visit ? "visit" : "fair") }, t(`source.${s}`))));
    const plot = h("input", { class: "input", type: "text", id: "project-plot", maxlength: 200 });
    const comment = h("textarea", { class: "input", id: "project-comment", maxlength: 1000, rows: 2 });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "project-save" }, t("form.submit"));
    const form = h(
      "form",
      { class: "card pj-form", id: "project-form" },
      h("h2", { class: "card-title" }, t("form.title")),
      visit ? h("p", { class: "notice", id: "project-from-visit" }, t("form.fromVisit", { name: visit.enterprise_name })) : null,
      field(t("form.name"), name),
      investor ? field(t("form.investorName"), investor) : null,
      field(t("form.investment"), investment),
      field(t("form.tax"), tax),
      field(t("form.jobs"), jobs),
      field(t("form.source"), source),
      field(t("form.plot"), plot),
      field(t("form.comment"), comment),
      submit,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      submit.disabled = true;
      submit.textContent = t("form.saving");
      const body = {
        name: name.value.trim(), investment_wan: investment.value || "0", source: source.value,
        expected_tax_wan: tax.value || "0", expected_jobs: Number(jobs.value || 0), plot: plot.value.trim(), comment: comment.value.trim(),
      };
      if (visit) Object.assign(body, { enterprise_id: visit.enterprise_id, visit_ids: [visit.id] });
      else body.investor_name = investor.value.trim();
      try {
        const made = await createProject(body);
        location.hash = `#/projects/${made.id}`;
      } catch (error) {
        const first = error.errors ? Object.values(error.errors)[0] : null;
        toast(first ? `${error.message}：${first}` : error.message);
        submit.disabled = false;
        submit.textContent = t("form.submit");
      }
    });
    fill(page, form);
  }

  render();
  return () => {
    gone = true;
  };
}
