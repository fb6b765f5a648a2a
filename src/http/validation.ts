import type { Context } from "hono";
import type { FieldError } from "./problem";
import { problemResponse } from "./problem";

interface IssueLike {
  path: PropertyKey[];
  code: string;
  message: string;
  origin?: string;
  maximum?: number | bigint;
}

/** RFC 6901 pointer for a zod path (`~` and `/` escaped). */
export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

export function issuesToFieldErrors(issues: readonly IssueLike[], prefix = ""): FieldError[] {
  return issues.map((i) => ({ pointer: prefix + toPointer(i.path), code: i.code, detail: i.message }));
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
