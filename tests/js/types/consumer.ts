// A strict TypeScript consumer of the ESM entry: every exported name with its declared types.
import {
  init, generateKeyPair, keyPairFromSeed, didFromPublicKey, publicKeyFromDid, publicKeyToJwk,
  publicKeyFromJwk, jwkThumbprint, sign, verify, verifySignatures, hash, hashBatch, errorCodes,
  version, wasmModule, CredcoreError, createSession, validateSession, SessionStore,
  Verifier,
} from 'credcore';
import type { CacheOptions, CacheStats, VerifierStats, VerificationResult, ErrorCode, KeyPair, PublicJwk, SignatureItem, HashAlgorithm, Session, SessionStoreStats } from 'credcore';

await init();
const pair: KeyPair = keyPairFromSeed(new Uint8Array(32));
const other: KeyPair = generateKeyPair();
const did: string = didFromPublicKey(pair.publicKey);
const pk: Uint8Array = publicKeyFromDid(did);
const jwk: PublicJwk = publicKeyToJwk(pk);
const back: Uint8Array = publicKeyFromJwk(jwk);
const tp: string = jwkThumbprint(back);
const sig: Uint8Array = sign('hello', pair.secretKey);
const ok: boolean = verify('hello', sig, other.publicKey);
const items: SignatureItem[] = [{ message: 'hello', signature: sig, publicKey: pair.publicKey }];
const flags: boolean[] = verifySignatures(items);
const alg: HashAlgorithm = 'sha-384';
const digest: Uint8Array = hash('abc', alg);
const digests: Uint8Array[] = hashBatch(['a', new Uint8Array(1)]);
const codes: ErrorCode[] = errorCodes();
const v: string = version();
const m: WebAssembly.Module | null = wasmModule();
try {
  publicKeyFromDid('nope');
} catch (e) {
  if (e instanceof CredcoreError) {
    const code: ErrorCode = e.code;
    switch (code) {
      case 'INVALID_DID':
        break;
      default:
        break;
    }
  }
}

const cacheOptions: CacheOptions = { keys: 16, results: 0, resultBytes: 1 << 20, statusLists: 4, ttlSeconds: 60 };
const verifier = new Verifier({ cache: cacheOptions, statusListResolver: async (uri: string) => (uri ? null : undefined) });
const verified: VerificationResult[] = await verifier.verifyBatch([]);
const stats: VerifierStats = verifier.stats();
const resultStats: CacheStats = stats.results;
const ratio: number = resultStats.hitRatio + stats.keys.entries + stats.statusLists.capacity + verified.length;
verifier.clear();
verifier.free();

declare const result: VerificationResult;
const store = new SessionStore({ max: 100, ttlSeconds: 60 });
const { token, session }: { token: string; session: Session } = createSession(result, { key: new Uint8Array(32), ttlSeconds: 60, store });
const again: Session = validateSession(token, { key: new Uint8Array(32), store, now: new Date() });
const revoked: boolean = store.revokeSession(session.id);
const sessionStats: SessionStoreStats = store.stats();


export const used = [tp, ok, flags, digest, digests, codes, v, m, ratio, again, revoked, sessionStats];
