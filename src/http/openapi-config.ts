/** Top-level OpenAPI document metadata, shared by /openapi.json and scripts/gen-openapi.ts. */

/**
 * Every tag an operation may carry, in the order the docs page lists them. test/node/openapi-lint.test.ts runs
 * Redocly's and Spectral's rules on the generated document, which refuse an operation tag not declared here.
 */
export const API_TAGS = [
  { name: "ADL engine", description: "Stateless computations on a batch of positions: liquidation and bankruptcy prices, ADL rankings and indicators, fills, and the policy comparison with fairness metrics. Nothing is stored." },
  { name: "Insurance fund", description: "Per-market state in a Durable Object: configuration, the fund and its append-only ledger, its history and ADL state, and the idempotent liquidation waterfall (single and batch) with its stored results." },
  { name: "Stress lab", description: "Simulated crashes on a venue's own book: cascades with market impact, Monte Carlo paths, the fund each policy needs; long runs fan out over a Workflow." },
  { name: "Webhooks", description: "Signed push notifications (ADL-Signature, Stripe's scheme) when ADL hits, switches on or off, the fund crosses its floor, or a loss is socialised." },
] as const;

export const openApiConfig = {
  openapi: "3.1.0",
  info: {
    title: "ADL service",
    version: "1.0.0",
    description:
      "Auto-deleveraging as a service: risk prices, ADL rankings and indicators, ADL fills, and per-market insurance funds with an idempotent liquidation waterfall. Amounts are decimal strings; errors are RFC 9457 problem+json.",
    // Not open source (package.json is private): an SPDX LicenseRef, as OpenAPI 3.1's license.identifier allows.
    license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    contact: { name: "ADL service engineering" },
  },
  servers: [{ url: "http://127.0.0.1:8787", description: "Local (npm start)" }],
  tags: API_TAGS.map((t) => ({ ...t })),
};
