import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunk, last } from '../arrays.js';

test('last', () => assert.equal(last([1, 2, 3]), 3));
test('chunk splits an array into pieces of a size', () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
});
