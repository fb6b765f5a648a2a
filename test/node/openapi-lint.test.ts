/**
 * Spec hygiene (issue 10): the generated openapi.yaml passes Redocly's recommended rules and Spectral's spectral:oas
 * with zero errors and zero warnings (configs: redocly.yaml, .spectral.yaml at the root). Each linter is also shown
 * a copy with one known defect, so a linter that stopped reading the file (or a config that turned everything off)
 * fails here instead of passing silently.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const exec = promisify(execFile);
// No telemetry or update check from the linters (CI reaches the npm registry only).
const lintEnv = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
const run = (file: string, args: string[], options: { cwd: string; maxBuffer: number }) => exec(file, args, { ...options, env: lintEnv });
const root = join(import.meta.dirname, "../..");
const bin = (name: string) => join(root, "node_modules/.bin", name);
const scratch = mkdtempSync(join(tmpdir(), "openapi-lint-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Problem {
  rule: string;
  severity: string;
  where: string;
}

async function redocly(file: string): Promise<Problem[]> {
  // Exit status 1 on errors; the JSON report is on stdout either way.
  const out = await run(bin("redocly"), ["lint", file, "--format=json", `--config=${join(root, "redocly.yaml")}`], { cwd: root, maxBuffer: 64 << 20 }).catch((e) => e as { stdout: string });
  const report = JSON.parse(out.stdout) as { problems: { ruleId: string; severity: string; location: { pointer: string }[] }[] };
  return report.problems.map((p) => ({ rule: p.ruleId, severity: p.severity, where: p.location[0]?.pointer ?? "" }));
}

async function spectral(file: string): Promise<Problem[]> {
  const out = await run(bin("spectral"), ["lint", file, "--format=json", `--ruleset=${join(root, ".spectral.yaml")}`, "--fail-severity=hint"], { cwd: root, maxBuffer: 64 << 20 }).catch((e) => e as { stdout: string });
  // With nothing to report Spectral prints "[]" and then a sentence.
  const report = JSON.parse(out.stdout.replace(/No results with a severity of .* found!\s*$/, "")) as { code: string; severity: number; path: string[] }[];
  return report.map((p) => ({ rule: p.code, severity: ["error", "warn", "info", "hint"][p.severity] ?? String(p.severity), where: p.path.join("/") }));
}

/** A copy of openapi.yaml with defects, in a scratch directory. */
function variant(name: string, change: (doc: Record<string, any>) => void): string {
  const doc = parse(readFileSync(join(root, "openapi.yaml"), "utf8"));
  change(doc);
  const dir = mkdtempSync(join(scratch, `${name}-`));
  const file = join(dir, "openapi.yaml");
  writeFileSync(file, stringify(doc));
  return file;
}

describe("openapi.yaml lint", { timeout: 180_000 }, () => {
  it("Redocly (recommended): no errors, no warnings", async () => {
    expect(await redocly(join(root, "openapi.yaml"))).toEqual([]);
  });

  it("Spectral (spectral:oas): no errors, no warnings, no hints", async () => {
    // The file itself: .spectral.yaml's one override names it relative to the ruleset.
    expect(await spectral(join(root, "openapi.yaml"))).toEqual([]);
  });

  it("both still report a defect: an operation without a description, an undeclared tag, no license", async () => {
    const broken = variant("broken", (doc) => {
      delete doc.paths["/v1/adl/rankings"].post.description;
      doc.paths["/v1/adl/rankings"].post.tags = ["Nowhere"];
      delete doc.info.license;
    });
    const s = (await spectral(broken)).map((p) => p.rule);
    expect(s).toEqual(expect.arrayContaining(["operation-description", "operation-tag-defined"]));
    const r = (await redocly(broken)).map((p) => p.rule);
    expect(r).toEqual(expect.arrayContaining(["info-license"]));
  });
});
