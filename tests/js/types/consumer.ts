// A strict TypeScript consumer of the ESM entry: every runtime export of the package, with its
// declared types (package.test.mjs checks that the value imports below are exactly the
// package's exports; pool.ts goes further into the pool).
import {
  init, wasmModule, loadDataIntegrity, loadKeys, loadIssuing, generateKeyPair, keyPairFromSeed, didFromPublicKey, publicKeyFromDid, publicKeyToJwk,
  publicKeyFromJwk, jwkThumbprint, sign, verify, verifySignatures, hash, hashBatch, errorCodes, version,
  CredcoreError, canonicalize, hmacSha256, hmacBatch, AuditLog, StatusList, verifyCredential,
  verifyPresentation, verifyBatch, issueCredential, createPresentation, Verifier, sdJwt, createSession,
  validateSession, SessionStore, SharedSessionStore, MemoryStore, createPool, instanceMemory, setMaxInstanceMemory,
} from 'credcore';
import { createRedisStore } from 'credcore/redis';
import type { RedisStore, RedisStoreStats } from 'credcore/redis';
import type {
  AnyKeyPair, AuditCheckpoint, AuditEntry, AuditFailure, AuditReport, CacheOptions, CacheStats, ChainHead, DataIntegrityDocument,
  DataIntegrityCryptosuite, DataIntegrityProof, EcKeyPair,
  EcPublicJwk, ErrorCode, HashAlgorithm, JwkSet, JwsAlgorithm, KeyPair, Pool, PublicJwk, Session, SessionStoreStats,
  SignatureItem, SigningAlgorithm, StatusListInfo, StatusListOptions, VerifiableInput, VerificationJwk, VerificationResult,
  VerifierStats, VerifyOptions, Store, StoreStats,
  NonceStats, TwoLevelStats, SharedSessionStoreStats, InstanceMemory,
} from 'credcore';

await init();
await loadIssuing();
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
const mem: InstanceMemory = instanceMemory();
const previousBound: number = setMaxInstanceMemory(mem.maxBytes);
const recycled: number = mem.recycles + mem.pinned + mem.bytes + previousBound + (mem.issuing?.pinned ?? 0);
const issuingLoaded: Promise<void> = loadIssuing(new URL('https://example.test/credcore_issuing_bg.wasm'));
const m: WebAssembly.Module | null = wasmModule();
const ldLoaded: Promise<void> = loadDataIntegrity();
const keysLoaded: Promise<void> = loadKeys(new URL('https://example.test/credcore_keys_bg.wasm'));
const documentLoaded = new Verifier({ documentLoader: async (url: string) => ({ '@context': { url } }) });
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

// Canonical JSON, HMAC and the audit log.
const canonical: string = canonicalize({ b: 1, a: [1e21, 'x'] });
const hmacKey = new Uint8Array(32);
const mac: Uint8Array = hmacSha256(hmacKey, 'event');
const macs: Uint8Array[] = hmacBatch(hmacKey, ['a', new Uint8Array(2)]);
const log = new AuditLog({ hmacKey, keyId: 'k1' });
const entries: AuditEntry<{ action: string }>[] = log.append([{ action: 'verify' }]);
log.rotate(new Uint8Array(32), 'k2');
const head: ChainHead = log.head();
const checkpoint: AuditCheckpoint = log.checkpoint(pair);
const report: AuditReport = AuditLog.verify(entries, { k1: hmacKey });
const reason: AuditFailure | null = report.reason;
const jsonl: string = AuditLog.toJsonl(entries);
const parsed: AuditEntry[] = AuditLog.fromJsonl(jsonl);
const fromHead: AuditReport = AuditLog.verifyFrom(head, parsed, { k1: hmacKey });
const withCheckpoint: AuditReport = AuditLog.verifyWithCheckpoint(parsed, { k1: hmacKey }, checkpoint, pair.did);
log.free();

