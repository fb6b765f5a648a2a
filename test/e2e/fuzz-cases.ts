/**
 * Generated hostile requests for the fuzz test: each case is a valid request of some operation broken in one way (wrong
 * types, huge numbers, exponent notation, unicode digits, deep nesting, duplicate keys, truncated JSON, bad bytes,
 * wrong media type, bad headers, bad paths, bad credentials). Seeded, so a failing case can be replayed by its seed
 * and index.
 *
 * Cases against state-changing operations are built to be invalid whatever the field (a decimal field only gets
 * values no decimal rule accepts; a free-text field only non-strings or over-long strings), so any 2xx there, or any
 * change of the fund, is a bug of the service and not of the generator.
 */

export interface FuzzCase {
  index: number;
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Targets an operation that can change state: must be refused (4xx) and change nothing. */
  mutating: boolean;
  /** When set, the exact statuses allowed (auth cases: 401 or 403). */
  expect?: number[];
}

export interface FuzzContext {
  marketId: string;
  key: string;
  readOnlyKey: string;
  otherTenantKey: string;
  /** Documented examples of the stateless operations, by path. */
  engineExamples: Record<string, unknown>;
}

/** mulberry32: small, fast, good enough to pick cases; seeded for replay. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}
type Rng = ReturnType<typeof rng>;

/** Strings no decimal rule of the API accepts (positive, non-negative or signed). */
export const BAD_DECIMALS = [
  "1e5", "1E-7", "2.5e+3", "-5", "+1", "0x10", "1_000", "1,5", "١٢٣", "１２", "٣.٥", " 1", "1 ", "1\n", "NaN", "Infinity", "-Infinity",
  "1".repeat(45), `0.${"0".repeat(45)}1`, "", ".", "1.", ".5", "--1", "1e309", "00.5", "01", "1.2.3", "\u0000", "1\u00a0", "𝟙", "½",
] as const;

/** Non-string JSON values: invalid for every string field (decimals, ids, enums, free text alike). */
function badValue(r: Rng): unknown {
  switch (r.int(12)) {
    case 0: return r.pick([0, 1, -1, 5000, 1e21, -1e-7, 123456789012345678901234567890, Number.MAX_SAFE_INTEGER + 2]);
    case 1: return r.pick([true, false]);
    case 2: return null;
    case 3: return [];
    case 4: return {};
    case 5: return [r.pick(BAD_DECIMALS)];
    case 6: return { value: "1" };
    case 7: return nested(r.pick([10, 100, 1000]));
    case 8: return "x".repeat(r.pick([300, 5000, 100_000]));
    case 9: return 1.5;
    case 10: return [[["5"]]];
    default: return { $gt: "" };
  }
}

