// Bot: audit a market's insurance fund from its append-only ledger. Walks every page (newest first, by cursor),
// then checks oldest to newest that sequences have no gaps, each balanceAfter is the running sum, and the last one is
// the fund's balance. Exact integer arithmetic on the asset's grid; exits 1 on any discrepancy.
//   npm run example examples/audit-fund.ts     env: ADL_BASE_URL, ADL_API_KEY, ADL_MARKET_ID (default BTC-USDT-PERP),
//   ADL_PAGE_SIZE (default 100)
import { AdlApiError, createAdlClient, unwrap, type Schemas } from "@adl/sdk";

const adl = createAdlClient({ baseUrl: process.env.ADL_BASE_URL ?? "http://127.0.0.1:8787", apiKey: process.env.ADL_API_KEY });
const marketId = process.env.ADL_MARKET_ID ?? "BTC-USDT-PERP";
const pageSize = Number(process.env.ADL_PAGE_SIZE ?? 100);

/** Decimal string -> integer count of the asset's smallest unit (amounts never have more places than the asset). */
function toUnits(value: string, decimals: number): bigint {
  const negative = value.startsWith("-");
  const [int = "0", frac = ""] = (negative ? value.slice(1) : value).split(".");
  if (frac.length > decimals) throw new Error(`${value} has more than ${decimals} decimal places`);
  const units = BigInt(int + frac.padEnd(decimals, "0"));
  return negative ? -units : units;
}
function fromUnits(units: bigint, decimals: number): string {
  const digits = (units < 0n ? -units : units).toString().padStart(decimals + 1, "0");
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${units < 0n ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

try {
  const path = { marketId };
  const config = await unwrap(adl.GET("/v1/markets/{marketId}", { params: { path } }));
  const fund = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund", { params: { path } }));

  const entries: Schemas["LedgerEntry"][] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await unwrap(adl.GET("/v1/markets/{marketId}/insurance-fund/ledger", { params: { path, query: { limit: pageSize, cursor } } }));
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  entries.reverse(); // oldest first

  const d = config.amountDecimals;
  const problems: string[] = [];
  const totals = new Map<string, bigint>();
  let running = 0n;
  for (const [i, e] of entries.entries()) {
    if (e.sequence !== i + 1) problems.push(`entry ${e.entryId}: sequence ${e.sequence}, expected ${i + 1}`);
    running += toUnits(e.amount, d);
    if (toUnits(e.balanceAfter, d) !== running) problems.push(`entry ${e.sequence}: balanceAfter ${e.balanceAfter}, running sum ${fromUnits(running, d)}`);
    totals.set(e.kind, (totals.get(e.kind) ?? 0n) + toUnits(e.amount, d));
  }
  if (running !== toUnits(fund.balance, d)) problems.push(`fund balance ${fund.balance} != sum of the ledger ${fromUnits(running, d)}`);
  if (entries.length !== fund.ledgerEntries) problems.push(`fund reports ${fund.ledgerEntries} entries, ledger has ${entries.length}`);

  console.log(`market ${marketId} (${config.contractType}, settles in ${config.settlementAsset}, config v${config.version})`);
  console.log(`fund balance ${fund.balance} ${fund.asset}, floor ${fund.floor}, ADL ${fund.adlActive ? "ON" : "off"}`);
  console.log(`ledger: ${entries.length} entries in ${pages} page(s)`);
  for (const [kind, sum] of [...totals].sort()) console.log(`  ${kind.padEnd(20)} ${fromUnits(sum, d).padStart(20)}`);
  if (problems.length > 0) {
    console.log(`AUDIT FAILED: ${problems.length} discrepancies`);
    for (const p of problems) console.log(`  ${p}`);
    process.exit(1);
  }
  console.log("AUDIT OK: sequences contiguous, every balanceAfter is the running sum, the sum is the balance");
} catch (error) {
  if (error instanceof AdlApiError) {
    console.error(`audit refused: ${error.status} ${error.code}: ${error.problem.detail ?? ""} (request ${error.requestId})`);
    process.exit(1);
  }
  throw error;
}
