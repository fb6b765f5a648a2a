// Types of bench/load.mjs for the TypeScript tests that import it.
export declare const DEV_KEY: string;
export interface RouteFigures {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
  errors: number;
  statusCodes: Record<string, { count: number }>;
}
export interface LoadResult {
  seconds: number;
  connections: { rankings: number; liquidations: number };
  rankings: RouteFigures;
  liquidations: RouteFigures & { acknowledged: number };
  combined: { requests: number; rps: number; errors: number };
  fund: { balance: string; ledgerEntries: number; balanceEqualsLedgerSum: boolean };
  machine: string;
}
export declare function runMixedLoad(options: { url: string; key?: string; seconds?: number; connections?: number; positions?: number; counterparties?: number; market?: string }): Promise<LoadResult>;
export declare function formatLoad(result: LoadResult): string;
