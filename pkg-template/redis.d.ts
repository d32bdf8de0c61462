// credcore/redis: the shared store on Redis through node-redis (`redis`, an optional peer
// dependency). The interface is `Store` from the main entry.
import type { Store, StoreStats } from './index.js';

/** The part of a node-redis client (`createClient()` from `redis`, v5 or later) the store uses. */
export interface RedisClientLike {
  readonly isReady: boolean;
  sendCommand(args: readonly string[], options?: unknown): Promise<unknown>;
  multi(): { addCommand(args: readonly string[]): unknown; execAsPipeline(): Promise<unknown[]> };
}

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (default redis://localhost:6379). Ignored with `client`. */
  url?: string;
  /** Your own node-redis client, connected (and closed) by you; the store then makes none. */
  client?: RedisClientLike;
  /** Prefix of every key (default `credcore:`). */
  prefix?: string;
  /** Longest wait for an answer, ms (default 1,000); then the call fails with STORE_UNAVAILABLE. */
  commandTimeoutMs?: number;
  /** Longest wait for a connection, ms (default 2,000). */
  connectTimeoutMs?: number;
  /** Longest wait between reconnection attempts, ms (default 2,000; it retries forever). */
  maxReconnectDelayMs?: number;
}

/** What `RedisStore.stats()` adds to the counts of every store. */
export interface RedisStoreStats extends StoreStats {
  kind: 'redis';
  /** Calls that ran out of `commandTimeoutMs`. */
  timeouts: number;
  /** Errors of the connection (refused, reset), counted, never thrown at the process. */
  connectionErrors: number;
  /** Reconnection attempts. */
  reconnects: number;
}

/**
 * A store on Redis. Calls never wait for Redis to come back: while it is unreachable they fail at
 * once with STORE_UNAVAILABLE (nonce and session checks fail closed, caches fall back to memory);
 * the client reconnects by itself.
 */
export declare class RedisStore implements Store {
  private constructor();
  /** Whether the client is connected now. */
  readonly isReady: boolean;
  /** Resolves true once connected, or false after `timeoutMs` (default: the connect timeout). */
  ready(timeoutMs?: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, options: { ttlMs: number }): Promise<void>;
  setMany(entries: readonly { key: string; value: string; ttlMs: number }[]): Promise<void>;
  setIfAbsent(key: string, value: string, options: { ttlMs: number }): Promise<boolean>;
  replace(key: string, value: string): Promise<string | null>;
  replaceMany(entries: readonly { key: string; value: string }[]): Promise<(string | null)[]>;
  delete(key: string): Promise<boolean>;
  stats(): RedisStoreStats;
  /** Closes the client it made (a client passed in stays yours). */
  close(): Promise<void>;
}

/**
 * A store on Redis; it connects in the background (`await store.ready(ms)` to wait).
 * @example import { createRedisStore } from 'credcore/redis';
 *   const store = createRedisStore({ url: process.env.REDIS_URL });
 *   const verifier = new Verifier({ store });
 */
export declare function createRedisStore(options?: RedisStoreOptions): RedisStore;
