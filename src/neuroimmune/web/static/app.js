// The explorer page: controls generated from the model's JSON schemas (GET /api/kinds), a simulation on every
// change (POST /api/simulate), the body map and curves at the time the slider points to, what helps
// (POST /api/compare), why, and when to worry (POST /api/when-to-worry, POST /api/diary-check).
"use strict";

// Okabe-Ito, safe for the common colour-vision deficiencies
const OI = {orange: "#E69F00", sky: "#56B4E9", green: "#009E73", yellow: "#F0E442", blue: "#0072B2",
  vermillion: "#D55E00", purple: "#CC79A7", black: "#000000"};
const CHARTS = [
  {id: "temperature", title: "Temperature", range: (u, lo, hi) => [Math.min(36, lo), Math.max(40.5, hi)],
    series: [["temperature", "temperature", OI.vermillion]]},
  {id: "cytokines", title: "Cytokines in the blood", log: true, series: [["tnf", "TNF", OI.orange],
    ["il6", "IL-6", OI.blue], ["il8", "IL-8", OI.green], ["il10", "IL-10 (calms)", OI.purple]]},
  {id: "back", title: "Back ache", range: [0, 10], series: [["back_pain", "back ache (0 none - 10 worst)", OI.vermillion]]},
  {id: "sickness", title: "Fatigue, appetite and mood", range: [0, 1], series: [["fatigue", "fatigue (0 none - 1 most)", OI.blue],
    ["appetite", "appetite (1 usual)", OI.green], ["mood", "mood (1 usual)", OI.orange]]},
  {id: "viral", title: "Viral load", series: [["viral_load", "viral load", OI.purple]]},
];
const DEFAULT_DAYS = {endotoxin: 1}; // endotoxin is over in a day; infections take days
const FALLBACK_DAYS = 14;

const state = {kinds: null, result: null, seq: 0, charts: [], chartKey: "", map: null, playTimer: null,
  timings: [], pending: false, diary: null};
window.explorer = state; // for the browser tests and the curious

const $ = sel => document.querySelector(sel);
const nextFrame = () => new Promise(r => requestAnimationFrame(() => r()));

async function api(path, body) {
  const opts = body === undefined ? {} : {method: "POST", headers: {"content-type": "application/json"},
    body: JSON.stringify(body)};
  const res = await fetch(path, opts);
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  return {ok: res.ok, status: res.status, data};
}

function problemsText(data) {
  const d = data && data.detail;
  if (!Array.isArray(d)) return typeof d === "string" ? d : "unexpected answer from the server";
  return d.map(p => `${p.field}: ${p.rule}` + (p.value !== undefined && p.value !== null ? ` (got ${JSON.stringify(p.value)})` : "")).join("; ");
}

// ---- controls from JSON schema ---------------------------------------------------------------------------
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

