#!/usr/bin/env node
/**
 * `leadwire-rollout <command>` (`npm run rollout -- <command>`): moves a widget version through
 * a rollout (docs/rollout.md). It writes the rollout state where the gateways read it — the Redis
 * key (REDIS_URL, ROLLOUT_KEY) or the file (ROLLOUT_FILE) — and the gateways record each change
 * as an `audit.rollout` event naming who made it (`--as`, default `cli:<login>`).
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as rollout from '../gateway/src/rollout/model.ts';
import { openRolloutStore, updateRollout, type RolloutStore } from '../gateway/src/rollout/store.ts';

const USAGE = `usage: leadwire-rollout <command> [--as <who>] [--reason <text>] [--json]
  status              the stable version, the candidate, its share of locations, the last changes
  init <version>      the first stable version, for every location
  stage <version>     a published version becomes the candidate, at 0 % (allow-listed locations get it)
  step                the candidate's next step: ${rollout.STEPS.join(' → ')} %
  set <percent>       the candidate's share of locations, 0–100
  rollback            the candidate back to 0 % and withdrawn: open pages running it reload
  promote             the candidate becomes the stable version for every location
  allow [<loc> …]     locations that always get the candidate (replaces the list; none clears it)
  deny [<loc> …]      locations that never do
  schedule <minutes>  step automatically this often while the candidate is healthy; 0 stops it
env: REDIS_URL and ROLLOUT_KEY (default leadwire:rollout), or ROLLOUT_FILE — as the gateway's;
     ROLLOUT_VERSIONS_DIR (optional): stage refuses a version not published there`;

class UsageError extends Error {}

function describe(state: rollout.RolloutState): string {
  const lines = [
    `stable     ${state.stable}`,
    `candidate  ${state.candidate ? `${state.candidate} at ${state.percent} %${state.withdrawn.includes(state.candidate) ? ' (rolled back)' : ''}` : 'none'}`,
  ];
  if (state.allow.length) lines.push(`allow      ${state.allow.join(' ')}`);
  if (state.deny.length) lines.push(`deny       ${state.deny.join(' ')}`);
  if (state.withdrawn.length) lines.push(`withdrawn  ${state.withdrawn.join(' ')}`);
  if (state.autoStepMs) lines.push(`schedule   a step every ${state.autoStepMs / 60_000} min while healthy`);
  lines.push(`revision   ${state.revision}: ${state.action} by ${state.changedBy}${state.reason ? ` (${state.reason})` : ''} at ${new Date(state.changedAt).toISOString()}`);
  return lines.join('\n');
}

function published(version: string): void {
  const dir = process.env.ROLLOUT_VERSIONS_DIR;
  if (dir && !existsSync(join(dir, version, 'leadwire-rollout.js'))) {
    throw new rollout.RolloutError(`${version} is not published: copy a build of components/dist to ${join(dir, version)} first`);
  }
}

/** The change a command makes; throws RolloutError when it does not apply. */
function changeFor(command: string, args: string[], change: rollout.Change): (state: rollout.RolloutState | null) => rollout.RolloutState {
  const one = (what: string) => {
    if (args.length !== 1) throw new UsageError(`${command} takes one ${what}`);
    return args[0]!;
  };
  const existing = (state: rollout.RolloutState | null) => {
    if (!state) throw new rollout.RolloutError('no rollout yet: leadwire-rollout init <stable version>');
    return state;
  };
  switch (command) {
    case 'init': {
      const version = one('version');
      return (state) => {
        if (state) throw new rollout.RolloutError(`a rollout exists already (stable ${state.stable}): use stage and promote`);
        const next = rollout.initial(version, change); // the name checked before the path is built
        published(version);
        return next;
      };
    }
    case 'stage': {
      const version = one('version');
      return (state) => {
        const next = rollout.stage(existing(state), version, change);
        published(version);
        return next;
      };
    }
    case 'step':
      return (state) => rollout.step(existing(state), change);
    case 'set': {
      const percent = Number(one('percent').replace(/%$/, ''));
      return (state) => rollout.setPercent(existing(state), percent, change);
    }
    case 'rollback':
      return (state) => rollout.rollback(existing(state), change);
    case 'promote':
      return (state) => rollout.promote(existing(state), change);
    case 'allow':
    case 'deny':
      return (state) => rollout.setLists(existing(state), { [command]: args }, change);
    case 'schedule': {
      const minutes = Number(one('period in minutes'));
      if (!Number.isFinite(minutes) || minutes < 0) throw new UsageError(`schedule: ${JSON.stringify(args[0])} is not a number of minutes`);
      return (state) => rollout.schedule(existing(state), Math.round(minutes * 60_000), change);
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { as: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`leadwire-rollout: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const file = process.env.ROLLOUT_FILE;
  if (!process.env.REDIS_URL && !file) {
    console.error(`leadwire-rollout: set REDIS_URL (and ROLLOUT_KEY) or ROLLOUT_FILE as the gateway has them\n\n${USAGE}`);
    return 2;
  }
  const store: RolloutStore = openRolloutStore({ REDIS_URL: process.env.REDIS_URL, ROLLOUT_KEY: process.env.ROLLOUT_KEY || 'leadwire:rollout', ROLLOUT_FILE: file });
  try {
    let state: rollout.RolloutState | null;
    if (command === 'status') {
      state = await store.load();
      if (!state) throw new rollout.RolloutError('no rollout yet: leadwire-rollout init <stable version>');
    } else {
      const by = values.as ?? `cli:${userInfo().username}`;
      state = await updateRollout(store, changeFor(command, args, { by, now: Date.now(), reason: values.reason }));
    }
    console.log(values.json ? JSON.stringify(state, null, 2) : describe(state));
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError;
    console.error(`leadwire-rollout: ${(error as Error).message}${usage ? `\n\n${USAGE}` : ''}`);
    return usage ? 2 : 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
