/**
 * Calls to this origin's API with the key the operator entered. The key lives in sessionStorage only (gone when the
 * tab closes, never in a URL or a cookie) and travels as `Authorization: Bearer`.
 */
import { LOCAL_DEV_KEY, servedFromLoopback } from "../shared/local-dev";

const KEY_ITEM = "adl.apiKey";

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_ITEM);
}

export function storeKey(key: string | null) {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

/** On loopback (npm start) the public dev key is offered, so a fresh page shows the local data at once. */
export function initialKey(): string | null {
  return storedKey() ?? (servedFromLoopback() ? LOCAL_DEV_KEY : null);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: { pointer: string; detail: string }[] } | null,
  ) {
    const where = problem?.errors?.map((e) => `${e.pointer}: ${e.detail}`).join("; ");
    super(`${status} ${problem?.title ?? "error"}${problem?.detail ? `: ${problem.detail}` : ""}${where ? ` (${where})` : ""}`);
  }
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = storedKey();
  return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

async function check(res: Response): Promise<Response> {
  if (res.ok) return res;
  let problem = null;
  try {
    problem = await res.json();
  } catch {}
  throw new ApiError(res.status, problem);
}

export async function getJson<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
  const url = params.size ? `${path}?${params}` : path;
  return (await check(await fetch(url, { headers: headers({ accept: "application/json" }) }))).json() as Promise<T>;
}

export async function postJson<T>(path: string, body: string): Promise<T> {
  const res = await fetch(path, { method: "POST", headers: headers({ "content-type": "application/json", accept: "application/json" }), body });
  return (await check(res)).json() as Promise<T>;
}

export async function postJsonWithKey<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method: "POST",
    headers: headers({ "content-type": "application/json", accept: "application/json", "idempotency-key": crypto.randomUUID() }),
    body: JSON.stringify(body),
  });
  return (await check(res)).json() as Promise<T>;
}

/** The CSV export (`Accept: text/csv`) as a Blob, for a download link. */
export async function getCsv(path: string, query: Record<string, string | undefined>): Promise<Blob> {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
  const res = await check(await fetch(params.size ? `${path}?${params}` : path, { headers: headers({ accept: "text/csv" }) }));
  return res.blob();
}

export const enc = encodeURIComponent;