// Status lists, issuance, presentations and verification.
const listOptions: StatusListOptions = { format: 'ietf', uri: 'https://issuer.example/status/1', size: 1024, bits: 2, issuer: pair };
const list = new StatusList(listOptions);
const idx: number = list.allocate();
list.set(idx, 1);
const status: number | undefined = list.get(idx);
const token: string = list.sign({ now: new Date() });
const info: StatusListInfo = StatusList.describe(token);
const decoded: StatusList = StatusList.decode(token, { issuer: pair });
const entriesInList: number = decoded.size + decoded.bits + list.config.size;
decoded.free();
list.free();
const vc = issueCredential({ credentialSubject: { id: other.did, degree: 'BSc' } }, { issuer: pair, format: 'vc-jwt', expiresIn: 3600 });
const vp = createPresentation([vc], { holder: other, nonce: 'n-1', audience: 'did:web:verifier.example', format: 'vp-jwt' });
const options: VerifyOptions = { trustedIssuers: [pair.did], nonce: 'n-1', audience: 'did:web:verifier.example', now: Date.now(), statusLists: { [listOptions.uri]: token } };
const single: VerificationResult = verifyCredential(vc, options);
const presented: VerificationResult = verifyPresentation(vp, options);
const inputs: VerifiableInput[] = [vc, vp];
const batch: VerificationResult[] = verifyBatch(inputs, options);
const diVc: DataIntegrityDocument = issueCredential({ credentialSubject: { id: other.did } }, { issuer: pair, format: 'data-integrity', cryptosuite: 'eddsa-jcs-2022' });
const diProof: DataIntegrityProof = diVc.proof;
const diVp: DataIntegrityDocument = createPresentation([diVc], { holder: other, nonce: 'n-1', format: 'data-integrity' });
const diFormat: 'data-integrity' | string = verifyBatch([diVc, diVp])[0]?.format ?? diProof.proofValue;
const sd: string = sdJwt.issue({ vct: 'urn:example:pid', given_name: 'Ada' }, { issuer: pair, disclose: ['/given_name'], holderPublicKey: other.publicKey, expiresIn: 3600 });
const sdPresented: string = sdJwt.present(sd, { disclose: ['/given_name'], holder: other, nonce: 'n-1', audience: 'https://verifier.example' });

// ECDSA keys: generated, issuing, holding; issuerKeys and algorithms when verifying.
const signingAlg: SigningAlgorithm = 'ES256';
const p256: EcKeyPair = generateKeyPair({ alg: signingAlg === 'ES256' ? 'ES256' : 'ES384' });
const ecdsaSuite: DataIntegrityCryptosuite = 'ecdsa-jcs-2019';
const ecdsaVc: DataIntegrityDocument = issueCredential({ credentialSubject: {} }, { issuer: p256, format: 'data-integrity', cryptosuite: ecdsaSuite });
const ecdsaVp: DataIntegrityDocument = createPresentation([ecdsaVc], { holder: p256, nonce: 'n-1', format: 'data-integrity', cryptosuite: 'ecdsa-jcs-2019' });
const p384: EcKeyPair = keyPairFromSeed(new Uint8Array(48).fill(1), { alg: 'ES384' });
const anyPair: AnyKeyPair = Math.random() > 0.5 ? p256 : pair;
const ecJwk: EcPublicJwk = p256.publicJwk;
const ecThumbprint: string = jwkThumbprint(ecJwk);
const es256Vc = issueCredential({ credentialSubject: { id: p384.did } }, { issuer: p256, format: 'vc-jwt' });
const es384Sd: string = sdJwt.issue({ vct: 'urn:example:pid' }, { issuer: p384, holderPublicKey: p256.publicJwk });
const es256Kb: string = sdJwt.present(es384Sd, { holder: p256, nonce: 'n', audience: 'a' });
const trustedJwk: VerificationJwk = { ...p256.publicJwk, kid: 'key-1', alg: 'ES256' };
const jwks: JwkSet = { keys: [trustedJwk, { kty: 'RSA', n: 'AQAB', e: 'AQAB' }] };
const algorithms: JwsAlgorithm[] = ['ES256', 'EdDSA'];
const keyed: VerifyOptions = { algorithms, issuerKeys: { 'https://issuer.example': jwks, 'did:web:issuer.example': trustedJwk } };
const keyedResults: VerificationResult[] = verifyBatch([es256Vc as string, es256Kb], keyed);
const sdResult: VerificationResult = sdJwt.verify(sdPresented, { nonce: 'n-1', audience: 'https://verifier.example' });

