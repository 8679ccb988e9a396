/** "foo_bar-baz" -> "fooBarBaz" */
export function toCamel(text) {
  return text.replace(/[-_](\w)/g, (_, c) => c.toUpperCase());
}
