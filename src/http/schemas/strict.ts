/**
 * Strict input: a request member the service does not know is refused by name, never silently dropped. A misspelt
 * optional field (`fundFlor`, `pricerule`) would otherwise be ignored and the request computed with the default,
 * which for a fund configuration is a way to lose money.
 *
 * Every request-body object is built with `strictObject` (the OpenAPI document then says `additionalProperties:
 * false`; test/node/openapi-strict.test.ts fails for any operation whose request body has an object that is not).
 * Unknown query parameters are refused by src/http/middleware/strict-query.ts against each route's query schema.
 * validation.ts turns zod's one `unrecognized_keys` issue per object into one `unrecognized_key` error per member,
 * with a suggestion when a known name is close.
 */
import { z } from "@hono/zod-openapi";

/** The stable `errors[].code` of an unknown body member or query parameter. */
export const UNRECOGNIZED_KEY = "unrecognized_key";

interface RawIssueLike {
  code?: string;
  inst?: unknown;
  known?: readonly string[];
}

/**
 * zod calls this for the object's own issues while it finalizes them, with the schema that raised the issue as
 * `inst`. For an unknown member it records the object's declared names on the issue (zod copies the issue's own
 * fields into the reported one), read from the raising schema's shape so `.extend()` stays right. Returning
 * undefined keeps zod's message.
 */
function recordKnownMembers(issue: RawIssueLike): undefined {
  if (issue.code !== "unrecognized_keys") return undefined;
  const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  if (shape) issue.known = Object.keys(shape);
  return undefined;
}

/** An object schema that refuses unknown members (use it for every request-body object). */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, { error: recordKnownMembers as (issue: unknown) => undefined });
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), small inputs only. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/** Names longer than this are not compared (a 10 kB key must not cost a 10 kB x 20 table). */
const MAX_COMPARED_LENGTH = 64;

/**
 * The known name closest to `name` when it is close enough to be a slip: the same letters in another case, or one
 * edit per four characters of the longer name (at most 3; so none for names under four characters). Ties go to the first declared name, so the answer is stable.
 */
export function closestMember(name: string, known: readonly string[]): string | undefined {
  if (name.length > MAX_COMPARED_LENGTH) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (candidate === name) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    const allowed = Math.min(3, Math.floor(Math.max(name.length, candidate.length) / 4));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** The `detail` of an unknown member: what was refused, and the likely intended name or the names it takes. */
export function unknownMemberDetail(name: string, known: readonly string[] | undefined, what = "member"): string {
  const shown = JSON.stringify(name.length > MAX_COMPARED_LENGTH ? `${name.slice(0, MAX_COMPARED_LENGTH)}...` : name);
  if (!known) return `unknown ${what} ${shown}`;
  const close = closestMember(name, known);
  if (close !== undefined) return `unknown ${what} ${shown}: did you mean ${close}?`;
  return known.length === 0 ? `unknown ${what} ${shown}: none are accepted here` : `unknown ${what} ${shown}: expected one of ${known.join(", ")}`;
}