// The caching Verifier.
const cacheOptions: CacheOptions = { keys: 16, results: 0, resultBytes: 1 << 20, statusLists: 4, ttlSeconds: 60 };
const verifier = new Verifier({ cache: cacheOptions, statusListResolver: async (uri: string) => (uri ? null : undefined) });
const verified: VerificationResult[] = await verifier.verifyBatch([]);
const stats: VerifierStats = verifier.stats();
const resultStats: CacheStats = stats.results;
const ratio: number = resultStats.hitRatio + stats.keys.entries + stats.statusLists.capacity + verified.length;
verifier.clear();
verifier.free();

// The shared store, nonces and shared sessions.
const memory: Store = new MemoryStore({ max: 1000 });
const wrote: boolean = await memory.setIfAbsent('k', 'v', { ttlMs: 1000 });
const previous: (string | null)[] = await memory.replaceMany([{ key: 'k', value: 'used' }]);
const storeStats: StoreStats = memory.stats();
const redisStore: RedisStore = createRedisStore({ url: 'redis://127.0.0.1:1', prefix: 'types:', commandTimeoutMs: 100 });
const connected: boolean = redisStore.isReady;
const redisStats: RedisStoreStats = redisStore.stats();
await redisStore.close();
const shared = new Verifier({ store: memory, consumeNonce: false });
const nonce: string = await shared.issueNonce({ ttlSeconds: 60 });
const consumed: VerificationResult = await shared.verify(vp, { consumeNonce: true, nonce });
const levels: TwoLevelStats = shared.stats().levels.statusLists;
const nonceStats: NonceStats = shared.stats().nonces;
const sharedStoreStats: StoreStats | null = shared.stats().store;
shared.free();
const sharedSessions = new SharedSessionStore({ store: memory, ttlSeconds: 600 });
const sharedCreated: { token: string; session: Session } = await createSession(consumed, { key: new Uint8Array(32), store: sharedSessions });
const sharedBack: Session = await sharedSessions.validate(sharedCreated.token, { key: new Uint8Array(32) });
const sharedRevoked: boolean = await sharedSessions.revokeSession(sharedBack.id);
const sharedSessionStats: SharedSessionStoreStats = sharedSessions.stats();

// Sessions.
const store = new SessionStore({ max: 100, ttlSeconds: 60 });
const created: { token: string; session: Session } = createSession(single, { key: new Uint8Array(32), ttlSeconds: 60, store });
const again: Session = validateSession(created.token, { key: new Uint8Array(32), store, now: new Date() });
const revoked: boolean = store.revokeSession(created.session.id);
const sessionStats: SessionStoreStats = store.stats();

// The pool (see pool.ts for the rest of its surface).
const pool: Pool = await createPool({ workers: 1 });
const pooled: VerificationResult = await pool.verify(vc);
await pool.close();

export const used = [
  tp, ok, flags, digest, digests, codes, v, m, canonical, mac, macs, reason, fromHead, withCheckpoint, status,
  info, entriesInList, presented, batch, sdResult, ratio, again, revoked, sessionStats, pooled, anyPair, ecThumbprint,
  keyedResults, wrote, previous, storeStats, connected, redisStats, levels, nonceStats, sharedStoreStats, sharedRevoked,
  sharedSessionStats, diFormat, ldLoaded, keysLoaded, issuingLoaded, documentLoaded, recycled,
];
