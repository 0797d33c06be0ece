/**
 * Browser-side helpers for the dashboard: DOM building (text only, never innerHTML, so no feed
 * value can inject markup), number and date formatting, and one inline-SVG bar chart used for both
 * MQLs per day and the score histogram. Plain ES2017 in a String.raw literal: no build step, and no
 * template literals inside (they would end this one).
 */
export const CHARTS_JS = String.raw`
var UI = (function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  function fill(node, attrs, children) {
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = String(v);
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
    return node;
  }

  function el(tag, attrs, children) { return fill(document.createElement(tag), attrs, children); }
  function svg(tag, attrs, children) { return fill(document.createElementNS(SVG_NS, tag), attrs, children); }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function num(n) { return Number(n || 0).toLocaleString("en-US"); }
  function score(n) { return (Math.round(Number(n) * 10) / 10).toLocaleString("en-US"); }
  /** A ratio as a percentage; one decimal near the ends, so 99.5% never reads as 100%. */
  function pct(r) { return r === null || r === undefined ? "—" : (r * 100).toFixed(r < 0.1 || r > 0.99 && r < 1 ? 1 : 0) + "%"; }

  function shortDay(day) {
    return new Date(day + "T00:00:00Z").toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  }

  function ago(iso) {
    var s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return "just now";
    if (s < 3600) return Math.floor(s / 60) + " min ago";
    if (s < 86400) return Math.floor(s / 3600) + " h ago";
    if (s < 86400 * 30) return Math.floor(s / 86400) + " d ago";
    return new Date(iso).toLocaleDateString("en-US");
  }

  /** A tick step of 1, 2 or 5 × 10^k giving at most four intervals up to max. */
  function niceStep(max) {
    for (var k = 1; ; k *= 10) {
      if (max <= 4 * k) return k;
      if (max <= 8 * k) return 2 * k;
      if (max <= 20 * k) return 5 * k;
    }
  }

  /**
   * A bar chart as inline SVG. items: [{ label, value, title }]; opts: { label (aria), height,
   * labelEvery (x label every n bars, counted back from the last), values (print each non-zero value above its bar), tone }.
   */
  function bars(items, opts) {
    var W = 520, H = opts.height || 230, L = 34, R = 8, T = 18, B = 26;
    var max = Math.max.apply(null, items.map(function (d) { return d.value; }).concat([0]));
    var step = niceStep(Math.max(max, 1));
    var top = Math.max(step, Math.ceil(max / step) * step);
    var plotH = H - T - B;
    var y = function (v) { return T + plotH - (v / top) * plotH; };
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "bars " + (opts.tone || ""), role: "img", "aria-label": opts.label });
    for (var v = 0; v <= top; v += step) {
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: v === 0 ? "axis" : "grid" }));
      root.appendChild(svg("text", { x: L - 6, y: y(v) + 4, class: "tick", "text-anchor": "end", text: num(v) }));
    }
    var slot = (W - L - R) / Math.max(items.length, 1);
    var bw = Math.max(2, Math.min(48, slot * 0.72));
    var every = opts.labelEvery || 1;
    items.forEach(function (d, i) {
      var cx = L + slot * i + slot / 2;
      var h = Math.max(0, y(0) - y(d.value));
      var bar = svg("rect", { x: cx - bw / 2, y: y(0) - h, width: bw, height: h, rx: Math.min(3, bw / 4), class: "bar" },
        [svg("title", { text: d.title || d.label + ": " + num(d.value) })]);
      root.appendChild(bar);
      if (opts.values && d.value > 0) {
        root.appendChild(svg("text", { x: cx, y: y(d.value) - 5, class: "value", "text-anchor": "middle", text: num(d.value) }));
      }
      if ((items.length - 1 - i) % every === 0) {
        // The last label of a dense chart ends at its bar, so it is never cut off at the edge.
        var end = i === items.length - 1 && slot < 40;
        root.appendChild(svg("text", { x: end ? cx + bw / 2 : cx, y: H - 8, class: "tick", "text-anchor": end ? "end" : "middle", text: d.label }));
      }
    });
    return root;
  }

  return { el: el, svg: svg, clear: clear, num: num, score: score, pct: pct, shortDay: shortDay, ago: ago, bars: bars };
})();
`;
