import fc from "fast-check";
import { expect, it } from "vitest";
import { ByteWriter } from "../../src/http/byte-writer";
import { rankColumns } from "../../src/domain/ranking/rank";
import { rankPositions } from "../domain/ranked-objects";
import { scaledToWire } from "../../src/domain/num/rational";
import { rankingsJsonBytes } from "../../src/http/serialize-rankings";
import type { PositionInput } from "../../src/domain/types";

it("ByteWriter.scaled equals scaledToWire for any safe integer and dp", () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 15 }), (k, dp) => {
      const w = new ByteWriter(8);
      w.scaled(k, dp);
      expect(new TextDecoder().decode(w.bytes())).toBe(scaledToWire(k, dp));
    }),
    { numRuns: 2000 },
  );
});

it("ByteWriter.scaled and uint equal scaledToWire and String on both sides of their int32 fast paths", () => {
  const around = fc.oneof(fc.integer({ min: -(2 ** 31) - 5, max: 2 ** 31 + 5 }), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 10 ** 9, 10 ** 10, 2 ** 53 - 1));
  fc.assert(
    fc.property(around, fc.integer({ min: 0, max: 12 }), (k, dp) => {
      const w = new ByteWriter(8);
      w.scaled(k, dp);
      expect(new TextDecoder().decode(w.bytes())).toBe(scaledToWire(k, dp));
      const u = new ByteWriter(8);
      u.uint(Math.abs(k));
      expect(new TextDecoder().decode(u.bytes())).toBe(String(Math.abs(k)));
    }),
    { numRuns: 5000 },
  );
});

it("ByteWriter.jsonString equals JSON.stringify, unicode and escapes included", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (s) => {
      const w = new ByteWriter(1);
      w.jsonString(s);
      expect(new TextDecoder().decode(w.bytes())).toBe(JSON.stringify(s));
    }),
  );
});

it("the rankings bytes are JSON.stringify of rankPositions()", () => {
  const ids = ['quote"d', "back\\slash", "ünï", "plain", "tab\there"];
  const positions: PositionInput[] = ids.flatMap((id, k) => [
    { accountId: id, side: "long", size: String(1 + k), entryPrice: String(19000 + 333 * k), margin: String(700 + 97 * k) },
    { accountId: id, side: "short", size: `0.${k + 1}`, entryPrice: String(21000 - 123 * k), margin: String(50 + k) },
  ]);
  // The underwater short ("minus infinity" score, null leverage) and a bankruptcy price that does not exist (1x long).
  positions.push({ accountId: "one-x", side: "long", size: "1", entryPrice: "20000", margin: "20000" });
  positions.push({ accountId: "sunk", side: "short", size: "1", entryPrice: "15000", margin: "10" });
  for (const indicator of ["bybit", "bitmex"] as const) {
    const req = { market: { contractType: "linear" as const, contractSize: "1", lotSize: "0.1", tickSize: "0.5" }, markPrice: "20000.5", method: "bitmex" as const, indicator, positions };
    const bytes = rankingsJsonBytes(rankColumns(req));
    expect(new TextDecoder().decode(bytes)).toBe(JSON.stringify(rankPositions(req)));
  }
});

it("the rankings bytes are JSON.stringify of rankPositions() on random books, account ids with escapes and unicode included", () => {
  const decimal = (units: number, dp: number) => (dp === 0 ? String(units) : `${Math.floor(units / 10 ** dp)}.${String(units % 10 ** dp).padStart(dp, "0")}`);
  const row = fc.record({
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ unit: "binary", minLength: 1, maxLength: 6 })),
    long: fc.boolean(),
    lots: fc.integer({ min: 1, max: 5000 }),
    entry: fc.integer({ min: 150_000, max: 250_000 }),
    margin: fc.integer({ min: 1, max: 2_000_000_000 }),
  });
  fc.assert(
    fc.property(fc.array(row, { minLength: 1, maxLength: 80, size: "max" }), fc.constantFrom("bybit" as const, "bitmex" as const), (rows, indicator) => {
      const positions: PositionInput[] = rows.map((r, i) => ({ accountId: `${r.id}#${i}`, side: r.long ? "long" : "short", size: decimal(r.lots, 3), entryPrice: decimal(r.entry, 1), margin: decimal(r.margin, 6) }));
      const req = { market: { contractType: "linear" as const, contractSize: "1", lotSize: "0.001", tickSize: "0.1" }, markPrice: "20000", method: "bitmex" as const, indicator, positions };
      expect(new TextDecoder().decode(rankingsJsonBytes(rankColumns(req)))).toBe(JSON.stringify(rankPositions(req)));
    }),
    { numRuns: 200 },
  );
});
