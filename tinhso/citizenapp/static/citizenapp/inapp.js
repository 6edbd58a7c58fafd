// Tỉnh Số citizen app, the in-app views (loaded by app.js): "#gui-phan-anh" send a field report, "#phan-anh/<code>"
// one of my reports (rate, reopen), "#dat-cau-hoi" ask a question, "#cau-hoi/<id>" one question and its answer;
// any other fragment is the home page. The data and the checks are the field-report and Q&A apps' own APIs.
let T, $, el, link, fill, when, api, post, csrf;

export function init(helpers) {
  ({ T, $, el, link, fill, when, api, post, csrf } = helpers);
  $("#report-form").addEventListener("submit", (ev) => { ev.preventDefault(); submitReport(); });
  $("#report-resend").addEventListener("click", async () => {
    const draft = await draftLoad();
    if (draft) { location.hash = "#gui-phan-anh"; await sendReport(draft); }
  });
  $("#report-discard").addEventListener("click", async () => { await draftDrop(); resetReportForm(); showDraft(null); });
  $("#r-locate").addEventListener("click", locate);
  $("#rating-form").addEventListener("submit", (ev) => { ev.preventDefault(); rateReport(); });
  $("#reopen-form").addEventListener("submit", (ev) => { ev.preventDefault(); reopenReport(); });
  $("#question-form").addEventListener("submit", (ev) => { ev.preventDefault(); askQuestion(); });
  for (const id of ["#q-agency", "#q-title", "#q-body"]) $(id).addEventListener("input", keepQuestionDraft);
  window.addEventListener("hashchange", route);
  window.addEventListener("online", async () => { const d = await draftLoad(); if (d) showDraft(d, true); });
}

/** Signing out: the drafts do not stay on a shared phone. */
export async function forget() {
  localStorage.removeItem(QUESTION_DRAFT);
  await draftDrop();
}

// What the views share: my reports and questions as last loaded, the published answers, the report form's position,
// photos and submit key kept from a draft, and a one-time message for the next view ("flash").
export const state = { signedIn: false, reports: [], mine: [], faq: [], position: null, keptPhotos: [], draftKey: null,
  flash: null };

export async function loadReports() {
  const { data } = await api("/api/v1/field-reports/mine");
  state.reports = data || [];
  fill($("#report-list"), state.reports, (r) => {
    const li = el("li");
    li.append(link(`#phan-anh/${encodeURIComponent(r.code)}`, r.code), el("span", ` · ${r.status_name || r.status || ""}`));
    if (r.description) li.append(el("div", r.description.slice(0, 120), "muted"));
    return li;
  }, 5);
}

// ---- Routing by the fragment.
const VIEWS = ["gui-phan-anh", "xem-phan-anh", "dat-cau-hoi", "xem-cau-hoi", "xem-tin"];

export async function route() {
  const hash = decodeURIComponent(location.hash.slice(1));
  const [head, arg] = hash.split(/\/(.*)/s);
  const view = { "gui-phan-anh": "gui-phan-anh", "dat-cau-hoi": "dat-cau-hoi", "phan-anh": arg ? "xem-phan-anh" : null,
    "cau-hoi": arg ? "xem-cau-hoi" : null, "tin-tuc": arg ? "xem-tin" : null }[head] || null;
  $("#home").hidden = !!view;
  for (const v of VIEWS) $(`#${v}`).hidden = v !== view;
  if (!view) {
    const target = hash && document.getElementById(hash);
    if (target) target.scrollIntoView();
    return;
  }
  window.scrollTo(0, 0);
  if (view === "gui-phan-anh" && state.signedIn) await loadCategories();
  if (view === "dat-cau-hoi" && state.signedIn) await loadAgencies();
  if (view === "xem-phan-anh") showReport(arg);
  if (view === "xem-cau-hoi") await showQuestion(arg);
  if (view === "xem-tin") await showArticle(arg);
}

