import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunk } from '../arrays.js';

test('edges', () => {
  assert.deepEqual(chunk([], 3), []);
  assert.deepEqual(chunk([1, 2], 5), [[1, 2]]);
  assert.throws(() => chunk([1], 0), RangeError);
  assert.throws(() => chunk([1], 1.5), RangeError);
});
