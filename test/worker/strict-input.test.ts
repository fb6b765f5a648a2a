/**
 * Strict input (issue 10): a member or query parameter the service does not know is refused by name (422, one
 * `unrecognized_key` error per name at its JSON pointer, a suggestion when a known name is close), and a refused
 * request changes nothing. Each case below was a 200/201 computed with defaults before.
 */
import { describe, expect, it } from "vitest";
import { allLedger, callJson, configure, counterparties, deposit, linearMarket, uniqueMarket } from "./fund-helpers";

interface FieldError {
  pointer: string;
  code: string;
  detail: string;
}
const market = { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" };
const position = { accountId: "alice", side: "long", size: "1", entryPrice: "20000", margin: "400" };

async function refused(method: string, path: string, body: unknown, key?: string) {
  const res = await callJson<{ status: number; type: string; errors: FieldError[] }>(method, path, body, key);
  expect(res.status).toBe(422);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body.type).toBe("/problems/validation-error");
  return res.body.errors;
}
const unknown = (pointer: string, suggestion?: string) =>
  expect.objectContaining({ pointer, code: "unrecognized_key", detail: suggestion ? expect.stringContaining(`did you mean ${suggestion}?`) : expect.stringMatching(/^unknown member/) });

describe("unknown body members on the stateless routes", () => {
  it("risk: liquidationConvension is named, with the intended name", async () => {
    const errors = await refused("POST", "/v1/positions/risk", { market, markPrice: "20000", maintenanceMarginRate: "0.005", liquidationConvension: "mark", positions: [position] });
    expect(errors).toEqual([unknown("/liquidationConvension", "liquidationConvention")]);
  });

  it("fills: pricerule (case) is named; one error per unknown member, at every depth", async () => {
    const errors = await refused("POST", "/v1/adl/fills", {
      market: { ...market, tickSzie: "0.1" },
      markPrice: "20000",
      method: "bitmex",
      pricerule: "mark",
      liquidated: { accountId: "b", side: "short", size: "1", entryPrice: "20000", margin: "400", leverage: "50" },
      counterparties: [position, { ...position, accountId: "bob", sizee: "2", note: "x" }],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        unknown("/pricerule", "priceRule"),
        unknown("/market/tickSzie", "tickSize"),
        unknown("/liquidated/leverage"),
        unknown("/counterparties/1/sizee", "size"),
        unknown("/counterparties/1/note"),
      ]),
    );
    expect(errors).toHaveLength(5);
  });

  it("rankings: an unknown member of one position in a batch goes through the fast loop's fallback and is named", async () => {
    const positions = Array.from({ length: 50 }, (_, i) => ({ ...position, accountId: `a${i}` }));
    positions[37] = { ...positions[37]!, ...{ entry_price: "1" } };
    const errors = await refused("POST", "/v1/adl/rankings", { market, markPrice: "20000", method: "bitmex", positions });
    expect(errors).toEqual([unknown("/positions/37/entry_price", "entryPrice")]);
  });

  it("compare: an unknown member of a bankrupt position (a union of two shapes) is named, not 'Invalid input'", async () => {
    const errors = await refused("POST", "/v1/adl/policies/compare", {
      market,
      markPrice: "20000",
      liquidated: [{ side: "short", size: "1", bankruptcyPrice: "20100", bankruptcyPrise: "1" }],
      counterparties: [position],
      detial: "metrics",
    });
    expect(errors).toEqual(expect.arrayContaining([unknown("/liquidated/0/bankruptcyPrise", "bankruptcyPrice"), unknown("/detial", "detail")]));
    expect(errors).toHaveLength(2);
  });

  it("the suggestion is left out when no known name is close, and the names the object takes are listed", async () => {
    const errors = await refused("POST", "/v1/positions/risk", { market, markPrice: "20000", maintenanceMarginRate: "0.005", positions: [position], zzz: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.detail).toBe('unknown member "zzz": expected one of market, markPrice, maintenanceMarginRate, liquidationConvention, positions');
  });

  it("a known member with an unknown one still reports the other field errors in the same answer", async () => {
    const errors = await refused("POST", "/v1/positions/risk", { market, markPrice: "2e4", maintenanceMarginRate: "0.005", positions: [position], extra: true });
    expect(errors.map((e) => e.pointer).sort()).toEqual(["/extra", "/markPrice"]);
  });
});