// A news item or announcement read inside the app (an announcement's push opens it here); text as paragraphs.
async function showArticle(id) {
  const box = $("#article-detail");
  box.replaceChildren(el("p", T.loading, "muted"));
  const a = (await api(`/api/v1/news/${encodeURIComponent(id)}`)).data;
  box.replaceChildren();
  if (!a) { box.append(el("p", T.not_found, "muted")); return; }
  const day = new Date(a.published_at).toLocaleDateString(document.documentElement.lang === "en" ? "en-GB" : "vi-VN",
    { timeZone: "Asia/Ho_Chi_Minh" });
  box.append(el("h1", a.title), el("p", [a.category && a.category.name, a.agency, day].filter(Boolean).join(" · "), "muted"));
  if (a.summary) box.append(el("p", a.summary, "lead"));
  for (const img of a.images.slice(0, 1)) {
    const pic = el("img");
    pic.src = img.thumbnail_url;
    pic.alt = img.caption || "";
    pic.width = img.width;
    pic.height = img.height;
    pic.loading = "lazy";
    box.append(pic);
  }
  for (const text of a.paragraphs) box.append(el("p", text));
  box.append(link(a.url, T.read_on_portal));
}

function flash(box) { // the outcome of what the citizen just did, shown once at the top of the view it led to
  if (state.flash) box.prepend(el("p", state.flash, "notice done"));
  state.flash = null;
}

function showErrors(list, errors) {
  list.replaceChildren(...(errors || []).map((e) => el("li", e.message)));
}

async function sendForm(path, body) {
  return fetch(path, { method: "POST", credentials: "same-origin", body,
    headers: { Accept: "application/json", "X-CSRFToken": csrf() } });
}

// ---- Field reports: the operations centre's API (/api/v1/field-reports), its checks and its idempotent submit_key.
// A report that cannot be sent (offline, server down) is kept on the phone (IndexedDB, photo included) until resent.
const DRAFT_DB = "tinhso-app";
const LOCAL_DRAFT = "tinhso.report-draft";

function idb(mode, work) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DRAFT_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore("drafts");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction("drafts", mode);
      const req = work(tx.objectStore("drafts"));
      tx.oncomplete = () => { db.close(); resolve(req.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    };
  });
}

async function draftSave(draft) {
  try {
    await idb("readwrite", (s) => s.put(draft, "report"));
    return true;
  } catch (e) { // no IndexedDB (some private modes): keep the text at least
    localStorage.setItem(LOCAL_DRAFT, JSON.stringify({ ...draft, photos: [] }));
    return false;
  }
}

async function draftLoad() {
  try {
    const d = await idb("readonly", (s) => s.get("report"));
    if (d) return d;
  } catch (e) { /* fall through to the text-only copy */ }
  try { return JSON.parse(localStorage.getItem(LOCAL_DRAFT) || "null"); } catch (e) { return null; }
}

async function draftDrop() {
  localStorage.removeItem(LOCAL_DRAFT);
  try { await idb("readwrite", (s) => s.delete("report")); } catch (e) { /* nothing stored */ }
}

