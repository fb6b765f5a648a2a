/**
 * /docs: Scalar's API reference over /openapi.json. Scalar renders each operation's request and response schemas,
 * the documented examples, code samples, and a "Try it" client that fills path parameters. The configuration keeps
 * everything on this origin: requests go to the server that served the page (not the spec's 127.0.0.1:8787 entry),
 * no web fonts, no telemetry, no hosted agent or MCP panel, no request proxy.
 */
import { LOCAL_DEV_KEY, servedFromLoopback } from "../shared/local-dev";
import { ACCESSIBLE_THEME_CSS } from "./theme";

interface ScalarGlobal {
  createApiReference(target: string | Element, configuration: Record<string, unknown>): unknown;
}

declare global {
  interface Window {
    Scalar?: ScalarGlobal;
  }
}

/** Name of the bearer scheme in components.securitySchemes (src/http/middleware/auth.ts SECURITY_SCHEME). */
const SECURITY_SCHEME = "bearerAuth";

export function scalarConfiguration(origin: string, local: boolean): Record<string, unknown> {
  return {
    url: "/openapi.json",
    // Only the server this page came from: "Try it" and the code samples target it, wherever it is deployed.
    servers: [{ url: origin, description: local ? "This local server (npm start)" : "This server" }],
    withDefaultFonts: false,
    customCss: ACCESSIBLE_THEME_CSS,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    hideClientButton: false,
    // The developer toolbar offers Share / Deploy to scalar.com: not for a self-hosted, offline page.
    showDeveloperTools: "never",
    persistAuth: false,
    documentDownloadType: "json",
    // Every operation rendered at once, so a reader (and the browser test) can search the page for any of them.
    defaultOpenAllTags: true,
    defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
    authentication: {
      preferredSecurityScheme: SECURITY_SCHEME,
      // The public development key, only when the page is served from loopback (npm start). Elsewhere the reader
      // types their own key into the authentication box.
      ...(local ? { securitySchemes: { [SECURITY_SCHEME]: { token: LOCAL_DEV_KEY } } } : {}),
    },
  };
}

/**
 * Two gaps axe-core finds in Scalar 1.72, mended as the elements appear (operations render lazily while the reader
 * scrolls): each code block's copy button is an icon whose label is display:none until hovered (button-name,
 * critical), and a card's scroll box cannot take keyboard focus, so a keyboard user cannot scroll it
 * (scrollable-region-focusable, serious).
 */
function mendAccessibility(root: HTMLElement) {
  const mend = () => {
    for (const button of root.querySelectorAll<HTMLButtonElement>("button.scalar-code-copy:not([aria-label])")) {
      button.setAttribute("aria-label", "Copy code");
    }
    for (const box of root.querySelectorAll<HTMLElement>(SCROLL_BOXES)) {
      if (box.scrollHeight > box.clientHeight || box.scrollWidth > box.clientWidth) box.tabIndex = 0;
    }
  };
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      mend();
    });
  };
  mend();
  new MutationObserver(schedule).observe(root, { childList: true, subtree: true });
  window.addEventListener("resize", schedule);
}

/** Scalar's scroll boxes (operation lists, code samples, cards) that have no tabindex of their own. */
const SCROLL_BOXES = ["ul.endpoints", ".code-snippet", ".scalar-card-content.custom-scroll", ".scalar-card-content.overflow-auto"].map((s) => `${s}:not([tabindex])`).join(", ");

const scalar = window.Scalar;
const app = document.getElementById("app");
if (!scalar || !app) {
  if (app) app.textContent = "The API reference script did not load; the OpenAPI document is at /openapi.json.";
} else {
  app.replaceChildren();
  scalar.createApiReference(app, scalarConfiguration(window.location.origin, servedFromLoopback()));
  mendAccessibility(document.body);
}
