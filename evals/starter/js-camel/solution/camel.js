/** "foo_bar-baz" -> "fooBarBaz"; separators at the ends are dropped, runs of them are one */
export function toCamel(text) {
  return text.replace(/^[-_]+|[-_]+$/g, '').replace(/[-_]+(\w)/g, (_, c) => c.toUpperCase());
}
