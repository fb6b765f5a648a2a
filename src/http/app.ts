import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { DomainError } from "../domain/types";
import type { AppEnv } from "../env";
import { cors } from "./middleware/cors";
import { auth, bearerAuthScheme, routeScopes, SECURITY_SCHEME } from "./middleware/auth";
import { allowedMethods } from "./allowed-methods";
import { jsonBody } from "./middleware/json-body";
import { logging } from "./middleware/logging";
import { rateLimit, rateLimitHeaders } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { strictQuery } from "./middleware/strict-query";
import { openApiConfig } from "./openapi-config";
import { operationTable } from "./operations";
import { registerPages } from "./pages";
import { ProblemError, problemResponse } from "./problem";
import { registerRoutes } from "./routes";
import { validationHook } from "./validation";

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("*", requestId());
  app.use("*", logging());
  app.use("/v1/*", rateLimitHeaders());
  // Before auth: a browser's preflight carries no Authorization header (src/http/middleware/cors.ts).
  app.use("*", cors());
  // Who (401), may they (403), not too often (429): all before a body is read, so an anonymous or throttled caller
  // costs a hash and a counter, never a parse. The scope each operation needs is read from its route definition.
  app.use("/v1/*", auth({ routes: () => routeScopes(app.openAPIRegistry.definitions) }));
  app.use("/v1/*", rateLimit());
  // Every documented operation refuses query parameters its schema does not declare (before a body is read).
  const operations = () => operationTable(app.openAPIRegistry.definitions);
  app.use("*", strictQuery({ operations }));
  app.use("/v1/*", jsonBody({ operations }));
  app.openAPIRegistry.registerComponent("securitySchemes", SECURITY_SCHEME, bearerAuthScheme);

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/openapi.json", (c) => c.json(app.getOpenAPI31Document(openApiConfig)));
  registerPages(app);
  registerRoutes(app);

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allow = allowedMethods(app, path);
    if (allow.length > 0) {
      return problemResponse(c, "method-not-allowed", `${c.req.method} is not allowed on ${path}; allowed: ${allow.join(", ")}`, undefined, { allow }, { Allow: allow.join(", ") });
    }
    return problemResponse(c, "not-found", `No route for ${c.req.method} ${path}`);
  });
  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err.slug, err.message, err.errors, err.extra, err.headers);
    if (err instanceof DomainError) {
      const errors = err.issues.map((i) => ({ pointer: i.pointer, code: i.code, detail: i.message }));
      return problemResponse(c, "validation-error", `${errors.length} invalid field(s)`, errors);
    }
    if (err instanceof HTTPException) {
      if (err.status === 415) return problemResponse(c, "unsupported-media-type", err.message);
      if (err.status === 413) return problemResponse(c, "payload-too-large", err.message);
      if (err.status === 400) return problemResponse(c, "malformed-json", err.message);
      return problemResponse(c, "bad-request", err.message);
    }
    console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), message: String((err as Error)?.message ?? err) }));
    return problemResponse(c, "internal", "Unexpected error; the request id identifies it in the logs");
  });
  return app;
}

export const app = createApp();
