// One 100k-position ranking request in a fresh process; exits 0 on success. Used by bench/memory.ts with V8 heap caps.
import { readFileSync } from "node:fs";
import { app } from "../src/http/app";
import { benchEnv, benchHeaders } from "./auth";
import { MARKET, makePositions } from "./data";

const n = Number(process.argv[2] ?? 100_000);
const rssBefore = Number(/VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;
let body: string | null = JSON.stringify({ market: MARKET, markPrice: "20000", method: "bitmex", indicator: "bybit", positions: makePositions(n) });
const res = await app.request("/v1/adl/rankings", { method: "POST", headers: benchHeaders, body }, benchEnv);
body = null;
const bytes = (await res.arrayBuffer()).byteLength;
const status = readFileSync("/proc/self/status", "utf8");
const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
console.log(JSON.stringify({ status: res.status, bytes, rssBeforeMb: Math.round(rssBefore), peakRssMb: Math.round(hwm) }));
process.exit(res.status === 200 ? 0 : 1);
