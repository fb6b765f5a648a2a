/**
 * Limits of one stress run, each refused up front (422, the limit named in the problem's pointer and message) so no
 * run is accepted that cannot finish or whose result cannot be stored and returned.
 */
/** Positions in the book (the ranking routes' batch bound). */
export const MAX_POSITIONS = 100_000;
export const MAX_PATHS = 10_000;
export const MAX_STEPS = 10_000;
/** paths x steps: the exogenous work. */
export const MAX_PATH_STEPS = 10_000_000;
/** positions x paths x policies: the book work (1,500 paths x 10,000 positions x 7 policies fits). */
export const MAX_BOOK_WORK = 200_000_000;
/** paths x steps x policies of per-step series returned when `output.steps` asks. */
export const MAX_SERIES_POINTS = 200_000;
/**
 * Exported events carry the opposite side as it stood (up to positions counterparties each, and at most one event
 * per position): paths x policies x positions^2 must stay below this, and positions below the liquidation route's
 * counterparty bound, so every exported request is one the route accepts.
 */
export const MAX_EVENT_CELLS = 4_000_000;
export const MAX_EVENT_POSITIONS = 20_000;
/** Cascade rounds per step (the spiral's cap): default and largest accepted. */
export const DEFAULT_MAX_ROUNDS = 100;
export const MAX_ROUNDS = 10_000;
/** Runs this small are computed within the request (201); larger ones go to the Workflow (202). */
export const INLINE_MAX_PATHS = 10;
export const INLINE_MAX_WORK = 200_000;
/** Paths per Workflow step: each step is one durable unit of work whose result is stored before the next. */
export const PATHS_PER_CHUNK = 25;
/** Paths up to which `paths[]` (per-step series and events) is returned by default. */
export const DEFAULT_DETAIL_MAX_PATHS = 10;