function humanise(name) { return name.replace(/_/g, " "); }
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
    else if (input.dataset.kind === "number") { if (input.value !== "") out[name] = Number(input.value); }
    else if (input.value !== "") out[name] = input.value;
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
      <label for="${id}">${humanise(info.kind)}</label></div><div class="fields" hidden></div>`;
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
  const days = Math.min(60, Math.max(1, Math.round(Number($("#days").value) || 1)));
  const duration = days * 24;
  const interventions = [...document.querySelectorAll(".measure")]
    .filter(d => d.querySelector(".measure-toggle").checked).map(measureSetting);
  return {challenge: Object.assign({kind}, readFields($("#challenge-fields"))), host: readFields($("#host-fields")),
    interventions, duration, output_step: Math.max(0.1, Math.round(duration / 400 * 10) / 10)};
}

// ---- drawing -----------------------------------------------------------------------------------------------
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
  const ctx = u.ctx;
  ctx.save();
  for (const e of d.result.expected) {
    const x = u.valToPos(d.result.onset_h + (e.day - 0.5) * 24, "x", true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    const [lo, hi] = e[field];
    ctx.strokeStyle = "#777";
    ctx.lineWidth = 4 * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(x, u.valToPos(lo, "y", true));
    ctx.lineTo(x, u.valToPos(hi, "y", true) - 1);
    ctx.stroke();
    const entry = d.days.find(x => x.day === e.day);
    if (entry && entry[field] !== undefined) {
      ctx.fillStyle = OI.black;
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.beginPath();
      ctx.arc(x, u.valToPos(entry[field], "y", true), 5 * devicePixelRatio, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.restore();
}

function cursorPlugin(chartId) {
  return {hooks: {draw: [u => {
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

function drawCharts() {
  const r = state.result;
  const days = r.time[r.time.length - 1] > 48;
  // a chart is shown when one of its series exists and is not flat at zero (viral load only with a virus)
  const responds = n => r.observables[n] && r.observables[n].values.some(v => v !== 0);
  const wanted = CHARTS.filter(c => c.series.some(([n]) => responds(n)));
  const key = wanted.map(c => c.id).join(",") + (days ? ":days" : ":hours");
  const box = $("#charts");
  const width = Math.max(260, Math.min(box.clientWidth || 600, 900));
  const x = r.time;
  if (key !== state.chartKey) {
    for (const c of state.charts) c.plot.destroy();
    state.charts = [];
    box.textContent = "";
    for (const spec of wanted) {
      const present = spec.series.filter(([n]) => r.observables[n]);
      const div = document.createElement("figure");
      div.id = `chart-${spec.id}`;
      div.className = "chart";
      const unit = r.observables[present[0][0]].units;
      div.innerHTML = `<figcaption>${spec.title}${unit && unit !== "1" ? ` (${unitText(unit)})` : ""}</figcaption>`;
      box.appendChild(div);
      const opts = {
        width, height: 170, plugins: [cursorPlugin(spec.id)], legend: {show: true, live: false},
        scales: {x: {time: false}, y: spec.log ? {distr: 3} : spec.range ? {range: spec.range} : {}},
        axes: [{label: days ? "days" : "hours", values: (u, v) => v.map(t => days ? (t / 24).toFixed(0) : t.toFixed(0)),
          incrs: days ? [24, 48, 72, 168, 336] : [1, 2, 3, 4, 6, 12, 24]}, {size: 50}],
        series: [{label: days ? "time (h)" : "time (h)"}, ...present.map(([, label, color]) => ({label, stroke: color, width: 2}))],
      };
      const data = [x, ...present.map(([n]) => clampLog(series(n), spec.log))];
      state.charts.push({spec, present, plot: new uPlot(opts, data, div)});
    }
    state.chartKey = key;
  } else {
    for (const c of state.charts) {
      c.plot.setData([x, ...c.present.map(([n]) => clampLog(series(n), c.spec.log))]);
      if (c.plot.width !== width) c.plot.setSize({width, height: 170});
    }
  }
}

function clampLog(values, log) { return log ? values.map(v => Math.max(0.1, v)) : values; }

function drawMap() {
  const r = state.result;
  const i = timeIndex(currentTime());
  const ppt = {};
  const o = r.observables.ppt_change;
  r.regions.forEach((region, k) => { ppt[region] = o.values[k][i]; });
  state.map.update(ppt);
  const labels = r.regions.map(g => `${humanise(g)} ${ppt[g] > -0.05 ? "±0" : ppt[g].toFixed(0).replace("-", "−")} %`);
  $("#region-values").textContent = `At ${fmtTime(currentTime())}: ` + labels.join(", ") + ".";
  $("#bodymap").setAttribute("aria-label", "Pain threshold change by body region. " + $("#region-values").textContent);
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
  const illness = humanise($("#illness").value);
  const il6 = peakOf("il6"), temp = peakOf("temperature"), ache = peakOf("back_pain");
  const i = timeIndex(currentTime());
  const low = r.observables.ppt_change.values[r.regions.indexOf("lower_back")];
  const nowLow = low ? low[i] : null;
  const nowAche = series("back_pain")[i];
  const at = t => fmtTime(t);
  $("#why").innerHTML = `
    <ol class="chain">
      <li><strong>Cytokines.</strong> When ${illness} reaches your body, immune cells release messenger proteins
        called cytokines (<a href="#chart-cytokines">cytokine curves</a>). Here IL-6 peaks at
        <span class="live" id="why-il6">${il6 ? il6.value.toFixed(0) : "?"} pg/mL</span> at ${il6 ? at(il6.time) : "?"}.</li>
      <li><strong>The neuroimmune synapse.</strong> The cytokines do not have to reach your back. Blood vessels in the
        brain answer them by making prostaglandin E2, which turns up the body's thermostat
        (<a href="#chart-temperature">temperature</a> peaks at <span class="live">${temp.value.toFixed(1)} °C</span>) and
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

