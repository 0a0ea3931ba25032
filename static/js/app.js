// Safer Districts: behaviour that must not live inline (Content-Security-Policy forbids inline script).
"use strict";

// A form marked data-confirm asks before it is sent.
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A long list of checkboxes (data-checklist, e.g. a hotspot's initiatives): narrow it by typing words
// of a label, or show the ticked ones only. Hidden options keep their state and are sent with the form.
document.querySelectorAll("[data-checklist]").forEach((list) => {
  const filter = list.querySelector("[data-checklist-filter]");
  const tickedOnly = list.querySelector("[data-checklist-ticked-only]");
  const status = list.querySelector("[data-checklist-status]");
  const options = Array.from(list.querySelectorAll("[data-checklist-options] .form-check"));
  const labels = options.map((option) => option.textContent.toLocaleLowerCase());
  const boxes = options.map((option) => option.querySelector("input[type=checkbox]"));
  const number = (value) => value.toLocaleString(document.documentElement.lang || undefined);
  let shown = options.length;
  // Ticking or unticking counts again; only the filter and the switch move options in or out of view,
  // so that an option unticked under "Ticked only" stays where the user's pointer is.
  const update = (refilter) => {
    const words = filter.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    let ticked = 0;
    if (refilter) {
      shown = 0;
    }
    options.forEach((option, index) => {
      const checked = boxes[index].checked;
      ticked += checked ? 1 : 0;
      if (refilter) {
        const visible =
          (!tickedOnly.checked || checked) && words.every((word) => labels[index].includes(word));
        option.hidden = !visible;
        shown += visible ? 1 : 0;
      }
    });
    status.textContent = status.dataset.template
      .replace("{ticked}", number(ticked))
      .replace("{shown}", number(shown))
      .replace("{total}", number(options.length));
  };
  filter.addEventListener("input", () => update(true));
  // Enter in the filter narrows the list; it must not send the form half filled in.
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
    }
  });
  list.addEventListener("change", (event) => update(event.target === tickedOnly));
  list.querySelector("[data-checklist-tools]").hidden = false;
  status.hidden = false;
  update(true);
});

// A form sent back with errors: bring its first marked field into view and put the cursor there (on a
// long form, such as an initiative with its partners and funding, it may be far below the top).
const firstInvalid = document.querySelector("form .is-invalid, form [aria-invalid='true']");
if (firstInvalid) {
  firstInvalid.scrollIntoView({ block: "center" });
  firstInvalid.focus({ preventScroll: true });
}

// A second tap on "Save" while the first is on its way would send the form twice (and make two
// meetings, two milestones...): once a form is sent, its buttons wait for the answer. Forms that htmx
// sends stay as they are, since htmx swaps them in place; coming back with the browser's Back button
// gives the buttons back.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method !== "post" || form.hasAttribute("hx-post")) {
    return;
  }
  // After this turn, so that the pressed button's name and value still go with the form.
  window.setTimeout(() => {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((button) => {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    });
  }, 0);
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form button[type=submit]:disabled, form input[type=submit]:disabled").forEach((button) => {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  });
});
