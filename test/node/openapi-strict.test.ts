/**
 * Structural strictness: every operation in the generated document, including routes added later, is checked
 * here, so a new route inherits the convention or fails this test (README, "Strict input").
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openApiYaml } from "../../scripts/openapi-document";

type Schema = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, { operationId?: string; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}
const doc = parse(openApiYaml()) as Doc;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

function resolve(s: Schema): Schema {
  const ref = s.$ref;
  if (typeof ref !== "string") return s;
  const name = ref.replace("#/components/schemas/", "");
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved ${ref}`);
  return target;
}

/** Every object schema reachable from `root`, with its location (JSON pointer into the request body schema). */
function objectsIn(root: Schema, at: string, out: Array<{ at: string; schema: Schema }> = [], seen = new Set<Schema>()): Array<{ at: string; schema: Schema }> {
  const s = resolve(root);
  if (seen.has(s)) return out;
  seen.add(s);
  if (s.type === "object" || s.properties !== undefined) out.push({ at, schema: s });
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) objectsIn(v, `${at}/${k}`, out, seen);
  if (s.items && typeof s.items === "object") objectsIn(s.items as Schema, `${at}/*`, out, seen);
  for (const key of ["anyOf", "oneOf", "allOf"]) for (const [i, v] of ((s[key] ?? []) as Schema[]).entries()) objectsIn(v, `${at}(${key}[${i}])`, out, seen);
  if (s.additionalProperties && typeof s.additionalProperties === "object") objectsIn(s.additionalProperties as Schema, `${at}/{*}`, out, seen);
  return out;
}

const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m]! })),
);

describe("every request body object refuses unknown members (additionalProperties: false)", () => {
  const withBodies = operations.filter((o) => o.op.requestBody);
  it("the walk sees the request bodies (it cannot pass by finding none)", () => {
    expect(withBodies.length).toBeGreaterThanOrEqual(8);
  });
  for (const { name, op } of withBodies) {
    it(name, () => {
      const objects = Object.values(op.requestBody!.content ?? {}).flatMap((c) => (c.schema ? objectsIn(c.schema, "") : []));
      expect(objects.length).toBeGreaterThan(0);
      const open = objects.filter((o) => o.schema.additionalProperties !== false).map((o) => o.at || "(body)");
      expect(open, `${name}: request objects without additionalProperties: false (build them with strictObject)`).toEqual([]);
    });
  }
});