// ---- recompute ------------------------------------------------------------------------------------------------
async function recompute() {
  const t0 = state.changedAt ?? performance.now(); // from the user's change, including the frame it waited for
  state.changedAt = null;
  const seq = ++state.seq;
  const sc = scenario();
  const res = await api("/api/simulate", sc);
  const tFetched = performance.now();
  if (seq !== state.seq) return; // a newer change is on its way
  const status = $("#status");
  for (const el of document.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  if (!res.ok) {
    status.textContent = "Please check: " + problemsText(res.data);
    status.className = "error";
    markInvalid(res.data);
    return;
  }
  state.result = res.data;
  const slider = $("#time");
  const end = state.result.time[state.result.time.length - 1];
  slider.max = end;
  slider.step = sc.output_step;
  if (currentTime() > end) slider.value = Math.min(end, 2);
  drawCharts();
  setTime(currentTime());
  await nextFrame();
  const ms = performance.now() - t0;
  state.timings.push(ms);
  status.className = "";
  status.textContent = state.timings.length === 1 ? `First simulation drawn in ${ms.toFixed(0)} ms.`
    : `Simulated and redrawn in ${ms.toFixed(0)} ms.`;
  status.dataset.ms = ms.toFixed(1);
  status.dataset.fetchMs = (tFetched - t0).toFixed(1);
  status.dataset.updates = String(state.timings.length);
  whatHelps(sc, seq);
}

function markInvalid(data) {
  for (const p of (data && data.detail) || []) {
    const name = String(p.field || "").split(".").pop();
    const el = document.querySelector(`[data-field="${name}"]`);
    if (el) el.setAttribute("aria-invalid", "true");
  }
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
  const rows = list.map((info, k) => {
    const a = answers[k];
    const ev = info.evidence || {};
    const sources = (ev.sources || []).map(s => `<li>${escapeHtml(s)}</li>`).join("");
    if (!a.ok) return `<tr data-kind="${info.kind}"><th scope="row">${humanise(info.kind)}</th><td colspan="2">${escapeHtml(problemsText(a.data))}</td><td>${escapeHtml(ev.grade || "not graded")}</td><td></td></tr>`;
    const [ref, withIt] = a.data.results;
    const d = withIt.difference;
    return `<tr data-kind="${info.kind}"><th scope="row">${humanise(info.kind)}</th>
      <td>${ref.summary.peak_back_pain.toFixed(1)} → ${withIt.summary.peak_back_pain.toFixed(1)}/10 (${signed(d.peak_back_pain, 1)})</td>
      <td>${ref.summary.days_with_back_pain.toFixed(0)} → ${withIt.summary.days_with_back_pain.toFixed(0)} days (${signed(d.days_with_back_pain, 0)})</td>
      <td>${escapeHtml(ev.grade || "not graded")}</td><td><ul class="sources">${sources}</ul></td></tr>`;
  }).join("");
  box.innerHTML = `<table class="helps"><thead><tr><th scope="col">Measure</th><th scope="col">Peak back ache</th>
    <th scope="col">Time with back ache ≥ 2/10</th><th scope="col">Evidence</th><th scope="col">Sources</th></tr></thead>
    <tbody>${rows}</tbody></table><p class="hint">Each measure alone, with the settings chosen above, against the
    same illness and person without any measure.</p>`;
}

function signed(v, digits) { return (v > 0 ? "+" : v < 0 ? "−" : "±") + Math.abs(v).toFixed(digits); }
function escapeHtml(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }

// ---- when to worry ----------------------------------------------------------------------------------------------
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
  box.className = `verdict ${res.data.level}`;
  box.textContent = res.data.hits.length ? `${res.data.verdict}: ` + res.data.hits.map(h => h.reason).join("; ") : "";
}

