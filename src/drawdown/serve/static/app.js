// The drawdown workbench page: reads the controls from the server, sends what-ifs, shows the
// report's figures and numbers. Every check happens on the server; this file only displays.
"use strict";

const state = { data: null, events: [], shown: "baseline", job: null, poll: null };
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    return { ok: false, body: { error: "the workbench server cannot be reached", problems: [] } };
  }
  let data = null;
  try { data = await response.json(); } catch (err) { data = { error: `HTTP ${response.status}`, problems: [] }; }
  return { ok: response.ok, status: response.status, body: data };
}

function showErrors(body) {
  const box = $("#errors");
  box.replaceChildren();
  if (!body) { box.hidden = true; return; }
  box.append(el("h4", { text: body.error || "error" }));
  const list = el("ul");
  for (const p of body.problems || []) list.append(el("li", { class: "problem", text: p.text }));
  box.append(list);
  box.hidden = false;
}

// -- controls ----------------------------------------------------------------------------
function buildControls(data) {
  const groups = new Map();
  for (const c of data.controls) {
    if (!groups.has(c.group)) groups.set(c.group, []);
    groups.get(c.group).push(c);
  }
  const root = $("#groups");
  root.replaceChildren();
  let first = true;
  for (const [group, controls] of groups) {
    const box = el("details", first ? { open: "" } : {}, el("summary", { text: group }));
    first = false;
    for (const c of controls) {
      const input = el("input", {
        type: "text",
        "data-name": c.name,
        "data-kind": c.kind,
        placeholder: c.current || (c.kind === "date" ? "YYYY-MM-DD" : ""),
        title: `${c.name} (now ${c.current || "unset"})`,
        "aria-label": c.name,
      });
      input.addEventListener("input", () => row.classList.toggle("changed", input.value.trim() !== ""));
      const row = el("label", { class: "control" }, el("span", { text: c.label }), input);
      if (c.note) row.append(el("span", { class: "note", text: c.note }));
      box.append(row);
    }
    root.append(box);
  }
  const kinds = $("#event-kind");
  kinds.replaceChildren(...data.event_kinds.map((k) => el("option", { value: k.name, title: k.effect, text: k.name })));
  const targets = () => {
    const list = data.event_targets[kinds.value] || [];
    $("#event-target").replaceChildren(...list.map((t) => el("option", { value: t, text: t })));
  };
  kinds.onchange = targets;
  targets();
  $("#event-date").value = data.start_date;
  $("#runs").value = data.settings.runs;
  $("#runs").max = data.settings.max_runs;
}

function renderEvents() {
  const list = $("#events");
  list.replaceChildren();
  state.events.forEach((e, i) => {
    const remove = el("button", { type: "button", text: "remove" });
    remove.onclick = () => { state.events.splice(i, 1); renderEvents(); };
    list.append(el("li", { text: `${e.kind} ${e.target} ${e.date}${e.end_date ? ".." + e.end_date : ""} ` }, remove));
  });
}

function whatIf() {
  const changes = [];
  for (const input of document.querySelectorAll("#groups input[data-name]")) {
    let value = input.value.trim();
    if (value === "") continue;
    // a declared uncertainty on the multiplier scale takes a factor of the table's values
    if (input.dataset.kind === "factor" && !value.startsWith("*")) value = "*" + value;
    changes.push({ name: input.dataset.name, value });
  }
  const runs = Number($("#runs").value);
  return {
    name: $("#variant-name").value.trim(),
    changes,
    events: state.events.slice(),
    runs: Number.isInteger(runs) ? runs : $("#runs").value,
  };
}

// -- showing a variant -------------------------------------------------------------------
function fmt(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en");
  return Number(x.toPrecision(3)).toLocaleString("en", { maximumSignificantDigits: 3 });
}
function signed(x) { return (x > 0 ? "+" : "") + fmt(x); }
function interval(pair) { return `[${fmt(pair[0])}, ${fmt(pair[1])}]`; }

function noteOf(v) {
  const what = v.id === "baseline" ? "The scenario as given, " : `Changed: ${v.changes}. `;
  const plan = v.kind === "replan" ? "its own re-optimised plan" : "the current plan";
  let text = `${what}${v.runs.toLocaleString("en")} runs, ${plan}` + (v.plan_note ? ` (${v.plan_note})` : "") + ".";
  const t = v.seconds || {};
  if (t.simulate !== undefined) text += ` Simulated in ${t.simulate.toFixed(1)} s`;
  if (t.figures !== undefined) text += `${t.simulate !== undefined ? "," : ""} figures drawn in ${t.figures.toFixed(1)} s`;
  return text + (t.simulate !== undefined || t.figures !== undefined ? "." : "");
}

