/**
 * Policies: one event compared under every ADL policy (POST /v1/adl/policies/compare, detail full): the
 * distribution of haircuts (given / uPnL of each touched account) per policy, and the fairness metrics (Gini,
 * overshoot, largest haircut, accounts and principal touched).
 */
import { postJson } from "./api";
import { draw, SERIES } from "./charts";
import { byId, fillTable, say, wireUpload } from "./dom";

interface Account { accountId: string; haircutOfPnl: string | null }
interface Outcome {
  policy: string;
  filledQuantity: string;
  unfilledQuantity: string;
  metrics: { gini: string; overshoot: string; maxHaircutOfPnl: string | null; accountsTouched: number; principalTouched: number };
  accounts?: Account[];
}
interface Comparison { neededBudget: string; results: Outcome[] }

export const POLICIES_EXAMPLE = {
  market: { contractType: "linear", contractSize: "1", lotSize: "1", tickSize: "0.5" },
  markPrice: "10100",
  priceRule: "bankruptcy",
  liquidated: [{ side: "short", size: "40", bankruptcyPrice: "10050" }],
  counterparties: Array.from({ length: 16 }, (_, i) => ({
    accountId: `long-${String(i + 1).padStart(2, "0")}`,
    side: "long",
    size: String(3 + (i % 6) * 2),
    entryPrice: String(8000 + 180 * i),
    margin: String(1500 + 900 * (i % 5)),
  })),
  detail: "full",
};

/** Haircut bins as a share of PnL: 0-10%, ..., 90-100%, and over 100% (principal touched). */
export const HAIRCUT_BINS = ["0-10%", "10-20%", "20-30%", "30-40%", "40-50%", "50-60%", "60-70%", "70-80%", "80-90%", "90-100%", ">100%"];

export function haircutHistogram(accounts: Account[]): number[] {
  const counts = HAIRCUT_BINS.map(() => 0);
  for (const a of accounts) {
    if (a.haircutOfPnl === null) continue;
    const h = Number(a.haircutOfPnl);
    const bin = h > 1 ? 10 : Math.min(9, Math.floor(h * 10));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts;
}

async function compare() {
  const message = byId("policies-message");
  say(message, "Comparing...");
  const c = await postJson<Comparison>("/v1/adl/policies/compare", byId<HTMLTextAreaElement>("policies-body").value);
  draw(
    "policies",
    byId<HTMLCanvasElement>("policies-chart"),
    {
      type: "bar",
      data: {
        labels: HAIRCUT_BINS,
        datasets: c.results.map((r, i) => ({ label: r.policy, data: haircutHistogram(r.accounts ?? []), backgroundColor: SERIES[i % SERIES.length] })),
      },
      options: { scales: { x: { title: { display: true, text: "haircut (given / uPnL)" } }, y: { title: { display: true, text: "accounts" }, beginAtZero: true, ticks: { precision: 0 } } } },
    },
    `Haircut distribution of ${c.results.length} policies: ${c.results.map((r) => `${r.policy} Gini ${r.metrics.gini}`).join("; ")}`,
  );
  fillTable(
    byId<HTMLTableElement>("policies-metrics").tBodies[0] as HTMLTableSectionElement,
    c.results.map((r) => [r.policy, r.filledQuantity, r.unfilledQuantity, r.metrics.gini, r.metrics.overshoot, r.metrics.maxHaircutOfPnl ?? "-", String(r.metrics.accountsTouched), String(r.metrics.principalTouched)]),
    [1, 2, 3, 4, 5, 6, 7],
  );
  say(message, `${c.results.length} policies compared; needed budget ${c.neededBudget}`);
}

export function wirePoliciesView() {
  const body = byId<HTMLTextAreaElement>("policies-body");
  body.value = JSON.stringify(POLICIES_EXAMPLE, null, 2);
  wireUpload(byId<HTMLInputElement>("policies-file"), body);
  byId("policies-example").addEventListener("click", () => (body.value = JSON.stringify(POLICIES_EXAMPLE, null, 2)));
  byId("policies-form").addEventListener("submit", (e) => {
    e.preventDefault();
    compare().catch((err: Error) => say(byId("policies-message"), err.message, true));
  });
}
