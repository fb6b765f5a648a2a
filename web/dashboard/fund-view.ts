/**
 * Markets and fund: the tenant's markets (GET /v1/markets), per market the fund's balance over time from
 * GET .../insurance-fund/history with liquidation markers (GET .../liquidations), the selected liquidation's
 * waterfall (GET .../liquidations/{id}), the ADL alert state (GET .../adl-alert), and the ledger with filters and a
 * CSV download (GET .../insurance-fund/ledger, Accept: text/csv).
 */
import { enc, getCsv, getJson } from "./api";
import { requireOperation, serves } from "./capabilities";
import { COLOURS, draw, utcLabel } from "./charts";
import { byId, fillList, fillTable, say } from "./dom";

interface Market { marketId: string; settlementAsset: string }
interface MarketList { markets: Market[]; nextCursor: string | null }
interface Bucket { start: string; open: string; high: string; low: string; close: string; netFlow: string; entries: number }
interface History { buckets: Bucket[]; asset: string }
interface Liquidation {
  liquidationId: string;
  createdAt: string;
  bankruptcyPrice: string;
  executions: { quantity: string; fundDelta: string }[];
  fund: { balanceAfter: string; drawn: string; credited: string };
  adl: { filledQuantity: string; transferred: string };
  socializedLoss: string;
  unfilledQuantity: string;
  returnedToAccount: string;
  conservation: { bankruptLoss: string };
}
/** An item of GET .../liquidations: the summary; the whole waterfall is GET .../liquidations/{id}. */
interface LiquidationSummary { liquidationId: string; createdAt: string; bankruptcyPrice: string; fund: { drawn: string; balanceAfter: string }; adlQuantity: string }
interface LiquidationPage { liquidations: LiquidationSummary[]; nextCursor: string | null }
interface LedgerEntry { sequence: number; createdAt: string; kind: string; amount: string; balanceAfter: string; reference: string | null }
interface LedgerPage { entries: LedgerEntry[]; nextCursor: string | null }
interface AdlAlert {
  adlActive: boolean; since: string | null; balance: string; peakBalance: string; drawdownRatio: string | null;
  triggerRatio: string | null; stopRatio: string | null; floor: string; rule: string; triggerBalance?: string; stopBalance?: string;
  effectiveFloor?: string; drawCapacity?: string; asOf?: string;
}

export const LEDGER_KINDS = ["deposit", "withdrawal", "liquidation_credit", "liquidation_draw"];

const message = () => byId("fund-message");
let marketsCursor: string | null = null;
let ledgerCursor: string | null = null;
let liquidationsCursor: string | null = null;
let liquidations: LiquidationSummary[] = [];

const marketId = () => byId<HTMLSelectElement>("market").value;
const base = () => `/v1/markets/${enc(marketId())}`;

export async function loadMarkets(reset = true) {
  const select = byId<HTMLSelectElement>("market");
  if (reset) {
    select.replaceChildren();
    marketsCursor = null;
  }
  await requireOperation("GET /v1/markets");
  const page = await getJson<MarketList>("/v1/markets", { cursor: marketsCursor ?? undefined, limit: "100" });
  for (const m of page.markets) select.append(new Option(`${m.marketId} (${m.settlementAsset})`, m.marketId));
  marketsCursor = page.nextCursor;
  byId("markets-more").hidden = !page.nextCursor;
  if (!select.options.length) {
    say(message(), "No markets yet for this key's tenant: create one with PUT /v1/markets/{marketId} (see /docs).");
    return;
  }
  if (reset) await loadMarket();
}

export async function loadMarket() {
  if (!marketId()) return;
  say(message(), `Loading ${marketId()}...`);
  const results = await Promise.allSettled([loadChart(), loadAlert(), loadLedger(true)]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => String(r.reason?.message ?? r.reason));
  say(message(), failed.length ? failed.join(" | ") : `${marketId()}: ${liquidations.length} liquidation(s) shown`, failed.length > 0);
}

