/**
 * Queue: a pasted or uploaded batch ranked by POST /v1/adl/rankings; a histogram of the indicator per side (how
 * many positions at each indicator level) and the top of each queue.
 */
import { postJson } from "./api";
import { COLOURS, draw } from "./charts";
import { byId, fillTable, say, wireUpload } from "./dom";

interface Ranked { accountId: string; size: string; score: string | null; rank: number; indicator: number }
interface Rankings { long: Ranked[]; short: Ranked[] }

export const QUEUE_TOP = 10;

export const QUEUE_EXAMPLE = {
  market: { contractType: "linear", contractSize: "1", lotSize: "0.001", tickSize: "0.1" },
  markPrice: "20000",
  method: "bitmex",
  indicator: "bybit",
  positions: Array.from({ length: 24 }, (_, i) => ({
    accountId: `acct-${String(i + 1).padStart(2, "0")}`,
    side: i % 3 === 0 ? "short" : "long",
    size: String(1 + (i % 5)),
    entryPrice: String(i % 3 === 0 ? 20500 + 150 * i : 17000 + 120 * i),
    margin: String(900 + 350 * (i % 7)),
  })),
};

/** Count of positions per indicator value, per side, over the union of the values seen (ascending). */
export function indicatorHistogram(r: Rankings): { levels: number[]; long: number[]; short: number[] } {
  const levels = [...new Set([...r.long, ...r.short].map((p) => p.indicator))].sort((a, b) => a - b);
  const count = (side: Ranked[]) => levels.map((level) => side.filter((p) => p.indicator === level).length);
  return { levels, long: count(r.long), short: count(r.short) };
}

async function rank() {
  const message = byId("queue-message");
  say(message, "Ranking...");
  const r = await postJson<Rankings>("/v1/adl/rankings", byId<HTMLTextAreaElement>("queue-body").value);
  const h = indicatorHistogram(r);
  draw(
    "queue",
    byId<HTMLCanvasElement>("queue-chart"),
    {
      type: "bar",
      data: {
        labels: h.levels.map(String),
        datasets: [
          { label: `Long (${r.long.length})`, data: h.long, backgroundColor: COLOURS.green },
          { label: `Short (${r.short.length})`, data: h.short, backgroundColor: COLOURS.red },
        ],
      },
      options: { scales: { x: { title: { display: true, text: "indicator" } }, y: { title: { display: true, text: "positions" }, beginAtZero: true, ticks: { precision: 0 } } } },
    },
    `Indicator histogram: levels ${h.levels.join(", ")}; long ${h.long.join(", ")}; short ${h.short.join(", ")}`,
  );
  const rows = (side: Ranked[]) => side.slice(0, QUEUE_TOP).map((p) => [String(p.rank), p.accountId, p.size, p.score ?? "-", String(p.indicator)]);
  fillTable(byId<HTMLTableElement>("queue-long").tBodies[0] as HTMLTableSectionElement, rows(r.long), [0, 2, 3, 4]);
  fillTable(byId<HTMLTableElement>("queue-short").tBodies[0] as HTMLTableSectionElement, rows(r.short), [0, 2, 3, 4]);
  say(message, `${r.long.length} long and ${r.short.length} short positions ranked`);
}

export function wireQueueView() {
  const body = byId<HTMLTextAreaElement>("queue-body");
  body.value = JSON.stringify(QUEUE_EXAMPLE, null, 2);
  wireUpload(byId<HTMLInputElement>("queue-file"), body);
  byId("queue-example").addEventListener("click", () => (body.value = JSON.stringify(QUEUE_EXAMPLE, null, 2)));
  byId("queue-form").addEventListener("submit", (e) => {
    e.preventDefault();
    rank().catch((err: Error) => say(byId("queue-message"), err.message, true));
  });
}
