// Progressive enhancement of the passport form: as checklist answers change, update the
// status the checklist suggests for each zone and category (the server computes the same
// on every load and checks every status on submit). Where the surveyor has not chosen a
// status themselves, the suggestion is also put in the select once every item behind it
// is answered.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("passport-form");
  const dataElement = document.getElementById("passport-checklist");
  if (!form || !dataElement) return;
  const data = JSON.parse(dataElement.textContent);
  const items = data.items;
  const labels = data.labels;

  const results = () => {
    const out = {};
    for (const code of Object.keys(items)) {
      const checked = form.querySelector(`input[name="item-${code}-result"]:checked`);
      if (checked) out[code] = checked.value;
    }
    return out;
  };

  // The same rule as checklist.suggested_zone_status.
  const suggest = (answers, zone, category) => {
    const relevant = Object.entries(items).filter(
      ([, item]) => item.zone === zone && item.categories.includes(category),
    );
    const missing = relevant.filter(([code]) => answers[code] === "not_met");
    const complete = relevant.every(([code]) => code in answers);
    if (missing.length === 0) return { status: "ДП", complete };
    if (missing.some(([, item]) => item.critical)) return { status: "ВНД", complete };
    return { status: "ДЧ", complete };
  };

  const selectFor = (zone, category) => form.querySelector(`select[name="zone-${zone}-${category}"]`);

  // A select the surveyor changed by hand keeps their choice.
  form.querySelectorAll("select[data-zone-status]").forEach((select) => {
    select.dataset.auto = select.value === "" ? "1" : "";
    select.addEventListener("change", () => {
      select.dataset.auto = "";
    });
  });

  const update = () => {
    const answers = results();
    form.querySelectorAll("[data-suggest-zone]").forEach((element) => {
      const zone = element.dataset.suggestZone;
      const category = element.dataset.suggestCategory;
      const { status, complete } = suggest(answers, zone, category);
      element.textContent = labels[status];
      const select = selectFor(zone, category);
      if (select && select.dataset.auto === "1" && complete) select.value = status;
    });
  };

  form.addEventListener("change", (event) => {
    if (event.target.matches('input[type="radio"]')) update();
  });
});
