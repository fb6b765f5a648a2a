/**
 * A position as the domain holds it: parsed once against its market, with Q*K precomputed (domain.md section 1).
 * Apart from the formulas (position.ts, bankruptcy-price.ts, liquidation-price.ts) so each of them can name this
 * type without importing another (position.ts re-exports the price files: that was an import circle).
 */
import { type Decimal, parsePositive, parseSigned } from "./num/decimal";
import { fail, parseFields } from "./fields";
import { type ParsedMarket, parsePrice, parseSize } from "./market";
import { DomainError, type PositionInput, type Side } from "./types";
import { SIDES, type Sign, sideSign } from "./vocabulary";

export { SIDES } from "./vocabulary";
export const MAX_ACCOUNT_ID_LENGTH = 128;

export interface ParsedPosition {
  /** JSON pointer of this position in the request, for errors found later (fills, bankruptcy price). */
  pointer: string;
  accountId: string;
  side: Side;
  /** s: +1 long, -1 short. */
  sign: Sign;
  /** Q, contracts. */
  size: Decimal;
  /** E. */
  entryPrice: Decimal;
  /** M, settlement asset. */
  margin: Decimal;
  /** A when the caller gave it (Binance / Hyperliquid account-level formulas). */
  accountValue: Decimal | null;
  /** Q*K, computed once because every formula needs it. */
  qk: Decimal;
}

function parseSide(value: unknown, pointer: string): Side {
  if (value === "long" || value === "short") return value;
  return fail(pointer, "invalid_side", `must be one of ${SIDES.join(", ")}`);
}

function parseAccountId(value: unknown, pointer: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_ACCOUNT_ID_LENGTH) {
    fail(pointer, "invalid_account_id", `must be a non-empty string of at most ${MAX_ACCOUNT_ID_LENGTH} characters`);
  }
  return value;
}

/**
 * Validates a position against its market; `pointer` locates it in the request (e.g. "/positions/3"). Reports every
 * bad field at once. Margin must be > 0: with M <= 0 the position is bankrupt at entry already.
 *
 * A position whose margin covers any price move (a linear long with M >= Q*K*E, an inverse short with M >= Q*K/E,
 * i.e. leverage <= 1) is valid here: it is a legitimate ADL counterparty (the classic 1x inverse short that hedges
 * a coin balance). It has no bankruptcy price, so bankruptcyPrice() refuses it with `no_bankruptcy_price` when it is
 * the position being liquidated.
 */
export function parsePosition(input: PositionInput, market: ParsedMarket, pointer: string): ParsedPosition {
  // Hot path (up to 100,000 positions a request): parse straight through without building pointers. Any failure
  // falls through to the collecting parse below, which builds them and reports every bad field at once.
  try {
    const side = parseSide(input.side, "");
    const size = parseSize(market, input.size, "");
    return {
      pointer,
      accountId: parseAccountId(input.accountId, ""),
      side,
      sign: sideSign(side),
      size,
      entryPrice: parsePrice(market, input.entryPrice, ""),
      margin: parsePositive(input.margin, ""),
      accountValue: input.accountValue === undefined ? null : parseSigned(input.accountValue, ""),
      qk: size.times(market.contractSize),
    };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
  parseFields({
    accountId: () => parseAccountId(input.accountId, `${pointer}/accountId`),
    side: () => parseSide(input.side, `${pointer}/side`),
    size: () => parseSize(market, input.size, `${pointer}/size`),
    entryPrice: () => parsePrice(market, input.entryPrice, `${pointer}/entryPrice`),
    margin: () => parsePositive(input.margin, `${pointer}/margin`),
    accountValue: () => (input.accountValue === undefined ? null : parseSigned(input.accountValue, `${pointer}/accountValue`)),
  });
  throw new Error("unreachable: the fast parse failed but the collecting parse found nothing");
}
