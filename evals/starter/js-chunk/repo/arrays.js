export function last(array) {
  return array[array.length - 1];
}
