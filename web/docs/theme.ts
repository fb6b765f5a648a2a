/**
 * Scalar's default palette darkened where axe-core measures text below WCAG AA contrast (4.5:1): the muted text
 * colours and the HTTP-method colours (POST green 3.9:1, PUT orange 3.2:1, GET blue 4.0:1 on white). Passed as
 * Scalar's `customCss`, which it injects after its theme, so these win over the theme's own variables.
 */
export const ACCESSIBLE_THEME_CSS = `
.light-mode {
  --scalar-color-2: #595959;
  --scalar-color-3: #616161;
  --scalar-color-green: #00703f;
  --scalar-color-orange: #a13f00;
  --scalar-color-blue: #005c99;
  --scalar-color-red: #b80000;
  --scalar-color-yellow: #765a00;
  --scalar-color-purple: #6a3d9a;
}
.dark-mode {
  --scalar-color-2: #bdbdbd;
  --scalar-color-3: #a6a6a6;
  /* DELETE on the dark request-example card: Scalar's #f00000 on #1a1a1a is 3.9:1. */
  --scalar-color-red: #ff6b6b;
}
`;
