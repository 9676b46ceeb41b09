// GET /api/openapi.json (the generated OpenAPI 3.1 document) and GET /api/docs (a reference page built
// from it on the server: no scripts, no external assets, so the API's deny-all CSP still holds).
import { Hono } from "hono";

type Doc = Record<string, any>;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function docsRoutes(doc: () => Doc): Hono {
  const r = new Hono();
  r.get("/openapi.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(doc());
  });
  r.get("/docs", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.html(renderReference(doc()));
  });
  return r;
}

export function renderReference(d: Doc): string {
  const ops: string[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(d.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [method, op] of Object.entries<any>(item)) {
      const params = (op.parameters ?? []).map((p: any) => `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ", required" : ""})</li>`).join("");
      const body = op.requestBody?.content?.["application/json"]?.schema;
      const responses = Object.entries<any>(op.responses ?? {}).map(([code, r]) => `<li><b>${escapeHtml(code)}</b> ${escapeHtml(r.description ?? "")}</li>`).join("");
      ops.push(
        `<section id="${escapeHtml(`${method}-${path}`)}"><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3>` +
          `<p>${escapeHtml(op.summary ?? "")}</p>` +
          (params ? `<h4>Parameters</h4><ul>${params}</ul>` : "") +
          (body ? `<h4>JSON body</h4><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre>` : "") +
          `<h4>Responses</h4><ul>${responses}</ul></section>`,
      );
    }
  }
  const schemas = d.components?.schemas ?? {};
  const schemaHtml = Object.entries(schemas)
    .map(([name, s]) => `<details><summary><code>${escapeHtml(name)}</code></summary><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre></details>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(d.info?.title ?? "API")} reference</title></head><body>
<h1>${escapeHtml(d.info?.title ?? "API")} reference</h1><p>${escapeHtml(d.info?.description ?? "")}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escapeHtml(String(d.openapi ?? ""))}).</p>
<h2>Operations</h2>${ops.join("\n")}<h2>Schemas</h2>${schemaHtml}</body></html>`;
}
