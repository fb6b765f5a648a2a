/**
 * Stress: start a run of the stress lab (POST /v1/simulations, with an Idempotency-Key), a progress bar while it runs
 * (GET /v1/simulations/{id}, polled), then the fund over all paths as a fan chart (per step the 5/25/50/75/95th
 * percentiles of the fund balance across paths, nearest rank) and one path drilled down: mark, fund balance, ADL
 * quantity and liquidations per step. The per-step series come from the run itself (`output.steps`).
 */
import { enc, getJson, postJsonWithKey } from "./api";
import { requireOperation } from "./capabilities";
import { COLOURS, draw } from "./charts";
import { byId, fillTable, say, wireUpload } from "./dom";

interface Step { mark: string; fundBalance: string; adlQuantity: string; liquidations: number; socializedLoss: string }
interface PathDetail { path: number; fundNeeded: string | null; steps?: Step[] }
interface Summary { paths: number; fundNeeded: string | null; fundNeededQuantiles: { p50: string | null; p95: string | null; p99: string | null }; adlProbability: string; adlQuantity: string; socializedLoss: string; cascadeAmplification: string | null; fundMin: string; maxHaircutOfPnl: string | null; maxHaircutOfEquity: string | null; haircutGini: string | null }
interface PolicyResult { policy: string; summary: Summary; paths?: PathDetail[] }
interface Run { simulationId: string; status: "queued" | "running" | "succeeded" | "failed"; progress: { done: number; total: number }; error?: { detail?: string }; result?: { paths: number; steps: number; policies: PolicyResult[] } }

/**
 * A book of 60 accounts around a 10,000 mark, 100 GBM paths of 40 steps drifting down (long enough to watch the
 * progress), and a fund near the median need: about half the paths reach ADL.
 */
export const STRESS_EXAMPLE = {
  market: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.5" },
  markPrice: "10000",
  positions: Array.from({ length: 60 }, (_, i) => {
    const long = i % 2 === 0;
    return {
      accountId: `${long ? "long" : "short"}-${String(i + 1).padStart(2, "0")}`,
      side: long ? "long" : "short",
      size: String(1 + (i % 4)),
      entryPrice: String(long ? 9600 + 20 * i : 10400 - 20 * i),
      margin: String(long ? 400 + 60 * (i % 9) : 2500 + 100 * (i % 5)),
    };
  }),
  fund: { balance: "10000" },
  liquidation: { maintenanceMarginRate: "0.01" },
  scenario: { model: "gbm", paths: 100, steps: 40, seed: 42, sigma: "0.01", drift: "-0.002" },
  impact: { model: "linear", lambda: "5" },
  policies: ["queue:bitmex", "pro-rata"],
  output: { steps: true },
};

export const FAN_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Nearest-rank quantile (the smallest value with at least q of the values at or below it), as the API's summaries. */
export function nearestRank(sorted: readonly number[], q: number): number {
  const i = Math.max(0, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.min(i, sorted.length - 1)] ?? Number.NaN;
}

/** Per step, the fan's quantiles of the fund balance across paths: bands[k][t] for FAN_QUANTILES[k]. */
export function fundFan(paths: readonly PathDetail[]): number[][] {
  const steps = Math.max(0, ...paths.map((p) => p.steps?.length ?? 0));
  const bands = FAN_QUANTILES.map(() => [] as number[]);
  for (let t = 0; t < steps; t++) {
    const values = paths.flatMap((p) => {
      const step = p.steps?.[t];
      return step ? [Number(step.fundBalance)] : [];
    }).sort((a, b) => a - b);
    FAN_QUANTILES.forEach((q, k) => bands[k]!.push(nearestRank(values, q)));
  }
  return bands;
}

let current: Run | null = null;
let polling = 0;

const message = () => byId("stress-message");
const policySelect = () => byId<HTMLSelectElement>("stress-policy");
const selectedPolicy = () => current?.result?.policies.find((p) => p.policy === policySelect().value) ?? current?.result?.policies[0];

function showProgress(run: Run) {
  const bar = byId<HTMLProgressElement>("stress-progress");
  bar.max = Math.max(1, run.progress.total);
  bar.value = run.progress.done;
  byId("stress-progress-text").textContent = `${run.progress.done} / ${run.progress.total} paths (${run.status})`;
  byId("stress-run").textContent = run.simulationId;
}

async function start() {
  const body = JSON.parse(byId<HTMLTextAreaElement>("stress-body").value) as unknown;
  await requireOperation("POST /v1/simulations");
  say(message(), "Starting...");
  const run = await postJsonWithKey<Run>("/v1/simulations", body);
  const token = ++polling;
  await follow(run, token);
}

/** Polls until the run ends (at most every 500 ms); a newer start stops an older poll. */
async function follow(first: Run, token: number) {
  let run = first;
  for (;;) {
    current = run;
    showProgress(run);
    if (run.status === "succeeded" || run.status === "failed") break;
    say(message(), `Run ${run.simulationId} ${run.status}...`);
    await new Promise((r) => setTimeout(r, 500));
    if (token !== polling) return;
    run = await getJson<Run>(`/v1/simulations/${enc(run.simulationId)}`);
  }
  if (run.status === "failed") return say(message(), `Run ${run.simulationId} failed: ${run.error?.detail ?? "see GET /v1/simulations/{id}"}`, true);
  const policies = run.result?.policies ?? [];
  policySelect().replaceChildren(...policies.map((p) => new Option(p.policy, p.policy)));
  byId<HTMLInputElement>("stress-path").max = String(Math.max(0, (policies[0]?.paths?.length ?? 1) - 1));
  renderSummary(policies);
  renderFan();
  renderPath();
  say(message(), `Run ${run.simulationId} succeeded: ${run.result?.paths} paths x ${run.result?.steps} steps, ${policies.length} policies`);
}

