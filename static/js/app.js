// Safer Districts: behaviour that must not live inline (Content-Security-Policy forbids inline script).
"use strict";

// A form marked data-confirm asks before it is sent.
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
