import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { openApiYaml } from "../../scripts/openapi-document";

it("committed openapi.yaml equals what the route definitions generate (run `npm run openapi`)", () => {
  const committed = readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf8");
  expect(committed).toBe(openApiYaml());
});
