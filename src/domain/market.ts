/**
 * Market definition, parsed once per request: the contract's units and the grids sizes and prices live on.
 * Plain data in, result out; no I/O, no clock.
 */
import { DEFAULT_TICK_SIZE, Decimal, type RoundingMode, parsePositive, roundToStep } from "./num/decimal";
import { decimalsOf, isMultipleOf } from "./num/digits";
import { fail, parseFields } from "./fields";
import type { ContractType, Market } from "./types";
import { CONTRACT_TYPES } from "./vocabulary";

export interface ParsedMarket {
  contractType: ContractType;
  /** linear: base units per contract; inverse: quote face value per contract. */
  contractSize: Decimal;
  lotSize: Decimal;
  tickSize: Decimal;
  /** Decimal places of tickSize: a price may have at most this many. */
  tickDecimals: number;
  /** Set when lotSize is 10^-k (k >= 0): then "lot multiple" is just "at most k decimals", no division needed. */
  lotDecimalsIfPowerOfTen: number | null;
}

export { CONTRACT_TYPES } from "./vocabulary";

function parseContractType(value: unknown, pointer: string): ContractType {
  if (value === "linear" || value === "inverse") return value;
  return fail(pointer, "invalid_contract_type", `must be one of ${CONTRACT_TYPES.join(", ")}`);
}

/** Validates a market (contractSize, lotSize, tickSize all > 0); reports every bad field at once. */
export function parseMarket(input: Market, pointer = "/market"): ParsedMarket {
  const fields = parseFields({
    contractType: () => parseContractType(input.contractType, `${pointer}/contractType`),
    contractSize: () => parsePositive(input.contractSize, `${pointer}/contractSize`),
    lotSize: () => parsePositive(input.lotSize, `${pointer}/lotSize`),
    tickSize: () => parsePositive(input.tickSize ?? DEFAULT_TICK_SIZE, `${pointer}/tickSize`),
  });
  const lotDecimals = fields.lotSize.decimalPlaces();
  const lotIsPowerOfTen = fields.lotSize.eq(new Decimal(10).pow(-lotDecimals));
  return {
    ...fields,
    tickDecimals: fields.tickSize.decimalPlaces(),
    lotDecimalsIfPowerOfTen: lotIsPowerOfTen ? lotDecimals : null,
  };
}

/**
 * The lot rule, written once, on a plain non-negative decimal string: a whole multiple of the market's lot size, exact
 * on the digits (no more decimals than the lot, then the scaled integers; for lots 1, 0.1, 0.001, ... the decimals
 * alone, no division). parseSize and checkLotMultiple call it, and so do the batch rules (ranking/spec/batch.ts) and
 * fastPosition (fast/parsed-position.ts). `lot` is the lot size's wire string, which a caller checking many sizes
 * makes once (only read when the lot is not a power of ten).
 */
export function isLotMultiple(market: ParsedMarket, size: string, lot?: string): boolean {
  const k = market.lotDecimalsIfPowerOfTen;
  if (k !== null) return decimalsOf(size) <= k;
  const l = lot ?? market.lotSize.toFixed();
  return decimalsOf(size) <= decimalsOf(l) && isMultipleOf(size, l);
}

/** The refusal of a size off the lot grid, as parseSize and the batch rules word it (`lot`: the lot's wire string). */
export function notLotMultiple(lot: string): { code: string; message: string } {
  return { code: "not_lot_multiple", message: `must be a whole multiple of the lot size ${lot}` };
}

/** Throws `not_lot_multiple` unless `size` (a computed quantity, >= 0) is a whole multiple of the market's lot size. */
export function checkLotMultiple(market: ParsedMarket, size: Decimal, pointer: string): Decimal {
  if (!isLotMultiple(market, size.toFixed())) lotRefusal(market, pointer);
  return size;
}

function lotRefusal(market: ParsedMarket, pointer: string): never {
  const r = notLotMultiple(market.lotSize.toFixed());
  return fail(pointer, r.code, r.message);
}

/** A contract quantity: > 0 and a whole multiple of the lot size. */
export function parseSize(market: ParsedMarket, value: unknown, pointer: string): Decimal {
  const size = parsePositive(value, pointer);
  // parsePositive accepted it, so it is a plain decimal string.
  if (!isLotMultiple(market, value as string)) lotRefusal(market, pointer);
  return size;
}

/**
 * A price: > 0 with no more decimals than the tick. Not required to be a tick multiple: average entry prices are
 * volume-weighted and legitimately fall between ticks.
 */
export function parsePrice(market: ParsedMarket, value: unknown, pointer: string): Decimal {
  return parsePositive(value, pointer, market.tickDecimals);
}

/**
 * A lot-multiple size as a whole number of lots, exact, for integer arithmetic (the policies' allocations). Lots of
 * 10^-k: the digits of the size written with k decimals are the lot count (no division). A size that is not a lot
 * multiple is a caller's bug (sizes are validated by parseSize): RangeError.
 */
export function lotsOf(market: ParsedMarket, size: Decimal): bigint {
  const k = market.lotDecimalsIfPowerOfTen;
  if (k !== null && size.decimalPlaces() <= k) return BigInt(k === 0 ? size.toFixed(0) : size.toFixed(k).replace(".", ""));
  const lots = size.div(market.lotSize);
  if (!lots.isInteger()) throw new RangeError(`size ${size.toFixed()} is not a lot multiple`);
  return BigInt(lots.toFixed());
}

/**
 * Rounds a computed price onto the tick grid (a whole multiple of tickSize, hence within the tick's decimals) in the
 * direction the caller names; the caller says why that direction is safe.
 */
export function roundPriceToTick(market: ParsedMarket, price: Decimal, mode: RoundingMode): Decimal {
  return roundToStep(price, market.tickSize, mode);
}