async function loadChart() {
  const interval = byId<HTMLSelectElement>("interval").value;
  const listed = await serves("GET /v1/markets/{marketId}/liquidations");
  const [history, page] = await Promise.all([
    requireOperation("GET /v1/markets/{marketId}/insurance-fund/history").then(() => getJson<History>(`${base()}/insurance-fund/history`, { interval })),
    listed ? getJson<LiquidationPage>(`${base()}/liquidations`, { limit: "100" }) : Promise.resolve({ liquidations: [], nextCursor: null }),
  ]);
  liquidations = page.liquidations;
  liquidationsCursor = page.nextCursor;
  renderLiquidations();
  const points = history.buckets.map((b) => ({ x: Date.parse(b.start), y: Number(b.close) }));
  const markers = liquidations.map((l) => ({ x: Date.parse(l.createdAt), y: Number(l.fund.balanceAfter) }));
  const last = history.buckets.at(-1);
  draw(
    "fund",
    byId<HTMLCanvasElement>("fund-chart"),
    {
      type: "line",
      data: {
        datasets: [
          { label: `Balance (${history.asset}), close per ${interval}`, data: points, borderColor: COLOURS.blue, backgroundColor: COLOURS.blue, pointRadius: points.length > 200 ? 0 : 2, stepped: false },
          { type: "scatter", label: "Liquidation (fund after)", data: markers, borderColor: COLOURS.red, backgroundColor: COLOURS.red, pointStyle: "triangle", pointRadius: 7 },
        ],
      },
      options: {
        parsing: false,
        scales: { x: { type: "linear", ticks: { callback: (v) => utcLabel(Number(v)), maxTicksLimit: 8 } }, y: { title: { display: true, text: history.asset } } },
        onClick: (_e, elements) => {
          const hit = elements.find((el) => el.datasetIndex === 1);
          const liq = hit ? liquidations[hit.index] : undefined;
          if (liq) void showWaterfall(liq.liquidationId);
        },
      },
    },
    `Fund balance of ${marketId()}: ${points.length} buckets, last close ${last?.close ?? "none"} ${history.asset}; ${markers.length} liquidation markers`,
  );
}

function renderLiquidations() {
  const rows = liquidations.map((l) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Show";
    button.setAttribute("aria-label", `Show the waterfall of liquidation ${l.liquidationId}`);
    button.addEventListener("click", () => void showWaterfall(l.liquidationId));
    return [utcLabel(Date.parse(l.createdAt)), l.bankruptcyPrice, l.fund.drawn, l.fund.balanceAfter, l.adlQuantity, button];
  });
  fillTable(byId<HTMLTableElement>("liquidations").tBodies[0] as HTMLTableSectionElement, rows, [1, 2, 3, 4]);
  byId("liquidations-more").hidden = !liquidationsCursor;
}

async function moreLiquidations() {
  if (!liquidationsCursor) return;
  const page = await getJson<LiquidationPage>(`${base()}/liquidations`, { limit: "100", cursor: liquidationsCursor });
  liquidations = [...liquidations, ...page.liquidations];
  liquidationsCursor = page.nextCursor;
  renderLiquidations();
}

/**
 * One stacked bar of the position's size by who closed it: "market" (executions the fund did not pay for),
 * "fund" (executions at a loss the fund paid), "ADL" (filled against the opposite side), "socialised" (what nobody
 * filled). In contracts, so the four parts add up to the liquidated size exactly.
 */
export function waterfallParts(l: Liquidation): { market: number; fund: number; adl: number; socialised: number } {
  let market = 0;
  let fund = 0;
  for (const e of l.executions) {
    if (Number(e.fundDelta) < 0) fund += Number(e.quantity);
    else market += Number(e.quantity);
  }
  return { market, fund, adl: Number(l.adl.filledQuantity), socialised: Number(l.unfilledQuantity) };
}

export async function showWaterfall(liquidationId: string) {
  await requireOperation("GET /v1/markets/{marketId}/liquidations/{liquidationId}");
  const l = await getJson<Liquidation>(`${base()}/liquidations/${enc(liquidationId)}`);
  const parts = waterfallParts(l);
  const segments: [string, number, string][] = [
    ["Market", parts.market, COLOURS.green],
    ["Fund", parts.fund, COLOURS.blue],
    ["ADL", parts.adl, COLOURS.orange],
    ["Socialised", parts.socialised, COLOURS.red],
  ];
  draw(
    "waterfall",
    byId<HTMLCanvasElement>("waterfall-chart"),
    {
      type: "bar",
      data: { labels: ["contracts"], datasets: segments.map(([label, value, colour]) => ({ label, data: [value], backgroundColor: colour })) },
      options: { indexAxis: "y", scales: { x: { stacked: true }, y: { stacked: true } } },
    },
    `Waterfall of ${l.liquidationId}: ${segments.map(([label, value]) => `${label} ${value}`).join(", ")} contracts`,
  );
  byId("waterfall-title").textContent = `Waterfall of liquidation ${l.liquidationId} (contracts)`;
  fillList(byId("waterfall-figures"), [
    ["Bankruptcy price", l.bankruptcyPrice],
    ["Bankrupt loss", l.conservation.bankruptLoss],
    ["Fund drawn", l.fund.drawn],
    ["Fund credited", l.fund.credited],
    ["ADL transferred", l.adl.transferred],
    ["Socialised loss", l.socializedLoss],
    ["Returned to account", l.returnedToAccount],
  ]);
}

