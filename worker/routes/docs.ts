import { Hono } from "hono";
import type { AppEnv } from "../env";
import { OPENAPI } from "../openapi";

/** `/openapi.json` and a readable `/docs` page generated from the same document. */
export const docs = new Hono<AppEnv>();

docs.get("/openapi.json", (c) => c.json(OPENAPI, 200, { "Access-Control-Allow-Origin": "*" }));

const escape = (s: unknown) =>
  String(s ?? "").replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]!);

docs.get("/docs", (c) => {
  const sections = Object.entries(OPENAPI.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const o = op as { summary?: string; description?: string; tags?: string[]; parameters?: { name: string; in: string; required?: boolean }[]; responses?: Record<string, { description: string }>; security?: object[] };
      const auth = o.security ? Object.keys(o.security[0] ?? {}).join(", ") : "none";
      const params = (o.parameters ?? []).map((p) => `<code>${escape(p.name)}</code> <small>${escape(p.in)}${p.required ? ", required" : ""}</small>`).join(" · ");
      const responses = Object.entries(o.responses ?? {}).map(([code, r]) => `<li><b>${code}</b> ${escape(r.description)}</li>`).join("");
      return `<section><h2><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h2>
        <p>${escape(o.summary)}${o.description ? ` — ${escape(o.description)}` : ""}</p>
        <p><small>${escape((o.tags ?? []).join(", "))} · auth: ${escape(auth)}</small>${params ? `<br>${params}` : ""}</p><ul>${responses}</ul></section>`;
    }),
  );
  return c.html(`<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>mql-edge API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:920px;margin:2rem auto;padding:0 1rem;color:#1d2433}h1{margin-bottom:0}
section{border:1px solid #e3e6ee;border-radius:10px;padding:.6rem 1rem;margin:1rem 0}h2{font-size:1rem;margin:.3rem 0}
.m{display:inline-block;min-width:4.2em;text-align:center;border-radius:6px;color:#fff;font-size:.8rem;padding:.1rem .4rem}
.get{background:#2f7d4f}.post{background:#2b5fb8}.put{background:#8a5a00}.delete{background:#b3261e}.options{background:#666}code{font-size:.95em}ul{margin:.2rem 0}</style>
<h1>mql-edge API</h1><p>Errors are <code>{"error":{"code","message"}}</code>; lists are <code>{"items","next"}</code>. Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
${sections.join("\n")}</html>`);
});
