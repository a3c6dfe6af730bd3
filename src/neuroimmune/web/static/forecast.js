// The diary forecast on the explorer page (POST /api/forecast): as a day is entered or changed, the coming days
// of back ache and temperature are drawn as bands (80 % light, 50 % darker, median line) with the entered days as
// points, and the recovery day is said in words. Uses the page's helpers from app.js ($, api, scenario, answers,
// diaryEntries, tempOut, tempUnit, escapeHtml, problemsText, OI).
"use strict";

const FORECAST_WAIT_MS = 300; // typing pauses this long before the forecast is asked for
const FORECAST_FIELDS = [
  {field: "back_pain", id: "forecast-back", title: "Back ache (0-10)", color: OI.vermillion, fill: "213,94,0"},
  {field: "temperature", id: "forecast-temp", title: "Temperature", color: OI.blue, fill: "0,114,178", temperature: true},
];
const forecastState = {timer: null, seq: 0, result: null, days: [], plots: [], updates: 0};
state.forecast = forecastState;

function forecastDays() {
  return diaryEntries().filter(d => Number.isFinite(d.day) &&
    (d.back_pain !== undefined || d.temperature !== undefined));
}

function scheduleForecast() {
  clearTimeout(forecastState.timer);
  forecastState.timer = setTimeout(runForecast, FORECAST_WAIT_MS);
}

async function runForecast() {
  const days = forecastDays();
  const box = $("#forecast-text");
  const seq = ++forecastState.seq;
  if (!days.length) {
    forecastState.result = null;
    box.textContent = "Enter a day of your diary to see what may come next.";
    drawForecast();
    return;
  }
  const sc = scenario();
  box.textContent = "Working out what may come next…";
  const res = await api("/api/forecast", {illness: sc.challenge.kind, host: sc.host, days, answers: answers()});
  if (seq !== forecastState.seq) return; // a newer diary is on its way
  if (!res.ok) {
    forecastState.result = null;
    box.className = "verdict";
    box.textContent = res.status === 503 ? "The forecast is being prepared; it will show in a moment." :
      "Please check the diary: " + problemsText(res.data);
    if (res.status === 503) scheduleForecast();
    drawForecast();
    return;
  }
  forecastState.result = res.data;
  forecastState.days = days;
  renderForecastText();
  drawForecast();
  forecastState.updates += 1;
  $("#forecast").dataset.updates = String(forecastState.updates);
  $("#forecast").dataset.level = res.data.level;
}

function renderForecastText() {
  const r = forecastState.result;
  const box = $("#forecast-text");
  box.className = `verdict ${r.level}`;
  const fit = r.fit;
  const based = r.forecast ? `<p class="hint">Based on about ${Math.round(fit.effective_members)} of
    ${fit.library_members} simulated people with an illness like yours. ${escapeHtml(r.library.uncertainty.words || "")}.</p>` : "";
  box.innerHTML = `<p class="verdict-words"><strong>${escapeHtml(r.verdict)}</strong></p>
    <ul>${r.reasons.map(x => `<li>${escapeHtml(x)}</li>`).join("")}</ul>${based}
    <p class="disclaimer">${escapeHtml(r.disclaimer)}</p>`;
}

function forecastSeries(spec) {
  const r = forecastState.result;
  const rows = r && r.forecast ? r.forecast.days : [];
  const conv = spec.temperature ? tempOut : v => v;
  const pick = key => rows.map(d => d[spec.field] ? conv(d[spec.field][key]) : null);
  const entered = rows.map(d => {
    const e = forecastState.days.find(x => x.day === d.day);
    return e && e[spec.field] !== undefined ? conv(e[spec.field]) : null;
  });
  return [rows.map(d => d.day), pick("median"), pick("low80"), pick("high80"), pick("low50"), pick("high50"), entered];
}

