import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { SCHEMA_PATH, generateSdkSchema } from "../../scripts/gen-sdk";

it("committed sdk/src/generated/schema.ts equals what openapi.yaml generates (run `npm run openapi`)", async () => {
  expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(await generateSdkSchema());
}, 30_000);
