import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCamel } from '../camel.js';

test('a leading separator is dropped, not turned into a capital', () => {
  assert.equal(toCamel('_private_name'), 'privateName');
});
