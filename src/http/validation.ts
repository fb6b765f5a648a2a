import type { Context } from "hono";
import type { FieldError } from "./problem";
import { problemResponse } from "./problem";
import { UNRECOGNIZED_KEY, unknownMemberDetail } from "./schemas/strict";

interface IssueLike {
  path: PropertyKey[];
  code: string;
  message: string;
  origin?: string;
  maximum?: number | bigint;
  /** unrecognized_keys: the unknown names. */
  keys?: string[];
  /** unrecognized_keys from a strictObject: the declared names (schemas/strict.ts). */
  known?: string[];
  /** invalid_union: each branch's issues, paths relative to the union. */
  errors?: IssueLike[][];
}

/** RFC 6901 pointer for a zod path (`~` and `/` escaped). */
export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

/**
 * A union none of whose branches matched, when some branch failed only on unknown members: the caller sent that
 * branch with extra names, so name them (fewest first) rather than the bare "Invalid input" of the union.
 */
function unknownMembersOnlyBranch(issue: IssueLike): IssueLike[] | undefined {
  if (issue.code !== "invalid_union" || !issue.errors) return undefined;
  let best: IssueLike[] | undefined;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const branch of issue.errors) {
    if (branch.length === 0 || !branch.every((i) => i.code === "unrecognized_keys")) continue;
    const count = branch.reduce((n, i) => n + (i.keys?.length ?? 0), 0);
    if (count < bestCount) {
      best = branch;
      bestCount = count;
    }
  }
  return best?.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
}

/** Each issue as field errors; an object's unknown members become one `unrecognized_key` error each. */
export function issuesToFieldErrors(issues: readonly IssueLike[], prefix = ""): FieldError[] {
  const out: FieldError[] = [];
  for (const i of issues) {
    const branch = unknownMembersOnlyBranch(i);
    if (branch) {
      out.push(...issuesToFieldErrors(branch, prefix));
    } else if (i.code === "unrecognized_keys" && i.keys) {
      for (const key of i.keys) out.push({ pointer: prefix + toPointer([...i.path, key]), code: UNRECOGNIZED_KEY, detail: unknownMemberDetail(key, i.known) });
    } else {
      out.push({ pointer: prefix + toPointer(i.path), code: i.code, detail: i.message });
    }
  }
  return out;
}

/** The single hook every route's zod validator uses: one problem+json 422 listing every bad field. */
export function validationHook(result: { success: boolean; error?: { issues: IssueLike[] }; target?: string }, c: Context) {
  if (result.success || !result.error) return undefined;
  const prefix = result.target && result.target !== "json" ? `#${result.target}` : "";
  // A batch over the documented maximum is "too large" (413), not "invalid": the caller must split it.
  const tooBig = result.error.issues.filter((i) => i.code === "too_big" && i.origin === "array" && i.path.length === 1);
  if (tooBig.length > 0) {
    const errors = issuesToFieldErrors(tooBig, prefix);
    return problemResponse(c, "payload-too-large", `Batch exceeds the maximum of ${String(tooBig[0]!.maximum)} items per request; split it`, errors, { maxItems: Number(tooBig[0]!.maximum) });
  }
  const errors = issuesToFieldErrors(result.error.issues, prefix);
  return problemResponse(c, "validation-error", `${errors.length} invalid field(s)`, errors);
}
