import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";
import { authHeader } from "./keys";

type Doc = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema?: { $ref?: string } }> } }>>; components: { schemas: Record<string, { example?: unknown }> } };

it("the documented example of every stateless engine operation is answered 200", async () => {
  const doc = (await (await exports.default.fetch("http://x/openapi.json")).json()) as Doc;
  const engine = Object.keys(doc.paths).filter((p) => p.startsWith("/v1/adl/") || p.startsWith("/v1/positions/"));
  expect(engine.length).toBeGreaterThanOrEqual(3);
  for (const path of engine) {
    const ref = doc.paths[path]!.post!.requestBody!.content["application/json"]!.schema!.$ref!.split("/").pop()!;
    const example = doc.components.schemas[ref]!.example;
    const res = await exports.default.fetch(`http://x${path}`, { method: "POST", headers: { "content-type": "application/json", ...authHeader() }, body: JSON.stringify(example) });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
  }
});