function newKey() {
  return (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`).replace(/-/g, "");
}

function showDraft(draft, online) {
  const box = $("#report-draft");
  box.hidden = !draft;
  if (draft) $("#report-draft-text").textContent = online ? T.draft_online : `${T.draft_waiting} ${when(draft.saved_at)}.`;
}

function fillReportForm(d) {
  $("#r-category").dataset.want = d.category || "";
  $("#r-category").value = d.category || "";
  $("#r-description").value = d.description || "";
  $("#r-unit").value = d.unit_id || "";
  $("#r-address").value = d.address || "";
  state.position = d.lat != null ? { lat: d.lat, lng: d.lng } : null;
  $("#r-location").textContent = state.position ? `${T.located}: ${d.lat}, ${d.lng}` : "";
  state.keptPhotos = d.photos || [];
  $("#r-photo-kept").hidden = !state.keptPhotos.length;
  $("#r-photo-kept").textContent = `${T.photo_kept}: ${state.keptPhotos.map((p) => p.name).join(", ")}`;
  state.draftKey = d.key;
}

function resetReportForm() {
  $("#report-form").reset();
  $("#r-unit").value = $("#commune").value;
  $("#r-location").textContent = "";
  $("#r-photo-kept").hidden = true;
  Object.assign(state, { position: null, keptPhotos: [], draftKey: null });
}

export async function restoreDrafts() {
  const draft = await draftLoad();
  if (draft) { fillReportForm(draft); showDraft(draft, navigator.onLine); }
  let q = null;
  try { q = JSON.parse(localStorage.getItem(QUESTION_DRAFT) || "null"); } catch (e) { q = null; }
  if (q) { $("#q-agency").dataset.want = q.agency_id || ""; $("#q-title").value = q.title || ""; $("#q-body").value = q.body || ""; }
}

// Loaded once, however many callers ask at the same time (the start-up preload and opening the form): a second
// load finishing late would add the options again and undo the citizen's choice. Tried again if it failed.
let categories = null;
export function loadCategories() {
  categories = categories || fillCategories().then((ok) => { if (!ok) categories = null; });
  return categories;
}

async function fillCategories() {
  const select = $("#r-category");
  if (select.options.length > 1) return true;
  const { data } = await api("/api/v1/field-reports/categories");
  if (!data || !data.length) return false;
  for (const c of data) {
    const o = el("option", c.name);
    o.value = c.code;
    select.append(o);
  }
  if (!select.value) select.value = select.dataset.want || "";
  return true;
}

function locate() {
  const out = $("#r-location");
  if (!("geolocation" in navigator)) { out.textContent = T.locate_failed; return; }
  out.textContent = T.locating;
  navigator.geolocation.getCurrentPosition((p) => {
    state.position = { lat: Number(p.coords.latitude.toFixed(6)), lng: Number(p.coords.longitude.toFixed(6)) };
    out.textContent = `${T.located}: ${state.position.lat}, ${state.position.lng} (±${Math.round(p.coords.accuracy)} m)`;
  }, () => {
    state.position = null;
    out.textContent = T.locate_failed;
    $("#r-address").focus();
  }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
}

function reportFromForm() {
  const files = [...$("#r-photo").files];
  return { key: state.draftKey || newKey(), category: $("#r-category").value, description: $("#r-description").value.trim(),
    unit_id: $("#r-unit").value, address: $("#r-address").value.trim(), lat: state.position ? state.position.lat : null,
    lng: state.position ? state.position.lng : null, photos: files.length ? files : state.keptPhotos,
    saved_at: new Date().toISOString() };
}

function checkReport(d) {
  const errors = [];
  if (!d.category) errors.push({ field: "category", message: T.need_category });
  if (!d.description) errors.push({ field: "description", message: T.need_description });
  if (!d.unit_id) errors.push({ field: "unit", message: T.need_unit });
  if (d.lat == null && !d.address) errors.push({ field: "location", message: T.need_location });
  return errors;
}

async function submitReport() {
  const draft = reportFromForm();
  const errors = checkReport(draft);
  showErrors($("#report-errors"), errors);
  $("#report-status").textContent = errors.length ? T.fix_errors : "";
  if (!errors.length) await sendReport(draft);
}

async function keepForLater(draft, message) {
  state.draftKey = draft.key; // a resend uses the same key: the server never makes two reports of one draft
  const withPhoto = await draftSave(draft);
  $("#report-status").textContent = withPhoto || !draft.photos.length ? message : `${message} ${T.draft_no_photo}`;
  showDraft(draft, false);
}

async function sendReport(draft) {
  const status = $("#report-status");
  showErrors($("#report-errors"), []);
  if (!navigator.onLine) { await keepForLater(draft, T.report_offline); return; }
  status.textContent = T.sending;
  const body = new FormData();
  for (const name of ["category", "description", "unit_id", "address"]) body.append(name, draft[name] || "");
  if (draft.lat != null) { body.append("lat", draft.lat); body.append("lng", draft.lng); }
  body.append("submit_key", draft.key);
  for (const p of draft.photos || []) body.append("photos", p, p.name || "anh.jpg");
  let r;
  try {
    r = await sendForm("/api/v1/field-reports", body);
  } catch (e) {
    await keepForLater(draft, T.report_offline);
    return;
  }
  if (r.status >= 500) { await keepForLater(draft, T.report_failed); return; }
  const data = await r.json().catch(() => ({}));
  if (r.status === 201) {
    await draftDrop();
    showDraft(null);
    resetReportForm();
    status.textContent = "";
    await loadReports();
    state.flash = `${T.report_sent} ${data.code}.`;
    location.hash = `#phan-anh/${encodeURIComponent(data.code)}`;
    return;
  }
  if (r.status === 401 || r.status === 403) { await keepForLater(draft, T.sign_in_again); return; }
  fillReportForm(draft);
  status.textContent = data.message || T.fix_errors;
  showErrors($("#report-errors"), data.errors);
}

