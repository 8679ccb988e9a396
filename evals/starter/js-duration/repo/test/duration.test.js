import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../duration.js';

test('hours, minutes and seconds', () => {
  assert.equal(parseDuration('1h2m3s'), 3723);
});
