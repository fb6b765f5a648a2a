import type { Context } from "hono";
import type { FieldError } from "./problem";
import { problemResponse } from "./problem";

interface IssueLike {
  path: PropertyKey[];
  code: string;
  message: string;
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
  const errors = issuesToFieldErrors(result.error.issues, prefix);
  return problemResponse(c, "validation-error", `${errors.length} invalid field(s)`, errors);
}
