// A strict TypeScript consumer of the pool API.
import { createPool, MemoryStore } from 'credcore';
import type { Pool, PoolBatchEvent, PoolMetrics, PoolOptions, VerificationResult, ErrorCode, NonceStats, TwoLevelStats, StoreStats } from 'credcore';

const options: PoolOptions = {
  workers: 2,
  verifier: { trustedIssuers: ['did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'], cache: { results: 1000, ttlSeconds: 60 } },
  maxQueue: 10_000,
  taskTimeoutMs: 5_000,
  chunkSize: 256,
  maxBatchWaitMs: 2,
  maxBatchSize: 128,
  maxInstanceMemory: 128 * 1024 * 1024,
  statusListResolver: async (uri: string) => (uri.startsWith('https://') ? null : undefined),
  // JSON-LD contexts beyond the bundled ones, for proofs over RDF (runs on the main thread).
  documentLoader: async (url: string) => (url === 'https://w3id.org/citizenship/v4rc1' ? { '@context': {} } : Promise.reject(new Error(url))),
  fetchTimeoutMs: 2_000,
};
const pool: Pool = await createPool(options);
const controller = new AbortController();
const results: VerificationResult[] = await pool.verifyBatch(['a.b.c', { type: ['VerifiableCredential'] }], {
  nonce: 'n',
  onProgress: ({ done, total }) => void (done / total),
  signal: controller.signal,
});
const one: VerificationResult = await pool.verify('a.b.c', { audience: 'did:web:verifier.example' });
const flags: boolean[] = await pool.verifySignatures([{ message: 'm', signature: new Uint8Array(64), publicKey: new Uint8Array(32) }]);
const m: PoolMetrics = pool.metrics();
const p99: number = m.latency.item.p99;
const workerMemory: number[] = m.memory.workers;
const recycles: number = m.memory.recycles + m.memory.main + m.memory.maxInstanceMemory;
const full: number | undefined = m.rejections.QUEUE_FULL;
const code: ErrorCode = 'WORKER_FAILED';
const text: string = pool.prometheus();
const stop: () => void = pool.onBatch((b: PoolBatchEvent) => {
  const source: 'verifyBatch' | 'verify' | 'verifySignatures' = b.source;
  const failed: ErrorCode | null = b.error;
  void [source, failed, b.items + b.startTime + b.durationMs];
});
stop();
// Narrowed on `valid`: a valid result's claims are there; an invalid one has at least one error.
if (one.valid) void one.claims['degree'];
else void one.errors[0].code;
// The shared store: nonces and the second cache level.
const shared: Pool = await createPool({ workers: 1, store: new MemoryStore(), verifier: { consumeNonce: false } });
const nonce: string = await shared.issueNonce({ ttlSeconds: 60 });
const consumed: VerificationResult = await shared.verify('x', { consumeNonce: true, nonce });
const batch: VerificationResult[] = await shared.verifyBatch(['x'], { consumeNonce: true });
const sm: PoolMetrics = shared.metrics();
const nonces: NonceStats = sm.nonces;
const levels: TwoLevelStats = sm.levels.statusLists;
const storeStats: StoreStats | null = sm.store;
await shared.close();
await pool.close();
pool.destroy();
export const used = [results, one, flags, p99, full, code, text, consumed, batch, nonces, levels, storeStats];
