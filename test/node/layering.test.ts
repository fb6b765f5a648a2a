/**
 * The layering rules (.dependency-cruiser.cjs, ARCHITECTURE.md) hold for src/, and each rule really catches what it
 * names: the fixtures under test/node/fixtures/layering break every rule once (and show what stays allowed).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = `${root}node_modules/dependency-cruiser/bin/dependency-cruise.mjs`;
const config = `${root}.dependency-cruiser.cjs`;

interface Violation {
  rule: string;
  from: string;
  to: string;
}

function violations(cwd: string): Violation[] {
  // --output-type json exits 0 whatever it finds; the summary lists every violation.
  const out = execFileSync(process.execPath, [bin, "src", "--config", config, "--output-type", "json"], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const summary = JSON.parse(out).summary as { violations: Array<{ rule: { name: string }; from: string; to: string }> };
  return summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe("layering (dependency-cruiser)", () => {
  it("src/ breaks no rule: the domain imports no outer layer, Hono or cloudflare:*, no import circles, no specification imports its fast/", () => {
    expect(violations(root)).toEqual([]);
  });

  it("each rule catches its violation in the fixtures", () => {
    const found = violations(`${root}test/node/fixtures/layering`).map((v) => `${v.rule}: ${v.from} -> ${v.to.replace(/^.*node_modules\//, "node_modules/")}`);
    expect(found.sort()).toEqual(
      [
        "domain-no-platform: src/domain/uses-hono.ts -> node_modules/hono/dist/types/index.d.ts",
        "domain-no-platform: src/domain/uses-workers.ts -> cloudflare:workers",
        "domain-not-to-outer-layers: src/domain/reaches-http.ts -> src/http/route.ts",
        "no-circular: src/domain/circle-a.ts -> src/domain/circle-b.ts",
        // The specification importing its acceleration is also a circle here (fast/ imports the specification).
        "no-circular: src/domain/spec/fast/rule.ts -> src/domain/spec/rule.ts",
        "specification-not-to-fast: src/domain/spec/rule.ts -> src/domain/spec/fast/rule.ts",
      ].sort(),
    );
  });

  it("the policies' specification (src/domain/policies/spec/) never imports the policies it specifies", () => {
    const found = violations(`${root}test/node/fixtures/layering-policies`).map((v) => `${v.rule}: ${v.from} -> ${v.to}`);
    expect(found).toEqual(["policies-spec-stands-alone: src/domain/policies/spec/policy.ts -> src/domain/policies/shared.ts"]);
  });

  it("the numeric vocabulary (src/domain/num/) imports no formula: only itself and the domain's error and option types", () => {
    const found = violations(`${root}test/node/fixtures/layering-num`).map((v) => `${v.rule}: ${v.from} -> ${v.to}`);
    expect(found).toEqual(["num-is-the-bottom-layer: src/domain/num/digits.ts -> src/domain/position.ts"]);
  });

  it("the ranking's specification (src/domain/ranking/spec/) imports neither its accelerations (fast/) nor the ranking it specifies", () => {
    const found = violations(`${root}test/node/fixtures/layering-ranking`).map((v) => `${v.rule}: ${v.from} -> ${v.to}`);
    expect(found.sort()).toEqual(
      [
        "ranking-spec-stands-alone: src/domain/ranking/spec/batch.ts -> src/domain/ranking/fast/order.ts",
        "ranking-spec-stands-alone: src/domain/ranking/spec/rank.ts -> src/domain/ranking/rank.ts",
        "specification-folder-not-to-fast: src/domain/ranking/spec/batch.ts -> src/domain/ranking/fast/order.ts",
      ].sort(),
    );
  });
});
