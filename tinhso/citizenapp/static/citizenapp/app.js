// Tỉnh Số citizen app: plain JS module, no framework. Data from the JSON API; the service worker
// (/app/sw.js) keeps the shell and the last answers so the app opens offline.
const T = JSON.parse(document.getElementById("app-text").textContent);
const $ = (sel) => document.querySelector(sel);
const DATA_CACHE = "tinhso-app-data";
let offline = !navigator.onLine;

function csrf() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

function showOffline(on) {
  offline = offline || on;
  $("#offline-notice").hidden = !(offline || !navigator.onLine);
}

async function api(path) {
  try {
    const r = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (r.headers.get("X-Tinhso-Offline")) showOffline(true);
    if (!r.ok) return { status: r.status, data: null };
    return { status: r.status, data: await r.json() };
  } catch (e) {
    showOffline(true);
    return { status: 0, data: null };
  }
}

async function post(path, body) {
  return fetch(path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify(body || {}),
  });
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function link(href, text) {
  const a = el("a", text);
  a.href = href;
  return a;
}

// A list shows its first `limit` items and a button for the rest (a long list buries what follows it on a phone).
function fill(list, items, render, limit = 0) {
  list.replaceChildren();
  if (!items || !items.length) { list.append(el("li", T.none, "muted")); return; }
  const shown = limit && items.length > limit + 1 ? items.slice(0, limit) : items;
  for (const item of shown) list.append(render(item));
  if (shown.length < items.length) {
    const li = el("li", null, "more");
    const more = el("button", `${T.show_all} (${items.length})`, "secondary");
    more.type = "button";
    more.addEventListener("click", () => fill(list, items, render));
    li.append(more);
    list.append(li);
  }
}

