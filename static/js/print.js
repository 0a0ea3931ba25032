// Report pages: a button that opens the browser's print dialog (print, or save as PDF).
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
