import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCamel } from '../camel.js';

test('runs of separators and the ends', () => {
  assert.equal(toCamel('--a__b--c--'), 'aBC');
  assert.equal(toCamel('already_Camel'), 'alreadyCamel');
  assert.equal(toCamel(''), '');
});