const when = (iso) => iso ? new Date(iso).toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "vi-VN",
  { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" }) : "—";

async function loadAccount() {
  const me = (await api("/api/v1/app/me")).data;
  const signedIn = !!(me && me.signed_in && me.is_citizen);
  $("#signed-in").hidden = !signedIn;
  $("#signed-out").hidden = signedIn;
  document.querySelectorAll("[data-needs-sign-in]").forEach((s) => { s.hidden = !signedIn; });
  document.querySelectorAll("[data-needs-sign-out]").forEach((s) => { s.hidden = signedIn; });
  if (signedIn) $("#user-name").textContent = me.full_name;
  return signedIn;
}

async function loadDossiers() {
  const { data } = await api("/api/v1/me/dossiers");
  const rows = data || [];
  fill($("#dossier-list"), rows, (d) => {
    const li = el("li");
    li.append(link(`/dvc/ho-so/${encodeURIComponent(d.code)}/`, d.code), el("span", ` · ${d.procedure_name}`));
    li.append(el("div", d.status_label, "status"));
    if (d.due_at) li.append(el("div", `${T.due}: ${when(d.due_at)}`, "muted"));
    return li;
  }, 5);
  const todo = rows.flatMap((d) => (d.waiting_for_me || []).map((w) => ({ d, w })));
  fill($("#todo-list"), todo, ({ d, w }) => {
    const li = el("li", null, `todo todo-${w}`);
    li.append(el("strong", T[w] || w), el("span", " — "), link(`/dvc/ho-so/${encodeURIComponent(d.code)}/`, d.code));
    return li;
  });
}

async function loadCommunes() {
  const select = $("#commune");
  const { data } = await api("/api/v1/field-reports/communes");
  for (const c of data || []) {
    const o = el("option", c.name);
    o.value = c.id;
    select.append(o);
  }
  select.value = localStorage.getItem("tinhso.commune") || "";
  const unit = $("#r-unit");
  for (const c of data || []) {
    const o = el("option", c.name);
    o.value = c.id;
    unit.append(o);
  }
  unit.value = select.value;
  select.addEventListener("change", () => {
    localStorage.setItem("tinhso.commune", select.value);
    loadWeather();
  });
}

async function loadWeather() {
  const id = $("#commune").value;
  const { data } = await api(`/api/v1/app/weather${id ? `?commune_id=${encodeURIComponent(id)}` : ""}`);
  const now = $("#weather-now");
  now.replaceChildren();
  if (!data) { now.append(el("p", T.error, "muted")); return; }
  fill($("#warning-list"), data.warnings, (w) => {
    const li = el("li", null, `warning sev-${w.severity}`);
    li.append(el("strong", `${w.severity_label}: ${w.title}`), el("div", w.text));
    return li;
  });
  if (!data.warnings.length) $("#warning-list").replaceChildren();
  if (!data.available) { now.append(el("p", data.message, "muted")); $("#forecast").replaceChildren(); return; }
  const c = data.current;
  now.append(el("div", `${Math.round(c.temperature)}°C`, "temp"), el("div", c.text),
    el("div", `${T.humidity} ${c.humidity ?? "—"}% · ${T.wind} ${c.wind ?? "—"} km/h`, "muted"));
  fill($("#forecast"), data.daily, (d, i) => {
    const li = el("li");
    const day = new Date(`${d.date}T00:00:00+07:00`).toLocaleDateString(document.documentElement.lang === "en" ? "en-GB" : "vi-VN",
      { weekday: "short", day: "2-digit", month: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
    li.append(el("strong", day), el("span", ` ${Math.round(d.min)}–${Math.round(d.max)}°C · ${d.text}`),
      el("span", ` · ${T.rain} ${d.rain} mm`, "muted"));
    return li;
  });
}

// The content apps (leaders' schedules, market prices, news) are shown only when their API answers.
const time = (iso) => new Date(iso).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
const money = (n) => `${Number(n).toLocaleString("vi-VN")} đ`;
const OPTIONAL = [
  { section: "#lich-cong-tac", list: "#schedule-list", url: "/api/v1/schedules/today",
    items: (data) => data,
    render: (e) => {
      const li = el("li", null, e.cancelled ? "cancelled" : "");
      li.append(el("strong", `${time(e.start)} `), el("span", e.content));
      li.append(el("div", [e.place, e.leaders, e.agency].filter(Boolean).join(" · "), "muted"));
      if (e.cancelled) li.append(el("div", `${T.cancelled}${e.cancel_reason ? `: ${e.cancel_reason}` : ""}`, "status"));
      else if (e.changed_at) li.append(el("div", `${T.changed}${e.change_note ? `: ${e.change_note}` : ""}`, "status"));
      return li;
    } },
  { section: "#gia-ca", list: "#price-list", url: "/api/v1/market-prices",
    items: (boards) => boards.filter((b) => b.prices.length).slice(0, 2)
      .flatMap((b) => b.prices.slice(0, 8).map((p) => ({ ...p, market: b.market.name }))),
    render: (p) => {
      const li = el("li");
      const arrow = p.direction === "up" ? " ▲" : p.direction === "down" ? " ▼" : "";
      li.append(el("strong", p.good.name), el("span", ` ${money(p.price)}/${p.good.unit}${arrow}`));
      li.append(el("div", p.market, "muted"));
      return li;
    } },
  { section: "#tin-tuc", list: "#news-list", url: "/api/v1/news",
    items: (page) => page.results.slice(0, 5),
    render: (n) => {
      const li = el("li");
      li.append(link(`#tin-tuc/${n.id}`, n.title));
      if (n.summary) li.append(el("div", n.summary.slice(0, 140), "muted"));
      return li;
    } },
];

async function loadOptional() {
  await Promise.all(OPTIONAL.map(async (o) => {
    const { data } = await api(o.url);
    let items = null;
    try { items = data ? o.items(data) : null; } catch (e) { items = null; }
    if (!items) return;
    $(o.section).hidden = false;
    fill($(o.list), items, o.render);
  }));
}

function b64ToBytes(s) {
  const pad = "=".repeat((4 - (s.length % 4)) % 4);
  const raw = atob((s + pad).replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(raw, (ch) => ch.charCodeAt(0));
}

async function enablePush() {
  const status = $("#push-status");
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) { status.textContent = T.push_unsupported; return; }
  if ((await Notification.requestPermission()) !== "granted") { status.textContent = T.push_denied; return; }
  try {
    const key = (await api("/api/v1/app/push/key")).data;
    const reg = await navigator.serviceWorker.ready;
    const sub = (await reg.pushManager.getSubscription()) ||
      (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(key.public_key) }));
    const json = sub.toJSON();
    const topics = [...document.querySelectorAll("input[name=topic]:checked")].map((i) => i.value);
    const commune = $("#commune").value;
    const r = await post("/api/v1/app/push/subscriptions", { endpoint: json.endpoint, p256dh: json.keys.p256dh,
      auth: json.keys.auth, topics, commune_id: commune ? Number(commune) : null });
    status.textContent = r.ok ? T.push_on : T.push_failed;
  } catch (e) {
    status.textContent = T.push_failed;
  }
}

async function forgetData() {
  if ("caches" in window) await caches.delete(DATA_CACHE);
  if (views) await views.forget();
}

function wireForms() {
  document.querySelectorAll("form[data-csrf-form]").forEach((f) => f.addEventListener("submit", async (ev) => {
    f.querySelector("input[name=csrfmiddlewaretoken]").value = csrf();
    if (f.hasAttribute("data-clears-data")) { ev.preventDefault(); await forgetData(); f.submit(); }
  }));
  $("#sign-out-everywhere").addEventListener("click", async () => {
    const r = await post("/api/v1/app/sign-out-everywhere");
    if (r.ok) { await forgetData(); alert(T.signed_out_all); location.reload(); }
  });
  $("#push-button").addEventListener("click", enablePush);
  document.addEventListener("visibilitychange", async () => { // back to the app, e.g. from a notification
    if (document.visibilityState !== "visible" || !views || !views.state.signedIn || !navigator.onLine) return;
    await Promise.all([views.loadQuestions(), views.loadReports(), loadDossiers()]);
    await views.route();
  });
  $("#reload-button").addEventListener("click", () => location.reload());
  window.addEventListener("online", () => { offline = false; showOffline(false); });
  window.addEventListener("offline", () => showOffline(true));
}

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (hadController) $("#update-banner").hidden = false; // a new version took over: offer a reload
  });
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).then((reg) => {
    setInterval(() => reg.update(), 60 * 60 * 1000);
  });
}

// The in-app views (reports, questions) are a second module, its hashed URL given by the shell's modulepreload link.
let views = null;

async function loadViews() {
  views = await import(document.getElementById("views-module").href);
  views.init({ T, $, el, link, fill, when, api, post, csrf });
}

async function main() {
  wireForms();
  registerWorker();
  showOffline(false);
  await loadViews();
  const signedIn = await loadAccount();
  views.state.signedIn = signedIn;
  await loadCommunes();
  const jobs = [loadWeather(), loadOptional(), views.loadQuestions()];
  if (signedIn) jobs.push(loadDossiers(), views.loadReports(), views.restoreDrafts());
  await Promise.all(jobs);
  await views.route();
  document.body.dataset.loaded = "1";
  if (signedIn) setTimeout(views.loadCategories, 500); // kept by the worker, so a report can be written offline
}

main();
