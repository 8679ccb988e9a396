/** Negative when a is older than b, positive when newer, 0 when the same version. */
export function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