function showVariant(v) {
  state.shown = v.id;
  $("#showing").textContent = v.id === "baseline" ? "Baseline" : `Variant: ${v.name}`;
  $("#showing-note").textContent = noteOf(v);
  const cards = $("#headline");
  cards.replaceChildren(...v.headline.map((h) => el("div", { class: "card" },
    el("div", { class: "label", text: h.label }),
    el("div", { class: "value", text: h.value }),
    el("div", { class: "interval", text: h.interval }),
    el("div", { class: "note", text: `${h.runs.toLocaleString("en")} runs${h.note ? " · " + h.note : ""}` }))));
  const body = $("#key-figures tbody");
  body.replaceChildren(...v.key_figures.map((f) => {
    const diff = el("td", { class: "num diff", "data-figure": f.figure,
      text: v.id === "baseline" ? "–" : `${signed(f.diff)} ${interval(f.diff_interval)}` });
    const [lo, hi] = f.diff_interval;
    if (v.id !== "baseline" && f.better && lo !== null && hi !== null && (lo > 0 || hi < 0)) {
      const worse = (lo > 0) === (f.better === "lower");
      diff.classList.add(worse ? "worse" : "better");
    }
    return el("tr", {},
      el("td", { text: `${f.label} (${f.unit})` }),
      el("td", { class: "num", text: `${fmt(f.baseline)} ${interval(f.baseline_interval)}` }),
      el("td", { class: "num", text: `${fmt(f.value)} ${interval(f.interval)}` }),
      diff);
  }));
  if (v.figures) {
    showFigures(v.figures);
  } else {
    // the numbers came first; the figures are drawn now, by the report's code
    $("#figures").replaceChildren(el("p", { class: "hint", id: "figures-pending", text: "drawing the figures…" }));
    loadFigures(v);
  }
  markShown();
}

async function loadFigures(v) {
  const r = await api("GET", `/api/variants/${encodeURIComponent(v.id)}/figures`);
  if (state.shown !== v.id) return; // another variant is shown by now
  if (!r.ok) { showErrors(r.body); return; }
  v.figures = r.body.figures;
  v.seconds = r.body.seconds;
  $("#showing-note").textContent = noteOf(v);
  showFigures(v.figures);
}

function showFigures(list) {
  const figs = $("#figures");
  figs.replaceChildren();
  for (const f of list) {
    const box = el("figure", { class: "figure-box", id: `figure-${f.key}` }, el("h3", { text: f.title }));
    const holder = el("div");
    holder.innerHTML = f.svg; // drawn by the server's report code, never from user text
    box.append(holder, el("p", { text: f.caption }));
    figs.append(box);
  }
  document.body.dataset.figures = "drawn";
}

function markShown() {
  for (const tr of document.querySelectorAll("#variants tbody tr")) tr.classList.toggle("shown", tr.dataset.id === state.shown);
}

function showList(list) {
  const body = $("#variants tbody");
  body.replaceChildren(...list.map((v) => {
    const byKey = Object.fromEntries(v.figures.map((f) => [f.figure, f]));
    const cell = (key) => {
      const f = byKey[key];
      if (!f) return el("td", { class: "num", text: "–" });
      const text = v.id === "baseline" ? fmt(f.value) : `${fmt(f.value)} (${signed(f.diff)})`;
      return el("td", { class: "num", text });
    };
    const show = el("button", { type: "button", class: "show", text: "show" });
    show.onclick = () => openVariant(v.id);
    const exp = el("button", { type: "button", class: "export", text: "export" });
    exp.onclick = () => exportVariant(v.id, exp);
    return el("tr", { "data-id": v.id },
      el("td", { text: v.name }), el("td", { text: v.changes }),
      el("td", { text: v.kind === "replan" ? "re-planned" : "current" }),
      cell("p_out_on_time"), cell("completion_day"), cell("casualties"), cell("teu_destroyed"),
      el("td", {}, show, exp));
  }));
  markShown();
}

async function openVariant(id) {
  const r = await api("GET", `/api/variants/${encodeURIComponent(id)}`);
  if (!r.ok) { showErrors(r.body); return; }
  showErrors(null);
  showVariant(r.body.variant);
}

async function exportVariant(id, button) {
  button.disabled = true;
  $("#export-status").textContent = "exporting…";
  const r = await api("POST", `/api/variants/${encodeURIComponent(id)}/export`);
  button.disabled = false;
  if (!r.ok) { $("#export-status").textContent = ""; showErrors(r.body); return; }
  showErrors(null);
  const e = r.body.export;
  const status = $("#export-status");
  status.replaceChildren(
    el("span", { text: `Exported ${e.id}: ` }),
    el("a", { href: e.zip_url, download: "", id: "export-zip", text: "scenario folder (zip)" }),
    el("span", { text: " and the " }),
    el("a", { href: e.report_url, target: "_blank", id: "export-report", text: "offline report" }),
    el("span", { text: " (" }),
    el("a", { href: e.report_url, download: e.report_name, id: "export-report-file", text: "download it" }),
    el("span", { text: `). Also on this machine: ${e.scenario_folder} (check it with: ${e.validate}) and ${e.report}.` }));
}

