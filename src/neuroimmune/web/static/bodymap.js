// Body map: front and back silhouettes in SVG; each modelled region coloured by its pressure-pain-threshold
// change on the scale the server sends (GET /api/kinds, field bodymap; the CLI's figure uses the same stops):
// light yellow = as usual, dark red = the threshold has fallen by full_scale percent or more. Parts that are not
// modelled are hatched grey, so colour is not the only cue.
"use strict";

const BodyMap = (() => {
  const SVG = "http://www.w3.org/2000/svg";
  const LABELS = {lower_back: "lower back", mid_back: "mid back", neck: "neck", thigh: "thigh", calf: "calf",
    forearm: "forearm", abdomen: "abdomen (visceral)"};
  let scale = {full_scale: 40, colours: ["#ffffcc", "#800026"], not_modelled: "#e0e0e0"};

  function hex(c) { return [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16)); }

  /** intensity 0..1 of a threshold change in percent (negative = more sensitive; a rise counts as usual) */
  function intensity(ppt) { return Math.min(1, Math.max(0, -ppt / scale.full_scale)); }

  /** the scale's colour at t in [0, 1]: linear in sRGB between the two nearest stops, as the figure does */
  function colourAt(t) {
    const stops = scale.colours;
    const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    const a = hex(stops[i]), b = hex(stops[i + 1]);
    return "rgb(" + a.map((v, k) => Math.round(v + f * (b[k] - v))).join(",") + ")";
  }

  function colour(ppt) { return colourAt(intensity(ppt)); }

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  // One silhouette centred at cx; `view` is "front" or "back". Returns the parts as [region|null, element].
  function figure(svg, cx, view) {
    const g = el("g", {class: "figure", "data-view": view}, svg);
    const parts = [];
    const part = (region, tag, attrs) => {
      const e = el(tag, Object.assign({class: region ? "region" : "unmodelled"}, attrs), g);
      if (region) {
        e.setAttribute("data-region", region);
        e.setAttribute("data-view", view);
        e.setAttribute("id", `region-${region}-${view}`);
        el("title", {}, e).textContent = LABELS[region] || region;
      }
      parts.push([region, e]);
      return e;
    };
    part(null, "circle", {cx, cy: 30, r: 20});
    part("neck", "rect", {x: cx - 10, y: 49, width: 20, height: 18, rx: 4});
    // arms: upper arm unmodelled, forearm modelled
    for (const s of [-1, 1]) {
      part(null, "path", {d: `M${cx + s * 44},70 l${s * 14},6 l${s * 4},64 l${-s * 14},2 z`});
      part("forearm", "path", {d: `M${cx + s * 49},144 l${s * 13},-2 l${s * 6},62 l${-s * 12},2 z`});
      part(null, "ellipse", {cx: cx + s * 62, cy: 216, rx: 7, ry: 10});
    }
    if (view === "back") {
      part(null, "path", {d: `M${cx - 44},68 L${cx + 44},68 L${cx + 42},100 L${cx - 42},100 z`});
      part("mid_back", "path", {d: `M${cx - 42},101 L${cx + 42},101 L${cx + 38},160 L${cx - 38},160 z`});
      part("lower_back", "path", {d: `M${cx - 38},161 L${cx + 38},161 L${cx + 37},214 L${cx - 37},214 z`});
    } else {
      // chest unmodelled; the abdomen stands for visceral pain (rectal distension thresholds)
      part(null, "path", {d: `M${cx - 44},68 L${cx + 44},68 L${cx + 40},140 L${cx - 40},140 z`});
      part("abdomen", "path", {d: `M${cx - 40},141 L${cx + 40},141 L${cx + 37},214 L${cx - 37},214 z`});
    }
    part(null, "path", {d: `M${cx - 37},215 L${cx + 37},215 L${cx + 38},240 L${cx - 38},240 z`});
    for (const s of [-1, 1]) {
      const x0 = s < 0 ? cx - 37 : cx + 3;
      part("thigh", "rect", {x: x0, y: 241, width: 34, height: 78, rx: 8});
      part("calf", "rect", {x: x0 + 3, y: 322, width: 28, height: 68, rx: 8});
    }
    el("text", {x: cx, y: 410, class: "view-label", "text-anchor": "middle"}, g).textContent = view;
    return parts;
  }

  function hatch(svg) {
    const defs = el("defs", {}, svg);
    const p = el("pattern", {id: "not-modelled", width: 6, height: 6, patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)"}, defs);
    el("rect", {width: 6, height: 6, fill: scale.not_modelled}, p);
    el("line", {x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#9a9a9a", "stroke-width": 1.5}, p);
  }

  /** Draw both silhouettes into `container` with the colour scale `s` (from the server); returns update(ppt). */
  function create(container, regions, s) {
    if (s) scale = s;
    container.textContent = "";
    const svg = el("svg", {viewBox: "0 0 480 420", width: "100%", class: "bodymap-svg",
      "aria-hidden": "true", focusable: "false"});
    container.appendChild(svg);
    hatch(svg);
    const parts = [...figure(svg, 105, "front"), ...figure(svg, 285, "back")];
    // the lower back's callout, large enough to read at a phone's width
    el("line", {x1: 316, y1: 206, x2: 362, y2: 246, class: "callout-line"}, svg);
    const callout = el("text", {x: 366, y: 250, class: "callout"}, svg);
    const calloutValue = el("text", {x: 366, y: 274, class: "callout-value"}, svg);
    callout.textContent = "lower back";
    const other = {};
    const known = new Set(regions);
    for (const [region, e] of parts) if (region && !known.has(region)) e.setAttribute("class", "unmodelled");

    function update(ppt) {
      for (const [region, e] of parts) {
        if (!region || !(region in ppt)) { e.style.fill = "url(#not-modelled)"; continue; }
        const t = intensity(ppt[region]);
        e.style.fill = colourAt(t);
        e.setAttribute("data-value", ppt[region].toFixed(2));
        e.setAttribute("data-intensity", t.toFixed(4));
        e.firstChild.textContent = `${LABELS[region] || region}: threshold ${fmt(ppt[region])}`;
      }
      calloutValue.textContent = "lower_back" in ppt ? fmt(ppt.lower_back) : "not modelled";
      Object.assign(other, ppt);
    }
    return {update, values: other};
  }

  function fmt(v) { return (v > -0.5 && v < 0.5 ? "±0" : (v > 0 ? "+" : "") + v.toFixed(0).replace("-", "−")) + " %"; }

  /** A legend: the scale from as usual to -full_scale percent, and the hatch of the parts not modelled. */
  function legend(container) {
    const stops = scale.colours.map((c, i) => `${c} ${(100 * i / (scale.colours.length - 1)).toFixed(0)}%`).join(",");
    const fs = scale.full_scale;
    container.innerHTML = `<div class="legend-bar" aria-hidden="true" style="background:linear-gradient(90deg,${stops})"></div>
      <div class="legend-ticks" aria-hidden="true"><span>as usual</span><span>−${fs / 2} %</span><span>−${fs} % or more</span></div>
      <p class="hint plain">Colour shows how far the pressure that starts to hurt has fallen from usual. Darker red means
      a lighter press already hurts. <span class="hatch-swatch" aria-hidden="true"></span> Hatched grey parts are not
      modelled.</p>`;
  }

  return {create, legend, colour, intensity, fmt, get scale() { return scale; }};
})();
