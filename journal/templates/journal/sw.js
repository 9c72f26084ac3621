// Reconnect's service worker (journal/views/offline.py serves it at /sw.js).
//
// It keeps the offline page and the files that page needs, and nothing else: no
// journal page is ever stored. Pages come from the network; when it cannot be
// reached, the offline page stands in, and a quick log that could not be sent is
// handed to it to keep on the phone (static/js/offline.js).
const SHELL = {{ shell|safe }};
const CACHE = `reconnect-shell-${SHELL.version}`;
// Where the offline page holds a quick log the network failed to take, and its
// line for any other form that was sent when the network failed.
const UNSENT = '<script type="application/json" id="unsent-log">null</script>';
const UNSENT_POST = "data-unsent-post hidden";
const LOG_FIELDS = ["kind", "approach", "initiator", "mood", "response"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL.page, ...SHELL.files]))
      .then(() => self.skipWaiting()),
  );
});

// A new version takes over at once, and the copies of the one before are deleted.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else if (request.method === "GET" && SHELL.files.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => kept(request)));
  }
});

// A page from the network; without one, the offline page.
async function navigate(request) {
  const isQuickLog =
    request.method === "POST" && new URL(request.url).pathname === SHELL.quickLog;
  // Read before it is sent: a request's body can be read only once.
  const sent = isQuickLog ? await request.clone().formData() : null;
  try {
    return await fetch(request);
  } catch {
    const page = await kept(SHELL.page);
    if (sent) return withUnsentLog(page, sent);
    return request.method === "POST" ? edited(page, UNSENT_POST, "data-unsent-post") : page;
  }
}

async function kept(request) {
  return (await caches.match(request, { ignoreVary: true })) || Response.error();
}

// The offline page, holding the quick log's answers for offline.js to keep.
function withUnsentLog(page, sent) {
  const log = Object.fromEntries(LOG_FIELDS.map((name) => [name, sent.get(name) || ""]));
  const json = JSON.stringify(log).replace(/</g, "\\u003c");
  return edited(page, UNSENT, UNSENT.replace(">null<", `>${json}<`));
}

// The offline page with one piece of it replaced, under the same headers.
async function edited(page, piece, replacement) {
  if (!page.ok) return page;
  const html = (await page.text()).replace(piece, replacement);
  const headers = new Headers(page.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers });
}
