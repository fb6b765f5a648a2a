/** The README's SDK snippet is examples/readme-snippet.ts, character for character (that file is type-checked by
 * `npm run typecheck` and run against the local server by test/e2e/examples.e2e.test.ts). */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("valid: the ts block after the readme-snippet marker in README.md equals examples/readme-snippet.ts", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const file = readFileSync(new URL("../../examples/readme-snippet.ts", import.meta.url), "utf8");
  const marker = "<!-- examples/readme-snippet.ts";
  const at = readme.indexOf(marker);
  expect(at, "README has no readme-snippet marker").toBeGreaterThan(0);
  const block = /```ts\n([\s\S]*?)```\n/.exec(readme.slice(at));
  expect(block?.[1]).toBe(file);
});
