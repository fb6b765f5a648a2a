/**
 * Which read operations this server publishes (its /openapi.json, public). The dashboard calls only those, so
 * against a server without, say, the fund history it says what is missing instead of firing requests that 404.
 */
let operations: Promise<Set<string>> | null = null;

export function serverOperations(): Promise<Set<string>> {
  operations ??= fetch("/openapi.json")
    .then((res) => res.json() as Promise<{ paths?: Record<string, Record<string, unknown>> }>)
    .then((spec) => new Set(Object.entries(spec.paths ?? {}).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))));
  return operations;
}

export async function serves(operation: string): Promise<boolean> {
  return (await serverOperations()).has(operation);
}

export class NotServed extends Error {
  constructor(operation: string) {
    super(`This server does not publish ${operation} yet`);
  }
}

export async function requireOperation(operation: string) {
  if (!(await serves(operation))) throw new NotServed(operation);
}
