/**
 * /dashboard: API key entry (sessionStorage only), then one of four views. Everything it shows comes from this
 * origin's API; nothing is fetched from anywhere else (the page's CSP enforces it).
 */
import { initialKey, storeKey, storedKey } from "./api";
import { byId, say } from "./dom";
import { loadMarkets, reportFund, wireFundView } from "./fund-view";
import { wirePoliciesView } from "./policies-view";
import { wireQueueView } from "./queue-view";
import { wireStressView } from "./stress-view";

const VIEWS = ["fund", "queue", "policies", "stress"] as const;

function showView(name: string) {
  for (const v of VIEWS) {
    byId(`view-${v}`).hidden = v !== name;
    document.querySelector(`[data-view="${v}"]`)?.setAttribute("aria-pressed", String(v === name));
  }
}

function keyStatus() {
  const key = storedKey();
  say(byId("key-status"), key ? `key ${key.slice(0, 8)}... in use (this tab only)` : "no key: enter one");
}

function wireKey() {
  const input = byId<HTMLInputElement>("api-key");
  const key = initialKey();
  if (key) {
    storeKey(key);
    input.value = key;
  }
  keyStatus();
  byId("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    storeKey(input.value.trim() || null);
    keyStatus();
    void reportFund(loadMarkets());
  });
  byId("key-forget").addEventListener("click", () => {
    storeKey(null);
    input.value = "";
    keyStatus();
  });
}

wireKey();
wireFundView();
wireQueueView();
wirePoliciesView();
wireStressView();
for (const button of document.querySelectorAll<HTMLButtonElement>("[data-view]")) {
  button.addEventListener("click", () => showView(button.dataset.view ?? "fund"));
}
if (storedKey()) void reportFund(loadMarkets());
