/**
 * The book as it stands during one simulated path under one policy: which positions are still open, the reduced size
 * and margin of those ADL has partly closed, and the crossing scan. Shares the PreparedBook's sorted orders (sorted
 * once for all paths); a step touches only the positions the mark crosses: each side has a cursor into its sorted
 * order that only moves forward past positions already closed, plus a short sorted list of positions ADL reduced
 * (their liquidation price moved, so they left the sorted order).
 *
 * A deleveraged counterparty keeps its entry price and its margin in proportion to what stays open (as the compare
 * route does), rounded up on the asset grid: the account is never shown with less margin than its share, so its
 * liquidation price moves at most one rounding unit farther away, never nearer.
 * Plain data in, result out; no I/O, no clock.
 */
import { type Decimal, roundToDecimals } from "../num/decimal";
import { fastPosition } from "../fast/parsed-position";
import { type ParsedPosition, parsePosition } from "../position";
import type { PositionInput, Side } from "../types";
import type { PreparedBook } from "./book";
import { fastLiquidationTicks } from "./fast/liquidation-ticks";
import { type LiquidatedPart, liquidatedPart } from "./fast/parsed-liquidation";
import { liquidationTicks } from "./ticks";

export class OpenBook {
  readonly dead: Uint8Array;
  private readonly moved: Uint8Array;
  private readonly lp: Float64Array;
  private readonly overrides = new Map<number, { input: PositionInput; parsed: ParsedPosition; part?: LiquidatedPart }>();
  private longCursor = 0;
  private shortCursor = 0;
  /** Reduced positions with a liquidation price, by side. */
  private movedLongs: number[] = [];
  private movedShorts: number[] = [];
  /** Counterparty views for the allocating policies (string-checked, decimals built on first read), per position. */
  private views: (ParsedPosition | undefined)[] = [];
  private readonly lotSize: string;

  constructor(readonly book: PreparedBook) {
    this.dead = new Uint8Array(book.positions.length);
    this.moved = new Uint8Array(book.positions.length);
    this.lp = Float64Array.from(book.lpTicks);
    this.lotSize = book.config.market.lotSize.toFixed();
  }

  /** Position i as parseCounterparties would hand it to an allocating policy (cached until ADL reduces it). */
  counterpartyView(i: number): ParsedPosition {
    let v = this.views[i];
    if (v === undefined) {
      v = fastPosition(this.input(i), this.book.config.market, this.lotSize, "/counterparties", i) ?? this.parsed(i);
      this.views[i] = v;
    }
    return v;
  }

  input(i: number): PositionInput {
    return this.overrides.get(i)?.input ?? this.book.positions[i]!;
  }

  parsed(i: number): ParsedPosition {
    return this.overrides.get(i)?.parsed ?? this.book.parsed[i]!;
  }

  /** Position i's part of its liquidation's parse (the book's memo until ADL reduces it). */
  liquidatedPart(i: number): LiquidatedPart {
    const o = this.overrides.get(i);
    if (o) return (o.part ??= liquidatedPart(this.book.config, o.parsed));
    return (this.book.liquidatedParts[i] ??= liquidatedPart(this.book.config, this.book.parsed[i]!, this.book.bpTicks[i]!, this.book.tick));
  }

  sizeContracts(i: number): number {
    const o = this.overrides.get(i);
    return o ? o.parsed.size.toNumber() : this.book.sizeContracts[i]!;
  }

  /** Open positions of `side`, in book order (the order counterparties are listed in an exported request). */
  openOf(side: Side): number[] {
    const out: number[] = [];
    const { positions } = this.book;
    for (let i = 0; i < positions.length; i++) if (this.dead[i] === 0 && positions[i]!.side === side) out.push(i);
    return out;
  }

