// The demo `make demo` runs: generates keys, signs 50,000 messages and verifies them singly and
// in one batch call, then prints a throughput table.

import * as credcore from '../pkg/index.node.js';

const N = 50_000;
const KEYS = 100;
const t = () => performance.now();

const t0 = t();
const pairs = Array.from({ length: KEYS }, () => credcore.generateKeyPair());
const tKeys = t() - t0;

const items = [];
const t1 = t();
for (let i = 0; i < N; i++) {
  const p = pairs[i % KEYS];
  const message = `demo message ${i}`;
  items.push({ message, signature: credcore.sign(message, p.secretKey), publicKey: p.publicKey });
}
const tSign = t() - t1;
// A few forgeries, to show they are caught.
for (const i of [17, 4242, 31337]) items[i] = { ...items[i], message: `${items[i].message} (edited)` };

const t2 = t();
let singleValid = 0;
for (const it of items) singleValid += credcore.verify(it.message, it.signature, it.publicKey) ? 1 : 0;
const tSingle = t() - t2;

const t3 = t();
const flags = credcore.verifySignatures(items);
const tBatch = t() - t3;
const batchValid = flags.filter(Boolean).length;
const invalid = flags.flatMap((ok, i) => (ok ? [] : [i]));

const rate = (n, ms) => Math.round((n / ms) * 1000).toLocaleString('en-US');
console.log(`credcore ${credcore.version()}: Ed25519 demo, ${N.toLocaleString('en-US')} signatures by ${KEYS} keys\n`);
console.log('| step | ms | per second |');
console.log('|---|---:|---:|');
console.log(`| generate ${KEYS} key pairs | ${tKeys.toFixed(1)} | ${rate(KEYS, tKeys)} |`);
console.log(`| sign ${N} messages | ${tSign.toFixed(1)} | ${rate(N, tSign)} |`);
console.log(`| verify one by one | ${tSingle.toFixed(1)} | ${rate(N, tSingle)} |`);
console.log(`| verifySignatures (one batch) | ${tBatch.toFixed(1)} | ${rate(N, tBatch)} |`);
console.log(`\nvalid: ${batchValid} of ${N} (single: ${singleValid}); forged items found: ${invalid.join(', ')}`);
console.log(`batch speedup over single verification: ${(tSingle / tBatch).toFixed(2)}x`);
if (singleValid !== batchValid || invalid.join() !== '17,4242,31337') {
  console.error('demo: single and batch verification disagree');
  process.exit(1);
}