describe("unknown body members on the stateful routes change nothing", () => {
  it("PUT market: fundFlor and adlTriger are refused and no market is stored", async () => {
    const m = uniqueMarket("strict-new");
    const errors = await refused("PUT", `/v1/markets/${m}`, { ...linearMarket, fundFlor: "1000", adlTriger: { rule: "floor" } }, "k1");
    expect(errors).toEqual(expect.arrayContaining([unknown("/fundFlor", "fundFloor"), unknown("/adlTriger", "adlTrigger")]));
    expect((await callJson("GET", `/v1/markets/${m}`)).status).toBe(404);
  });

  it("PUT market over an existing one: an unknown member inside the trigger is refused, the stored configuration keeps its version", async () => {
    const m = uniqueMarket("strict-upd");
    const before = await configure(m, { ...linearMarket, fundFloor: "1000" });
    const errors = await refused("PUT", `/v1/markets/${m}`, { ...linearMarket, fundFloor: "5", adlTrigger: { rule: "floor", triggerRatio: "0.3" } }, "k-upd");
    expect(errors).toEqual([unknown("/adlTrigger/triggerRatio")]);
    expect((await callJson("GET", `/v1/markets/${m}`)).body).toEqual(before);
    // The refused key stored nothing, so it can be used for a valid request.
    expect((await callJson("PUT", `/v1/markets/${m}`, { ...linearMarket, fundFloor: "5" }, "k-upd")).status).toBe(200);
  });

  it("deposits and withdrawals: unknown members are refused, the balance and ledger stay as they were", async () => {
    const m = uniqueMarket("strict-fund");
    await configure(m);
    await deposit(m, "100");
    const fundBefore = (await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body;
    expect(await refused("POST", `/v1/markets/${m}/insurance-fund/deposits`, { amount: "50", memo: "x" }, "d-x")).toEqual([unknown("/memo")]);
    expect(await refused("POST", `/v1/markets/${m}/insurance-fund/withdrawals`, { amount: "500", allowBelowFlor: true }, "w-x")).toEqual([unknown("/allowBelowFlor", "allowBelowFloor")]);
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body).toEqual(fundBefore);
    expect(await allLedger(m)).toHaveLength(1);
  });

  it("liquidations: unknown members in liquidated, executions and counterparties are refused before the fund changes", async () => {
    const m = uniqueMarket("strict-liq");
    await configure(m);
    await deposit(m, "10000");
    const fundBefore = (await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body;
    const errors = await refused(
      "POST",
      `/v1/markets/${m}/liquidations`,
      {
        markPrice: "9950",
        liquidated: { accountId: "b1", side: "long", size: "2", entryPrice: "11000", margin: "2000", maintenanceMargin: "1" },
        executions: [{ quantity: "1", price: "10100", fee: "1" }],
        counterparties: [...counterparties(2, "short"), { accountId: "s9", side: "short", size: "1", entryPrice: "11000", margin: "1000", Margin: "1" }],
        method: "bitmex",
        liquidationFeeRat: "0.005",
      },
      "liq-x",
    );
    expect(errors).toEqual(
      expect.arrayContaining([unknown("/liquidated/maintenanceMargin"), unknown("/executions/0/fee"), unknown("/counterparties/2/Margin"), unknown("/liquidationFeeRat", "liquidationFeeRate")]),
    );
    expect(errors).toHaveLength(4);
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body).toEqual(fundBefore);
    expect(await allLedger(m)).toHaveLength(1);
  });

  it("liquidation batch: unknown members in an item, its executions, a counterparty and the body are named with the item's index", async () => {
    const m = uniqueMarket("strict-batch");
    await configure(m);
    await deposit(m, "10000");
    const fundBefore = (await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body;
    const item = { accountId: "b1", side: "long", size: "2", entryPrice: "11000", margin: "2000", executions: [{ quantity: "1", price: "10100" }] };
    const errors = await refused(
      "POST",
      `/v1/markets/${m}/liquidations/batch`,
      {
        markPrice: "9950",
        liquidated: [item, { ...item, accountId: "b2", maintenanceMargin: "1", executions: [{ quantity: "1", price: "10100", fee: "1" }] }],
        counterparties: [...counterparties(2, "short"), { accountId: "s9", side: "short", size: "1", entryPrice: "11000", margin: "1000", Margin: "1" }],
        method: "bitmex",
        pricerule: "mark",
      },
      "batch-x",
    );
    expect(errors).toEqual(
      expect.arrayContaining([unknown("/liquidated/1/maintenanceMargin"), unknown("/liquidated/1/executions/0/fee"), unknown("/counterparties/2/Margin"), unknown("/pricerule", "priceRule")]),
    );
    expect(errors).toHaveLength(4);
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund`)).body).toEqual(fundBefore);
    expect(await allLedger(m)).toHaveLength(1);
  });
});

describe("unknown query parameters", () => {
  it("the ledger refuses ?sort=asc by name (not declared) and suggests limit for ?limt", async () => {
    const m = uniqueMarket("strict-q");
    await configure(m);
    const res = await callJson("GET", `/v1/markets/${m}/insurance-fund/ledger?limt=5&sort=asc&sort=desc`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { pointer: "#query/limt", code: "unrecognized_key", detail: 'unknown query parameter "limt": did you mean limit?' },
      expect.objectContaining({ pointer: "#query/sort", code: "unrecognized_key" }),
    ]);
    expect((await callJson("GET", `/v1/markets/${m}/insurance-fund/ledger?limit=5`)).status).toBe(200);
  });

  it("a route that declares no query parameter refuses any, before the body is looked at", async () => {
    const res = await callJson("POST", "/v1/positions/risk?dryRun=1", { market, markPrice: "20000", maintenanceMarginRate: "0.005", positions: [position] });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ pointer: "#query/dryRun", code: "unrecognized_key", detail: 'unknown query parameter "dryRun": none are accepted here' }]);
    const m = uniqueMarket("strict-q2");
    await configure(m);
    const dep = await callJson("POST", `/v1/markets/${m}/insurance-fund/deposits?amount=5`, { amount: "5" }, "dq");
    expect(dep.status).toBe(422);
    expect(await allLedger(m)).toHaveLength(0);
  });
});
