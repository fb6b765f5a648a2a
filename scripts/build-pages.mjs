// Builds the static pages (/docs, /dashboard) into dist/pages, the `[assets]` directory of wrangler.toml. Run by
// wrangler itself (`[build] command`, so `npm start` = wrangler dev and `wrangler deploy` both run it) and by
// `npm test` before vitest (the worker pool needs the directory to exist). Nothing it writes is committed.
//
// - /docs: Scalar's API reference, the prebuilt browser bundle copied from node_modules (4.3 MB: a static asset,
//   never inside the Worker bundle), and our small configuration script.
// - /dashboard: web/dashboard/*.ts bundled by esbuild with Chart.js (an npm dependency, pinned) into one ES module.
//
// Several servers may start at once (the e2e tests do): every file is written to a temporary name and renamed, and
// left alone when its bytes are unchanged, so a concurrent build or wrangler's asset watcher never sees half a file.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const OUT = join(ROOT, "dist/pages");

function writeIfChanged(path, bytes) {
  const data = typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes);
  if (existsSync(path) && createHash("sha256").update(readFileSync(path)).digest("hex") === createHash("sha256").update(data).digest("hex")) {
    return false;
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
  return true;
}

const copies = [
  // Scalar's self-contained browser build (UMD: defines window.Scalar; loads no chunks, no CDN).
  ["node_modules/@scalar/api-reference/dist/browser/standalone.js", "assets/scalar/standalone.js"],
  ["web/docs/index.html", "docs.html"],
  ["web/dashboard/index.html", "dashboard.html"],
  ["web/dashboard/dashboard.css", "assets/dashboard.css"],
  ["web/docs/docs.css", "assets/docs.css"],
];

export async function buildPages() {
  let changed = 0;
  for (const [from, to] of copies) changed += writeIfChanged(join(OUT, to), readFileSync(join(ROOT, from))) ? 1 : 0;
  const bundles = await build({
    absWorkingDir: ROOT,
    entryPoints: { docs: "web/docs/main.ts", dashboard: "web/dashboard/main.ts" },
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: false,
    legalComments: "linked",
    write: false,
    outdir: join(OUT, "assets"),
    logLevel: "warning",
  });
  for (const file of bundles.outputFiles) changed += writeIfChanged(file.path, file.contents) ? 1 : 0;
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const changed = await buildPages();
  console.error(`[build-pages] dist/pages ready (${changed} file(s) written)`);
}