  /**
   * Open positions the mark `markTicks` crosses (a long's liquidation price at or above it, a short's at or below),
   * in the order they are reached: longs from the highest liquidation price, then shorts from the lowest, ties by
   * accountId. They are removed from the scan (the caller liquidates them now).
   */
  takeCrossed(markTicks: number): number[] {
    const { longOrder, shortOrder, positions } = this.book;
    const longs: number[] = [];
    while (this.longCursor < longOrder.length) {
      const i = longOrder[this.longCursor]!;
      if (this.dead[i] === 1 || this.moved[i] === 1) this.longCursor++;
      else if (this.lp[i]! >= markTicks) {
        longs.push(i);
        this.longCursor++;
      } else break;
    }
    const shorts: number[] = [];
    while (this.shortCursor < shortOrder.length) {
      const i = shortOrder[this.shortCursor]!;
      if (this.dead[i] === 1 || this.moved[i] === 1) this.shortCursor++;
      else if (this.lp[i]! <= markTicks) {
        shorts.push(i);
        this.shortCursor++;
      } else break;
    }
    const byId = (a: number, b: number) => (positions[a]!.accountId < positions[b]!.accountId ? -1 : 1);
    if (this.movedLongs.length > 0) {
      const hit = this.movedLongs.filter((i) => this.dead[i] === 0 && this.lp[i]! >= markTicks);
      if (hit.length > 0) {
        this.movedLongs = this.movedLongs.filter((i) => !hit.includes(i));
        longs.push(...hit);
        longs.sort((a, b) => this.lp[b]! - this.lp[a]! || byId(a, b));
      }
    }
    if (this.movedShorts.length > 0) {
      const hit = this.movedShorts.filter((i) => this.dead[i] === 0 && this.lp[i]! <= markTicks);
      if (hit.length > 0) {
        this.movedShorts = this.movedShorts.filter((i) => !hit.includes(i));
        shorts.push(...hit);
        shorts.sort((a, b) => this.lp[a]! - this.lp[b]! || byId(a, b));
      }
    }
    return longs.concat(shorts);
  }

  /** Whether the mark crosses any open position (without taking them). */
  anyCrossed(markTicks: number): boolean {
    const { longOrder, shortOrder } = this.book;
    for (let k = this.longCursor; k < longOrder.length; k++) {
      const i = longOrder[k]!;
      if (this.dead[i] === 1 || this.moved[i] === 1) continue;
      if (this.lp[i]! >= markTicks) return true;
      break;
    }
    for (let k = this.shortCursor; k < shortOrder.length; k++) {
      const i = shortOrder[k]!;
      if (this.dead[i] === 1 || this.moved[i] === 1) continue;
      if (this.lp[i]! <= markTicks) return true;
      break;
    }
    return this.movedLongs.some((i) => this.dead[i] === 0 && this.lp[i]! >= markTicks) || this.movedShorts.some((i) => this.dead[i] === 0 && this.lp[i]! <= markTicks);
  }

  close(i: number): void {
    this.dead[i] = 1;
  }

  /** ADL closed part of position i: `remaining` contracts stay open (a lot multiple, > 0). */
  reduce(i: number, remaining: Decimal): void {
    const book = this.book;
    const cur = this.parsed(i);
    const input = this.input(i);
    // Up on the asset grid: see the file header.
    const margin = roundToDecimals(cur.margin.times(remaining).div(cur.size), book.config.amountDecimals, "up");
    const next: PositionInput = { accountId: input.accountId, side: input.side, size: remaining.toFixed(), entryPrice: input.entryPrice, margin: margin.toFixed() };
    // As prepareBook reads a position (the strict string check, float ticks with the exact fallback), or, in the
    // exact mode, the specification alone.
    const fast = book.fastTicks;
    const raw = fast ? fastPosition(next, book.config.market, this.lotSize, "/positions", i) : undefined;
    const parsed = raw ?? parsePosition(next, book.config.market, cur.pointer);
    this.overrides.set(i, { input: next, parsed });
    this.views[i] = undefined;
    const lp = fast && raw ? fastLiquidationTicks(fast, next, () => raw) : liquidationTicks(book, parsed);
    this.lp[i] = lp;
    const list = input.side === "long" ? this.movedLongs : this.movedShorts;
    if (this.moved[i] === 0) {
      this.moved[i] = 1;
      if (!Number.isNaN(lp)) list.push(i);
    } else if (Number.isNaN(lp)) {
      const k = list.indexOf(i);
      if (k >= 0) list.splice(k, 1);
    }
  }
}

