/** Top-level OpenAPI document metadata, shared by /openapi.json and scripts/gen-openapi.ts. */
export const openApiConfig = {
  openapi: "3.1.0",
  info: {
    title: "ADL service",
    version: "1.0.0",
    description:
      "Auto-deleveraging as a service: risk prices, ADL rankings and indicators, ADL fills, and per-market insurance funds with an idempotent liquidation waterfall. Amounts are decimal strings; errors are RFC 9457 problem+json.",
  },
  servers: [{ url: "http://127.0.0.1:8787", description: "Local (npm start)" }],
};
