export function last(array) {
  return array[array.length - 1];
}

/** The array in pieces of `size` (the last one may be shorter); size is a whole number of at least 1. */
export function chunk(array, size) {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunk size must be a whole number of at least 1, not ${size}`);
  }
  const pieces = [];
  for (let i = 0; i < array.length; i += size) {
    pieces.push(array.slice(i, i + size));
  }
  return pieces;
}
