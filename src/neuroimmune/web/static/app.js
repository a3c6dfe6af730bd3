// The explorer page: controls generated from the model's JSON schemas (GET /api/kinds), a simulation on every
// change (POST /api/simulate), the body map (with a table of the same numbers) and curves at the time the slider
// points to, with a shaded range on every curve (POST /api/bands: people like me, how sure the model is, or both), what helps (POST /api/compare), why, when to worry (POST /api/when-to-worry, POST /api/diary-check),
// and a printable summary for a doctor. Temperatures are shown in °C or °F; the API always speaks °C.
"use strict";

// Okabe-Ito, safe for the common colour-vision deficiencies; lines of one chart also differ by dash
const OI = {orange: "#E69F00", sky: "#56B4E9", green: "#009E73", yellow: "#F0E442", blue: "#0072B2",
  vermillion: "#D55E00", purple: "#CC79A7", black: "#000000"};
const DASH = {solid: [], dashed: [7, 4], dotted: [2, 3], dashdot: [8, 3, 2, 3]};
const CHARTS = [
  {id: "temperature", title: "Temperature", temperature: true,
    series: [["temperature", "temperature", OI.vermillion, "solid"]]},
  {id: "cytokines", title: "Cytokines in the blood", log: true, series: [["tnf", "TNF", OI.orange, "solid"],
    ["il6", "IL-6", OI.blue, "dashed"], ["il8", "IL-8", OI.green, "dotted"], ["il10", "IL-10 (calms)", OI.purple, "dashdot"]]},
  {id: "crp", title: "CRP, the inflammation marker a clinic measures", log: true,
    series: [["crp", "CRP (mg/L; a day behind IL-6)", OI.black, "solid"]]},
  {id: "back", title: "Back ache", range: [0, 10], series: [["back_pain", "back ache (0 none - 10 worst)", OI.vermillion, "solid"]]},
  {id: "sickness", title: "Tiredness, appetite and mood", range: [0, 1], series: [
    ["fatigue", "tiredness (0 none - 1 most)", OI.blue, "solid"], ["appetite", "appetite (1 usual)", OI.green, "dashed"],
    ["mood", "mood (1 usual)", OI.orange, "dotted"]]},
  {id: "viral", title: "Viral load", minSpan: 2, series: [["viral_load", "viral load", OI.purple, "solid"]]},
];
const DEFAULT_DAYS = {endotoxin: 1}; // endotoxin is over in a day; infections take days
const FALLBACK_DAYS = 14;
// plain names for people; a kind without one is shown by its name
const ILLNESS_NAMES = {endotoxin: "endotoxin (a lab model)", influenza: "flu (influenza)",
  sars_cov_2: "COVID-19 (SARS-CoV-2)", bacterial: "a bacterial infection", vaccine: "a vaccine"};
const MEASURE_NAMES = {antiviral: "antiviral medicine", antibiotic: "antibiotic", ibuprofen: "ibuprofen",
  paracetamol: "paracetamol", heat: "heat pack", sleep: "more sleep", hydration: "drinking enough",
  breathing: "breathing exercise", cold_exposure: "cold exposure", meditation: "meditation",
  chicken_soup: "chicken soup", expectation: "expecting to get better"};
const STALE_WAIT_MS = 250; // a recompute shorter than this redraws without flashing the note

const state = {kinds: null, result: null, seq: 0, charts: [], chartKey: "", map: null, playTimer: null,
  timings: [], pending: false, diary: null, worry: null, unit: "C", stale: null, staleTimer: null, version: "",
  resultKey: "", bands: null, bandSeq: 0, bandTimings: [], bandsDrawn: {}};
window.explorer = state; // for the browser tests and the curious

const $ = sel => document.querySelector(sel);
const nextFrame = () => new Promise(r => requestAnimationFrame(() => r()));

async function api(path, body) {
  const opts = body === undefined ? {} : {method: "POST", headers: {"content-type": "application/json"},
    body: JSON.stringify(body)};
  let res;
  try { res = await fetch(path, opts); } catch (e) { return {ok: false, status: 0, data: {detail: "the server cannot be reached"}}; }
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  return {ok: res.ok, status: res.status, data, retryAfter: Number(res.headers.get("Retry-After")) || 0};
}

function valueText(v) { return v !== undefined && v !== null ? ` (you gave ${JSON.stringify(v)})` : ""; }

function problemsText(data) {
  const d = data && data.detail;
  if (!Array.isArray(d)) return typeof d === "string" ? d : "unexpected answer from the server";
  return d.map(p => `${p.field}: ${p.rule}` + valueText(p.value)).join("; ");
}

function humanise(name) { return String(name).replace(/_/g, " "); }
function illnessName(kind) { return ILLNESS_NAMES[kind] || humanise(kind); }
function measureName(kind) { return MEASURE_NAMES[kind] || humanise(kind); }
function escapeHtml(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }

// ---- temperature units (display only) -------------------------------------------------------------------------
const tempOut = c => state.unit === "F" ? c * 9 / 5 + 32 : c;
const tempIn = v => state.unit === "F" ? (v - 32) * 5 / 9 : v;
const tempUnit = () => state.unit === "F" ? "°F" : "°C";
const fmtTemp = (c, digits = 1) => `${tempOut(c).toFixed(digits)} ${tempUnit()}`;

// ---- errors next to their fields ------------------------------------------------------------------------------
function clearErrors(scope) {
  for (const e of scope.querySelectorAll(".field-error")) e.remove();
  for (const el of scope.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const rest = (el.getAttribute("aria-describedby") || "").split(" ").filter(id => id && !id.endsWith("-error"));
    if (rest.length) el.setAttribute("aria-describedby", rest.join(" ")); else el.removeAttribute("aria-describedby");
  }
}

/** Mark `input` invalid and show `text` right after it, tied to it by aria-describedby. */
function fieldError(input, text) {
  const id = `${input.id}-error`;
  let p = document.getElementById(id);
  if (!p) {
    p = document.createElement("p");
    p.className = "field-error";
    p.id = id;
    (input.closest(".field") || input.parentElement).appendChild(p);
    const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    input.setAttribute("aria-describedby", [...ids, id].join(" "));
  }
  p.textContent = p.textContent ? `${p.textContent}; ${text}` : text;
  input.setAttribute("aria-invalid", "true");
}

