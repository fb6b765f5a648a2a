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
  /** Scopes the bearer key needs (security requirement), or null when the operation declares no security. */
  scopes: string[] | null;
}

type Security = Record<string, string[]>[];

export interface SpecDocument {
  info: { title: string; version: string };
  security?: Security;
  paths?: Record<
    string,
    Record<string, { operationId?: string; responses?: Record<string, unknown>; parameters?: { in: string; name: string }[]; security?: Security }>
  >;
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
        scopes: scopesOf(op.security ?? doc.security),
      });
    }
  }
  return operations;
}

/** The scopes of the first requirement (an empty list `[]` or `[{}]` means public, like none). */
function scopesOf(security: Security | undefined): string[] | null {
  const first = security?.[0];
  if (!first || Object.keys(first).length === 0) return null;
  return Object.values(first).flat();
}
