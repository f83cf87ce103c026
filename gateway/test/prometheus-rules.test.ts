/**
 * The Prometheus alerting rules shipped in gateway/deploy/prometheus/ are valid
 * (`promtool check rules`) and fire on what they are meant for (`promtool test rules`). promtool
 * comes with the Debian package prometheus (scripts/setup-system.sh).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const dir = fileURLToPath(new URL('../deploy/prometheus/', import.meta.url));
const promtool = (...args: string[]) => spawnSync('promtool', args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });

test('promtool check rules: the alerting rules are valid', () => {
  const result = promtool('check', 'rules', 'alerts.yml');
  assert.equal(result.error, undefined, 'promtool is installed (npm run setup:system)');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /SUCCESS: 7 rules found/);
});

test('promtool test rules: each rule fires on its series and stays quiet on healthy ones', () => {
  const result = promtool('test', 'rules', 'alerts.test.yml');
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /SUCCESS/);
});
