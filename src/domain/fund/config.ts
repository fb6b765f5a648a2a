/**
 * Insurance-fund configuration of one market: contract units, settlement asset, floor, per-event draw cap and the ADL
 * trigger rule (domain.md section 3). Plain data in, result out; no I/O, no clock.
 */
import { type Decimal, AMOUNT_DP, parseNonNegative, parsePositive, toWire } from "../num/decimal";
import { DEFAULT_POLICY, POLICIES, type PolicyName } from "../policies";
import { fail, parseFields } from "../fields";
import { type ParsedMarket, parseMarket } from "../market";
import type { ContractType } from "../types";

/** Default drawdown window: Bybit measures the drawdown against the 8-hour maximum. */
export const DEFAULT_WINDOW_MS = 8 * 60 * 60 * 1000;
export const MIN_WINDOW_MS = 60_000;
export const MAX_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_AMOUNT_DECIMALS = 18;

/**
 * `floor`: the fund pays while its balance stays at or above the floor (BitMEX, Bybit pool rule, Bitget).
 * `drawdown`: Bybit-style; ADL switches on when (balance - peak) / peak <= -triggerRatio, where peak is the highest
 * balance within `windowMs`, and off again once the ratio is above -stopRatio (stopRatio < triggerRatio: hysteresis).
 */
export const ADL_TRIGGER_RULES = ["floor", "drawdown"] as const;
export type AdlTriggerRule = (typeof ADL_TRIGGER_RULES)[number];

export type TriggerRuleInput =
  | { rule: "floor" }
  | { rule: "drawdown"; windowMs?: number; triggerRatio: string; stopRatio: string };

export interface FundConfigInput {
  contractType: ContractType;
  contractSize: string;
  lotSize: string;
  tickSize?: string;
  settlementAsset: string;
  /** Decimal places of the settlement asset: every ledger amount lives on this grid. Default 8. */
  amountDecimals?: number;
  fundFloor?: string;
  maxDrawPerEvent?: string;
  adlTrigger?: TriggerRuleInput;
  /** How ADL shares what the fund cannot cover when a liquidation names no policy (src/domain/policies). */
  adlPolicy?: PolicyName;
}

export type TriggerRule =
  | { rule: "floor" }
  | { rule: "drawdown"; windowMs: number; triggerRatio: Decimal; stopRatio: Decimal };

export interface FundConfig {
  market: ParsedMarket;
  settlementAsset: string;
  amountDecimals: number;
  floor: Decimal;
  maxDrawPerEvent: Decimal | null;
  trigger: TriggerRule;
  adlPolicy: PolicyName;
}

/** The canonical stored/wire form: every optional field filled with its default. */
export interface FundConfigWire {
  contractType: ContractType;
  contractSize: string;
  lotSize: string;
  tickSize: string;
  settlementAsset: string;
  amountDecimals: number;
  fundFloor: string;
  maxDrawPerEvent: string | null;
  adlTrigger: { rule: "floor"; windowMs: number } | { rule: "drawdown"; windowMs: number; triggerRatio: string; stopRatio: string };
  adlPolicy: PolicyName;
}

function parseRatio(value: unknown, pointer: string): Decimal {
  const x = parsePositive(value, pointer);
  if (x.gte(1)) fail(pointer, "ratio_out_of_range", "must be greater than 0 and less than 1");
  return x;
}

function parseWindow(value: unknown, pointer: string): number {
  if (value === undefined) return DEFAULT_WINDOW_MS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < MIN_WINDOW_MS || value > MAX_WINDOW_MS) {
    fail(pointer, "window_out_of_range", `must be an integer number of milliseconds in [${MIN_WINDOW_MS}, ${MAX_WINDOW_MS}]`);
  }
  return value;
}

function parseTrigger(input: TriggerRuleInput | undefined, pointer: string): TriggerRule {
  if (input === undefined || input.rule === "floor") return { rule: "floor" };
  if (input.rule !== "drawdown") fail(`${pointer}/rule`, "invalid_rule", `must be ${ADL_TRIGGER_RULES.join(" or ")}`);
  const f = parseFields({
    windowMs: () => parseWindow(input.windowMs, `${pointer}/windowMs`),
    triggerRatio: () => parseRatio(input.triggerRatio, `${pointer}/triggerRatio`),
    stopRatio: () => parseRatio(input.stopRatio, `${pointer}/stopRatio`),
  });
  if (f.stopRatio.gte(f.triggerRatio)) {
    fail(`${pointer}/stopRatio`, "stop_not_below_trigger", "must be less than triggerRatio (ADL stops only after the fund recovers past the trigger)");
  }
  return { rule: "drawdown", ...f };
}

