const UNITS = { h: 3600, m: 60 };

/** "1h30m" -> 5400 (seconds) */
export function parseDuration(text) {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([a-z])/g)) {
    total += Number(amount) * UNITS[unit];
  }
  return total;
}