/** The control of the scenario form that an API field path (challenge.dose, interventions.0.start) names. */
function inputForField(field, sc) {
  const parts = String(field).split(".");
  const byId = id => document.getElementById(id);
  if (parts[0] === "challenge") return (parts[1] && byId(`challenge-${parts[1]}`)) || $("#illness");
  if (parts[0] === "host") return parts[1] ? byId(`host-${parts[1]}`) : null;
  if (parts[0] === "interventions") {
    const item = (sc.interventions || [])[Number(parts[1])];
    if (!item) return null;
    return (parts[2] && byId(`measure-${item.kind}-${parts[2]}`)) || byId(`measure-${item.kind}`);
  }
  if (parts[0] === "duration" || parts[0] === "output_step") return $("#days");
  return null;
}

/** Show each problem of a 422 next to its field; returns the problems that have no field on the page. */
function showProblems(data, resolve) {
  const unplaced = [];
  const list = data && Array.isArray(data.detail) ? data.detail : [];
  for (const p of list) {
    const input = resolve(p.field);
    if (input) fieldError(input, p.rule + valueText(p.value));
    else unplaced.push(p);
  }
  return {unplaced, placed: list.length - unplaced.length};
}

// ---- "out of date" notes --------------------------------------------------------------------------------------
function setStale(kind) {
  clearTimeout(state.staleTimer);
  state.stale = kind;
  const invalid = document.querySelector("#scenario-form [aria-invalid=true]");
  const html = kind === "pending" ? "Out of date: working out your new choices…"
    : kind === "failed" ? "Out of date: this still shows your earlier choices, because an entry under " +
      `<a href="#${invalid ? invalid.id : "controls"}">Your illness</a> needs fixing.` : "";
  for (const n of document.querySelectorAll(".stale-note")) { n.hidden = !kind; n.innerHTML = html; }
  document.body.classList.toggle("is-stale", !!kind);
  document.body.dataset.stale = kind || "";
}

// ---- controls from JSON schema ---------------------------------------------------------------------------------
function resolveProp(prop) {
  let base = prop, nullable = false;
  if (prop.anyOf) {
    const options = prop.anyOf.filter(o => o.type !== "null");
    nullable = options.length < prop.anyOf.length;
    base = Object.assign({}, options[0] || {}, {title: prop.title, description: prop.description, default: prop.default});
  }
  if (base.$ref || base.type === "object" || base.type === "array") return {kind: "skip"};
  if (base.const !== undefined) return {kind: "skip"};
  const r = {title: prop.title || "", description: prop.description || "", nullable, default: prop.default};
  if (base.enum) return Object.assign(r, {kind: "enum", options: base.enum});
  if (base.type === "boolean") return Object.assign(r, {kind: "bool"});
  if (base.type === "number" || base.type === "integer") {
    return Object.assign(r, {kind: "number", integer: base.type === "integer",
      min: base.minimum ?? base.exclusiveMinimum ?? base.ge ?? base.gt, max: base.maximum ?? base.le ?? base.exclusiveMaximum ?? base.lt});
  }
  return Object.assign(r, {kind: "text"});
}

const UNIT_WORDS = {degC: "°C", "1/min": "beats per minute", percent: "%", year: "years", h: "hours"};
function unitText(unit) { return UNIT_WORDS[unit] || unit; }

/** Build one labelled control per scalar field of `schema` into `container`. */
function buildFields(container, schema, units, values, idPrefix) {
  container.textContent = "";
  const props = schema.properties || {};
  for (const [name, prop] of Object.entries(props)) {
    if (name === "kind") continue;
    const r = resolveProp(prop);
    if (r.kind === "skip") continue;
    const id = `${idPrefix}-${name}`;
    const wrap = document.createElement("div");
    wrap.className = "field";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = humanise(name) + (units[name] ? ` (${unitText(units[name])})` : "");
    let input;
    const value = values[name] !== undefined ? values[name] : r.default;
    const options = r.kind === "enum" ? r.options : (name === "region" && state.kinds ? state.kinds.regions : null);
    if (options) {
      input = document.createElement("select");
      for (const o of options) {
        const opt = document.createElement("option");
        opt.value = o; opt.textContent = humanise(String(o));
        input.appendChild(opt);
      }
      if (value !== undefined && value !== null) input.value = value;
    } else if (r.kind === "bool") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.checked = !!value;
      wrap.classList.add("check");
    } else if (r.kind === "number") {
      input = document.createElement("input");
      input.type = "number";
      input.inputMode = "decimal";
      if (r.min !== undefined) input.min = r.min;
      if (r.max !== undefined) input.max = r.max;
      input.step = r.integer ? "1" : "any";
      if (value !== undefined && value !== null) input.value = value;
    } else {
      input = document.createElement("input");
      input.type = "text";
      if (value !== undefined && value !== null) input.value = value;
    }
    input.id = id;
    input.name = name;
    input.dataset.field = name;
    input.dataset.kind = r.kind === "number" ? "number" : r.kind === "bool" ? "bool" : "text";
    if (r.description) input.title = r.description;
    if (r.kind === "bool") { wrap.appendChild(input); wrap.appendChild(label); }
    else { wrap.appendChild(label); wrap.appendChild(input); }
    container.appendChild(wrap);
  }
}

function readFields(container) {
  const out = {};
  for (const input of container.querySelectorAll("[data-field]")) {
    const name = input.dataset.field;
    if (input.dataset.kind === "bool") out[name] = input.checked;
    else if (input.dataset.kind === "number") {
      // a number input that does not hold a number reads as "" in the DOM: send what was typed, so the server
      // names the field and the rule instead of the value silently falling back to its default
      if (input.value !== "") out[name] = Number(input.value);
      else if (input.validity && input.validity.badInput) out[name] = "not a number";
    } else if (input.value !== "") out[name] = input.value;
  }
  return out;
}

function kindInfo(list, kind) { return list.find(k => k.kind === kind); }

function buildChallenge() {
  const info = kindInfo(state.kinds.challenges, $("#illness").value);
  $("#illness-description").textContent = info.description.replace(/``/g, "");
  buildFields($("#challenge-fields"), info.schema, info.units, info.example || {}, "challenge");
  $("#days").value = DEFAULT_DAYS[info.kind] ?? FALLBACK_DAYS;
}

function buildMeasures() {
  const box = $("#measure-fields");
  box.textContent = "";
  if (!state.kinds.interventions.length) {
    box.innerHTML = '<p class="hint" id="no-measures">No self-care measures are modelled in this version yet; ' +
      "they appear here as soon as the model has them.</p>";
    return;
  }
  for (const info of state.kinds.interventions) {
    const div = document.createElement("div");
    div.className = "measure";
    div.dataset.kind = info.kind;
    const id = `measure-${info.kind}`;
    div.innerHTML = `<div class="field check"><input type="checkbox" id="${id}" class="measure-toggle">
      <label for="${id}">${escapeHtml(measureName(info.kind))}</label></div><div class="fields" hidden></div>`;
    const fields = div.querySelector(".fields");
    buildFields(fields, info.schema, info.units, info.example || {}, id);
    div.querySelector(".measure-toggle").addEventListener("change", e => { fields.hidden = !e.target.checked; });
    if (info.description) div.querySelector("label").title = info.description;
    box.appendChild(div);
  }
}

