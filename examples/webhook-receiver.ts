// A webhook receiver that verifies every request before trusting it: the ADL-Signature HMAC over the raw body with
// your endpoint's secret (any of the v1= values may match: during a secret rotation there are two), and the
// timestamp within a 5-minute tolerance against replays. It answers 2xx only to verified events and deduplicates by
// event id (delivery is at least once; every retry carries the same id).
//
//   npm run example examples/webhook-receiver.ts
//     env: ADL_BASE_URL, ADL_API_KEY: with no ADL_WEBHOOK_SECRET, registers itself as an endpoint (local development
//          accepts loopback URLs), sends itself a test event and prints what arrives;
//          ADL_WEBHOOK_SECRET (comma-separated during a rotation): only verify and print; PORT (default: any free);
//          ADL_EXIT_AFTER=n: exit after n verified events.
// The tests of this repository use createReceiver() below as the receiving end of every webhook test.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import { pathToFileURL } from "node:url";

export const TOLERANCE_SECONDS = 300;

export type Verification = { ok: true; t: number } | { ok: false; reason: "malformed" | "outside-tolerance" | "mismatch" };

/** Checks `t=<unix seconds>,v1=<hex>[,v1=<hex>]` against HMAC-SHA256(secret, `${t}.${rawBody}`) for each secret. */
export function verifyAdlSignature(header: string | undefined, rawBody: Buffer | string, secrets: readonly string[], nowSeconds = Date.now() / 1000, tolerance = TOLERANCE_SECONDS): Verification {
  if (!header) return { ok: false, reason: "malformed" };
  const parts = header.split(",").map((p) => p.trim().split("=", 2));
  const t = parts.find(([k]) => k === "t")?.[1];
  const signatures = parts.filter(([k, v]) => k === "v1" && v && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => Buffer.from(v!, "hex"));
  if (!t || !/^\d+$/.test(t) || signatures.length === 0) return { ok: false, reason: "malformed" };
  if (Math.abs(nowSeconds - Number(t)) > tolerance) return { ok: false, reason: "outside-tolerance" };
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(`${t}.`).update(rawBody).digest();
    if (signatures.some((s) => s.length === expected.length && timingSafeEqual(s, expected))) return { ok: true, t: Number(t) };
  }
  return { ok: false, reason: "mismatch" };
}

export interface ReceivedEvent {
  id: string;
  type: string;
  created: string;
  data: Record<string, unknown>;
  /** ADL-Delivery-Attempt of the request that delivered it first. */
  attempt: number;
  /** Date.now() when it arrived (verified). */
  receivedAt: number;
}

export interface ReceiverOptions {
  /** The endpoint's secret(s); a function so a test can set it after creating the endpoint. */
  secrets: () => readonly string[];
  port?: number;
  /** Status to answer a verified request with (default 200): lets a test fail or hold some attempts on purpose. */
  respond?: (event: ReceivedEvent, requestNumber: number) => number | Promise<number>;
  onEvent?: (event: ReceivedEvent) => void;
}

export interface Receiver {
  url: string;
  port: number;
  /** First arrival of each verified event id, in order. */
  events: ReceivedEvent[];
  /** Every request: verified or not, with the status answered (for retry timings and duplicate counts). */
  requests: { at: number; eventId: string | null; attempt: number; status: number; verification: Verification["ok"] | string }[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => ok(Buffer.concat(chunks)));
    req.on("error", fail);
  });
}

export async function createReceiver(options: ReceiverOptions): Promise<Receiver> {
  const events: ReceivedEvent[] = [];
  const seen = new Set<string>();
  const requests: Receiver["requests"] = [];
  const server = createServer(async (req, res) => {
    const at = Date.now();
    const raw = await readBody(req);
    const attempt = Number(req.headers["adl-delivery-attempt"] ?? 0);
    const header = req.headers["adl-signature"];
    const check = verifyAdlSignature(typeof header === "string" ? header : undefined, raw, options.secrets());
    if (req.method !== "POST" || !check.ok) {
      requests.push({ at, eventId: null, attempt, status: 400, verification: check.ok ? "wrong method" : check.reason });
      res.writeHead(400).end();
      return;
    }
    const body = JSON.parse(raw.toString("utf8")) as Omit<ReceivedEvent, "attempt" | "receivedAt">;
    const event: ReceivedEvent = { ...body, attempt, receivedAt: at };
    const answer = (await options.respond?.(event, requests.length + 1)) ?? 200;
    // A sender that went away while we held its request never saw our answer: that is not a delivery.
    const status = res.socket === null || res.socket.destroyed ? 0 : answer;
    requests.push({ at, eventId: body.id, attempt, status, verification: true });
    if (status === 0) return;
    // Only a 2xx acknowledges; a failure answered here is retried by the service with the same id.
    if (status >= 200 && status < 300 && !seen.has(body.id)) {
      seen.add(body.id);
      events.push(event);
      options.onEvent?.(event);
    }
    res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "not now");
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, "127.0.0.1", ok));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/adl-webhooks`,
    port,
    events,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

async function main() {
  const baseUrl = process.env.ADL_BASE_URL ?? "http://127.0.0.1:8787";
  const exitAfter = Number(process.env.ADL_EXIT_AFTER ?? "0");
  let secrets = (process.env.ADL_WEBHOOK_SECRET ?? "").split(",").filter(Boolean);
  let received = 0;
  // The test event can arrive before the answer to the request that asked for it: exit only once both happened.
  let registering = secrets.length === 0;
  const maybeExit = () => {
    if (exitAfter > 0 && received >= exitAfter && !registering) void receiver.close().then(() => process.exit(0));
  };
  const receiver = await createReceiver({
    secrets: () => secrets,
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    onEvent: (e) => {
      console.log(`verified ${e.type} ${e.id} (attempt ${e.attempt}): ${JSON.stringify(e.data)}`);
      received++;
      maybeExit();
    },
  });
  console.log(`listening on ${receiver.url}`);
  if (!registering) return;
  // No secret given: register this receiver with the service and ask it for a test event.
  const { createAdlClient, unwrap } = await import("@adl/sdk");
  const adl = createAdlClient({ baseUrl, apiKey: process.env.ADL_API_KEY });
  const endpoint = await unwrap(
    adl.POST("/v1/webhook-endpoints", {
      params: { header: { "idempotency-key": `receiver-${receiver.port}-${process.pid}` } },
      body: { url: receiver.url, events: ["liquidation.adl", "liquidation.socialized_loss", "adl.activated", "adl.deactivated", "fund.below_floor"], description: "examples/webhook-receiver.ts" },
    }),
  );
  secrets = [endpoint.secret];
  console.log(`registered endpoint ${endpoint.id} (secret shown once, kept in memory)`);
  const test = await unwrap(adl.POST("/v1/webhook-endpoints/{id}/test", { params: { path: { id: endpoint.id }, header: { "idempotency-key": `receiver-test-${endpoint.id}` } }, body: {} }));
  console.log(`asked for test event ${test.eventId}`);
  registering = false;
  maybeExit();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(`receiver failed: ${(e as Error)?.message ?? e}`);
    process.exit(1);
  });
}