// -- actions -----------------------------------------------------------------------------
function busy(on) {
  for (const id of ["#simulate", "#replan", "#open"]) $(id).disabled = on;
}

async function simulate(event) {
  event.preventDefault();
  busy(true);
  $("#job-status").textContent = "simulating…";
  document.body.dataset.figures = "pending";
  const r = await api("POST", "/api/simulate?figures=later", whatIf());
  busy(false);
  $("#job-status").textContent = "";
  if (!r.ok) { showErrors(r.body); return; }
  showErrors(null);
  showList(r.body.variants);
  showVariant(r.body.variant);
}

async function replan() {
  busy(true);
  const r = await api("POST", "/api/replan", whatIf());
  if (!r.ok) { busy(false); showErrors(r.body); return; }
  showErrors(null);
  watchJob(r.body.job);
}

function watchJob(job) {
  state.job = job;
  $("#cancel").hidden = false;
  busy(true);
  const tick = async () => {
    const r = await api("GET", `/api/jobs/${state.job.id}`);
    if (!r.ok) { stopJob(); showErrors(r.body); return; }
    const j = r.body.job;
    const what = j.kind === "open" ? j.name : `re-plan “${j.name}”`;
    $("#job-status").textContent = `${what}: ${j.stage} (${j.seconds} s)`;
    if (j.state === "done" && j.kind === "open") {
      stopJob();
      await load();
      $("#job-status").textContent = `${j.name}: done in ${j.seconds} s`;
    } else if (j.state === "done") {
      stopJob();
      $("#job-status").textContent = `re-plan “${j.name}” done in ${j.seconds} s`;
      if (r.body.variants) showList(r.body.variants);
      if (r.body.variant) showVariant(r.body.variant);
    } else if (j.state === "failed") {
      stopJob();
      showErrors(j.error);
    } else if (j.state === "cancelled") {
      stopJob();
      $("#job-status").textContent = `${j.name} cancelled`;
    } else {
      state.poll = setTimeout(tick, 500);
    }
  };
  tick();
}

function stopJob() {
  clearTimeout(state.poll);
  state.poll = null;
  $("#cancel").hidden = true;
  busy(false);
}

async function cancelJob() {
  if (!state.job) return;
  clearTimeout(state.poll);
  const r = await api("POST", `/api/jobs/${state.job.id}/cancel`);
  stopJob();
  if (!r.ok) { showErrors(r.body); return; }
  $("#job-status").textContent = `re-plan “${r.body.job.name}” cancelled`;
}

async function load() {
  const r = await api("GET", "/api/state");
  if (!r.ok) { showErrors(r.body); return null; }
  const data = r.body;
  state.data = data;
  state.events = [];
  renderEvents();
  const s = data.scenario;
  $("#scenario-name").textContent = `— ${s.name}`;
  $("#scenario-line").textContent =
    `${s.description} · ${s.start_date} to ${s.deadline} · ${s.people.toLocaleString("en")} people, ` +
    `${Math.round(s.containers_teu).toLocaleString("en")} TEU, ${s.vehicles.toLocaleString("en")} vehicles · ` +
    `${s.plan} · seed ${data.settings.seed}`;
  $("#builtin").replaceChildren(...data.builtins.map((n) => el("option", { value: n, text: n })));
  if (data.builtins.includes(s.name)) $("#builtin").value = s.name;
  buildControls(data);
  showList(data.variants);
  showVariant(data.baseline);
  return data;
}

async function openScenario(event) {
  event.preventDefault();
  busy(true);
  const r = await api("POST", "/api/open", { scenario: $("#builtin").value });
  if (!r.ok) { busy(false); showErrors(r.body); return; }
  showErrors(null);
  watchJob(r.body.job);
}

async function start() {
  const data = await load();
  if (!data) return;
  if (data.job) watchJob(data.job);
  $("#whatif").addEventListener("submit", simulate);
  $("#open-form").addEventListener("submit", openScenario);
  $("#replan").onclick = replan;
  $("#cancel").onclick = cancelJob;
  $("#whatif").addEventListener("reset", () => {
    state.events = [];
    renderEvents();
    for (const row of document.querySelectorAll(".control.changed")) row.classList.remove("changed");
    setTimeout(() => { $("#runs").value = state.data.settings.runs; }, 0);
  });
  $("#add-event").onclick = () => {
    state.events.push({ kind: $("#event-kind").value, target: $("#event-target").value,
      date: $("#event-date").value, end_date: $("#event-end").value });
    renderEvents();
  };
  document.body.dataset.ready = "yes";
}

document.addEventListener("DOMContentLoaded", start);