function measureSetting(div) { return Object.assign({kind: div.dataset.kind}, readFields(div.querySelector(".fields"))); }

function scenario() {
  const kind = $("#illness").value;
  const raw = $("#days").value;
  const days = Math.min(60, Math.max(1, Math.round(Number(raw) || 1)));
  const duration = days * 24;
  const interventions = [...document.querySelectorAll(".measure")]
    .filter(d => d.querySelector(".measure-toggle").checked).map(measureSetting);
  const sc = {challenge: Object.assign({kind}, readFields($("#challenge-fields"))), host: readFields($("#host-fields")),
    interventions, duration, output_step: Math.max(0.1, Math.round(duration / 400 * 10) / 10)};
  // days outside 1-60 are the page's own limit: say so next to the field rather than quietly clamping
  sc.daysProblem = raw === "" || Number(raw) !== days ? `must be a whole number of days from 1 to 60` : null;
  return sc;
}

// ---- drawing -----------------------------------------------------------------------------------------------------
function series(name) {
  const o = state.result.observables[name];
  return o ? o.values : null;
}

function timeIndex(t) {
  const time = state.result.time;
  const dt = time.length > 1 ? time[1] - time[0] : 1;
  return Math.min(time.length - 1, Math.max(0, Math.round((t - time[0]) / dt)));
}

function fmtTime(h) {
  if (state.result && state.result.time[state.result.time.length - 1] <= 48) return `${h.toFixed(1)} h`;
  return `day ${Math.floor(h / 24) + 1}, ${(h % 24).toFixed(0)} h`;
}

function currentTime() { return Number($("#time").value); }

const DIARY_FIELDS = {back: "back_pain", temperature: "temperature"};