async function loadAlert() {
  await requireOperation("GET /v1/markets/{marketId}/adl-alert");
  const a = await getJson<AdlAlert>(`${base()}/adl-alert`);
  const badge = byId("alert-state");
  badge.textContent = a.adlActive ? "ADL active" : "ADL off";
  badge.className = `badge ${a.adlActive ? "on" : "off"}`;
  const items: [string, string | null | undefined][] = [
    ["Rule", a.rule],
    ["Since", a.since],
    ["Balance", a.balance],
    ["Peak balance", a.peakBalance],
    ["Drawdown ratio", a.drawdownRatio],
    ["Trigger ratio", a.triggerRatio],
    ["Stop ratio", a.stopRatio],
    ["Floor", a.floor],
    ["Trigger balance", a.triggerBalance],
    ["Stop balance", a.stopBalance],
    ["Effective floor", a.effectiveFloor],
    ["Draw capacity", a.drawCapacity],
  ];
  fillList(byId("alert"), items.map(([k, v]) => [k, v ?? "-"]));
}

/** datetime-local values are read as UTC (the page says so) and sent as ISO 8601 with Z. */
function ledgerQuery(): Record<string, string | undefined> {
  const iso = (v: string) => (v ? `${v.length === 16 ? `${v}:00` : v}Z` : undefined);
  return {
    kind: byId<HTMLSelectElement>("ledger-kind").value || undefined,
    from: iso(byId<HTMLInputElement>("ledger-from").value),
    to: iso(byId<HTMLInputElement>("ledger-to").value),
  };
}

async function loadLedger(reset: boolean) {
  if (reset) ledgerCursor = null;
  const page = await getJson<LedgerPage>(`${base()}/insurance-fund/ledger`, { ...ledgerQuery(), limit: "50", cursor: ledgerCursor ?? undefined });
  const tbody = byId<HTMLTableElement>("ledger").tBodies[0] as HTMLTableSectionElement;
  const rows = page.entries.map((e) => [String(e.sequence), utcLabel(Date.parse(e.createdAt)), e.kind, e.amount, e.balanceAfter, e.reference ?? ""]);
  if (reset) fillTable(tbody, rows, [0, 3, 4]);
  else {
    const extra = document.createElement("tbody");
    fillTable(extra, rows, [0, 3, 4]);
    tbody.append(...extra.children);
  }
  ledgerCursor = page.nextCursor;
  byId("ledger-more").hidden = !page.nextCursor;
}

async function downloadCsv() {
  const blob = await getCsv(`${base()}/insurance-fund/ledger`, ledgerQuery());
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${marketId()}-ledger.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const report = (p: Promise<unknown>) => p.catch((e: Error) => say(message(), e.message, true));

export function wireFundView() {
  const kinds = byId<HTMLSelectElement>("ledger-kind");
  for (const k of LEDGER_KINDS) kinds.append(new Option(k, k));
  byId("market").addEventListener("change", () => void report(loadMarket()));
  byId("interval").addEventListener("change", () => void report(loadChart()));
  byId("fund-refresh").addEventListener("click", () => void report(loadMarket()));
  byId("markets-more").addEventListener("click", () => void report(loadMarkets(false)));
  byId("liquidations-more").addEventListener("click", () => void report(moreLiquidations()));
  byId("ledger-more").addEventListener("click", () => void report(loadLedger(false)));
  byId("ledger-filters").addEventListener("submit", (e) => {
    e.preventDefault();
    void report(loadLedger(true));
  });
  byId("ledger-csv").addEventListener("click", () => void report(downloadCsv()));
}

export const reportFund = report;
