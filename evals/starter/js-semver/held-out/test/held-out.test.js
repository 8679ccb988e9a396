import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare } from '../semver.js';

test('more', () => {
  assert.equal(compare('2.0.0', '2.0.0'), 0);
  assert.ok(compare('1.2.3', '1.2.10') < 0);
  assert.ok(compare('10.0.0', '9.99.99') > 0);
  const sorted = ['1.0.10', '1.0.2', '0.9.0'].sort(compare);
  assert.deepEqual(sorted, ['0.9.0', '1.0.2', '1.0.10']);
});
