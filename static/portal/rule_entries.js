// A content rule's conditions and actions in the admin (portal/rules/entries.py, ADR 0022):
// each entry is its kind's own form, inside a list with a Django formset's management form.
// Adding copies the chosen kind's <template> with the next index; removing marks the entry's
// DELETE field and hides it; moving swaps it with its neighbour. Before the form is sent each
// entry's ORDER is its place on the page. The placeholders listed beside a message template
// follow the trigger chosen.
(() => {
  const visible = (list) => [...list.children].filter((entry) => !entry.hidden);

  const renumber = (list) => {
    visible(list).forEach((entry, index) => {
      const order = entry.querySelector('input[name$="-ORDER"]');
      if (order) order.value = String(index + 1);
    });
  };

  const placeholdersShow = () => {
    const data = document.querySelector("[data-rule-entries] script[type='application/json']");
    const trigger = document.getElementById("id_trigger");
    if (!data || !trigger) return;
    const names = JSON.parse(data.textContent)[trigger.value] || [];
    document.querySelectorAll("[data-rule-placeholders]").forEach((span) => {
      span.textContent = names.join("、");
    });
  };

  const setUp = (box) => {
    const prefix = box.dataset.prefix;
    const list = box.querySelector("[data-rule-entries-list]");
    const total = box.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);

    box.querySelector("[data-rule-entries-add]").addEventListener("click", () => {
      const kind = box.querySelector("[data-rule-entries-kind]").value;
      const template = box.querySelector(`template[data-rule-entries-template="${kind}"]`);
      const index = total.value;
      list.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", index));
      total.value = String(Number(index) + 1);
      renumber(list);
      placeholdersShow();
      const added = list.lastElementChild;
      const first = added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });

    list.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      const entry = button && button.closest("[data-rule-entry]");
      if (!entry) return;
      const siblings = visible(list);
      const place = siblings.indexOf(entry);
      if (button.hasAttribute("data-rule-entry-remove")) {
        entry.querySelector('input[name$="-DELETE"]').value = "1";
        entry.hidden = true;
      } else if (button.hasAttribute("data-rule-entry-up") && place > 0) {
        siblings[place - 1].before(entry);
      } else if (button.hasAttribute("data-rule-entry-down") && place < siblings.length - 1) {
        siblings[place + 1].after(entry);
      }
      renumber(list);
    });

    const form = box.closest("form");
    if (form) form.addEventListener("submit", () => renumber(list));
  };

  const start = () => {
    document.querySelectorAll("[data-rule-entries]").forEach(setUp);
    const trigger = document.getElementById("id_trigger");
    if (trigger) trigger.addEventListener("change", placeholdersShow);
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
