import { z } from "@hono/zod-openapi";
import { DECIMAL_MAX_LENGTH, EDGE_DECIMAL_RE, EDGE_NON_NEGATIVE_RE, EDGE_POSITIVE_RE, UNSIGNED_DECIMAL_MAX_LENGTH } from "../../domain/num/decimal-syntax";
import { MAX_ACCOUNT_ID_LENGTH } from "../../domain/parsed-position";
import { SIDES } from "../../domain/vocabulary";

/**
 * Decimal strings exactly as exchanges send them: no exponent notation, no leading '+', no leading zeros, at most
 * 40 integer and 40 fraction digits. JSON numbers are refused because they lose exactness in most JSON parsers. The
 * patterns and length bounds are the wire rule of src/domain/num/decimal-syntax.ts, which also says how it differs
 * from what the domain's parseDecimal accepts.
 */
/** accountId: 1-128 printable ASCII characters, no spaces. */
export const ACCOUNT_ID_RE = /^[\x21-\x7E]+$/;
const DECIMAL = EDGE_DECIMAL_RE;
const POSITIVE = EDGE_POSITIVE_RE;
const NON_NEGATIVE = EDGE_NON_NEGATIVE_RE;

const decimalMessage = (what: string) => `must be a ${what} decimal string such as "1234.5" (no exponent notation, no JSON number)`;

/**
 * The longest decimal strings accepted (decimal-syntax.ts) are enforced and published as maxLength beside the
 * pattern so generated clients and fuzzers know the format. test/node/openapi-patterns.test.ts checks that the
 * published pattern and bound accept exactly what the validator accepts.
 */
const published = (re: RegExp, maxLength: number) => ({ type: "string" as const, pattern: re.source, maxLength });

export const DecimalString = z.string().max(DECIMAL_MAX_LENGTH).regex(DECIMAL, decimalMessage("signed")).openapi({ ...published(DECIMAL, DECIMAL_MAX_LENGTH), example: "-12.5", description: "Signed decimal string" });
export const PositiveDecimal = z.string().max(UNSIGNED_DECIMAL_MAX_LENGTH).regex(POSITIVE, decimalMessage("positive")).openapi({ ...published(POSITIVE, UNSIGNED_DECIMAL_MAX_LENGTH), example: "1.5", description: "Positive decimal string" });
export const NonNegativeDecimal = z.string().max(UNSIGNED_DECIMAL_MAX_LENGTH).regex(NON_NEGATIVE, decimalMessage("non-negative")).openapi({ ...published(NON_NEGATIVE, UNSIGNED_DECIMAL_MAX_LENGTH), example: "0", description: "Non-negative decimal string" });

export const AccountId = z
  .string()
  .min(1)
  .max(MAX_ACCOUNT_ID_LENGTH)
  .regex(ACCOUNT_ID_RE, "must be 1-128 printable ASCII characters without spaces")
  .openapi({ example: "acct-1001" });

export const Side = z.enum(SIDES).openapi({ example: "long" });

export const Problem = z
  .object({
    type: z.string().openapi({ example: "/problems/validation-error" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ pointer: z.string().openapi({ example: "/positions/0/size" }), code: z.string(), detail: z.string() }))
      .optional(),
  })
  .openapi("Problem");

/** Standard error responses shared by routes (each is problem+json). */
export function problemResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: "Malformed JSON or bad request",
    401: "Missing or invalid credentials",
    403: "Credentials lack the required scope",
    404: "Not found",
    409: "Conflict (e.g. idempotency key reused with a different body)",
    413: "Body or batch too large",
    415: "Content-Type is not application/json",
    422: "Validation failed: `errors` names each bad field by JSON pointer",
    429: "Rate limited; see Retry-After",
    503: "A dependency could not be reached (e.g. the DNS resolver); nothing changed, retry later",
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s] ?? "Error", content: { "application/problem+json": { schema: Problem } } }]),
  );
}
