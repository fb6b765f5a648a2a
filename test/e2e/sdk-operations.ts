// The operations of the committed contract (openapi.yaml), in document order: what the SDK e2e tests must cover and
// what the /docs page must list.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface SpecOperation {
  /** "POST /v1/adl/rankings" */
  key: string;
  method: string;
  path: string;
  operationId: string;
  /** Documented response statuses, e.g. ["200", "400", "422"]. */
  statuses: string[];
  /** "in:name" of each parameter, e.g. ["path:marketId", "header:idempotency-key"]. */
  parameters: string[];
}

export interface SpecDocument {
  info: { title: string; version: string };
  paths?: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown>; parameters?: { in: string; name: string }[] }>>;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

export function loadSpecOperations(spec?: SpecDocument): SpecOperation[] {
  const doc = spec ?? (parse(readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf8")) as SpecDocument);
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        operationId: op.operationId ?? "",
        statuses: Object.keys(op.responses ?? {}),
        parameters: (op.parameters ?? []).map((p) => `${p.in}:${p.name}`),
      });
    }
  }
  return operations;
}
