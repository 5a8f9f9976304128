/* dossier-review web UI: the checklist — status filter, human overrides, one-click evidence viewer. */
"use strict";

const REVIEW_ID = document.getElementById("viewer")?.dataset.review;

/* ---------------------------------------------------------------- filter by status */
function setupFilter() {
  const chips = [...document.querySelectorAll(".filters .chip")];
  const items = [...document.querySelectorAll(".checklist .item")];
  const count = document.getElementById("filter-count");
  const apply = (status) => {
    let shown = 0;
    for (const item of items) {
      const visible = status === "all" || item.dataset.status === status;
      item.hidden = !visible;
      shown += visible ? 1 : 0;
    }
    for (const group of document.querySelectorAll(".checklist .group")) {
      group.hidden = ![...group.querySelectorAll(".item")].some((i) => !i.hidden);
    }
    for (const chip of chips) chip.setAttribute("aria-pressed", String(chip.dataset.filter === status));
    if (count) count.textContent = tr("shown", {n: shown, total: items.length});
    sessionStorage.setItem(`filter:${REVIEW_ID}`, status);
  };
  for (const chip of chips) chip.addEventListener("click", () => apply(chip.dataset.filter));
  const saved = sessionStorage.getItem(`filter:${REVIEW_ID}`);
  if (saved && chips.some((c) => c.dataset.filter === saved)) apply(saved);
}

/* ---------------------------------------------------------------- overrides */
function reloadKeepingPlace(rid) {
  sessionStorage.setItem(`scroll:${REVIEW_ID}`, JSON.stringify({y: window.scrollY, rid}));
  window.location.reload();
}

function restorePlace() {
  const raw = sessionStorage.getItem(`scroll:${REVIEW_ID}`);
  if (!raw) return;
  sessionStorage.removeItem(`scroll:${REVIEW_ID}`);
  const {y, rid} = JSON.parse(raw);
  window.scrollTo(0, y);
  document.querySelector(`#item-${CSS.escape(rid)} .override summary`)?.focus({preventScroll: true});
}

function setupOverrides() {
  const authorKey = "dossier-review:author";
  for (const form of document.querySelectorAll(".override-form")) {
    const rid = form.dataset.rid;
    const status = form.querySelector(".form-status");
    const author = form.querySelector("[name=author]");
    if (!author.value) author.value = localStorage.getItem(authorKey) || "";
    const url = `/v1/reviews/${REVIEW_ID}/items/${encodeURIComponent(rid)}/override`;
    const send = async (method, body) => {
      status.textContent = tr("saving");
      status.classList.remove("error");
      try {
        const response = await fetch(url, {method, headers: {"Content-Type": "application/json"},
          body: body ? JSON.stringify(body) : undefined});
        if (!response.ok) throw new Error(await apiError(response));
        status.textContent = tr("saved");
        reloadKeepingPlace(rid);
      } catch (err) {
        status.textContent = err.message || tr("network_error");
        status.classList.add("error");
      }
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      localStorage.setItem(authorKey, author.value.trim());
      send("PUT", {status: form.elements.status.value, comment: form.elements.comment.value,
        author: author.value.trim()});
    });
    form.querySelector("[data-action=clear]")?.addEventListener("click", () => send("DELETE"));
  }
}

/* ---------------------------------------------------------------- evidence viewer */
function setupViewer() {
  const dialog = document.getElementById("viewer");
  if (!dialog) return;
  const img = document.getElementById("viewer-img");
  const scroller = document.getElementById("viewer-scroll");
  const loading = document.getElementById("viewer-loading");
  const label = document.getElementById("viewer-page-label");
  const warn = document.getElementById("viewer-warn");
  const prev = document.getElementById("viewer-prev");
  const next = document.getElementById("viewer-next");
  const state = {page: 1, pages: 0, quote: "", quotePage: 1};

  const show = async (page) => {
    state.page = page;
    const quote = page === state.quotePage ? state.quote : "";
    const q = encodeURIComponent(quote);
    loading.textContent = tr("loading");
    loading.hidden = false;
    img.hidden = true;
    let meta = {boxes: [], found: false, pages: state.pages};
    try {
      const response = await fetch(`/v1/reviews/${REVIEW_ID}/pages/${page}/highlight?quote=${q}`);
      if (!response.ok) throw new Error(await apiError(response));
      meta = await response.json();
    } catch (err) {
      loading.textContent = `${tr("page_failed")}: ${err.message}`;
      return;
    }
    state.pages = meta.pages;
    label.textContent = tr("page_of", {n: page, total: meta.pages});
    prev.disabled = page <= 1;
    next.disabled = page >= meta.pages;
    warn.hidden = !quote || meta.found;
    img.onload = () => {
      loading.hidden = true;
      img.hidden = false;
      const box = meta.boxes[0];
      scroller.scrollTop = box ? Math.max(0, box[1] * img.clientHeight - scroller.clientHeight / 3) : 0;
    };
    img.onerror = () => { loading.textContent = tr("page_failed"); };
    img.alt = tr("page_of", {n: page, total: meta.pages});
    img.src = `/v1/reviews/${REVIEW_ID}/pages/${page}.png?quote=${q}`;
  };

  const open = (button) => {
    state.quote = button.dataset.quote;
    state.quotePage = Number(button.dataset.page);
    document.getElementById("viewer-quote").textContent = state.quote;
    const item = button.closest(".item");
    const ref = document.getElementById("viewer-clause-ref");
    const text = document.getElementById("viewer-clause");
    if (item) {
      const clause = item.querySelector(".clause-ref a");
      ref.replaceChildren(clause.cloneNode(true));
      const title = item.querySelector(".item-name h4").textContent;
      const rid = item.dataset.rid;
      text.textContent = item.querySelector("template.clause-full").content.textContent;
      const gloss = item.querySelector("template.clause-gloss");
      document.getElementById("viewer-gloss").textContent = gloss ? gloss.content.textContent : "";
      document.getElementById("viewer-gloss-box").hidden = !gloss;
      document.getElementById("viewer-title").textContent = `${rid} · ${title}`;
      document.getElementById("viewer-clause-box").hidden = false;
    } else {
      document.getElementById("viewer-title").textContent = button.dataset.context || "";
      document.getElementById("viewer-clause-box").hidden = true;
    }
    dialog.returnFocus = button;
    dialog.showModal();
    show(state.quotePage);
  };

  for (const button of document.querySelectorAll("button.quote")) {
    button.addEventListener("click", () => open(button));
  }
  prev.addEventListener("click", () => { if (state.page > 1) show(state.page - 1); });
  next.addEventListener("click", () => { if (state.page < state.pages) show(state.page + 1); });
  document.getElementById("viewer-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { img.removeAttribute("src"); dialog.returnFocus?.focus(); });
  dialog.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, select")) return;
    if (e.key === "ArrowLeft" && !prev.disabled) prev.click();
    if (e.key === "ArrowRight" && !next.disabled) next.click();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupFilter();
  setupOverrides();
  setupViewer();
  restorePlace();
});