function parsePolicy(value: unknown, pointer: string): PolicyName {
  if (value === undefined) return DEFAULT_POLICY;
  if (!(POLICIES as readonly unknown[]).includes(value)) fail(pointer, "invalid_policy", `must be one of ${POLICIES.join(", ")}`);
  return value as PolicyName;
}

function parseAsset(value: unknown, pointer: string): string {
  if (typeof value !== "string" || !/^[A-Z0-9]{1,16}$/.test(value)) fail(pointer, "invalid_asset", "must be 1-16 upper-case letters or digits, e.g. USDT");
  return value;
}

function parseAmountDecimals(value: unknown, pointer: string): number {
  if (value === undefined) return AMOUNT_DP;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_AMOUNT_DECIMALS) {
    fail(pointer, "invalid_amount_decimals", `must be an integer in [0, ${MAX_AMOUNT_DECIMALS}]`);
  }
  return value;
}

/** Validates a configuration; reports every bad field at once (pointers relative to the request body). */
export function parseFundConfig(input: FundConfigInput): FundConfig {
  const f = parseFields({
    market: () =>
      parseMarket({ contractType: input.contractType, contractSize: input.contractSize, lotSize: input.lotSize, tickSize: input.tickSize }, ""),
    settlementAsset: () => parseAsset(input.settlementAsset, "/settlementAsset"),
    amountDecimals: () => parseAmountDecimals(input.amountDecimals, "/amountDecimals"),
    floor: () => parseNonNegative(input.fundFloor ?? "0", "/fundFloor"),
    maxDrawPerEvent: () => (input.maxDrawPerEvent === undefined || input.maxDrawPerEvent === null ? null : parsePositive(input.maxDrawPerEvent, "/maxDrawPerEvent")),
    trigger: () => parseTrigger(input.adlTrigger, "/adlTrigger"),
    adlPolicy: () => parsePolicy(input.adlPolicy, "/adlPolicy"),
  });
  const grid = f.amountDecimals;
  if (f.floor.decimalPlaces() > grid) fail("/fundFloor", "too_many_decimals", `at most ${grid} decimal places (amountDecimals)`);
  if (f.maxDrawPerEvent && f.maxDrawPerEvent.decimalPlaces() > grid) fail("/maxDrawPerEvent", "too_many_decimals", `at most ${grid} decimal places (amountDecimals)`);
  return f;
}

/** Window over which the peak balance is reported; the floor rule reports the default window's peak. */
export function peakWindowMs(trigger: TriggerRule): number {
  return trigger.rule === "drawdown" ? trigger.windowMs : DEFAULT_WINDOW_MS;
}

export function fundConfigToWire(c: FundConfig): FundConfigWire {
  return {
    contractType: c.market.contractType,
    contractSize: toWire(c.market.contractSize),
    lotSize: toWire(c.market.lotSize),
    tickSize: toWire(c.market.tickSize),
    settlementAsset: c.settlementAsset,
    amountDecimals: c.amountDecimals,
    fundFloor: toWire(c.floor),
    maxDrawPerEvent: c.maxDrawPerEvent ? toWire(c.maxDrawPerEvent) : null,
    adlTrigger:
      c.trigger.rule === "floor"
        ? { rule: "floor", windowMs: DEFAULT_WINDOW_MS }
        : { rule: "drawdown", windowMs: c.trigger.windowMs, triggerRatio: toWire(c.trigger.triggerRatio), stopRatio: toWire(c.trigger.stopRatio) },
    adlPolicy: c.adlPolicy,
  };
}

/**
 * Inverse of fundConfigToWire (stored configurations are already valid). Configurations stored before adlPolicy
 * existed have none: they get the default, so no schema migration is needed for it.
 */
export function fundConfigFromWire(w: FundConfigWire): FundConfig {
  return parseFundConfig({
    ...w,
    adlPolicy: w.adlPolicy ?? DEFAULT_POLICY,
    maxDrawPerEvent: w.maxDrawPerEvent ?? undefined,
    adlTrigger: w.adlTrigger.rule === "floor" ? { rule: "floor" } : w.adlTrigger,
  });
}