function showReport(code) {
  const box = $("#report-detail");
  const r = state.reports.find((x) => x.code === code);
  $("#rating-form").hidden = true;
  box.replaceChildren();
  if (!r) { box.append(el("p", T.not_found, "muted")); return; }
  box.append(el("h1", `${r.code} · ${r.category_name}`), el("p", r.status_name, "status"), el("p", r.description));
  box.append(el("p", [r.address, r.unit_name].filter(Boolean).join(", "), "muted"));
  box.append(el("p", `${T.sent_at}: ${when(r.created_at)}${r.stage_due_at ? ` · ${T.due}: ${when(r.stage_due_at)}` : ""}`, "muted"));
  if (r.agency_name) box.append(el("p", `${T.agency}: ${r.agency_name}`, "muted"));
  for (const p of r.photos.slice(0, 4)) {
    const img = el("img", null, "photo");
    img.src = p.url;
    img.alt = "";
    img.loading = "lazy";
    box.append(img);
  }
  if (r.answer) box.append(el("h2", T.result), el("p", r.answer, "answer"));
  if (r.rating) box.append(el("p", `${T.rated}: ${T.ratings[r.rating] || r.rating}`, "status"));
  box.append(el("h2", T.timeline));
  const steps = el("ol", null, "list timeline");
  for (const e of r.timeline) {
    const li = el("li", `${when(e.at)} — ${T.statuses[e.to_status] || e.to_status}`);
    if (e.note && e.note !== r.answer) li.append(el("div", e.note, "muted"));
    steps.append(li);
  }
  box.append(steps);
  $("#rating-form").hidden = !(r.status === "published" && !r.rating);
  // Not satisfied (or not rated yet): the reporter may reopen it; the server checks the time allowed.
  $("#reopen-form").hidden = !(["published", "closed"].includes(r.status) && (!r.rating || r.rating === "not_satisfied"));
  flash(box);
}

async function reportStep(step, body, status, done) { // rate or reopen the report on screen
  const code = decodeURIComponent(location.hash.slice(1)).split("/")[1];
  let r;
  try { r = await post(`/api/v1/field-reports/${encodeURIComponent(code)}/${step}`, body); }
  catch (e) { status.textContent = T.error; return; }
  const data = await r.json().catch(() => ({}));
  if (!r.ok) { status.textContent = data.message || T.error; return; }
  status.textContent = "";
  await loadReports();
  state.flash = done;
  showReport(code);
}

async function rateReport() {
  const chosen = document.querySelector("input[name=rating]:checked");
  if (!chosen) { $("#rating-status").textContent = T.need_rating; return; }
  await reportStep("rating", { rating: chosen.value, comment: $("#rating-comment").value }, $("#rating-status"),
    T.rating_thanks);
}

