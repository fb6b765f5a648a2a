// Type-level guarantees of the generated SDK, checked by `npm run typecheck` (each @ts-expect-error must stay an
// error) and run here only as no-ops: the calls are never awaited against a server.
import { createAdlClient, type AdlApiError, type Problem } from "@adl/sdk";
import { expect, it } from "vitest";

const adl = createAdlClient({ baseUrl: "http://127.0.0.1:1", retries: 0 });
const path = { marketId: "BTC-USDT-PERP" };

function typeChecks() {
  // Fund mutations require the Idempotency-Key header.
  // @ts-expect-error header missing
  void adl.POST("/v1/markets/{marketId}/insurance-fund/deposits", { params: { path }, body: { amount: "1" } });
  void adl.POST("/v1/markets/{marketId}/insurance-fund/deposits", { params: { path, header: { "idempotency-key": "k" } }, body: { amount: "1" } });

  // Amounts are decimal strings, never numbers.
  // @ts-expect-error number instead of decimal string
  void adl.POST("/v1/markets/{marketId}/insurance-fund/deposits", { params: { path, header: { "idempotency-key": "k" } }, body: { amount: 1 } });

  // Unknown paths and wrong methods do not compile.
  // @ts-expect-error no such operation
  void adl.POST("/v1/markets/{marketId}/insurance-fund", { params: { path } });
  // @ts-expect-error GET is not defined on rankings
  void adl.GET("/v1/adl/rankings", {});

  // Path parameters are required.
  // @ts-expect-error marketId missing
  void adl.GET("/v1/markets/{marketId}", { params: { path: {} } });

  // Fields with a server-side default may be left out (priceRule, indicator, liquidationConvention...).
  void adl.POST("/v1/adl/rankings", {
    body: { market: { contractType: "linear", contractSize: "1", lotSize: "1" }, markPrice: "1", method: "bitmex", positions: [] },
  });
}

it("type-level checks compile (see npm run typecheck)", () => {
  expect(typeof typeChecks).toBe("function");
  const problem: Problem = { type: "/problems/not-found", title: "Not found", status: 404 };
  const fieldOf = (e: AdlApiError) => e.problem.errors?.[0]?.pointer;
  expect(problem.status).toBe(404);
  expect(typeof fieldOf).toBe("function");
});
