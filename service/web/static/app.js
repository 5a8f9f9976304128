/* dossier-review web UI: shared behaviour, upload, live progress. No dependencies. */
"use strict";

const I18N = JSON.parse(document.getElementById("i18n")?.textContent || "{}");

function tr(key, vars) {
  let text = I18N[key] || key;
  for (const [k, v] of Object.entries(vars || {})) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

async function apiError(response, withHint) {
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) {
      const hint = withHint && I18N[`err_${body.error.code}`];
      return hint ? `${hint} — ${body.error.message}` : body.error.message;
    }
  } catch (_) { /* not JSON */ }
  return `HTTP ${response.status}`;
}

/* ---------------------------------------------------------------- times in local time */
function localiseTimes() {
  const fmt = new Intl.DateTimeFormat(document.documentElement.lang, {dateStyle: "medium", timeStyle: "short"});
  for (const el of document.querySelectorAll("time[datetime]")) {
    const d = new Date(el.getAttribute("datetime"));
    if (!Number.isNaN(d.getTime())) { el.title = el.textContent; el.textContent = fmt.format(d); }
  }
}

/* ---------------------------------------------------------------- confirm before delete */
function setupConfirm() {
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog) return;
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.confirmed === "yes") return;
      event.preventDefault();
      document.getElementById("confirm-body").textContent = form.dataset.confirm;
      dialog.returnValue = "";
      dialog.showModal();
      dialog.addEventListener("close", () => {
        if (dialog.returnValue === "ok") { form.dataset.confirmed = "yes"; form.submit(); }
      }, {once: true});
    });
  }
}

/* ---------------------------------------------------------------- upload */
function profileFrom(form) {
  const profile = {};
  for (const select of form.querySelectorAll(".profile-fields select")) {
    if (!select.value) continue;
    profile[select.name] = select.dataset.kind === "bool" ? select.value === "true" : select.value;
  }
  for (const group of form.querySelectorAll("fieldset[data-list]")) {
    const ticked = [...group.querySelectorAll("input:checked")].map((i) => i.value);
    if (ticked.length) profile[group.dataset.list] = ticked;
  }
  return profile;
}

function setupUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("file");
  const zone = document.getElementById("dropzone");
  const nameEl = document.getElementById("file-name");
  const errorBox = document.getElementById("upload-error");
  const submit = document.getElementById("upload-submit");
  let file = null;

  const showError = (message) => {
    document.getElementById("upload-error-message").textContent = message;
    errorBox.hidden = false;
    zone.classList.add("rejected");
    errorBox.focus({preventScroll: true});
    errorBox.scrollIntoView({block: "nearest"});
  };
  const size = (n) => (n < 1048576 ? `${Math.max(1, Math.round(n / 1024))} KiB` : `${(n / 1048576).toFixed(1)} MiB`);
  const choose = (f) => {
    file = f || null;
    nameEl.textContent = file ? `${file.name} · ${size(file.size)}` : tr("no_file");
    zone.classList.toggle("has-file", !!file);
    zone.classList.remove("rejected");
    errorBox.hidden = true;
  };
  input.addEventListener("change", () => choose(input.files[0]));
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add("dragging"); });
  }
  for (const type of ["dragleave", "drop"]) {
    zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.remove("dragging"); });
  }
  zone.addEventListener("drop", (e) => { if (e.dataTransfer.files.length) choose(e.dataTransfer.files[0]); });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!file) { showError(tr("file_required")); return; }
    const data = new FormData();
    data.append("file", file, file.name);
    const profile = profileFrom(form);
    if (Object.keys(profile).length) data.append("profile", JSON.stringify(profile));
    submit.disabled = true;
    submit.textContent = tr("uploading");
    try {
      const response = await fetch("/v1/reviews", {method: "POST", body: data});
      if (response.status === 202) {
        const body = await response.json();
        window.location.assign(`/reviews/${body.id}`);
        return;
      }
      showError(await apiError(response, true));
    } catch (_) {
      showError(tr("network_error"));
    }
    submit.disabled = false;
    submit.textContent = submit.dataset.label;
  });
  submit.dataset.label = submit.textContent;
}

/* ---------------------------------------------------------------- live progress */
function setupProgress() {
  const box = document.getElementById("progress");
  if (!box) return;
  const id = box.dataset.review;
  const bar = document.getElementById("progressbar");
  const fill = bar.querySelector(".progressbar-fill");
  const stageEl = document.getElementById("stage");
  const pctEl = document.getElementById("pct");
  const status = document.getElementById("poll-status");
  let failures = 0;
  const tick = async () => {
    try {
      const response = await fetch(`/v1/reviews/${id}`, {cache: "no-store"});
      if (!response.ok) throw new Error(await apiError(response));
      const review = await response.json();
      failures = 0;
      status.textContent = "";
      if (review.state === "done" || review.state === "failed") { window.location.reload(); return; }
      const pct = Math.round((review.progress || 0) * 100);
      fill.style.width = `${pct}%`;
      bar.setAttribute("aria-valuenow", String(pct));
      pctEl.textContent = `${pct}%`;
      const stage = review.state === "queued" ? "queued" : (review.stage || review.state);
      stageEl.textContent = I18N[`stage_${stage}`] || stage;
      const steps = [...document.querySelectorAll("#steps li")];
      const at = steps.findIndex((li) => li.dataset.step === review.stage);
      steps.forEach((li, i) => {
        li.classList.toggle("past", at >= 0 && i < at);
        li.classList.toggle("now", i === at);
      });
      const badge = document.getElementById("review-state");
      if (badge) {
        badge.className = `state state-${review.state}`;
        badge.textContent = tr(`state_${review.state}`);
      }
    } catch (_) {
      failures += 1;
      status.textContent = tr("poll_lost");
    }
    setTimeout(tick, failures ? Math.min(5000, 700 * 2 ** failures) : 700);
  };
  setTimeout(tick, 300);
}

/* ---------------------------------------------------------------- reviews list: refresh while running */
function setupListRefresh() {
  const table = document.getElementById("reviews-table");
  if (!table || table.dataset.live !== "yes") return;
  const tick = async () => {
    try {
      const response = await fetch("/v1/reviews", {cache: "no-store"});
      const reviews = response.ok ? await response.json() : [];
      let settled = false;
      for (const r of reviews) {
        const cell = table.querySelector(`tr[data-review="${r.id}"] .state`);
        if (!cell) continue;
        if (r.state === "done" || r.state === "failed") { settled ||= !cell.classList.contains(`state-${r.state}`); }
        else if (r.state === "running") cell.textContent = `${tr("state_running")} · ${Math.round(r.progress * 100)}%`;
      }
      if (settled && !document.querySelector("dialog[open]")) { window.location.reload(); return; }
    } catch (_) { /* try again */ }
    setTimeout(tick, 1500);
  };
  setTimeout(tick, 1500);
}

document.addEventListener("DOMContentLoaded", () => {
  localiseTimes();
  setupConfirm();
  setupUpload();
  setupProgress();
  setupListRefresh();
});
