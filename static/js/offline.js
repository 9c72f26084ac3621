// The quick log without a connection.
//
// Offline, a quick log is kept on this phone (IndexedDB) with a key of its own and
// the moment it was made, and sent to /journal/sync/ once the connection returns.
// The server saves a key once (journal/views/offline.py), so a log sent twice is
// saved once. A log the server refuses stays here with its reason until the person
// removes it. The logs belong to the account signed in when they were made, and
// are sent only while it is signed in again; signing out or locking asks before
// removing them. Nothing else of the journal is kept on the phone.
document.addEventListener("DOMContentLoaded", () => {
  const SYNC_URL = "/journal/sync/";
  const SAVED_HERE = "Saved on this phone, will be sent when you are online.";
  const OFFLINE =
    "You are offline. A quick log made now is kept on this phone, and sent when you are online.";
  const AFTER_SIGN_IN =
    "Kept on this phone: they will be sent once you are signed in and the journal is unlocked.";
  const NOT_NOW =
    "The journal could not take them just now. They stay on this phone and will be sent later.";
  const FIELDS = ["kind", "approach", "initiator", "mood", "response"];
  // Who was signed in on this phone when a page last said so, and whether the
  // journal is locked: the offline page cannot ask the server.
  const ACCOUNT = "reconnect-account";
  const LOCKED = "reconnect-locked";
  const ASKS_FIRST = 'form[action="/accounts/logout/"], form[data-asks-about-waiting]';

  const body = document.body;
  // Just deleted, the account takes its logs on this phone with it.
  const deleted = document.querySelector("[data-account-deleted]") && localStorage.getItem(ACCOUNT);
  if ("account" in body.dataset) {
    // A page of the site's own layout: who is signed in, or nobody.
    if (body.dataset.account) localStorage.setItem(ACCOUNT, body.dataset.account);
    else localStorage.removeItem(ACCOUNT);
    if ("locked" in body.dataset) localStorage.setItem(LOCKED, "true");
    else localStorage.removeItem(LOCKED);
  }
  const lockNote = document.querySelector("[data-waiting-on-lock]");
  if (lockNote) localStorage.setItem(LOCKED, "true");
  const account = localStorage.getItem(ACCOUNT) || "";
  const locked = Boolean(localStorage.getItem(LOCKED));

  // The logs kept on this phone, in one store, by key.
  let opened = null;
  const store = (mode) => {
    opened ||= new Promise((resolve, reject) => {
      const opening = indexedDB.open("reconnect-offline", 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore("logs", { keyPath: "key" });
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    return opened.then((db) => db.transaction("logs", mode).objectStore("logs"));
  };
  const done = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const logsOf = async (owner) => {
    const all = await done((await store("readonly")).getAll());
    return all
      .filter((log) => owner && log.account === owner)
      .sort((a, b) => a.loggedAt.localeCompare(b.loggedAt));
  };
  const keep = async (log) => done((await store("readwrite")).put(log));
  const forget = async (key) => done((await store("readwrite")).delete(key));
  if (deleted) logsOf(deleted).then((logs) => logs.forEach((log) => forget(log.key)));
  const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;

  // Where a page shows the logs waiting here: Today and the offline page.
  const section = document.querySelector("[data-pending-logs]");
  const statusLine = section && section.querySelector("[data-pending-status]");
  const listPart = section && section.querySelector("[data-pending-list]");
  const sentLink = section && section.querySelector("[data-pending-sent]");
  const partner = (section && section.dataset.partner) || "your partner";
  const when = new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });

  // An answer as the quick log on this page words it ("approachable", "warm").
  const label = (name, value) => {
    const forms = [...document.querySelectorAll("form[data-offline-log]")];
    const input = forms
      .flatMap((form) => [...form.querySelectorAll(`[name="${name}"]`)])
      .find((each) => each.value === value);
    if (!input) return value;
    const labelled = input.labels && input.labels.length ? input.labels[0] : input;
    return labelled.textContent.trim().toLowerCase();
  };

  const describe = (log) => {
    const at = when.format(new Date(log.loggedAt));
    const answers = log.fields;
    if (answers.kind === "space") return `${at}: a day of space`;
    const who = {
      me: "you reached out",
      partner: `${partner} reached out`,
      together: "planned together",
    }[answers.initiator];
    const response =
      answers.response === "none"
        ? "no response"
        : `response ${label("response", answers.response)}`;
    const what = [label("approach", answers.approach), who, response].filter(Boolean);
    return `${at}: ${what.join(", ")}`;
  };

  const item = (log) => {
    const entry = document.createElement("li");
    entry.className = "pending-log";
    const what = document.createElement("span");
    what.textContent = describe(log);
    entry.append(what);
    if (!log.refused) {
      const state = document.createElement("span");
      state.className = "text-body-secondary";
      state.textContent = " · waiting to be sent";
      entry.append(state);
      return entry;
    }
    const why = document.createElement("p");
    why.className = "pending-refused mb-1";
    why.textContent = `Not saved in your journal: ${log.refused}`;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn btn-outline-secondary btn-sm";
    remove.textContent = "Remove it from this phone";
    remove.addEventListener("click", async () => {
      await forget(log.key);
      await show("Removed from this phone.");
    });
    entry.append(why, remove);
    return entry;
  };

  // The list of logs waiting here, and a line of status (read out as it changes).
  const show = async (message) => {
    if (!section) return;
    if (message !== undefined) statusLine.textContent = message;
    const logs = await logsOf(account);
    listPart.querySelector("ul").replaceChildren(...logs.map(item));
    listPart.hidden = logs.length === 0;
  };

  // Today sends its quick log as usual while online. Offline, and always on the
  // offline page (which holds no token to post a form with), it is kept here first.
  const shell = document.querySelector("[data-shell]");
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!form.matches("form[data-offline-log]") || (navigator.onLine && !shell)) return;
      // Only a secure page (HTTPS) can keep a log; elsewhere the form is sent as usual.
      if (!window.isSecureContext || !window.indexedDB) return;
      event.preventDefault();
      // app.js's "sent once" guard is for a post that leaves the page; this does not.
      event.stopPropagation();
      const answers = new FormData(form);
      if (event.submitter && event.submitter.name) {
        answers.set(event.submitter.name, event.submitter.value);
      }
      keepLog(Object.fromEntries(FIELDS.map((name) => [name, answers.get(name) || ""])), form);
    },
    true,
  );

  const missing = (answers) => {
    if (answers.kind === "space") return "";
    if (!answers.approach) {
      return "Choose how you came across: approachable, pressuring or practical.";
    }
    if (!answers.initiator) return "Choose who reached out first.";
    if (!answers.response) return `Choose how ${partner} responded.`;
    return "";
  };

  const keepLog = async (answers, form) => {
    const problem = missing(answers);
    if (problem) {
      if (statusLine) statusLine.textContent = problem;
      return;
    }
    try {
      await keep({
        key: crypto.randomUUID(),
        account,
        loggedAt: new Date().toISOString(),
        fields: answers,
        refused: "",
      });
    } catch {
      if (statusLine) {
        statusLine.textContent =
          "This phone could not keep the log, so it is not saved anywhere yet. " +
          "Please log it again once you are online.";
      }
      return;
    }
    if (form) form.reset();
    await show(SAVED_HERE);
    if (navigator.onLine) send();
  };

  // One log sent: the server's answer, or why there was none.
  const post = async (log, token) => {
    let response;
    try {
      response = await fetch(SYNC_URL, {
        method: "POST",
        body: new URLSearchParams({ key: log.key, logged_at: log.loggedAt, ...log.fields }),
        headers: { "X-CSRFToken": token, Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch {
      return { status: "offline" };
    }
    const isJson = (response.headers.get("Content-Type") || "").startsWith("application/json");
    if (isJson && [200, 201, 400, 403].includes(response.status)) return response.json();
    // Sent to sign in or to the lock: nothing was saved.
    return { status: response.type === "opaqueredirect" ? "signed out" : "not now" };
  };

  // Send every log waiting here for the account signed in, one round at a time;
  // a log kept during a round goes in the next.
  let sending = null;
  let again = false;
  const send = () => {
    if (sending) {
      again = true;
      return sending;
    }
    sending = sendAll()
      .catch(() => show(NOT_NOW))
      .finally(() => {
        sending = null;
        if (again) {
          again = false;
          send();
        }
      });
    return sending;
  };

  const sendAll = async () => {
    const waiting = (await logsOf(account)).filter((log) => !log.refused);
    if (!waiting.length || !navigator.onLine) return;
    if (statusLine) statusLine.textContent = "Sending the logs kept on this phone…";
    // A fresh token: the one a page was drawn with may be old, and the offline
    // page has none.
    let who;
    try {
      who = await fetch(SYNC_URL, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch {
      return show(SAVED_HERE);
    }
    if (!who.ok) return show(who.type === "opaqueredirect" ? AFTER_SIGN_IN : NOT_NOW);
    const signedIn = await who.json();
    let saved = 0;
    let refused = 0;
    for (const log of waiting.filter((each) => each.account === signedIn.account)) {
      const answer = await post(log, signedIn.csrf);
      if (answer.status === "saved" || answer.status === "already saved") {
        await forget(log.key);
        saved += 1;
      } else if (answer.status === "refused") {
        await keep({ ...log, refused: answer.reason });
        refused += 1;
      } else {
        return show(
          { offline: SAVED_HERE, "signed out": AFTER_SIGN_IN, "not now": NOT_NOW }[answer.status],
        );
      }
    }
    const said = [];
    if (saved) said.push(`Sent: ${plural(saved, "log is", "logs are")} in your journal now.`);
    if (refused) {
      const which = plural(refused, "log was", "logs were");
      said.push(`${which} not saved: the reason is with each below.`);
    }
    if (sentLink) sentLink.hidden = saved === 0;
    return show(said.join(" "));
  };

  // The offline page: a log can be kept here only while an account is signed in
  // and the journal is not locked (then it shows no log, only how many wait).
  if (shell) {
    const open = Boolean(account) && !locked;
    shell.querySelector("[data-shell-log]").hidden = !open;
    const closed = shell.querySelector("[data-shell-closed]");
    if (!account) {
      closed.textContent =
        "You are signed out on this phone, so a log cannot be kept here. " +
        "Sign in once you are online.";
    } else if (locked) {
      logsOf(account).then((logs) => {
        const waitingHere = logs.length
          ? ` ${plural(logs.length, "log is", "logs are")} waiting here: ` +
            "they will be sent once you unlock it."
          : "";
        closed.textContent = `Reconnect is locked on this phone.${waitingHere}`;
      });
    }
    closed.hidden = open;
    // A quick log whose post the network failed to take (the service worker
    // handed its answers over): kept here, and the address no longer a post.
    const unsent = JSON.parse(document.getElementById("unsent-log").textContent);
    if (unsent) history.replaceState(null, "", "/");
    if (unsent && open) keepLog(unsent, null);
  }

  if (lockNote) {
    logsOf(account).then((logs) => {
      if (!logs.length) return;
      lockNote.textContent =
        `${plural(logs.length, "log is", "logs are")} waiting on this phone: ` +
        "they will be sent once you unlock.";
      lockNote.hidden = false;
    });
  }

  // Signing out, or locking by hand, with logs waiting here: ask first.
  const question = (count, locking) =>
    new Promise((resolve) => {
      const dialog = document.createElement("dialog");
      dialog.className = "waiting-question";
      dialog.setAttribute("aria-labelledby", "waiting-question-text");
      const text = document.createElement("p");
      text.id = "waiting-question-text";
      text.textContent =
        `${plural(count, "log is", "logs are")} waiting on this phone to be sent. ` +
        `Keep them for when you ${locking ? "unlock" : "sign in again"}, or remove them? ` +
        "Removed logs never reach your journal.";
      const choices = document.createElement("form");
      choices.method = "dialog";
      choices.className = "d-flex flex-wrap gap-2";
      for (const [value, words, style] of [
        ["keep", "Keep them", "btn-primary"],
        ["remove", "Remove them", "btn-outline-danger"],
        ["stay", "Cancel", "btn-link"],
      ]) {
        const button = document.createElement("button");
        button.value = value;
        button.className = `btn ${style}`;
        button.textContent = words;
        choices.append(button);
      }
      dialog.append(text, choices);
      dialog.addEventListener("close", () => {
        dialog.remove();
        resolve(dialog.returnValue || "stay");
      });
      body.append(dialog);
      dialog.showModal();
    });

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches(ASKS_FIRST) || form.dataset.asked) return;
    event.preventDefault();
    const logs = await logsOf(account).catch(() => []);
    if (logs.length) {
      const choice = await question(logs.length, "asksAboutWaiting" in form.dataset);
      if (choice === "stay") return;
      if (choice === "remove") await Promise.all(logs.map((log) => forget(log.key)));
    }
    form.dataset.asked = "true";
    form.submit();
  });

  // Offline, the status line says what happens to a log; online, waiting logs go.
  const offline = async () => {
    const logs = await logsOf(account);
    return show(logs.some((log) => !log.refused) ? SAVED_HERE : OFFLINE);
  };
  window.addEventListener("online", () => send());
  window.addEventListener("offline", () => offline());
  if (navigator.onLine) show().then(() => send());
  else offline();
});