function nested(depth: number): unknown {
  let v: unknown = "5";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

type Path = (string | number)[];
interface Base {
  kind: string;
  method: string;
  path: (marketId: string) => string;
  body: Record<string, unknown>;
  mutating: boolean;
  /** Paths of decimal fields (any BAD_DECIMALS string breaks them). */
  decimals: Path[];
  /** Paths of fields whose absence is invalid. */
  required: Path[];
  /** Paths of any string field (a non-string breaks it). */
  strings: Path[];
  idempotent: boolean;
}

const counterparty = (i: number) => ({ accountId: `fz-acct-${i}`, side: "short", size: "1", entryPrice: String(10_000 + i), margin: "1000" });

export function baseRequests(ctx: FuzzContext): Base[] {
  const liq = {
    markPrice: "10000",
    liquidated: { accountId: "fz-acct-bankrupt", side: "long", size: "2", entryPrice: "11000", margin: "2000" },
    executions: [{ quantity: "1", price: "10010" }],
    counterparties: [counterparty(0), counterparty(1), counterparty(2)],
    method: "bitmex",
  };
  const positionPaths = (prefix: Path): { decimals: Path[]; strings: Path[]; required: Path[] } => ({
    decimals: ["size", "entryPrice", "margin"].map((f) => [...prefix, f]),
    strings: ["accountId", "side", "size", "entryPrice", "margin"].map((f) => [...prefix, f]),
    required: ["accountId", "side", "size", "entryPrice", "margin"].map((f) => [...prefix, f]),
  });
  const cp = positionPaths(["counterparties", 1]);
  const lq = positionPaths(["liquidated"]);
  const bases: Base[] = [
    {
      kind: "put-market",
      method: "PUT",
      path: (m) => `/v1/markets/${m}`,
      body: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1", settlementAsset: "USDT", fundFloor: "10" },
      mutating: true,
      decimals: [["contractSize"], ["lotSize"], ["tickSize"], ["fundFloor"]],
      strings: [["contractType"], ["contractSize"], ["lotSize"], ["tickSize"], ["settlementAsset"], ["fundFloor"]],
      required: [["contractType"], ["contractSize"], ["lotSize"], ["settlementAsset"]],
      idempotent: true,
    },
    {
      kind: "deposit",
      method: "POST",
      path: (m) => `/v1/markets/${m}/insurance-fund/deposits`,
      body: { amount: "5", reference: "fz" },
      mutating: true,
      decimals: [["amount"]],
      strings: [["amount"], ["reference"]],
      required: [["amount"]],
      idempotent: true,
    },
    {
      kind: "withdrawal",
      method: "POST",
      path: (m) => `/v1/markets/${m}/insurance-fund/withdrawals`,
      body: { amount: "5", allowBelowFloor: false },
      mutating: true,
      decimals: [["amount"]],
      strings: [["amount"]],
      required: [["amount"]],
      idempotent: true,
    },
    {
      kind: "liquidation",
      method: "POST",
      path: (m) => `/v1/markets/${m}/liquidations`,
      body: liq,
      mutating: true,
      decimals: [["markPrice"], ["executions", 0, "quantity"], ["executions", 0, "price"], ...lq.decimals, ...cp.decimals],
      strings: [["markPrice"], ["method"], ...lq.strings, ...cp.strings],
      required: [["markPrice"], ["method"], ["liquidated"], ["counterparties"], ["executions"], ...lq.required, ...cp.required],
      idempotent: true,
    },
  ];
  for (const [path, example] of Object.entries(ctx.engineExamples)) {
    bases.push({ kind: `engine ${path}`, method: "POST", path: () => path, body: example as Record<string, unknown>, mutating: false, decimals: [["markPrice"]], strings: [["markPrice"]], required: [["markPrice"]], idempotent: false });
  }
  return bases;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function setAt(obj: Record<string, unknown>, path: Path, value: unknown, remove = false): void {
  let cur = obj as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove) delete cur[last];
  else cur[last] = value;
}

const BAD_IDS = ["", "FZ ü", "ü", "%F0%9F%92%A5", "..%2F..%2Fetc", "a".repeat(65), "%00", "FZ:M", "FZ%2FM", "<script>", "'%20OR%201=1", "%E2%80%AE"];

/** One hostile request; `i` seeds nothing by itself, the shared generator state does. */
export function makeCase(r: Rng, i: number, ctx: FuzzContext, bases: Base[]): FuzzCase {
  const base = r.pick(bases);
  const json = { "content-type": "application/json" };
  const auth = { authorization: `Bearer ${ctx.key}` };
  const idem = (): Record<string, string> => (base.idempotent ? { "idempotency-key": `fz-${i}` } : {});
  const c = (kind: string, body: string | Uint8Array | undefined, headers: Record<string, string> = {}, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    index: i,
    kind: `${base.kind}: ${kind}`,
    method: base.method,
    path: base.path(ctx.marketId),
    headers: { ...json, ...auth, ...idem(), ...headers },
    body,
    mutating: base.mutating,
    ...extra,
  });
  const valid = JSON.stringify(base.body);

  switch (r.int(16)) {
    case 0: {
      const b = clone(base.body);
      setAt(b, r.pick(base.decimals), r.pick(BAD_DECIMALS));
      return c("bad decimal string", JSON.stringify(b));
    }
    case 1: {
      const b = clone(base.body);
      setAt(b, r.pick(base.strings), badValue(r));
      return c("wrong type / huge / nested value", JSON.stringify(b));
    }
    case 2: {
      const b = clone(base.body);
      setAt(b, r.pick(base.required), undefined, true);
      return c("missing required field", JSON.stringify(b));
    }
    case 3:
      return c("truncated JSON", valid.slice(0, 1 + r.int(valid.length - 1)));
    case 4: {
      // Duplicate key, the last (the one JSON.parse keeps) broken. Not `[]`: for a list field (executions) that is valid.
      const field = String(r.pick(base.decimals)[0]);
      return c("duplicate key", `${valid.slice(0, -1)},${JSON.stringify(field)}:${JSON.stringify(r.pick([...BAD_DECIMALS, null, 7, {}]))}}`);
    }
    case 5:
      return c("not an object", r.pick(["null", "[]", '"deposit"', "0", "true", "", " ", "{}", "[{}]", '{"__proto__":{"amount":"5"}}']));
    case 6: {
      const depth = r.pick([1000, 10_000, 100_000]);
      return c(`nesting depth ${depth}`, "[".repeat(depth) + "]".repeat(depth));
    }
    case 7: {
      // A decimal field holding bytes that are not UTF-8, or a lone surrogate escape.
      const b = clone(base.body);
      const marker = "__BYTES__";
      setAt(b, r.pick(base.decimals), marker);
      const [head, tail] = JSON.stringify(b).split(`"${marker}"`) as [string, string];
      const enc = new TextEncoder();
      const bad = r.pick([[0x22, 0xff, 0xfe, 0x31, 0x22], [0x22, 0xc3, 0x28, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22], [0x22, 0x5c, 0x75, 0x64, 0x38, 0x30, 0x30, 0x22]]);
      return c("invalid UTF-8 / lone surrogate", new Uint8Array([...enc.encode(head), ...bad, ...enc.encode(tail)]));
    }
    case 8: {
      const type = r.pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "json", ""]);
      // Mutations also carry a broken field, so even a media-type check that let the body through would change nothing.
      const b = clone(base.body);
      if (base.mutating) setAt(b, r.pick(base.decimals), r.pick(BAD_DECIMALS));
      return { ...c(`content-type ${JSON.stringify(type)}`, JSON.stringify(b)), headers: { ...auth, ...idem(), "content-type": type } };
    }
    case 9: {
      // A valid body with a broken idempotency key: refused before anything is booked.
      if (!base.idempotent) return c("exponent mark price", JSON.stringify({ ...base.body, markPrice: "1e4" }));
      const key = r.pick(["", "has space", "x".repeat(256), "tab\there", "ключ"]);
      const headers: Record<string, string> = { ...json, ...auth };
      if (key !== "ключ") headers["idempotency-key"] = key;
      return { ...c(`idempotency key ${JSON.stringify(key.slice(0, 20))}`, valid), headers };
    }
    case 10: {
      // A valid body without the right credentials: exactly 401 / 403, nothing booked.
      const choice = r.int(7);
      const authz = [
        undefined,
        `Bearer ${ctx.key.slice(0, -1)}`,
        `Bearer ${ctx.key}x`,
        `Basic ${btoa(`dev:${ctx.key}`)}`,
        `Bearer ${ctx.key} ${ctx.key}`,
        `Bearer ${ctx.readOnlyKey}`,
        `Bearer  `,
      ][choice];
      const headers: Record<string, string> = { ...json, ...idem() };
      if (authz !== undefined) headers.authorization = authz;
      const allowed = choice === 5 ? (base.mutating ? [403] : [200]) : [401];
      return { ...c(`credentials #${choice}`, valid), headers, expect: allowed };
    }
    case 11: {
      // Another tenant's key: its view of the market is empty, and invalid bodies change nothing there either.
      const b = clone(base.body);
      setAt(b, r.pick(base.decimals), r.pick(BAD_DECIMALS));
      return { ...c("other tenant, bad body", JSON.stringify(b)), headers: { ...json, ...idem(), authorization: `Bearer ${ctx.otherTenantKey}` } };
    }
    case 12: {
      const id = r.pick(BAD_IDS);
      const path = base.path(ctx.marketId).replace(ctx.marketId, id);
      return { ...c(`bad market id ${JSON.stringify(id)}`, valid), path: base.kind.startsWith("engine") ? `${path}/${id}` : path };
    }
    case 13: {
      const b = clone(base.body) as Record<string, unknown>;
      setAt(b, r.pick(base.decimals), r.pick(BAD_DECIMALS));
      // Unicode and control characters in keys and values around the broken field.
      b["ünïcødé-🔥"] = "\u202e\u0000\ud7ff";
      return c("unicode keys + bad decimal", JSON.stringify(b));
    }
    case 14: {
      const method = r.pick(["DELETE", "PATCH", "GET", "OPTIONS", "HEAD"]);
      const withBody = method === "PATCH";
      // GET/HEAD on a market path is a legitimate read; no such method books anything (checked by the state oracle).
      return { ...c(`method ${method}`, withBody ? valid : undefined), method, mutating: false };
    }
    default: {
      const q = r.pick(["cursor=abc", "cursor=-1", "cursor=0", "cursor=1e3", "cursor=99999999999999999999", "limit=0", "limit=501", "limit=abc", "limit=", "limit=-1", "limit=1.5", "limit=1&limit=2", "cursor=%00", "limit=%F0%9F%92%A5"]);
      const path = r.pick(["insurance-fund/ledger", "insurance-fund", ""]);
      return { index: i, kind: `GET ${path || "market"}?${q}`, method: "GET", path: `/v1/markets/${ctx.marketId}${path ? `/${path}` : ""}?${q}`, headers: { ...auth }, mutating: false };
    }
  }
}

export function generateCases(seed: number, count: number, ctx: FuzzContext): FuzzCase[] {
  const r = rng(seed);
  const bases = baseRequests(ctx);
  return Array.from({ length: count }, (_, i) => makeCase(r, i, ctx, bases));
}
