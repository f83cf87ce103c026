/**
 * Where the rollout state lives: one Redis key (shared by every gateway and the CLI) when
 * REDIS_URL is set, else a JSON file (ROLLOUT_FILE, one host), else this process's memory.
 * Every write names the revision it was computed from and is refused if the state moved on
 * meanwhile, so a CLI step and an automatic rollback cannot overwrite each other.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Redis } from 'ioredis';
import { rolloutStateSchema, RolloutError, type RolloutState } from './model.ts';

export interface RolloutStore {
  readonly kind: 'redis' | 'file' | 'memory';
  load(): Promise<RolloutState | null>;
  /** Writes `next` if the stored revision is still `expected` (-1: nothing stored); false if not. */
  save(next: RolloutState, expected: number): Promise<boolean>;
  close(): Promise<void>;
}

function parse(raw: string | null, where: string): RolloutState | null {
  if (raw === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new RolloutError(`${where} does not hold JSON`);
  }
  const result = rolloutStateSchema.safeParse(json);
  if (!result.success) throw new RolloutError(`${where} is not a rollout state: ${result.error.issues[0]?.message}`);
  return result.data;
}

/** Compare-and-set in one round trip: no other writer can slip between the check and the write. */
const CAS = `
local current = redis.call('GET', KEYS[1])
local revision = -1
if current then revision = cjson.decode(current).revision end
if tostring(revision) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

export class RedisRolloutStore implements RolloutStore {
  readonly kind = 'redis';
  private readonly redis: Redis;
  constructor(
    url: string,
    private readonly key: string,
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.redis.on('error', () => {}); // reported by the failing command instead
  }
  async load(): Promise<RolloutState | null> {
    return parse(await this.redis.get(this.key), `redis key ${this.key}`);
  }
  async save(next: RolloutState, expected: number): Promise<boolean> {
    return (await this.redis.eval(CAS, 1, this.key, JSON.stringify(next), String(expected))) === 1;
  }
  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export class FileRolloutStore implements RolloutStore {
  readonly kind = 'file';
  constructor(private readonly path: string) {}
  async load(): Promise<RolloutState | null> {
    return existsSync(this.path) ? parse(readFileSync(this.path, 'utf8'), this.path) : null;
  }
  async save(next: RolloutState, expected: number): Promise<boolean> {
    if (((await this.load())?.revision ?? -1) !== expected) return false;
    mkdirSync(dirname(this.path), { recursive: true });
    // Written beside and renamed: a reader sees the old state or the new one, never half of one.
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
    renameSync(tmp, this.path);
    return true;
  }
  async close(): Promise<void> {}
}

export class MemoryRolloutStore implements RolloutStore {
  readonly kind = 'memory';
  private state: RolloutState | null = null;
  async load(): Promise<RolloutState | null> {
    return this.state && structuredClone(this.state);
  }
  async save(next: RolloutState, expected: number): Promise<boolean> {
    if ((this.state?.revision ?? -1) !== expected) return false;
    this.state = structuredClone(next);
    return true;
  }
  async close(): Promise<void> {}
}

export interface StoreSettings {
  REDIS_URL?: string;
  ROLLOUT_KEY: string;
  ROLLOUT_FILE?: string;
}

export function openRolloutStore(settings: StoreSettings): RolloutStore {
  if (settings.REDIS_URL) return new RedisRolloutStore(settings.REDIS_URL, settings.ROLLOUT_KEY);
  if (settings.ROLLOUT_FILE) return new FileRolloutStore(settings.ROLLOUT_FILE);
  return new MemoryRolloutStore();
}

/**
 * Applies `change` to the current state and stores it, reading again and retrying when another
 * writer got there first. `change` receives null when nothing is stored yet.
 */
export async function updateRollout(store: RolloutStore, change: (state: RolloutState | null) => RolloutState): Promise<RolloutState> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await store.load();
    const next = change(current);
    if (await store.save(next, current?.revision ?? -1)) return next;
  }
  throw new RolloutError('the rollout state kept changing under this write; try again');
}