async function reopenReport() {
  await reportStep("reopen", { comment: $("#reopen-comment").value }, $("#reopen-status"), T.reopened);
  if (!$("#reopen-status").textContent) $("#reopen-comment").value = "";
}

// ---- Questions: the Q&A box's API (/api/v1/questions): ask an agency, follow my questions, read published answers.
const QUESTION_DRAFT = "tinhso.question-draft";

function keepQuestionDraft() {
  localStorage.setItem(QUESTION_DRAFT, JSON.stringify({ agency_id: $("#q-agency").value, title: $("#q-title").value,
    body: $("#q-body").value }));
}

function questionItem(q, mine) {
  const li = el("li");
  li.append(link(`#cau-hoi/${q.id}`, q.title));
  li.append(el("div", mine ? `${q.status_label} · ${q.agency.name}` : q.agency.name, mine ? "status" : "muted"));
  return li;
}

export async function loadQuestions() {
  const jobs = [api("/api/v1/questions")];
  if (state.signedIn) jobs.push(api("/api/v1/questions/mine"));
  const [faq, mine] = await Promise.all(jobs);
  state.faq = (faq.data && faq.data.results) || [];
  fill($("#faq-list"), state.faq.slice(0, 5), (q) => questionItem(q, false));
  if (mine) {
    state.mine = mine.data || [];
    fill($("#question-list"), state.mine, (q) => questionItem(q, true));
  }
}

async function loadAgencies() {
  const select = $("#q-agency");
  if (select.options.length > 1) return;
  const { data } = await api("/api/v1/questions/agencies");
  if (select.options.length > 1) return; // another call filled it meanwhile: keep the citizen's choice
  for (const a of data || []) {
    const o = el("option", a.name);
    o.value = a.id;
    select.append(o);
  }
  if (!select.value) select.value = select.dataset.want || "";
}

async function showQuestion(id) {
  const box = $("#question-detail");
  const mine = state.mine.find((q) => String(q.id) === id);
  const q = mine || state.faq.find((x) => String(x.id) === id) || (await api(`/api/v1/questions/${encodeURIComponent(id)}`)).data;
  box.replaceChildren();
  if (!q) { box.append(el("p", T.not_found, "muted")); return; }
  box.append(el("h1", q.title), el("p", `${q.agency.name} · ${T.asked_on} ${new Date(q.asked_on).toLocaleDateString("vi-VN")}`, "muted"));
  if (mine) box.append(el("p", q.status_label, "status"));
  box.append(el("p", q.body, "question-body"));
  box.append(el("h2", T.answer));
  box.append(q.answer ? el("p", q.answer, "answer") : el("p", T.no_answer, "muted"));
  flash(box);
}

async function askQuestion() {
  const status = $("#question-status");
  const payload = { agency_id: Number($("#q-agency").value) || 0, title: $("#q-title").value, body: $("#q-body").value };
  showErrors($("#question-errors"), []);
  keepQuestionDraft();
  if (!navigator.onLine) { status.textContent = T.question_offline; return; }
  status.textContent = T.sending;
  let r;
  try { r = await post("/api/v1/questions/mine", payload); } catch (e) { status.textContent = T.question_offline; return; }
  const data = await r.json().catch(() => ({}));
  if (r.status === 201) {
    localStorage.removeItem(QUESTION_DRAFT);
    $("#question-form").reset();
    status.textContent = "";
    await loadQuestions();
    state.flash = T.question_sent;
    location.hash = `#cau-hoi/${data.id}`;
    return;
  }
  status.textContent = r.status === 401 || r.status === 403 ? T.sign_in_again
    : (data.message || T.error);
  const errors = (data.errors || []).filter((e) => e.message);
  showErrors($("#question-errors"), r.status === 422 && !errors.length ? [{ message: T.fix_errors }] : errors);
}