function renderSummary(policies: PolicyResult[]) {
  fillTable(
    byId<HTMLTableElement>("stress-summary").tBodies[0] as HTMLTableSectionElement,
    policies.map(({ policy, summary: s }) => [policy, s.fundNeeded ?? "-", s.fundNeededQuantiles.p95 ?? "-", s.fundNeededQuantiles.p99 ?? "-", s.adlProbability, s.adlQuantity, s.socializedLoss, s.cascadeAmplification ?? "-", s.fundMin, s.maxHaircutOfPnl ?? "-", s.maxHaircutOfEquity ?? "-", s.haircutGini ?? "-"]),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
}

function renderFan() {
  const p = selectedPolicy();
  const paths = p?.paths ?? [];
  if (!p || !paths.some((x) => x.steps)) return say(message(), "This run has no per-step series: send output: { steps: true }", true);
  const bands = fundFan(paths);
  const labels = (bands[0] ?? []).map((_, t) => String(t + 1));
  const names = ["p5", "p25", "median", "p75", "p95"];
  draw(
    "stress-fan",
    byId<HTMLCanvasElement>("stress-fan-chart"),
    {
      type: "line",
      data: {
        labels,
        datasets: bands.map((data, k) => ({
          label: `${names[k]} fund balance`,
          data,
          borderColor: k === 2 ? COLOURS.blue : COLOURS.grey,
          borderWidth: k === 2 ? 2 : 1,
          backgroundColor: k === 1 || k === 3 ? "rgba(11, 92, 173, 0.25)" : "rgba(11, 92, 173, 0.1)",
          // Each band fills down to the one below it: p5-p25 and p75-p95 light, p25-p75 darker.
          fill: k === 0 ? false : "-1",
          pointRadius: 0,
        })),
      },
      options: { scales: { x: { title: { display: true, text: "step" } }, y: { title: { display: true, text: "fund balance" } } } },
    },
    `Fund over ${paths.length} paths under ${p.policy}: median at the last step ${bands[2]?.at(-1)}, 5th percentile ${bands[0]?.at(-1)}`,
  );
}

function renderPath() {
  const p = selectedPolicy();
  const index = Number(byId<HTMLInputElement>("stress-path").value || "0");
  const path = p?.paths?.find((x) => x.path === index);
  if (!p || !path?.steps) return say(message(), `Path ${index} is not in this run's detail`, true);
  const steps = path.steps;
  const labels = steps.map((_, t) => String(t + 1));
  draw(
    "stress-path",
    byId<HTMLCanvasElement>("stress-path-chart"),
    {
      type: "line",
      data: {
        labels,
        datasets: [
          { label: "mark", data: steps.map((s) => Number(s.mark)), borderColor: COLOURS.blue, backgroundColor: COLOURS.blue, yAxisID: "price", pointRadius: 0 },
          { label: "fund balance", data: steps.map((s) => Number(s.fundBalance)), borderColor: COLOURS.green, backgroundColor: COLOURS.green, yAxisID: "amount", pointRadius: 0 },
          { type: "bar", label: "ADL quantity", data: steps.map((s) => Number(s.adlQuantity)), backgroundColor: COLOURS.orange, yAxisID: "quantity" },
          { type: "bar", label: "liquidations", data: steps.map((s) => s.liquidations), backgroundColor: COLOURS.red, yAxisID: "quantity" },
        ],
      },
      options: {
        scales: {
          x: { title: { display: true, text: "step" } },
          price: { type: "linear", position: "left", title: { display: true, text: "mark" } },
          amount: { type: "linear", position: "right", title: { display: true, text: "fund" }, grid: { drawOnChartArea: false } },
          quantity: { type: "linear", position: "right", beginAtZero: true, title: { display: true, text: "contracts / count" }, grid: { drawOnChartArea: false } },
        },
      },
    },
    `Path ${index} under ${p.policy}: last mark ${steps.at(-1)?.mark}, fund ${steps.at(-1)?.fundBalance}, ADL ${steps.reduce((a, s) => a + Number(s.adlQuantity), 0)} contracts`,
  );
  byId("stress-path-title").textContent = `Path ${index} under ${p.policy}: fund needed ${path.fundNeeded ?? "none avoids ADL"}`;
}

export function wireStressView() {
  const body = byId<HTMLTextAreaElement>("stress-body");
  body.value = JSON.stringify(STRESS_EXAMPLE, null, 2);
  wireUpload(byId<HTMLInputElement>("stress-file"), body);
  byId("stress-example").addEventListener("click", () => (body.value = JSON.stringify(STRESS_EXAMPLE, null, 2)));
  const fail = (err: Error) => say(message(), err.message, true);
  byId("stress-form").addEventListener("submit", (e) => {
    e.preventDefault();
    start().catch(fail);
  });
  policySelect().addEventListener("change", () => {
    renderFan();
    renderPath();
  });
  byId("stress-path-form").addEventListener("submit", (e) => {
    e.preventDefault();
    renderPath();
  });
}
