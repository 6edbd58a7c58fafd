// Service worker of the citizen app (scope /app/). VERSION and SHELL are put in front by the server
// (tinhso/citizenapp/views.py): a new deploy has a new VERSION, so a new worker installs, takes over at once
// (skipWaiting + clients.claim) and the page offers a reload.
const SHELL_CACHE = `tinhso-app-shell-${VERSION}`;
const DATA_CACHE = "tinhso-app-data";
const DATA_PATHS = ["/api/v1/app/", "/api/v1/me/dossiers", "/api/v1/field-reports/mine", "/api/v1/field-reports/communes",
  "/api/v1/field-reports/categories", "/api/v1/questions", "/api/v1/schedules/today", "/api/v1/market-prices",
  "/api/v1/news"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("tinhso-app-shell-") && k !== SHELL_CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function offlineCopy(response) {
  const headers = new Headers(response.headers);
  headers.set("X-Tinhso-Offline", "1");
  return response.blob().then((body) => new Response(body, { status: response.status, headers }));
}

async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(request);
    if (cached) return offlineCopy(cached);
    return new Response(JSON.stringify({ code: "offline", message: "Đang ngoại tuyến." }),
      { status: 503, headers: { "Content-Type": "application/json", "X-Tinhso-Offline": "1" } });
  }
}

async function page(request) {
  try {
    return await fetch(request);
  } catch (e) {
    const cache = await caches.open(SHELL_CACHE);
    return (await cache.match(request, { ignoreSearch: true })) || (await cache.match("/app/offline/"));
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // Only GETs are answered or stored here: a POST (a report, a question, a rating) always goes to the network, and
  // when it cannot, the page keeps the citizen's draft itself.
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/app/")) {
    event.respondWith(page(request));
  } else if (DATA_PATHS.some((p) => url.pathname.startsWith(p))) {
    event.respondWith(networkFirst(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: "Tỉnh Số", body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Tỉnh Số", {
    body: data.body || "", tag: data.tag, data: { url: data.url || "/app/" }, lang: "vi",
    icon: SHELL.find((u) => u.includes("icon-192")),
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = (event.notification.data && event.notification.data.url) || "/app/";
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((list) => {
    for (const c of list) if (c.url.includes("/app/") && "focus" in c) { c.navigate(target); return c.focus(); }
    return self.clients.openWindow(target);
  }));
});