/** The checked diary on a chart: each day's predicted range (grey bar) and the entry (black dot). */
function drawDiary(u, chartId) {
  const field = DIARY_FIELDS[chartId];
  const d = state.diary;
  if (!field || !d) return;
  const conv = field === "temperature" ? tempOut : v => v;
  const ctx = u.ctx;
  ctx.save();
  for (const e of d.result.expected) {
    const x = u.valToPos(d.result.onset_h + (e.day - 0.5) * 24, "x", true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    const [lo, hi] = e[field];
    ctx.strokeStyle = "#666";
    ctx.lineWidth = 4 * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(x, u.valToPos(conv(lo), "y", true));
    ctx.lineTo(x, u.valToPos(conv(hi), "y", true) - 1);
    ctx.stroke();
    const entry = d.days.find(x => x.day === e.day);
    if (entry && entry[field] !== undefined) {
      ctx.fillStyle = OI.black;
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.beginPath();
      ctx.arc(x, u.valToPos(conv(entry[field]), "y", true), 5 * devicePixelRatio, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.restore();
}

// ---- bands: the shaded range on every curve ----------------------------------------------------------------------
// quantile rows of POST /api/bands (0.05, 0.25, 0.5, 0.75, 0.95) filled between, and their opacity
const BAND_FILLS = [[0, 4, 0.16], [1, 3, 0.3]];
// the observables the charts draw (the bands of the others are not asked for)
const BAND_OBSERVABLES = [...new Set(CHARTS.flatMap(c => c.series.map(([name]) => name)))];

function bandChoice() {
  const r = document.querySelector("input[name=band]:checked");
  return r ? r.value : "people";
}

/** The bands of the scenario on the page, or null while they are for another scenario or not yet there. */
function currentBands() {
  const b = state.bands;
  return b && b.key === state.resultKey ? b.data : null;
}

function bandValues(spec, row) {
  if (spec.log) return row.map(v => v === null ? null : Math.max(0.1, v));
  if (spec.temperature) return row.map(v => v === null ? null : tempOut(v));
  return row;
}

/** The lowest and highest value of a chart's bands (so that the axes take them in), or null. */
function bandExtent(spec) {
  const d = currentBands();
  if (!d) return null;
  let lo = Infinity, hi = -Infinity;
  for (const [name] of spec.series) {
    const o = d.observables[name];
    if (!o || !state.result.observables[name]) continue;
    for (const row of [o.values[0], o.values[o.values.length - 1]]) {
      for (const v of bandValues(spec, row)) if (v !== null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  return Number.isFinite(lo) ? [lo, hi] : null;
}

function widen(spec, lo, hi) {
  const e = bandExtent(spec);
  return e ? [Math.min(lo, e[0]), Math.max(hi, e[1])] : [lo, hi];
}

/** Fill each series' bands under the curves (uPlot's drawClear hook: before the grid and the lines). */
function drawBands(u, spec) {
  const d = currentBands();
  let drawn = 0;
  if (d && d.time.length === state.result.time.length) {
    const ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    const xs = d.time.map(t => u.valToPos(t, "x", true));
    for (const [name, , color] of spec.series) {
      const o = d.observables[name];
      if (!o || !state.result.observables[name]) continue;
      for (const [lo, hi, alpha] of BAND_FILLS) {
        const low = bandValues(spec, o.values[lo]), high = bandValues(spec, o.values[hi]);
        const keep = xs.map((_, i) => low[i] !== null && high[i] !== null);
        ctx.beginPath();
        let started = false;
        xs.forEach((x, i) => {
          if (!keep[i]) return;
          const y = u.valToPos(high[i], "y", true);
          if (started) ctx.lineTo(x, y); else { ctx.moveTo(x, y); started = true; }
        });
        for (let i = xs.length - 1; i >= 0; i--) if (keep[i]) ctx.lineTo(xs[i], u.valToPos(low[i], "y", true));
        ctx.closePath();
        ctx.globalAlpha = alpha;
        ctx.fillStyle = color;
        ctx.fill();
      }
      drawn += 1;
    }
    ctx.restore();
  }
  state.bandsDrawn[spec.id] = drawn;
}

function setUpBands() {
  const info = state.kinds.bands || {available: ["people"]};
  for (const input of document.querySelectorAll("input[name=band]")) {
    const ok = info.available.includes(input.value);
    input.disabled = !ok;
    const label = input.parentElement;
    label.classList.toggle("unavailable", !ok);
    if (!ok && !label.querySelector(".why-not")) {
      label.insertAdjacentHTML("beforeend", '<span class="why-not"> (not in this version: it needs the ' +
        "calibration's posterior sample)</span>");
    }
    input.addEventListener("change", () => { if (state.result) loadBands(state.result.request, performance.now()); });
  }
}

/** Ask for the bands of scenario `sc` with the chosen uncertainty and draw them; while the server prepares its
 * engine for a new kind of illness (503), say so and ask again after the time it gives. */
async function loadBands(sc, t0) {
  const seq = ++state.bandSeq;
  const uncertainty = bandChoice();
  const key = JSON.stringify(sc);
  const caption = $("#band-caption");
  caption.dataset.uncertainty = "";
  caption.textContent = "Working out the range…";
  for (let attempt = 0; attempt < 30; attempt++) {
    const res = await api("/api/bands", {scenario: sc, uncertainty, observables: BAND_OBSERVABLES});
    if (seq !== state.bandSeq) return;
    if (res.ok) {
      state.bands = {key, uncertainty, data: res.data};
      if (key === state.resultKey) {
        for (const c of state.charts) c.plot.setData(c.plot.data); // rescale to take the bands in, and draw them
        labelCharts();
      }
      caption.textContent = res.data.meaning;
      caption.dataset.uncertainty = uncertainty;
      await nextFrame();
      state.bandTimings.push(performance.now() - t0);
      caption.dataset.ms = (performance.now() - t0).toFixed(1);
      return;
    }
    if (res.status !== 503) {
      state.bands = null;
      drawCursor();
      caption.textContent = `No range shown: ${problemsText(res.data)}`;
      return;
    }
    caption.textContent = "Preparing the range: the first time a kind of illness is shown, the server sets up its " +
      "engine, which takes about a minute…";
    await new Promise(r => setTimeout(r, 1000 * Math.max(1, res.retryAfter || 5)));
    if (seq !== state.bandSeq) return;
  }
}

function cursorPlugin(chartId) {
  const spec = CHARTS.find(c => c.id === chartId);
  return {hooks: {drawClear: [u => drawBands(u, spec)], draw: [u => {
    drawDiary(u, chartId);
    const x = u.valToPos(currentTime(), "x", true);
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = "#444";
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  }]}};
}

function chartValues(spec, name) {
  const v = series(name);
  if (spec.log) return v.map(x => Math.max(0.1, x));
  if (spec.temperature) return v.map(x => x === null ? null : tempOut(x));
  return v;
}

// Axes never stretch a tiny change to full height: a fixed range, or at least a minimum span (as the CLI's
// figures do); a log axis spans at least one decade.
function chartRange(spec) {
  if (spec.range) return spec.range;
  if (spec.temperature) {
    return (u, lo, hi) => {
      [lo, hi] = widen(spec, lo, hi);
      return [Math.min(tempOut(36), lo), Math.max(tempOut(40.5), hi)];
    };
  }
  if (spec.log) {
    return (u, lo, hi) => {
      [lo, hi] = widen(spec, lo, hi);
      lo = Math.max(0.1, lo); hi = Math.max(lo, hi);
      const mid = Math.sqrt(lo * hi), half = Math.max(Math.sqrt(10), Math.sqrt(hi / lo) * 1.2);
      return [mid / half, mid * half];
    };
  }
  if (spec.minSpan) {
    return (u, lo, hi) => {
      [lo, hi] = widen(spec, lo, hi);
      lo = Math.min(0, lo);
      return [lo, Math.max(hi + 0.05 * (hi - lo), lo + spec.minSpan)];
    };
  }
  return undefined;
}

/** A sentence that says what a chart shows, for people who cannot see it. */
function chartSummary(spec, present) {
  const parts = present.map(([n, label]) => {
    const p = peakOf(n);
    if (!p) return "";
    const value = spec.temperature ? fmtTemp(p.value) : `${p.value.toPrecision(3)}${unitSuffix(n)}`;
    return `${label} highest ${value} at ${fmtTime(p.time)}`;
  }).filter(Boolean);
  return `${spec.title}: ${parts.join("; ")}.`;
}

function unitSuffix(name) {
  const u = state.result.observables[name].units;
  return !u || u === "1" ? "" : ` ${unitText(u)}`;
}

function drawCharts() {
  const r = state.result;
  const days = r.time[r.time.length - 1] > 48;
  // a chart is shown when one of its series exists and is not flat at zero (viral load only with a virus)
  const responds = n => r.observables[n] && r.observables[n].values.some(v => v !== 0);
  const wanted = CHARTS.filter(c => c.series.some(([n]) => responds(n)));
  const key = wanted.map(c => c.id).join(",") + (days ? ":days" : ":hours") + state.unit;
  const box = $("#charts");
  const width = Math.max(260, Math.min(box.clientWidth || 600, 900));
  const x = r.time;
  if (key !== state.chartKey) {
    for (const c of state.charts) c.plot.destroy();
    state.charts = [];
    box.textContent = "";
    for (const spec of wanted) {
      const present = spec.series.filter(([n]) => r.observables[n]);
      const fig = document.createElement("figure");
      fig.id = `chart-${spec.id}`;
      fig.className = "chart";
      const unit = spec.temperature ? tempUnit() : unitText(r.observables[present[0][0]].units);
      const legend = present.map(([, label, color, dash]) =>
        `<li><span class="swatch ${dash}" style="border-top-color:${color}" aria-hidden="true"></span>${escapeHtml(label)}</li>`).join("");
      fig.innerHTML = `<figcaption>${spec.title}${unit && unit !== "1" ? ` (${unit})` : ""}</figcaption>
        <ul class="chart-legend">${legend}</ul>`;
      box.appendChild(fig);
      const opts = {
        width, height: 170, plugins: [cursorPlugin(spec.id)], legend: {show: false},
        scales: {x: {time: false}, y: Object.assign(spec.log ? {distr: 3} : {}, {range: chartRange(spec)})},
        axes: [{label: days ? "days" : "hours", values: (u, v) => v.map(t => days ? (t / 24).toFixed(0) : t.toFixed(0)),
          incrs: days ? [24, 48, 72, 168, 336] : [1, 2, 3, 4, 6, 12, 24]}, {size: 50}],
        series: [{label: "time (h)"}, ...present.map(([, label, color, dash]) => ({label, stroke: color, width: 2, dash: DASH[dash]}))],
      };
      const data = [x, ...present.map(([n]) => chartValues(spec, n))];
      const plot = new uPlot(opts, data, fig);
      plot.root.setAttribute("role", "img");
      state.charts.push({spec, present, plot});
    }
    state.chartKey = key;
  } else {
    for (const c of state.charts) {
      c.plot.setData([x, ...c.present.map(([n]) => chartValues(c.spec, n))]);
      if (c.plot.width !== width) c.plot.setSize({width, height: 170});
    }
  }
  labelCharts();
}

/** Each chart's text for people who cannot see it, with what its shaded range is. */
function labelCharts() {
  const d = currentBands();
  const band = d ? ` Shaded: the range for ${d.label}, 5th to 95th percentile (lighter) and 25th to 75th (darker).` : "";
  for (const c of state.charts) c.plot.root.setAttribute("aria-label", chartSummary(c.spec, c.present) + band);
}

function drawMap() {
  const r = state.result;
  const i = timeIndex(currentTime());
  const ppt = {};
  const o = r.observables.ppt_change;
  r.regions.forEach((region, k) => { ppt[region] = o.values[k][i]; });
  state.map.update(ppt);
  $("#region-time").textContent = fmtTime(currentTime());
  $("#region-table tbody").innerHTML = r.regions.map(g => `<tr data-region="${g}"><th scope="row">${humanise(g)}</th>` +
    `<td>${BodyMap.fmt(ppt[g])}</td></tr>`).join("");
}

function drawCursor() { for (const c of state.charts) c.plot.redraw(false, false); }

function setTime(t) {
  const slider = $("#time");
  slider.value = t;
  $("#time-label").textContent = fmtTime(currentTime());
  if (state.result) { drawMap(); drawCursor(); drawWhy(); }
}

function peakOf(name) {
  const v = series(name);
  if (!v) return null;
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[k]) k = i;
  return {value: v[k], time: state.result.time[k]};
}

function drawWhy() {
  const r = state.result;
  const illness = illnessName(r.scenario.challenge ? r.scenario.challenge.kind : "");
  const il6 = peakOf("il6"), temp = peakOf("temperature"), ache = peakOf("back_pain");
  const i = timeIndex(currentTime());
  const low = r.observables.ppt_change.values[r.regions.indexOf("lower_back")];
  const nowLow = low ? low[i] : null;
  const nowAche = series("back_pain")[i];
  const at = t => fmtTime(t);
  $("#why").innerHTML = `
    <ol class="chain">
      <li><strong>Cytokines.</strong> When ${escapeHtml(illness)} reaches your body, immune cells release messenger
        proteins called cytokines (<a href="#chart-cytokines">cytokine curves</a>). Here IL-6 peaks at
        <span class="live" id="why-il6">${il6 ? il6.value.toFixed(0) : "?"} pg/mL</span> at ${il6 ? at(il6.time) : "?"}.</li>
      <li><strong>The neuroimmune synapse.</strong> The cytokines do not have to reach your back. Blood vessels in the
        brain answer them by making prostaglandin E2, which turns up the body's thermostat
        (<a href="#chart-temperature">temperature</a> peaks at <span class="live" id="why-temp">${fmtTemp(temp.value)}</span>) and
        brings tiredness, low appetite and low mood (<a href="#chart-sickness">these curves</a>).</li>
      <li><strong>Sensitisation.</strong> In the spinal cord the same signals switch on support cells (glia) that turn up
        the volume of pain messages, so a press that would not normally hurt now does. This lasts hours longer than
        the cytokines. At ${at(currentTime())} your lower back's pain threshold is
        <span class="live" id="why-lowback">${nowLow === null ? "?" : nowLow.toFixed(0) + " %"}</span> from usual
        (the <a href="#map-heading">body map</a>) and the back ache is <span class="live">${nowAche.toFixed(1)}/10</span>
        (<a href="#chart-back">at most ${ache.value.toFixed(1)}/10</a>, at ${at(ache.time)}).</li>
      <li><strong>Why the lower back?</strong> It is one of the regions most sensitive to these signals: in volunteers
        given endotoxin its threshold fell further than the upper back's. The ache usually settles as the illness
        clears.</li>
    </ol>`;
}

// ---- recompute ----------------------------------------------------------------------------------------------------
async function recompute() {
  const t0 = state.changedAt ?? performance.now(); // from the user's change, including the frame it waited for
  state.changedAt = null;
  const seq = ++state.seq;
  const sc = scenario();
  const status = $("#status");
  const form = $("#scenario-form");
  if (sc.daysProblem) {
    clearErrors(form);
    fieldError($("#days"), sc.daysProblem + valueText($("#days").value));
    status.textContent = "Please check the marked field.";
    status.className = "error";
    setStale("failed");
    return;
  }
  delete sc.daysProblem;
  const res = await api("/api/simulate", sc);
  const tFetched = performance.now();
  if (seq !== state.seq) return; // a newer change is on its way
  clearErrors(form);
  if (!res.ok) {
    const {unplaced, placed} = showProblems(res.data, f => inputForField(f, sc));
    const extra = unplaced.length ? " " + problemsText({detail: unplaced}) : "";
    status.textContent = (placed ? "Please check the marked field." : "Please check:") + extra;
    status.className = "error";
    setStale("failed");
    return;
  }
  state.result = res.data;
  state.result.request = sc;
  state.resultKey = JSON.stringify(sc);
  const slider = $("#time");
  const end = state.result.time[state.result.time.length - 1];
  slider.max = end;
  slider.step = sc.output_step;
  if (currentTime() > end) slider.value = Math.min(end, 2);
  drawCharts();
  setTime(currentTime());
  setStale(null);
  await nextFrame();
  const ms = performance.now() - t0;
  state.timings.push(ms);
  status.className = "";
  status.textContent = state.timings.length === 1 ? `First simulation drawn in ${ms.toFixed(0)} ms.`
    : `Simulated and redrawn in ${ms.toFixed(0)} ms.`;
  status.dataset.ms = ms.toFixed(1);
  status.dataset.fetchMs = (tFetched - t0).toFixed(1);
  status.dataset.updates = String(state.timings.length);
  loadBands(sc, t0);
  whatHelps(sc, seq);
}

function change(before, after, digits, unit) {
  const d = after - before;
  const amount = Math.abs(d).toFixed(digits);
  const words = Number(amount) === 0 ? "no change" : d < 0 ? `${amount}${unit} less` : `${amount}${unit} more`;
  return `${before.toFixed(digits)} → ${after.toFixed(digits)}${unit} (${words})`;
}

async function whatHelps(sc, seq) {
  const box = $("#helps");
  const list = state.kinds.interventions;
  if (!list.length) {
    box.innerHTML = '<p class="hint">No self-care measure is modelled in this version of the model yet. When one is, ' +
      "this panel shows its simulated effect on peak back ache and on the days with back ache, with how strong the " +
      "evidence is and where it comes from.</p>";
    return;
  }
  const base = Object.assign({}, sc, {interventions: []});
  const divs = Object.fromEntries([...document.querySelectorAll(".measure")].map(d => [d.dataset.kind, d]));
  const answers = await Promise.all(list.map(info => api("/api/compare",
    {scenarios: [base, Object.assign({}, base, {interventions: [measureSetting(divs[info.kind])]})]})));
  if (seq !== state.seq) return;
  const refs = state.kinds.references || {};
  // the measures that help most come first: the largest fall in worst back ache, then in days with back ache
  const benefit = k => answers[k].ok ? [answers[k].data.results[1].difference.peak_back_pain ?? 0,
    answers[k].data.results[1].difference.days_with_back_pain ?? 0] : [Infinity, Infinity];
  const order = list.map((_, k) => k).sort((a, b) => {
    const [pa, da] = benefit(a), [pb, db] = benefit(b);
    return pa - pb || da - db || a - b;
  });
  const cards = order.map(k => {
    const info = list[k];
    const a = answers[k];
    const ev = info.evidence || {};
    const sources = (ev.sources || []).map(s => `<li>${escapeHtml(refs[s] || s)}</li>`).join("");
    const grade = escapeHtml(ev.grade || "not graded");
    let numbers;
    if (!a.ok) {
      numbers = `<p class="field-error">This one could not be worked out with these settings: ${escapeHtml(problemsText(a.data))}</p>`;
    } else {
      const [ref, withIt] = a.data.results;
      numbers = `<dl>
        <div><dt>Worst back ache (out of 10)</dt><dd>${change(ref.summary.peak_back_pain, withIt.summary.peak_back_pain, 1, "")}</dd></div>
        <div><dt>Days with back ache of 2 or more</dt><dd>${change(ref.summary.days_with_back_pain, withIt.summary.days_with_back_pain, 0, "")}</dd></div>
        <div><dt>How sure the research is</dt><dd>${grade}</dd></div></dl>`;
    }
    return `<li class="card" data-kind="${info.kind}"><h3>${escapeHtml(measureName(info.kind))}</h3>${numbers}
      <p class="sources-head">Where this comes from</p>${sources ? `<ul class="sources">${sources}</ul>` : "<p class=\"hint\">No source yet.</p>"}</li>`;
  }).join("");
  box.innerHTML = `<p class="plain">Each card is one thing you could try, on its own. It shows the same illness and person
    with it and without it. Lower numbers are better.</p><ul class="cards">${cards}</ul>`;
}


// ---- when to worry ------------------------------------------------------------------------------------------------
function buildQuestions() {
  const box = $("#questions");
  for (const q of state.kinds.advice.questions) {
    const div = document.createElement("div");
    div.className = "field check question";
    div.innerHTML = `<input type="checkbox" id="q-${q.id}" data-question="${q.id}"><label for="q-${q.id}">${escapeHtml(q.ask)}</label>`;
    box.appendChild(div);
  }
  box.addEventListener("change", checkQuestions);
  $("#worry-disclaimer").textContent = state.kinds.advice.disclaimer;
}

function answers() {
  const out = {};
  for (const el of document.querySelectorAll("[data-question]")) if (el.checked) out[el.dataset.question] = true;
  return out;
}

async function checkQuestions() {
  const res = await api("/api/when-to-worry", {answers: answers()});
  const box = $("#questions-verdict");
  if (!res.ok) { box.textContent = problemsText(res.data); return; }
  state.worry = res.data;
  box.className = `verdict ${res.data.level}`;
  box.innerHTML = res.data.hits.length ? `<p class="verdict-words"><strong>${escapeHtml(res.data.verdict)}</strong></p>
    <ul>${res.data.hits.map(h => `<li>${escapeHtml(h.reason)}</li>`).join("")}</ul>` : "";
}

function diaryTempBounds() { return state.unit === "F" ? [86, 113] : [30, 45]; }

function addDiaryRow(day, ache, temp) {
  const body = $("#diary tbody");
  const n = body.children.length + 1;
  const [lo, hi] = diaryTempBounds();
  const tr = document.createElement("tr");
  tr.innerHTML = `<td><input type="number" min="1" max="60" step="1" id="diary-${n}-day" aria-label="row ${n}: day since falling ill" class="d-day" value="${day ?? n}"></td>
    <td><input type="number" min="0" max="10" step="0.5" id="diary-${n}-ache" aria-label="row ${n}: worst back ache, 0 to 10" class="d-ache" value="${ache ?? ""}"></td>
    <td><input type="number" min="${lo}" max="${hi}" step="0.1" id="diary-${n}-temp" aria-label="row ${n}: highest temperature in ${tempUnit()}" class="d-temp" value="${temp ?? ""}"></td>
    <td><button type="button" class="d-remove" aria-label="remove row ${n}">×</button></td>`;
  tr.querySelector(".d-remove").addEventListener("click", () => tr.remove());
  body.appendChild(tr);
}

function diaryRows() { return [...document.querySelectorAll("#diary tbody tr")]; }

function diaryEntries() {
  return diaryRows().map(tr => {
    const d = {day: Number(tr.querySelector(".d-day").value)};
    const a = tr.querySelector(".d-ache").value, t = tr.querySelector(".d-temp").value;
    if (a !== "") d.back_pain = Number(a);
    if (t !== "") d.temperature = Math.round(tempIn(Number(t)) * 100) / 100; // the API speaks °C
    return d;
  });
}

async function checkDiary() {
  const days = diaryEntries();
  const sc = scenario();
  const box = $("#diary-verdict");
  box.textContent = "Checking…";
  box.className = "verdict";
  delete box.dataset.level;
  clearErrors($("#diary"));
  const res = await api("/api/diary-check", {illness: sc.challenge, host: sc.host, days, answers: answers()});
  if (!res.ok) {
    const rows = diaryRows();
    const cls = {day: ".d-day", back_pain: ".d-ache", temperature: ".d-temp"};
    const {unplaced, placed} = showProblems(res.data, f => {
      const m = /^days\.(\d+)(?:\.(\w+))?$/.exec(String(f));
      const row = m && rows[Number(m[1])];
      return row ? row.querySelector(cls[m[2]] || ".d-day") : null;
    });
    box.textContent = (placed ? "Please check the marked entries in the diary." : "Please check the diary:") +
      (unplaced.length ? " " + problemsText({detail: unplaced}) : "");
    return false;
  }
  state.diary = {result: res.data, days};
  drawCursor();
  renderDiaryVerdict();
  return true;
}

function renderDiaryVerdict() {
  const box = $("#diary-verdict");
  const r = state.diary.result;
  box.className = `verdict ${r.level}`;
  box.dataset.level = r.level;
  const ranges = r.expected.map(e => `<tr><td>${e.day}</td><td>${e.back_pain[0]}–${e.back_pain[1]}</td>` +
    `<td>${tempOut(e.temperature[0]).toFixed(1)}–${tempOut(e.temperature[1]).toFixed(1)}</td></tr>`).join("");
  box.innerHTML = `<p class="verdict-words"><strong>${escapeHtml(r.verdict)}</strong></p>
    <ul>${r.reasons.map(x => `<li>${escapeHtml(x)}</li>`).join("")}</ul>
    <details><summary>What is usual for each day</summary><table><thead><tr><th scope="col">Day</th>
    <th scope="col">Worst back ache</th><th scope="col">Highest temperature (${tempUnit()})</th></tr></thead><tbody>${ranges}</tbody></table>
    <p class="hint">Most people like you (90 in 100 of ${r.band.members} simulated people of your sex, age and weight:
    the "${escapeHtml(r.band.label)}" range) fall in these ranges.
    Symptoms start about ${r.onset_h.toFixed(0)} h after the illness begins. Rules version ${r.rules_version}. On the
    back ache and temperature curves, grey bars show these ranges and black dots show your entries.</p>
    </details>`;
}

// ---- units --------------------------------------------------------------------------------------------------------
function setUnit(unit) {
  if (unit === state.unit) return;
  const old = state.unit;
  for (const input of document.querySelectorAll("#diary .d-temp")) {
    if (input.value !== "") {
      const c = old === "F" ? (Number(input.value) - 32) * 5 / 9 : Number(input.value);
      input.value = (unit === "F" ? c * 9 / 5 + 32 : c).toFixed(1);
    }
  }
  state.unit = unit;
  try { localStorage.setItem("neuroimmune.unit", unit); } catch (e) { /* private mode: the choice lasts the visit */ }
  for (const r of document.querySelectorAll("input[name=unit]")) r.checked = r.value === unit;
  const [lo, hi] = diaryTempBounds();
  diaryRows().forEach((tr, k) => {
    const t = tr.querySelector(".d-temp");
    t.min = lo; t.max = hi;
    t.setAttribute("aria-label", `row ${k + 1}: highest temperature in ${tempUnit()}`);
  });
  for (const el of document.querySelectorAll(".unit-label")) el.textContent = tempUnit();
  if (state.result) { drawCharts(); setTime(currentTime()); }
  if (state.diary) renderDiaryVerdict();
}

// ---- a summary for a doctor ----------------------------------------------------------------------------------------
function fieldsText(values, units, skip) {
  return Object.entries(values || {}).filter(([k, v]) => !skip.includes(k) && v !== null && typeof v !== "object")
    .map(([k, v]) => `${humanise(k)} ${typeof v === "string" ? humanise(v) : v}${units[k] ? " " + unitText(units[k]) : ""}`)
    .join(", ");
}

function buildSummary() {
  const r = state.result;
  const box = $("#doctor-summary-body");
  if (!r) { box.textContent = "Nothing has been simulated yet."; return; }
  const kinds = state.kinds;
  const sc = r.scenario;
  const challenge = sc.challenge || {};
  const cInfo = kindInfo(kinds.challenges, challenge.kind) || {units: {}};
  const measures = (sc.interventions || []).map(m => {
    const info = kindInfo(kinds.interventions, m.kind) || {units: {}};
    return `<li>${escapeHtml(measureName(m.kind))}: ${escapeHtml(fieldsText(m, info.units, ["kind"]))}</li>`;
  }).join("");
  const s = r.summary;
  const now = new Date();
  const stamp = `${now.toISOString().slice(0, 10)} ${now.toTimeString().slice(0, 5)}`;
  // the diary against the predicted range
  let diary = "<p>No diary was checked.</p>";
  if (state.diary) {
    const d = state.diary;
    const rows = d.result.expected.map(e => {
      const entry = d.days.find(x => x.day === e.day) || {};
      const ache = entry.back_pain !== undefined ? entry.back_pain : "–";
      const temp = entry.temperature !== undefined ? tempOut(entry.temperature).toFixed(1) : "–";
      return `<tr><td>${e.day}</td><td>${ache}</td><td>${e.back_pain[0]}–${e.back_pain[1]}</td><td>${temp}</td>` +
        `<td>${tempOut(e.temperature[0]).toFixed(1)}–${tempOut(e.temperature[1]).toFixed(1)}</td></tr>`;
    }).join("");
    diary = `<p><strong>${escapeHtml(d.result.verdict)}</strong></p><ul>${d.result.reasons.map(x => `<li>${escapeHtml(x)}</li>`).join("")}</ul>
      <table><thead><tr><th scope="col">Day of illness</th><th scope="col">Worst back ache (0-10)</th>
      <th scope="col">Predicted range</th><th scope="col">Highest temperature (${tempUnit()})</th><th scope="col">Predicted range</th></tr></thead>
      <tbody>${rows}</tbody></table>
      <p class="hint">Predicted range: 5th to 95th percentile of each day's worst back ache and highest temperature over
      ${d.result.band.members} simulated people like this person (${escapeHtml(d.result.band.label)}: same sex, age and
      weight, differing as people do); symptom onset about ${d.result.onset_h.toFixed(0)} h after the challenge.</p>`;
  }
  const charts = ["back", "temperature"].map(id => state.charts.find(c => c.spec.id === id)).filter(Boolean)
    .map(c => `<figure><img src="${c.plot.ctx.canvas.toDataURL("image/png")}" alt="${escapeHtml(chartSummary(c.spec, c.present))}">
      <figcaption>${c.spec.title}: the predicted course${currentBands() ? `; shaded: the range for ${escapeHtml(currentBands().label)}` : ""}${state.diary ? "; grey bars: predicted range of each day; black dots: the diary" : ""}.</figcaption></figure>`).join("");
  // red flags: every question and its answer
  const given = answers();
  const flags = kinds.advice.questions.map(q => `<tr><td>${escapeHtml(q.ask)}</td><td>${given[q.id] ? "<strong>yes</strong>" : "no"}</td>` +
    `<td>${q.level === "red_flag" ? "red flag" : "see a doctor"}</td></tr>`).join("");
  const worry = state.worry && state.worry.hits.length ? `<p><strong>${escapeHtml(state.worry.verdict)}</strong></p>` : "<p>No warning sign was ticked.</p>";
  // sources
  const refs = kinds.references || {};
  const sources = new Set();
  for (const q of kinds.advice.questions) for (const t of q.sources) sources.add(t);
  for (const m of sc.interventions || []) {
    const info = kindInfo(kinds.interventions, m.kind);
    for (const k of ((info && info.evidence) || {}).sources || []) sources.add(refs[k] || k);
  }
  box.innerHTML = `
    <p class="meta">Made on <span id="summary-date">${stamp}</span> with the neuroimmune explorer, version
      <span id="summary-version">${escapeHtml(state.version)}</span>; when-to-worry rules version ${escapeHtml(kinds.advice.rules_version)}.
      Temperatures in ${tempUnit()}.</p>
    <p class="disclaimer">${escapeHtml(kinds.advice.disclaimer)}</p>
    <h2>Illness and person simulated</h2>
    <ul>
      <li>Illness: ${escapeHtml(illnessName(challenge.kind))}${fieldsText(challenge, cInfo.units, ["kind"]) ? ": " + escapeHtml(fieldsText(challenge, cInfo.units, ["kind"])) : ""}</li>
      <li>Person: ${escapeHtml(fieldsText(sc.host, kinds.host.units, ["history"]))}</li>
      <li>Self-care measures: ${measures ? `<ul>${measures}</ul>` : "none"}</li>
      <li>Simulated: ${(sc.duration / 24).toFixed(0)} day(s)</li>
    </ul>
    <h2>Predicted course</h2>
    <ul>
      <li>Worst back ache ${s.peak_back_pain === null ? "–" : s.peak_back_pain.toFixed(1)}/10 at ${s.peak_back_pain_time_h === null ? "–" : fmtTime(s.peak_back_pain_time_h)};
        ${s.days_with_back_pain == null ? "–" : s.days_with_back_pain.toFixed(0)} days with back ache of 2/10 or more</li>
      <li>Highest temperature ${s.peak_temperature === null ? "–" : fmtTemp(s.peak_temperature)} at ${s.peak_temperature_time_h === null ? "–" : fmtTime(s.peak_temperature_time_h)};
        ${s.fever_hours === null ? "–" : s.fever_hours.toFixed(0)} hours at or above ${fmtTemp(38)}</li>
      <li>Lower-back pressure pain threshold: lowest ${s.lower_back_ppt_min === null ? "–" : s.lower_back_ppt_min.toFixed(0) + " %"} from usual
        (negative: a lighter press hurts)</li>
    </ul>
    <h2>Symptom diary against the predicted range</h2>
    ${diary}
    <div class="summary-charts">${charts}</div>
    <h2>Warning signs (when to worry)</h2>
    ${worry}
    <table><thead><tr><th scope="col">Question</th><th scope="col">Answer</th><th scope="col">If yes</th></tr></thead><tbody>${flags}</tbody></table>
    <h2>Sources</h2>
    <ul class="sources">${[...sources].map(t => `<li>${escapeHtml(t)}</li>`).join("")}
      <li>Every source the model rests on: run <code>neuroimmune citation</code>.</li></ul>`;
}

async function printSummary() {
  const filled = diaryEntries().some(d => d.back_pain !== undefined || d.temperature !== undefined);
  if (filled) await checkDiary();
  buildSummary();
  window.print();
}

// ---- start ---------------------------------------------------------------------------------------------------------
function schedule() {
  if (state.changedAt == null) state.changedAt = performance.now();
  state.diary = null; // its ranges were for the illness and person before this change
  if (state.stale !== "pending") {
    clearTimeout(state.staleTimer);
    state.staleTimer = setTimeout(() => { if (state.changedAt !== null || state.inFlight) setStale("pending"); }, STALE_WAIT_MS);
  }
  if (state.pending) return;
  state.pending = true;
  requestAnimationFrame(async () => {
    state.pending = false;
    state.inFlight = (state.inFlight || 0) + 1;
    try { await recompute(); } finally { state.inFlight -= 1; }
  });
}

function togglePlay() {
  const btn = $("#play");
  if (state.playTimer) {
    clearInterval(state.playTimer);
    state.playTimer = null;
    btn.textContent = "Play";
    btn.setAttribute("aria-pressed", "false");
    return;
  }
  const slider = $("#time");
  if (currentTime() >= Number(slider.max)) setTime(0);
  btn.textContent = "Pause";
  btn.setAttribute("aria-pressed", "true");
  state.playTimer = setInterval(() => {
    const end = Number(slider.max);
    const next = Math.min(end, currentTime() + end / 150);
    setTime(next);
    if (next >= end) togglePlay();
  }, 60);
}

async function start() {
  const res = await api("/api/kinds");
  state.kinds = res.data;
  let unit = "C";
  try { unit = localStorage.getItem("neuroimmune.unit") || "C"; } catch (e) { /* no storage: °C */ }
  const select = $("#illness");
  for (const c of state.kinds.challenges) {
    const opt = document.createElement("option");
    opt.value = c.kind; opt.textContent = illnessName(c.kind);
    select.appendChild(opt);
  }
  buildChallenge();
  buildFields($("#host-fields"), state.kinds.host.schema, state.kinds.host.units, state.kinds.host.default, "host");
  buildMeasures();
  buildQuestions();
  setUpBands();
  state.map = BodyMap.create($("#bodymap"), state.kinds.regions, state.kinds.bodymap);
  BodyMap.legend($("#legend"));
  addDiaryRow(1);
  setUnit(unit === "F" ? "F" : "C");
  select.addEventListener("change", () => { buildChallenge(); schedule(); });
  $("#scenario-form").addEventListener("input", e => { if (e.target !== select) schedule(); });
  $("#time").addEventListener("input", () => setTime(currentTime()));
  $("#play").addEventListener("click", togglePlay);
  $("#diary-add").addEventListener("click", () => addDiaryRow());
  $("#diary-check").addEventListener("click", checkDiary);
  for (const b of document.querySelectorAll(".print-button")) b.addEventListener("click", printSummary);
  for (const r of document.querySelectorAll("input[name=unit]")) r.addEventListener("change", e => setUnit(e.target.value));
  window.addEventListener("beforeprint", buildSummary); // printing from the browser's menu gets the summary too
  window.addEventListener("resize", () => { if (state.result) drawCharts(); });
  const health = await api("/api/health");
  state.version = health.data ? health.data.version : "";
  $("#version").textContent = state.version;
  await recompute();
  document.body.dataset.ready = "true";
}

start();
