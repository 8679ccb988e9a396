import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../duration.js';

test('days and nonsense', () => {
  assert.equal(parseDuration('2d'), 172800);
  assert.equal(parseDuration('90s'), 90);
  assert.throws(() => parseDuration('5 parsecs'), /duration/);
  assert.throws(() => parseDuration(''), /duration/);
});
