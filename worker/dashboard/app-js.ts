/**
 * The dashboard's script: sign-in, then four reads of the JSON API with the stored Bearer key.
 * `PATHS` lists every API path it calls (test/worker/dashboard.test.ts checks each one exists).
 * Same constraints as charts-js.ts: ES2017, text-only DOM, no template literals.
 */
export const APP_JS = String.raw`
(function () {
  "use strict";
  var PATHS = {"stats": "/stats?days=", "mqls": "/mqls?limit=500", "failures": "/webhooks/deliveries?status=failed&limit=5", "visitor": "/visitors/"};
  var STORE = "mql-edge.dashboard";
  var el = UI.el, clear = UI.clear, $ = function (id) { return document.getElementById(id); };
  var selected = null;

  function creds() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }

  async function api(path) {
    var c = creds();
    if (!c) throw Object.assign(new Error("Signed out."), { status: 401 });
    var res = await fetch("/v1/sites/" + encodeURIComponent(c.site) + path, {
      headers: { Authorization: "Bearer " + c.key }, credentials: "omit", cache: "no-store",
    });
    var body = await res.json().catch(function () { return null; });
    if (!res.ok) {
      var message = body && body.error ? body.error.message : "Request failed (HTTP " + res.status + ").";
      throw Object.assign(new Error(message), { status: res.status });
    }
    return body;
  }

  function show(signedIn) {
    $("signin").hidden = signedIn;
    $("board").hidden = !signedIn;
    $("session").hidden = !signedIn;
    if (signedIn) $("site-name").textContent = creds().site;
  }

  function fail(node, error) { node.textContent = error.message; node.hidden = false; }

  async function load() {
    var days = Number($("range").value);
    $("load-error").hidden = true;
    try {
      var all = await Promise.all([api(PATHS.stats + days), api(PATHS.mqls), api(PATHS.failures)]);
      renderFunnel(all[0]);
      renderMqlChart(all[0]);
      renderScores(all[1].items);
      renderFeed(all[1].items);
      renderHealth(all[0].health, all[2].items);
      show(true);
    } catch (error) {
      if (error.status === 401 || error.status === 403 || error.status === 404) {
        sessionStorage.removeItem(STORE);
        show(false);
        fail($("signin-error"), error);
      } else {
        fail($("load-error"), error);
      }
    }
  }

  function renderFunnel(stats) {
    var t = stats.totals, r = stats.rates;
    var stages = [["Visitors", t.visitors, null], ["Leads", t.leads, r.leadRate], ["MQLs", t.mqls, r.mqlRate], ["SQLs", t.sqls, r.sqlRate]];
    var top = Math.max(t.visitors, t.leads, t.mqls, t.sqls, 1);
    var box = clear($("funnel"));
    stages.forEach(function (s, i) {
      if (i > 0) box.appendChild(el("div", { class: "step" }, [el("span", { class: "rate", text: UI.pct(s[2]) }), el("span", { class: "arrow", text: "→" })]));
      var meter = el("div", { class: "meter" }, [el("div", { class: "meter-fill stage-" + i })]);
      meter.firstChild.style.width = Math.max(s[1] > 0 ? 2 : 0, (s[1] / top) * 100) + "%";
      box.appendChild(el("div", { class: "stage" }, [el("div", { class: "stage-n", text: UI.num(s[1]) }), el("div", { class: "stage-label", text: s[0] }), meter]));
    });
    $("funnel-range").textContent = UI.shortDay(stats.from) + " – " + UI.shortDay(stats.to) + " (UTC)" +
      (t.customers ? " · " + UI.num(t.customers) + " became customers" : "");
  }

  function renderMqlChart(stats) {
    var items = stats.days.map(function (d) {
      return { label: UI.shortDay(d.day), value: d.mqls, title: UI.shortDay(d.day) + ": " + d.mqls + " MQLs, " + d.leads + " leads, " + d.visitors + " visitors" };
    });
    var total = items.reduce(function (s, d) { return s + d.value; }, 0);
    $("mql-total").textContent = UI.num(total) + " in " + items.length + " days";
    var every = Math.max(1, Math.ceil(items.length / 6));
    clear($("mql-chart")).appendChild(UI.bars(items, { label: "MQLs per day", labelEvery: every, values: items.length <= 14, tone: "indigo" }));
  }

  function renderScores(items) {
    var box = clear($("score-chart"));
    $("score-note").textContent = items.length ? "last " + UI.num(items.length) + " qualifications" : "";
    if (!items.length) { box.appendChild(el("p", { class: "empty", text: "No qualifications yet." })); return; }
    var scores = items.map(function (q) { return q.score; });
    var lo = Math.floor(Math.min.apply(null, scores) / 10) * 10;
    var hi = Math.max(lo + 10, Math.floor(Math.max.apply(null, scores) / 10) * 10 + 10);
    var bins = [];
    for (var b = lo; b < hi; b += 10) bins.push({ label: b + "–" + (b + 10), value: 0 });
    scores.forEach(function (s) { bins[Math.min(bins.length - 1, Math.floor((s - lo) / 10))].value += 1; });
    bins.forEach(function (d) { d.title = "score " + d.label + ": " + d.value; });
    box.appendChild(UI.bars(bins, { label: "Score distribution at qualification", labelEvery: Math.max(1, Math.ceil(bins.length / 8)), values: true, tone: "teal" }));
  }

  function who(q) { return q.email || q.vid; }

  function renderFeed(items) {
    var body = clear($("mqls"));
    if (!items.length) {
      body.appendChild(el("tr", {}, [el("td", { colspan: 5, class: "empty", text: "No qualifications yet: they appear here the moment a visitor qualifies." })]));
      return;
    }
    items.slice(0, 15).forEach(function (q) {
      var row = el("tr", { tabindex: 0, class: "clickable", "data-vid": q.vid }, [
        el("td", { class: "nowrap muted", title: q.qualifiedAt, text: UI.ago(q.qualifiedAt) }),
        el("td", { class: "who", title: q.vid, text: who(q) }),
        el("td", { class: "num", text: UI.score(q.score) }),
        el("td", {}, [el("span", { class: "grade grade-" + (q.fit && q.fit.grade || "none"), text: q.fit && q.fit.grade || "–" })]),
        el("td", { class: "reason", text: q.reason }),
      ]);
      var open = function () { explain(q, row); };
      row.addEventListener("click", open);
      row.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
      body.appendChild(row);
    });
  }

  async function explain(q, row) {
    if (selected) selected.classList.remove("selected");
    selected = row;
    row.classList.add("selected");
    var box = clear($("why"));
    box.appendChild(el("p", { class: "muted", text: "Loading " + who(q) + "…" }));
    try {
      var v = await api(PATHS.visitor + encodeURIComponent(q.vid));
      clear(box);
      box.appendChild(el("div", { class: "why-head" }, [
        el("strong", { text: v.traits && v.traits.email || v.vid }),
        el("span", { class: "pill", text: v.stage }),
      ]));
      box.appendChild(el("p", { class: "muted small", text: "score now " + UI.score(v.score) + " · fit " + (v.fit.grade || "unknown") + " · vid " + v.vid }));
      box.appendChild(el("p", { class: "reason-box", text: q.reason }));
      var rows = (v.breakdown || []).slice().sort(function (a, b) { return Math.abs(b.points) - Math.abs(a.points); });
      var max = Math.max.apply(null, rows.map(function (b) { return Math.abs(b.points); }).concat([1]));
      var list = el("div", { class: "breakdown" });
      rows.forEach(function (b) {
        var fillBar = el("div", { class: "bd-fill" + (b.points < 0 ? " negative" : "") });
        fillBar.style.width = (Math.abs(b.points) / max) * 100 + "%";
        list.appendChild(el("div", { class: "bd-row", title: b.rule }, [
          el("span", { class: "bd-label", text: b.label + (b.count > 1 ? " ×" + b.count : "") }),
          el("span", { class: "bd-points num", text: (b.points > 0 ? "+" : "") + UI.score(b.points) }),
          el("span", { class: "bd-bar" }, [fillBar]),
        ]));
      });
      if (!rows.length) list.appendChild(el("p", { class: "muted", text: "No scored events left (they may have expired)." }));
      box.appendChild(list);
      var moves = el("ol", { class: "moves" });
      (v.transitions || []).forEach(function (t) {
        moves.appendChild(el("li", {}, [el("span", { class: "nowrap", text: t.from + " → " + t.to }), el("span", { class: "muted small", text: " " + UI.ago(new Date(t.at).toISOString()) + (t.reason ? " · " + t.reason : "") })]));
      });
      if (v.transitions && v.transitions.length) box.appendChild(el("h3", { text: "Stage history" }));
      box.appendChild(moves);
    } catch (error) {
      clear(box).appendChild(el("p", { class: "error", text: error.message }));
    }
  }

  function renderHealth(health, failures) {
    var h = health || { delivered: 0, pending: 0, failed: 0 };
    var total = h.delivered + h.pending + h.failed;
    var tiles = clear($("health"));
    [["delivered", "Delivered"], ["pending", "Pending / retrying"], ["failed", "Failed"]].forEach(function (s) {
      tiles.appendChild(el("div", { class: "tile tile-" + s[0] }, [el("div", { class: "tile-n", text: UI.num(h[s[0]]) }), el("div", { class: "tile-label", text: s[1] })]));
    });
    var done = h.delivered + h.failed;
    $("health-note").textContent = total ? UI.pct(done ? h.delivered / done : null) + " of finished deliveries succeeded" : "no webhook deliveries yet";
    var box = clear($("failures"));
    if (!failures.length) return;
    box.appendChild(el("h3", { text: "Latest failures" }));
    var list = el("ul", { class: "failures" });
    failures.forEach(function (d) {
      var last = d.attempts[d.attempts.length - 1];
      var why = last ? (last.error || "HTTP " + last.status) : "no attempt";
      list.appendChild(el("li", {}, [el("code", { text: d.url }), el("span", { class: "muted small", text: " " + d.type + " · " + d.attempts.length + (d.attempts.length === 1 ? " attempt · " : " attempts · ") + why + " · " + UI.ago(d.updatedAt) })]));
    });
    box.appendChild(list);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("signin-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var form = e.target;
      $("signin-error").hidden = true;
      sessionStorage.setItem(STORE, JSON.stringify({ site: form.site.value.trim(), key: form.key.value.trim() }));
      form.key.value = "";
      load();
    });
    $("signout").addEventListener("click", function () { sessionStorage.removeItem(STORE); show(false); });
    $("refresh").addEventListener("click", load);
    $("range").addEventListener("change", load);
    if (creds()) { show(true); load(); } else show(false);
  });
})();
`;
