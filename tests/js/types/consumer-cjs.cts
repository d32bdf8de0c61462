// A strict TypeScript consumer of the CommonJS entry.
import credcore = require('credcore');

const pair: credcore.KeyPair = credcore.keyPairFromSeed(new Uint8Array(32));
const ok: boolean = credcore.verify('m', credcore.sign('m', pair.secretKey), pair.publicKey);
const err: typeof credcore.CredcoreError = credcore.CredcoreError;
export = { ok, err };
