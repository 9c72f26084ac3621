// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Pre-select the browser's time zone on a form that asks for one, unless the
  // person already chose another.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("select[data-detect-timezone]").forEach((select) => {
    const untouched = select.value === "UTC" || select.value === "";
    if (zone && untouched && [...select.options].some((o) => o.value === zone)) {
      select.value = zone;
    }
  });

  // On the entry form, a day of space has no contact details: hide and disable
  // them so nothing hidden is submitted.
  const form = document.getElementById("entry-form");
  const contact = document.getElementById("contact-fields");
  if (form && contact) {
    const sync = () => {
      const space = form.querySelector('input[name="kind"][value="space"]');
      const isSpace = space && space.checked;
      contact.hidden = isSpace;
      contact.disabled = isSpace;
    };
    form.querySelectorAll('input[name="kind"]').forEach((input) => {
      input.addEventListener("change", sync);
    });
    sync();
  }

  // Print buttons: hidden until this script can make them work.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });

  // Warn before leaving a form with answers that are not saved yet.
  document.querySelectorAll("form[data-warn-unsaved]").forEach((form) => {
    let dirty = false;
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (event) => {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
});
