/**
 * Growable UTF-8 output buffer for large JSON responses: ASCII is written byte by byte, scaled decimals digit by
 * digit, so a 100k-row response creates no per-field strings and needs no final TextEncoder pass.
 */
const encoder = new TextEncoder();
/** 10 ** dp for the usual dp, computed once by the same expression (Math.pow per decimal cost ~25 ns, 400k a response). */
const POW10 = Array.from({ length: 23 }, (_, dp) => 10 ** dp);

/** A constant piece of output prepared once for ByteWriter.raw: its UTF-8 bytes, and the same bytes as 32-bit words. */
export interface Constant {
  bytes: Uint8Array;
  /** bytes[4j .. 4j+3] as one little-endian word, for the whole groups of four. */
  words: Uint32Array;
}

export function constant(s: string): Constant {
  const bytes = encoder.encode(s);
  const words = new Uint32Array(bytes.length >> 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let j = 0; j < words.length; j++) words[j] = view.getUint32(4 * j, true);
  return { bytes, words };
}

export class ByteWriter {
  buf: Uint8Array<ArrayBuffer>;
  /** The same memory as `buf`, for raw's word stores. */
  private view: DataView;
  pos = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(capacity, 1024));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Text known to be ASCII (decimal strings, JSON punctuation, field names). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let k = 0; k < n; k++) buf[pos++] = s.charCodeAt(k);
    this.pos = pos;
  }

  /**
   * Bytes prepared once (JSON punctuation and field names; see `constant`), copied without re-reading a string: four
   * at a time as little-endian words (a byte store per byte cost ~10 ms of a 100k-row response), then the tail.
   */
  raw(c: Constant): void {
    const b = c.bytes;
    const n = b.length;
    this.ensure(n);
    const words = c.words;
    const nw = words.length;
    const view = this.view;
    let pos = this.pos;
    for (let j = 0; j < nw; j++, pos += 4) view.setUint32(pos, words[j]!, true);
    const buf = this.buf;
    for (let k = nw << 2; k < n; k++) buf[pos++] = b[k]!;
    this.pos = pos;
  }

  /** The bytes from[start, end), copied. */
  copy(from: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    const buf = this.buf;
    let pos = this.pos;
    for (let k = start; k < end; k++) buf[pos++] = from[k]!;
    this.pos = pos;
  }

  /**
   * A JSON string literal: printable ASCII without quote or backslash is copied as it is read (one pass), anything
   * else is JSON.stringify's literal written over the partial copy.
   */
  jsonString(s: string): void {
    const n = s.length;
    this.ensure(n + 2);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = 0x22;
    for (let k = 0; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        const literal = JSON.stringify(s);
        this.ensure(literal.length * 3);
        this.pos += encoder.encodeInto(literal, this.buf.subarray(this.pos)).written;
        return;
      }
      buf[pos++] = c;
    }
    buf[pos++] = 0x22;
    this.pos = pos;
  }

  /** Non-negative integer below 2^53 (below 2^31, the usual case, with int32 arithmetic). */
  uint(v: number): void {
    this.ensure(16);
    const buf = this.buf;
    if (v < 0x80000000) {
      let x = v | 0;
      let digits = 1;
      for (let t = x; t >= 10; t = (t / 10) | 0) digits++;
      let pos = this.pos + digits;
      this.pos = pos;
      do {
        const q = (x / 10) | 0;
        buf[--pos] = 0x30 + (x - q * 10);
        x = q;
      } while (x > 0);
      return;
    }
    let digits = 0;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) digits++;
    let pos = this.pos + digits;
    this.pos = pos;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) buf[--pos] = 0x30 + (x % 10);
  }

  /**
   * The decimal k / 10^dp in wire form (plain, trailing zeros trimmed, no "-0"), for an integer |k| < 2^53:
   * identical to scaledToWire(k, dp).
   */
  scaled(k: number, dp: number): void {
    this.ensure(40);
    if (k < 0) {
      this.buf[this.pos++] = 0x2d;
      k = -k;
    }
    const unit = POW10[dp] ?? 10 ** dp;
    let int = Math.floor(k / unit);
    let frac = k - int * unit;
    // k / unit may round up to the next integer; the remainder then comes out negative.
    if (frac < 0) {
      int -= 1;
      frac += unit;
    }
    this.uint(int);
    if (frac === 0) return;
    let width = dp;
    const buf = this.buf;
    buf[this.pos++] = 0x2e;
    if (frac < 0x80000000) {
      // 0 < frac < 10^dp < 2^31 (dp <= 9): int32 arithmetic.
      let f = frac | 0;
      for (let q = (f / 10) | 0; f === q * 10; q = (f / 10) | 0) {
        f = q;
        width--;
      }
      let pos = this.pos + width;
      this.pos = pos;
      for (let w = 0; w < width; w++) {
        const q = (f / 10) | 0;
        buf[--pos] = 0x30 + (f - q * 10);
        f = q;
      }
      return;
    }
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    let pos = this.pos + width;
    this.pos = pos;
    for (let w = 0; w < width; w++) {
      buf[--pos] = 0x30 + (frac % 10);
      frac = Math.floor(frac / 10);
    }
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.pos);
  }
}
