/**
 * GET /v1/markets/{marketId}/insurance-fund/ledger: the fund's ledger, newest first, filtered by kind and time, as
 * cursor-paginated JSON or (Accept: text/csv) a streamed CSV export. The export pages through the market object
 * inside the response stream, EXPORT_PAGE entries per call, so neither the Worker nor the object ever holds the
 * whole ledger; it is a consistent snapshot (entries booked after it started have higher sequences and are not in it).
 */
import { createRoute, type OpenAPIHono, type z } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import type { LedgerFilter, LedgerKind, LedgerPage as LedgerPageValue } from "../../durable-objects/fund-rpc";
import type { AppEnv } from "../../env";
import { LEDGER_CSV_HEADER, ledgerCsvRow, wantsCsv } from "../csv";
import { requires } from "../middleware/auth";
import { problemResponses } from "../schemas/common";
import { LedgerPage, MarketIdParam } from "../schemas/fund";
import { LedgerQuery, ledgerCsvExample } from "../schemas/reads";
import { fundStub, unwrap } from "./fund-shared";

/** Entries per call into the market object while exporting: large enough to amortise the call, small in memory. */
export const EXPORT_PAGE = 2_000;

export const ledgerRoute = createRoute({
  method: "get",
  path: "/v1/markets/{marketId}/insurance-fund/ledger",
  operationId: "listInsuranceFundLedger",
  tags: ["Insurance fund"],
  security: requires("fund:read"),
  summary: "Ledger entries, newest first, filtered by kind and time; JSON pages or a streamed CSV export",
  description:
    "Append-only: the balance always equals the sum of all amounts, and each balanceAfter the running sum. `kind` keeps the named kinds (comma-separated), `from` (inclusive) and `to` (exclusive) bound createdAt. With `Accept: text/csv` the response is every matching entry (from `cursor` on, if given; `limit` pages only the JSON form) as RFC 4180 CSV with a header row, streamed.",
  request: { params: MarketIdParam, query: LedgerQuery },
  responses: {
    // Only JSON is declared as a content type: a second one would turn every SDK caller's result type into a union.
    // The CSV form is documented in the description with its example.
    200: { description: `A page of entries; with Accept: text/csv the export, e.g.\n\n\`\`\`\n${ledgerCsvExample}\`\`\``, content: { "application/json": { schema: LedgerPage } } },
    ...problemResponses(401, 403, 404, 422, 429),
  },
});

export function registerLedger(app: OpenAPIHono<AppEnv>) {
  app.openapi(ledgerRoute, async (c) => {
    const { marketId } = c.req.valid("param");
    const q = c.req.valid("query");
    const filter: LedgerFilter = {
      ...(q.kind ? { kinds: [...new Set(q.kind.split(","))] as LedgerKind[] } : {}),
      ...(q.from ? { fromMs: Date.parse(q.from) } : {}),
      ...(q.to ? { toMs: Date.parse(q.to) } : {}),
    };
    const stub = fundStub(c, marketId);
    const before = q.cursor === undefined ? null : Number(q.cursor);
    if (!wantsCsv(c.req.header("accept"))) return c.json(unwrap(await stub.ledger(before, q.limit, filter)), 200);

    // The first page is read before answering, so a missing market is still a 404 problem, not a broken stream.
    let page: LedgerPageValue | null = unwrap(await stub.ledger(before, EXPORT_PAGE, filter));
    const encoder = new TextEncoder();
    let header = true;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!page) return controller.close();
        let text = header ? LEDGER_CSV_HEADER : "";
        header = false;
        for (const e of page.entries) text += ledgerCsvRow(e);
        controller.enqueue(encoder.encode(text));
        page = page.nextCursor === null ? null : unwrap(await stub.ledger(Number(page.nextCursor), EXPORT_PAGE, filter));
        if (!page) controller.close();
      },
    });
    const csvResponse = c.body(body, 200, {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${marketId}-ledger.csv"`,
      "cache-control": "no-store",
    });
    return csvResponse as unknown as TypedResponse<z.infer<typeof LedgerPage>, 200, "json">;
  });
}
