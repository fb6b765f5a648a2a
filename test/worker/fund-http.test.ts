/** Market configuration, fund balance, deposits, withdrawals and the ledger over HTTP, inside workerd. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { allLedger, callJson, configure, deposit, linearMarket, uniqueMarket } from "./fund-helpers";
import { authHeader } from "./keys";

describe("market configuration", () => {
  it("PUT stores the configuration with defaults and GET returns it; a replay of the key returns the same", async () => {
    const m = uniqueMarket("cfg");
    const body = { ...linearMarket, fundFloor: "1000", adlTrigger: { rule: "drawdown", triggerRatio: "0.3", stopRatio: "0.25" } };
    const put = await callJson("PUT", `/v1/markets/${m}`, body, "k1");
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ marketId: m, settlementAsset: "USDT", amountDecimals: 8, fundFloor: "1000", maxDrawPerEvent: null, version: 1, adlTrigger: { rule: "drawdown", windowMs: 28_800_000 } });
    expect((await callJson("GET", `/v1/markets/${m}`)).body).toEqual(put.body);
    const replay = await callJson("PUT", `/v1/markets/${m}`, body, "k1");
    expect(replay.body).toEqual(put.body);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const v2 = await callJson("PUT", `/v1/markets/${m}`, { ...body, fundFloor: "500" }, "k2");
    expect(v2.body.version).toBe(2);
  });

  it("invalid: a mutation without Idempotency-Key is a 422 pointing at the header, and stores nothing", async () => {
    const m = uniqueMarket("nokey");
    const res = await callJson("PUT", `/v1/markets/${m}`, linearMarket);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].pointer).toBe("#header/idempotency-key");
    expect((await callJson("GET", `/v1/markets/${m}`)).status).toBe(404);
  });

  it("invalid: bad fields are each named by pointer (stopRatio above triggerRatio, lower-case asset, JSON numbers)", async () => {
    const m = uniqueMarket("bad");
    const res = await callJson("PUT", `/v1/markets/${m}`, { ...linearMarket, settlementAsset: "usdt", lotSize: 0.001 }, "k");
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(["/lotSize", "/settlementAsset"]);
    const ratio = await callJson("PUT", `/v1/markets/${m}`, { ...linearMarket, adlTrigger: { rule: "drawdown", triggerRatio: "0.2", stopRatio: "0.3" } }, "k");
    expect(ratio.status).toBe(422);
    expect(ratio.body.errors[0].pointer).toBe("/adlTrigger/stopRatio");
  });

  it("conflict: the settlement asset cannot change once the fund has entries", async () => {
    const m = uniqueMarket("asset");
    await configure(m);
    await deposit(m, "10");
    const res = await callJson("PUT", `/v1/markets/${m}`, { ...linearMarket, settlementAsset: "USDC" }, "k-usdc");
    expect(res.status).toBe(409);
  });
});

describe("deposits and withdrawals", () => {
  it("GET insurance-fund has the contract's fields; a deposit returns the entry and the new balance", async () => {
    const m = uniqueMarket("dep");
    await configure(m, { ...linearMarket, fundFloor: "100" });
    const empty = await callJson("GET", `/v1/markets/${m}/insurance-fund`);
    expect(empty.body).toMatchObject({ marketId: m, asset: "USDT", balance: "0", floor: "100", peakBalance: "0", adlActive: true, version: 0 });
    expect(typeof empty.body.updatedAt).toBe("string");
    const dep = await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "1500.25", reference: "seed" }, "d1");
    expect(dep.status).toBe(201);
    expect(dep.body).toMatchObject({ balance: "1500.25", asset: "USDT", entry: { kind: "deposit", amount: "1500.25", balanceAfter: "1500.25", idempotencyKey: "d1", reference: "seed", liquidationId: null } });
    expect(dep.body.entry.requestDigest).toMatch(/^[0-9a-f]{64}$/);
    const fund = await callJson("GET", `/v1/markets/${m}/insurance-fund`);
    expect(fund.body).toMatchObject({ balance: "1500.25", peakBalance: "1500.25", adlActive: false, version: 1 });
  });

  it("same key + same body replays the stored result (same entry id); same key + other body or other operation is 409", async () => {
    const m = uniqueMarket("idem");
    await configure(m);
    const first = await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "10", reference: "r" }, "same");
    // Key order and whitespace do not matter: the digest is over canonical JSON of the validated body.
    const raw = await exports.default.fetch(`http://x/v1/markets/${m}/insurance-fund/deposits`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "same", ...authHeader() },
      body: '{ "reference" : "r",\n  "amount": "10" }',
    });
    const again = { body: await raw.json(), headers: raw.headers };
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "11" }, "same");
    expect(other.status).toBe(409);
    expect(other.body.type).toBe("/problems/idempotency-key-reused");
    const otherOp = await callJson("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "10" }, "same");
    expect(otherOp.status).toBe(409);
    expect(await allLedger(m)).toHaveLength(1);
  });

  it("withdrawals below the floor are refused unless allowBelowFloor, never below zero; a refusal changes nothing", async () => {
    const m = uniqueMarket("wd");
    await configure(m, { ...linearMarket, fundFloor: "100" });
    await deposit(m, "150");
    const refused = await callJson("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "60" }, "w1");
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: "/problems/insufficient-funds", balance: "150", floor: "100", available: "50" });
    const belowZero = await callJson("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "150.01", allowBelowFloor: true }, "w2");
    expect(belowZero.status).toBe(422);
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body).toMatchObject({ balance: "150", version: 1 });
    const ok = await callJson("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "50" }, "w3");
    expect(ok.body).toMatchObject({ balance: "100", entry: { kind: "withdrawal", amount: "-50" } });
    const forced = await callJson("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "100", allowBelowFloor: true }, "w4");
    expect(forced.body.balance).toBe("0");
  });

  it("invalid: amounts finer than the asset's decimals, JSON numbers, unknown markets, bad market ids", async () => {
    const m = uniqueMarket("inv");
    await configure(m, { ...linearMarket, amountDecimals: 2 });
    const fine = await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "1.001" }, "a");
    expect(fine.status).toBe(422);
    expect(fine.body.errors[0]).toMatchObject({ pointer: "/amount", code: "too_many_decimals" });
    const num = await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: 1 }, "a");
    expect(num.status).toBe(422);
    expect((await callJson("POST", `/v1/markets/nope-${m}/insurance-fund/deposits`, { amount: "1" }, "a")).status).toBe(404);
    expect((await callJson("GET", `/v1/markets/bad%20id/insurance-fund`)).status).toBe(422);
    // The refused key was not stored: it works once the body is valid.
    expect((await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "1.01" }, "a")).status).toBe(201);
  });
});

describe("ledger", () => {
  it("newest first, cursor-paginated, each balanceAfter the running sum", async () => {
    const m = uniqueMarket("ledger");
    await configure(m);
    for (let i = 1; i <= 7; i++) await deposit(m, String(i), `k${i}`);
    await callJson("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "3" }, "w");
    const p1 = await callJson("GET", `/v1/markets/${m}/insurance-fund/ledger?limit=3`);
    expect(p1.body.entries.map((e: { amount: string }) => e.amount)).toEqual(["-3", "7", "6"]);
    expect(p1.body.nextCursor).toBe(String(p1.body.entries[2].sequence));
    const p2 = await callJson("GET", `/v1/markets/${m}/insurance-fund/ledger?limit=3&cursor=${p1.body.nextCursor}`);
    expect(p2.body.entries.map((e: { amount: string }) => e.amount)).toEqual(["5", "4", "3"]);
    const all = await allLedger(m);
    expect(all).toHaveLength(8);
    expect(all[0].balanceAfter).toBe("25");
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund/ledger?cursor=abc`)).status).toBe(422);
  });
});

describe("concurrency", () => {
  it("50 concurrent replays of one key produce one ledger entry and 50 identical answers", async () => {
    const m = uniqueMarket("replay50");
    await configure(m);
    const results = await Promise.all(Array.from({ length: 50 }, () => callJson("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "42" }, "one-key")));
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(results.filter((r) => r.headers.get("idempotent-replayed") !== "true")).toHaveLength(1);
    expect(await allLedger(m)).toHaveLength(1);
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body.balance).toBe("42");
  });
});
