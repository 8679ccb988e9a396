const UNITS = { d: 86400, h: 3600, m: 60, s: 1 };

/** "1h30m" -> 5400 (seconds); units d, h, m, s; anything else is an error */
export function parseDuration(text) {
  if (!/^(\d+[dhms])+$/.test(text)) {
    throw new Error(`not a duration: "${text}" (write it like 1h30m)`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([dhms])/g)) {
    total += Number(amount) * UNITS[unit];
  }
  return total;
}
