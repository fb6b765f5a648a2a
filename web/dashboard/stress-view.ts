/** Stress: comes with the stress lab's routes (issue 12); until they are served, the view says so. */
import { byId, say } from "./dom";

export function wireStressView() {
  say(byId("stress-message"), "The stress lab's routes are not on this server yet.");
}