function drawForecast() {
  const box = $("#forecast-charts");
  for (const p of forecastState.plots) p.destroy();
  forecastState.plots = [];
  box.textContent = "";
  const r = forecastState.result;
  $("#forecast").dataset.days = r && r.forecast ? String(r.forecast.days.length) : "0";
  $("#forecast").dataset.points = "0";
  if (!r || !r.forecast) return;
  const width = Math.max(260, Math.min(box.clientWidth || 600, 900));
  let points = 0;
  for (const spec of FORECAST_FIELDS) {
    const data = forecastSeries(spec);
    points += data[6].filter(v => v !== null).length;
    const fig = document.createElement("figure");
    fig.className = "chart";
    fig.id = spec.id;
    const unit = spec.temperature ? ` (${tempUnit()})` : "";
    fig.innerHTML = `<figcaption>${spec.title}${unit}: what may come next</figcaption>
      <ul class="chart-legend"><li><span class="swatch solid" style="border-top-color:${spec.color}" aria-hidden="true"></span>middle (median)</li>
      <li><span class="band-swatch" style="background:rgba(${spec.fill},0.45)" aria-hidden="true"></span>half of people</li>
      <li><span class="band-swatch" style="background:rgba(${spec.fill},0.18)" aria-hidden="true"></span>8 in 10 people</li>
      <li><span class="dot-swatch" aria-hidden="true"></span>your diary</li></ul>`;
    box.appendChild(fig);
    const hidden = {stroke: "transparent", width: 0, points: {show: false}};
    const opts = {
      width, height: 170, legend: {show: false},
      scales: {x: {time: false}, y: {range: spec.temperature ? (u, lo, hi) => [Math.min(lo, tempOut(36.5)),
        Math.max(hi, tempOut(38.5))] : [0, 10]}},
      axes: [{label: "day of illness", incrs: [1, 2, 5, 10]}, {size: 50}],
      series: [{label: "day"}, {label: "median", stroke: spec.color, width: 2},
        Object.assign({label: "low 80"}, hidden), Object.assign({label: "high 80"}, hidden),
        Object.assign({label: "low 50"}, hidden), Object.assign({label: "high 50"}, hidden),
        {label: "your diary", stroke: OI.black, width: 0, paths: () => null,
          points: {show: true, size: 9, fill: OI.black, stroke: "#fff", width: 1.5}}],
      bands: [{series: [3, 2], fill: `rgba(${spec.fill},0.18)`}, {series: [5, 4], fill: `rgba(${spec.fill},0.45)`}],
    };
    const plot = new uPlot(opts, data, fig);
    plot.root.setAttribute("role", "img");
    plot.root.setAttribute("aria-label", forecastSummary(spec));
    forecastState.plots.push(plot);
  }
  $("#forecast").dataset.points = String(points);
}

function forecastSummary(spec) {
  const r = forecastState.result;
  const last = Math.max(...forecastState.days.map(d => d.day));
  const next = r.forecast.days.filter(d => d.day > last && d[spec.field]).slice(0, 3);
  const fmt = v => spec.temperature ? tempOut(v).toFixed(1) : v.toFixed(0);
  const parts = next.map(d => `day ${d.day}: about ${fmt(d[spec.field].median)} (8 in 10 between ` +
    `${fmt(d[spec.field].low80)} and ${fmt(d[spec.field].high80)})`);
  return `${spec.title}, what may come next: ${parts.join("; ") || "no days ahead"}.`;
}

function startForecast() {
  const body = $("#diary tbody");
  $("#diary").addEventListener("input", scheduleForecast);
  new MutationObserver(scheduleForecast).observe(body, {childList: true});
  $("#scenario-form").addEventListener("input", () => { if (forecastDays().length) scheduleForecast(); });
  $("#illness").addEventListener("change", () => { if (forecastDays().length) scheduleForecast(); });
  for (const r of document.querySelectorAll("input[name=unit]")) r.addEventListener("change", () => {
    if (forecastState.result) { renderForecastText(); drawForecast(); }
  });
  $("#forecast-text").textContent = "Enter a day of your diary to see what may come next.";
}

startForecast();
