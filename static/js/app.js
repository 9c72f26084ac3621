// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // The service worker keeps the offline page, so that a quick log can be made
  // with no signal (static/js/offline.js); for signed-in people only.
  if ("serviceWorker" in navigator && document.body.hasAttribute("data-signed-in")) {
    navigator.serviceWorker.register("/sw.js");
  }

  // Pre-select the browser's time zone on a form that asks for one, unless the
  // person already chose another.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("select[data-detect-timezone]").forEach((select) => {
    const untouched = select.value === "UTC" || select.value === "";
    if (zone && untouched && [...select.options].some((o) => o.value === zone)) {
      select.value = zone;
    }
  });

  // A form sent back with a problem: bring the problem into view and read it out,
  // rather than leave it below the fold on a phone.
  const problem = document.querySelector("#form-errors, form .alert-danger, .space-question");
  if (problem) {
    problem.tabIndex = -1;
    problem.focus();
  }

  // On the entry form, a day of space has no contact details: hide and disable
  // them so nothing hidden is submitted. The tactics shown are those of the
  // approach chosen (a practical contact has none); another approach's stay in view
  // while one of them is ticked, so that nothing ticked is sent unseen.
  const form = document.getElementById("entry-form");
  if (form) {
    const sync = () => {
      const space = form.querySelector('input[name="kind"][value="space"]');
      const isSpace = Boolean(space && space.checked);
      form.querySelectorAll(".contact-only").forEach((part) => {
        part.hidden = isSpace;
        part.querySelectorAll("input, select, textarea").forEach((input) => {
          input.disabled = isSpace;
        });
      });
      const approach = form.querySelector('input[name="approach"]:checked');
      const groups = [...form.querySelectorAll("[data-approach]")];
      groups.forEach((group) => {
        const ticked = group.querySelector("input:checked");
        group.hidden = Boolean(approach) && group.dataset.approach !== approach.value && !ticked;
      });
      const tactics = groups.length ? groups[0].closest("fieldset") : null;
      if (tactics) tactics.hidden = groups.every((group) => group.hidden);
    };
    form.addEventListener("change", sync);
    sync();
  }

  // Copy buttons: hidden until this script can make them work; they copy the field
  // they name and say so in the page's status line.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById("copy-status");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
      } catch {
        source.select();
        document.execCommand("copy");
      }
      if (status) status.textContent = "Copied. Paste it into a message to them.";
    });
  });

  // Print buttons: hidden until this script can make them work.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });

  // Warn before leaving a form with answers that are not saved yet; a form sent
  // back with a problem holds such answers from the start.
  const unsaved = new Set();
  document.querySelectorAll("form[data-warn-unsaved]").forEach((form) => {
    if (form.querySelector(".is-invalid, .alert-danger, .space-question")) unsaved.add(form);
    form.addEventListener("input", () => unsaved.add(form));
    form.addEventListener("submit", () => unsaved.delete(form));
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Help is never behind a "Leave site?" question: with answers not saved, the
  // support page opens beside this one instead.
  document.querySelectorAll('a[href="/support/"]').forEach((link) => {
    link.addEventListener("click", (event) => {
      if (unsaved.size && window.open(link.href, "_blank")) event.preventDefault();
    });
  });

  // A form that writes is sent once: its button says so and waits. The server
  // holds to that without this script (journal.services.submit_once).
  const once = 'form[method="post"] input[name="submission"]';
  document.querySelectorAll(once).forEach((key) => {
    const form = key.form;
    form.addEventListener("submit", (event) => {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "true";
      const pressed = event.submitter;
      // After this event: a disabled button would leave its own value out of the post.
      setTimeout(() => {
        form.querySelectorAll('[type="submit"]').forEach((button) => {
          button.disabled = true;
        });
        if (pressed) {
          const label = pressed.tagName === "INPUT" ? "value" : "textContent";
          pressed.dataset.label = pressed[label];
          pressed[label] = "Saving…";
        }
      });
    });
  });
  // Quick hide: the page is replaced at once, and leaves no trace in the history;
  // the lock is set meanwhile. Without this script, the form does both, less quickly.
  document.querySelectorAll("form[data-quick-hide]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // keepalive: the lock is sent even if the tab is closed at once.
      const body = new FormData(form);
      const locking = fetch(form.action, { method: "POST", body, keepalive: true });
      document.body.replaceChildren();
      document.title = "Notes";
      const away = () => location.replace(form.dataset.blank || "/blank/");
      const stalled = new Promise((done) => setTimeout(done, 1500));
      Promise.race([locking, stalled]).then(away, away);
    });
  });
  // Back to a journal page the browser kept in memory: ask the server again, which
  // shows the lock if the journal was locked or hidden meanwhile.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && document.body.hasAttribute("data-signed-in")) {
      location.reload();
    }
  });
  // Back to a page the browser kept: its buttons work again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll(once).forEach((key) => {
      delete key.form.dataset.sending;
      key.form.querySelectorAll('[type="submit"]').forEach((button) => {
        button.disabled = false;
        if (button.dataset.label) {
          button[button.tagName === "INPUT" ? "value" : "textContent"] = button.dataset.label;
        }
      });
    });
  });

  // What is typed in a form's text boxes stays in this tab until the form is saved,
  // so a failed post or a lost connection loses none of it. Signed out, nothing
  // stays: the next person on this phone finds no draft.
  const drafts = window.sessionStorage;
  const draftKeys = () => Object.keys(drafts).filter((k) => k.startsWith("draft:"));
  if (!document.body.hasAttribute("data-signed-in")) {
    draftKeys().forEach((k) => drafts.removeItem(k));
  } else if (document.querySelector("[data-saved]")) {
    // The form sent last was saved: its draft is done with.
    const sent = drafts.getItem("draft-sent");
    if (sent) drafts.removeItem(sent);
  }
  drafts.removeItem("draft-sent");
  document.querySelectorAll("form[data-keep-draft]").forEach((form) => {
    const key = "draft:" + location.pathname;
    const boxes = [...form.querySelectorAll("textarea[name]")];
    const kept = JSON.parse(drafts.getItem(key) || "{}");
    const restored = boxes.filter((box) => kept[box.name] && box.value !== kept[box.name]);
    restored.forEach((box) => {
      box.value = kept[box.name];
    });
    if (restored.length) {
      const note = document.createElement("p");
      note.className = "alert alert-info";
      note.setAttribute("role", "status");
      note.textContent = "What you typed here before is back: it had not been saved yet.";
      form.prepend(note);
    }
    form.addEventListener("input", () => {
      const values = Object.fromEntries(boxes.map((box) => [box.name, box.value]));
      drafts.setItem(key, JSON.stringify(values));
    });
    form.addEventListener("submit", () => {
      drafts.setItem("draft-sent", key);
    });
  });
});
