// credcore example: the service's audit trail across processes. Each process keeps its own chain
// (claimed in the shared store: chain-0, chain-1, ...), appends one entry per verified item, writes
// its entries to AUDIT_DIR/<chain>.jsonl, and publishes a signed checkpoint of its chain to the
// store every AUDIT_CHECKPOINT_SECONDS and when it stops. scripts/audit-verify.mjs checks every
// chain together (AuditLog.verifyChains): edits, cut tails, entries moved between chains and
// chains that went missing are all found.

import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditLog, keyPairFromSeed } from '../../pkg/index.node.js';

/**
 * Starts this process's chain. `hmacKey` and `signerSeed` are bytes (every process of a service
 * the same); a store that cannot register the chain leaves a local one (`local-PID-TIME`), written
 * and checkpointed like any other but unknown to the store's registry.
 */
export async function startAudit({ store, dir, hmacKey, signerSeed, checkpointSeconds }) {
  await mkdir(dir, { recursive: true });
  let chainId;
  try {
    chainId = await AuditLog.registerChain(store);
  } catch (err) {
    chainId = `local-${process.pid}-${Date.now()}`;
    process.stderr.write(`audit: cannot register a chain (${err.message}); writing ${chainId}, which the store does not list\n`);
  }
  const signer = keyPairFromSeed(signerSeed);
  const log = new AuditLog({ hmacKey, keyId: 'k1', chainId });
  const file = join(dir, `${chainId}.jsonl`);
  // File writes and checkpoints in order: a checkpoint is published after the entries it covers are written.
  let queue = Promise.resolve();
  const counts = { entries: 0, checkpoints: 0, failedCheckpoints: 0 };
  const checkpoint = () => {
    queue = queue.then(() => log.publish(store, signer)).then(
      () => { counts.checkpoints++; },
      () => { counts.failedCheckpoints++; },
    );
    return queue;
  };
  const timer = setInterval(checkpoint, checkpointSeconds * 1000);
  timer.unref();
  return {
    chainId,
    signer: signer.did,
    counts,
    /** One entry per result of a request to `route`. */
    record(route, results) {
      const time = Date.now();
      const entries = log.append(results.map((r) => ({ type: 'verification', route, valid: r.valid, format: r.format, codes: r.errors.map((e) => e.code), time })));
      counts.entries += entries.length;
      const text = AuditLog.toJsonl(entries);
      queue = queue.then(() => appendFile(file, text)).catch((err) => process.stderr.write(`audit: cannot write ${file}: ${err.message}\n`));
    },
    /** Writes what is pending, publishes a last checkpoint, frees the log. */
    async close() {
      clearInterval(timer);
      await checkpoint();
      log.free();
    },
  };
}
