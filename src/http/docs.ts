/**
 * Interactive API reference served at /docs. Self-contained (no CDN: deployments and CI may be offline): it fetches
 * /openapi.json, lists every operation with its parameters, request example and responses, and lets the reader send
 * the example ("Try it") with an optional bearer key and Idempotency-Key.
 */
export function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ADL service API reference</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{background:#0d2538;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
.op{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:12px 0;padding:12px 16px}
.m{display:inline-block;min-width:56px;font-weight:700;text-transform:uppercase}
.get{color:#0969da}.post{color:#1a7f37}.put{color:#9a6700}.delete{color:#cf222e}
code,pre,textarea{font:12px/1.4 ui-monospace,monospace}pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:320px}
textarea{width:100%;min-height:140px}button{margin-top:6px}.desc{color:#57606a}
input{font:12px ui-monospace,monospace;width:320px}
</style></head>
<body><header><h1>ADL service API reference</h1><div id="info"></div></header>
<main>
<p>Auth key (Bearer, optional locally): <input id="key" placeholder="dev key" aria-label="API key"></p>
<nav id="toc"></nav><div id="ops">Loading /openapi.json...</div></main>
<script>
const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[ch]));
function exampleOf(media, spec) {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  if (media.examples) { const first = Object.values(media.examples)[0]; if (first) return first.value; }
  const schema = media.schema || {};
  if (schema.example !== undefined) return schema.example;
  // Named schemas keep their example in components.schemas (zod-openapi registers them there).
  if (schema.$ref) {
    const named = ((spec.components || {}).schemas || {})[schema.$ref.split("/").pop()];
    if (named && named.example !== undefined) return named.example;
  }
  return undefined;
}
async function main() {
  const spec = await (await fetch("/openapi.json")).json();
  document.getElementById("info").textContent = spec.info.title + " " + spec.info.version + " - " + (spec.info.description || "");
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(item)) ops.push({ path, method, op });
  }
  document.getElementById("toc").innerHTML = "<ul>" + ops.map((o, i) =>
    '<li><a href="#op' + i + '"><span class="m ' + o.method + '">' + o.method + "</span> " + esc(o.path) + "</a> " + esc(o.op.summary || "") + "</li>").join("") + "</ul>";
  document.getElementById("ops").innerHTML = ops.map((o, i) => {
    const body = o.op.requestBody && o.op.requestBody.content && o.op.requestBody.content["application/json"];
    const ex = exampleOf(body, spec);
    const params = (o.op.parameters || []).map((p) => "<li><code>" + esc(p.in) + ":" + esc(p.name) + "</code> " + esc(p.description || "") + "</li>").join("");
    const responses = Object.entries(o.op.responses || {}).map(([code, r]) => "<li><code>" + esc(code) + "</code> " + esc(r.description || "") + "</li>").join("");
    return '<section class="op" id="op' + i + '" data-operation-id="' + esc(o.op.operationId || "") + '">' +
      '<h2><span class="m ' + o.method + '">' + o.method + "</span> <code>" + esc(o.path) + "</code></h2>" +
      "<p><b>" + esc(o.op.summary || "") + '</b></p><p class="desc">' + esc(o.op.description || "") + "</p>" +
      (params ? "<h3>Parameters</h3><ul>" + params + "</ul>" : "") +
      (body ? '<h3>Request body</h3><textarea id="body' + i + '">' + esc(JSON.stringify(ex ?? {}, null, 2)) + "</textarea>" : "") +
      "<h3>Responses</h3><ul>" + responses + "</ul>" +
      '<label>Path <input id="path' + i + '" value="' + esc(o.path) + '"></label> ' +
      '<button data-i="' + i + '" data-method="' + o.method + '">Try it</button><pre id="out' + i + '"></pre></section>';
  }).join("");
  document.querySelectorAll("button[data-i]").forEach((b) => b.addEventListener("click", async () => {
    const i = b.dataset.i, method = b.dataset.method.toUpperCase();
    const headers = { "content-type": "application/json" };
    const key = document.getElementById("key").value;
    if (key) headers.authorization = "Bearer " + key;
    if (method !== "GET") headers["idempotency-key"] = crypto.randomUUID();
    const bodyEl = document.getElementById("body" + i);
    const res = await fetch(document.getElementById("path" + i).value, { method, headers, body: bodyEl ? bodyEl.value : undefined });
    document.getElementById("out" + i).textContent = res.status + "\\n" + (await res.text());
  }));
}
main().catch((e) => { document.getElementById("ops").textContent = "Could not load the spec: " + e.message; });
</script></body></html>`;
}
