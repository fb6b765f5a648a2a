/**
 * Chart.js (npm, pinned; bundled into /assets/dashboard.js by esbuild) with only the parts the dashboard draws.
 * Every chart is kept by name in `window.adlDashboard.charts`, so the browser tests read the data the chart actually
 * holds (point count, last value) and compare it with what the API returned.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = "#3d444d";
Chart.defaults.animation = false;

declare global {
  interface Window {
    adlDashboard: { charts: Record<string, Chart> };
  }
}
window.adlDashboard = { charts: {} };

/** Colours with at least 3:1 contrast on white (WCAG non-text contrast). */
export const COLOURS = { blue: "#0b5cad", red: "#b3261e", green: "#1a7f37", orange: "#a64b00", purple: "#6f42c1", grey: "#57606a", teal: "#0f766e" };
export const SERIES = [COLOURS.blue, COLOURS.orange, COLOURS.green, COLOURS.purple, COLOURS.red, COLOURS.teal, COLOURS.grey];

export function draw(name: string, canvas: HTMLCanvasElement, config: ChartConfiguration, summary: string): Chart {
  window.adlDashboard.charts[name]?.destroy();
  const chart = new Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, ...config.options } });
  window.adlDashboard.charts[name] = chart;
  canvas.setAttribute("aria-label", summary);
  return chart;
}

/** "2026-11-29 10:00" (UTC) for an epoch-ms axis value. */
export function utcLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
