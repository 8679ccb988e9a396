import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare } from '../semver.js';

test('numbers compare as numbers', () => {
  assert.ok(compare('1.10.0', '1.9.0') > 0);
});