function addDiaryRow(day, ache, temp) {
  const body = $("#diary tbody");
  const n = body.children.length + 1;
  const tr = document.createElement("tr");
  tr.innerHTML = `<td><input type="number" min="1" max="60" step="1" aria-label="day ${n}: day since falling ill" class="d-day" value="${day ?? n}"></td>
    <td><input type="number" min="0" max="10" step="0.5" aria-label="day ${n}: worst back ache, 0 to 10" class="d-ache" value="${ache ?? ""}"></td>
    <td><input type="number" min="30" max="45" step="0.1" aria-label="day ${n}: highest temperature in °C" class="d-temp" value="${temp ?? ""}"></td>
    <td><button type="button" class="d-remove" aria-label="remove day ${n}">×</button></td>`;
  tr.querySelector(".d-remove").addEventListener("click", () => tr.remove());
  body.appendChild(tr);
}

async function checkDiary() {
  const days = [...document.querySelectorAll("#diary tbody tr")].map(tr => {
    const d = {day: Number(tr.querySelector(".d-day").value)};
    const a = tr.querySelector(".d-ache").value, t = tr.querySelector(".d-temp").value;
    if (a !== "") d.back_pain = Number(a);
    if (t !== "") d.temperature = Number(t);
    return d;
  });
  const sc = scenario();
  const box = $("#diary-verdict");
  box.textContent = "Checking…";
  box.className = "verdict";
  const res = await api("/api/diary-check", {illness: sc.challenge, host: sc.host, days, answers: answers()});
  if (!res.ok) { box.textContent = "Please check the diary: " + problemsText(res.data); return; }
  const r = res.data;
  state.diary = {result: r, days};
  drawCursor();
  box.className = `verdict ${r.level}`;
  box.dataset.level = r.level;
  const ranges = r.expected.map(e => `<tr><td>${e.day}</td><td>${e.back_pain[0]}–${e.back_pain[1]}</td><td>${e.temperature[0]}–${e.temperature[1]}</td></tr>`).join("");
  box.innerHTML = `<p class="verdict-words"><strong>${escapeHtml(r.verdict)}</strong></p>
    <ul>${r.reasons.map(x => `<li>${escapeHtml(x)}</li>`).join("")}</ul>
    <details><summary>The range the model predicts for each day</summary><table><thead><tr><th>Day</th>
    <th>Worst back ache</th><th>Highest temperature (°C)</th></tr></thead><tbody>${ranges}</tbody></table>
    <p class="hint">5th to 95th percentile over ${r.ensemble.members} simulated variants; symptoms start about
    ${r.onset_h.toFixed(0)} h after the challenge. Rules version ${r.rules_version}. The back ache and temperature
    curves show these ranges as grey bars and your entries as black dots, for the days the simulation covers.</p>
    </details>`;
}

// ---- start -------------------------------------------------------------------------------------------------------
function schedule() {
  if (state.changedAt == null) state.changedAt = performance.now();
  state.diary = null; // its ranges were for the illness and person before this change
  if (state.pending) return;
  state.pending = true;
  requestAnimationFrame(() => { state.pending = false; recompute(); });
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
  const select = $("#illness");
  for (const c of state.kinds.challenges) {
    const opt = document.createElement("option");
    opt.value = c.kind; opt.textContent = humanise(c.kind);
    select.appendChild(opt);
  }
  buildChallenge();
  buildFields($("#host-fields"), state.kinds.host.schema, state.kinds.host.units, state.kinds.host.default, "host");
  buildMeasures();
  buildQuestions();
  state.map = BodyMap.create($("#bodymap"), state.kinds.regions);
  BodyMap.legend($("#legend"));
  addDiaryRow(1);
  select.addEventListener("change", () => { buildChallenge(); schedule(); });
  $("#scenario-form").addEventListener("input", e => { if (e.target !== select) schedule(); });
  $("#time").addEventListener("input", () => setTime(currentTime()));
  $("#play").addEventListener("click", togglePlay);
  $("#diary-add").addEventListener("click", () => addDiaryRow());
  $("#diary-check").addEventListener("click", checkDiary);
  window.addEventListener("resize", () => { if (state.result) drawCharts(); });
  const health = await api("/api/health");
  $("#version").textContent = health.data ? health.data.version : "";
  await recompute();
  document.body.dataset.ready = "true";
}

start();
