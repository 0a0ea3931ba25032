// Activity log forms. No inline script: the Content-Security-Policy forbids it.
"use strict";

// A form marked data-submit-once sends once: its buttons are disabled while the upload runs, so a
// second tap on a slow phone connection does not send it again (the server refuses a repeat anyway).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.hasAttribute("data-submit-once") || event.defaultPrevented) {
    return;
  }
  // Wait a tick so that the browser has taken the form's data before the buttons are disabled.
  window.setTimeout(() => {
    form.querySelectorAll("button[type=submit]").forEach((button) => {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    });
  }, 0);
});

// Coming back to the page (browser "back" from the saved log) enables the buttons again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-submit-once] button[type=submit]").forEach((button) => {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  });
});
