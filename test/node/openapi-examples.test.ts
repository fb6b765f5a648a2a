import { expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { openApiConfig } from "../../src/http/openapi-config";

type Op = { operationId?: string; requestBody?: { content: Record<string, { example?: unknown; examples?: unknown; schema?: { $ref?: string; example?: unknown } }> } };

it("every operation has an operationId, and every request body an example", () => {
  const doc = createApp().getOpenAPI31Document(openApiConfig) as unknown as {
    paths: Record<string, Record<string, Op>>;
    components: { schemas: Record<string, { example?: unknown }> };
  };
  const missing: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op.operationId) missing.push(`${method} ${path}: operationId`);
      const media = op.requestBody?.content["application/json"];
      if (!media) continue;
      const ref = media.schema?.$ref?.split("/").pop();
      const example = media.example ?? media.examples ?? media.schema?.example ?? (ref ? doc.components.schemas[ref]?.example : undefined);
      if (example === undefined) missing.push(`${method} ${path}: request example`);
    }
  }
  expect(missing).toEqual([]);
});
