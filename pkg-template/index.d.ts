// credcore: TypeScript declarations for the public API (Node and browser entry points).
// Over 500 lines in one file on purpose: the build copies it to index.d.cts for require(), and
// split files would each need an ESM and a CommonJS copy. Sections: errors, keys and signatures,
// hashing and audit, status lists, verification, the shared store, SD-JWT, sessions, the worker
// pool.

/**
 * Every stable error code. Generated at build time from the core's list (src/error.rs, by
 * scripts/gen-shared.mjs), so that the Rust enum and this union are one list.
 */
export type ErrorCode = /* @generated: the codes of src/error.rs */ string;

/** Every failure is thrown as a CredcoreError; switch on `code`. */
export declare class CredcoreError extends Error {
  constructor(code: ErrorCode, message: string, path?: string);
  readonly name: 'CredcoreError';
  /** The stable code. */
  readonly code: ErrorCode;
  /** Where in the input the failure is, e.g. `[3].signature`. */
  readonly path?: string;
}

/** Bytes, or a string taken as UTF-8. */
export type BytesLike = Uint8Array | string;

/**
 * The JWS algorithms credcore verifies (`Ed25519` is RFC 9864's name for EdDSA over Ed25519).
 * `none`, HMAC and anything else are `UNSUPPORTED_ALGORITHM`.
 */
export type JwsAlgorithm = 'EdDSA' | 'Ed25519' | 'ES256' | 'ES384' | 'ES256K' | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

/** The algorithms keys are generated for and credentials issued with. */
export type SigningAlgorithm = 'EdDSA' | 'ES256' | 'ES384' | 'ES256K';

/** A public OKP JWK for Ed25519. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** The public key, base64url. */
  x: string;
}

/** A public EC JWK (RFC 7518 section 6.2; secp256k1: RFC 8812). */
export interface EcPublicJwk {
  kty: 'EC';
  crv: 'P-256' | 'P-384' | 'secp256k1';
  /** The affine x coordinate, base64url, the full field length. */
  x: string;
  /** The affine y coordinate, base64url, the full field length. */
  y: string;
}

/** A public RSA JWK (RFC 7518 section 6.3), 2048 to 4096 bits. */
export interface RsaPublicJwk {
  kty: 'RSA';
  /** The modulus, base64url, minimal. */
  n: string;
  /** The public exponent, base64url, minimal. */
  e: string;
}

/**
 * A public JWK of any type credcore verifies with, as `issuerKeys` and `cnf.jwk` take them. A
 * `kid` names it; an `alg` restricts it to that algorithm; `use` (if any) must be `sig` and
 * `key_ops` (if any) must include `verify`. Private JWKs (with `d`) are refused.
 */
export type VerificationJwk = (PublicJwk | EcPublicJwk | RsaPublicJwk) & {
  kid?: string;
  alg?: JwsAlgorithm;
  use?: 'sig';
  key_ops?: string[];
};

/** A JWK Set (RFC 7517 section 5). */
export interface JwkSet {
  keys: VerificationJwk[];
}

/** An Ed25519 key pair with its did:key identifiers. */
export interface KeyPair {
  /** `EdDSA`. */
  alg: 'EdDSA';
  /** 32-byte public key. */
  publicKey: Uint8Array;
  /** 32-byte secret key (RFC 8032 seed). Keep it secret. */
  secretKey: Uint8Array;
  /** `did:key:z6Mk...` */
  did: string;
  /** `did:key:z6Mk...#z6Mk...` */
  kid: string;
  /** The public key as an OKP JWK. */
  publicJwk: PublicJwk;
}

/** An ECDSA key pair (P-256 for ES256, P-384 for ES384, secp256k1 for ES256K) with its did:key identifiers. */
export interface EcKeyPair {
  alg: 'ES256' | 'ES384' | 'ES256K';
  /** The compressed SEC 1 public point: 33 bytes (P-256, secp256k1) or 49 (P-384). */
  publicKey: Uint8Array;
  /** The secret scalar, big-endian: 32 bytes (P-256, secp256k1) or 48 (P-384). Keep it secret. */
  secretKey: Uint8Array;
  /** `did:key:zDn...` (P-256) or `did:key:z82...` (P-384). */
  did: string;
  /** `did:key:zDn...#zDn...` */
  kid: string;
  /** The public key as an EC JWK. */
  publicJwk: EcPublicJwk;
}

/** Any key pair credcore generates. */
export type AnyKeyPair = KeyPair | EcKeyPair;

/** What signs: a key pair's secret and its algorithm (`EdDSA` when absent). */
export interface SigningKeyLike {
  secretKey: Uint8Array;
  alg?: SigningAlgorithm;
}

/** One signature for `verifySignatures`. */
export interface SignatureItem {
  message: BytesLike;
  /** 64 bytes. */
  signature: Uint8Array;
  /** 32 bytes. */
  publicKey: Uint8Array;
}

/** Hash algorithms. */
export type HashAlgorithm = 'sha-256' | 'sha-384' | 'sha-512';

/**
 * Loads the wasm module (browsers); resolves at once in Node. Idempotent.
 * @param input a URL, bytes, a Response or a compiled WebAssembly.Module; defaults to the .wasm beside the module.
 */
export declare function init(input?: URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module): Promise<void>;

/** The compiled WebAssembly.Module once initialized (to hand to workers), else null. */
export declare function wasmModule(): WebAssembly.Module | null;

/**
 * Loads the Data Integrity module (`credcore_ld_bg.wasm`: JSON-LD and RDFC-1.0, for
 * eddsa-rdfc-2022 and Ed25519Signature2020 proofs). Idempotent. In Node it loads itself on the
 * first item that needs it; in browsers a Verifier loads it when a batch needs it, and the
 * synchronous module functions answer such items `NOT_INITIALIZED` until it is loaded.
 * @example await loadDataIntegrity(); verifyCredential(rdfcCredential).valid;
 * @param source a URL, bytes, a Response or a compiled WebAssembly.Module; defaults to credcore_ld_bg.wasm beside the module.
 */
export declare function loadDataIntegrity(source?: URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module): Promise<void>;

/**
 * Loads the keys module (`credcore_keys_bg.wasm`: X.509 path validation of `x5c` certificate
 * chains; ECDSA and RSA in wasm; ECDSA keys and signing). Idempotent. In Node it loads itself on
 * the first chain (or `trustAnchors` option) to check or ECDSA key to make; in browsers a Verifier
 * loads it when a batch needs it (x5c, ES256K), and until it is loaded the synchronous module
 * functions answer items whose key an `x5c` chain certifies, and every ECDSA or RSA signature,
 * `NOT_INITIALIZED`, and making or signing with an ECDSA key throws `NOT_INITIALIZED`.
 * @example await loadKeys(); verifyCredential(x5cCredential, { trustAnchors: [rootPem] }).valid;
 * @param source a URL, bytes, a Response or a compiled WebAssembly.Module; defaults to credcore_keys_bg.wasm beside the module.
 */
export declare function loadKeys(source?: URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module): Promise<void>;

/**
 * Loads the issuing module (`credcore_issuing_bg.wasm`: `issueCredential`, `createPresentation`,
 * `sdJwt.issue` and `sdJwt.present`, `StatusList`, `AuditLog`, sessions and `SessionStore`,
 * `generateKeyPair`, `keyPairFromSeed`, `sign`), kept out of the default module, which verifies.
 * Idempotent. In Node it loads itself on first use; in browsers those functions throw
 * `NOT_INITIALIZED` until it is loaded.
 * @example await init(); await loadIssuing(); const issuer = generateKeyPair();
 * @param source a URL, bytes, a Response or a compiled WebAssembly.Module; defaults to credcore_issuing_bg.wasm beside the module.
 */
export declare function loadIssuing(source?: URL | string | ArrayBuffer | Uint8Array | Response | WebAssembly.Module): Promise<void>;

/** A new Ed25519 key pair from the platform CSPRNG. Browsers: after `await loadIssuing()`. */
export declare function generateKeyPair(options?: { alg?: 'EdDSA' }): KeyPair;
/**
 * A new ECDSA key pair (P-256 for ES256, P-384 for ES384, secp256k1 for ES256K) from the platform
 * CSPRNG. Browsers: after `await loadIssuing()` and `await loadKeys()` (else NOT_INITIALIZED).
 */
export declare function generateKeyPair(options: { alg: 'ES256' | 'ES384' | 'ES256K' }): EcKeyPair;
/** The key pair of a 32-byte Ed25519 seed. Throws MALFORMED_INPUT for another length. Browsers: after `await loadIssuing()`. */
export declare function keyPairFromSeed(seed: Uint8Array, options?: { alg?: 'EdDSA' }): KeyPair;
/**
 * The key pair of an ECDSA secret scalar (32 bytes for ES256 and ES256K, 48 for ES384); INVALID_KEY
 * when out of range. Browsers: after `await loadIssuing()` and `await loadKeys()` (else NOT_INITIALIZED).
 */
export declare function keyPairFromSeed(seed: Uint8Array, options: { alg: 'ES256' | 'ES384' | 'ES256K' }): EcKeyPair;
/** The did:key of a public key. Throws INVALID_KEY for a bad key. */
export declare function didFromPublicKey(publicKey: Uint8Array): string;
/** The public key of an Ed25519 did:key. Throws INVALID_DID for anything else. */
export declare function publicKeyFromDid(did: string): Uint8Array;
/** The OKP JWK of a public key. */
export declare function publicKeyToJwk(publicKey: Uint8Array): PublicJwk;
/** The public key of an OKP Ed25519 JWK. */
export declare function publicKeyFromJwk(jwk: PublicJwk | string): Uint8Array;
/** The RFC 7638 thumbprint (base64url) of an Ed25519 public key or a public JWK of any supported type. */
export declare function jwkThumbprint(key: Uint8Array | VerificationJwk): string;
/** Signs a message; returns the 64-byte signature. Browsers: after `await loadIssuing()`. */
export declare function sign(message: BytesLike, secretKey: Uint8Array): Uint8Array;
/** Verifies one signature under the strict policy. Throws MALFORMED_INPUT for wrong lengths. */
export declare function verify(message: BytesLike, signature: Uint8Array, publicKey: Uint8Array): boolean;
/** Verifies many signatures in one batch verification; `result[i]` is what `verify` says of `items[i]`. */
export declare function verifySignatures(items: readonly SignatureItem[]): boolean[];

/** The SHA-2 digest of bytes or a string. */
export declare function hash(data: BytesLike, alg?: HashAlgorithm): Uint8Array;
/** The digests of many items in one call. */
export declare function hashBatch(items: readonly BytesLike[], alg?: HashAlgorithm): Uint8Array[];

/** Every error code, in the core's order. */
export declare function errorCodes(): ErrorCode[];
/** The package version. */
export declare function version(): string;

/** This thread's wasm instance: its linear memory now, the bound, recycles so far, live objects that pin it. */
export interface InstanceMemory {
  /** Bytes of linear memory (its high-water mark: wasm memory never shrinks). */
  bytes: number;
  /** The bound past which the instance is replaced after a call (0: never). */
  maxBytes: number;
  /** Times it was replaced for going past the bound. */
  recycles: number;
  /** Live objects whose state lives in the instance, which is not recycled while one is alive (none: those of `AuditLog`, `SessionStore` and `StatusList` live in the issuing module's). */
  pinned: number;
  /**
   * The issuing module's instance (`loadIssuing()`), under the same bound; null until it is loaded.
   * `pinned`: live `AuditLog`, `SessionStore` and `StatusList` objects.
   */
  issuing: { bytes: number; recycles: number; pinned: number } | null;
}

/**
 * This thread's wasm instance memory. After a call that took it past the bound (default 64 MiB),
 * the instance is replaced by a fresh one of the same module, as after a trap: results do not
 * change, a `Verifier`'s caches start empty. The issuing module's instance likewise, never while
 * an `AuditLog`, `SessionStore` or `StatusList` is alive and not freed.
 * @example const { bytes, recycles } = instanceMemory();
 */
export declare function instanceMemory(): InstanceMemory;

/**
 * Sets the bound of this thread's wasm instance memory in bytes (0: never recycle; at least 1 MiB
 * otherwise; default 64 MiB) and returns the previous one. Pools take `maxInstanceMemory`.
 * @example setMaxInstanceMemory(128 * 1024 * 1024);
 */
export declare function setMaxInstanceMemory(bytes: number): number;

// ---- canonical JSON, HMAC, audit log ---------------------------------------------------------

/** RFC 8785 canonical JSON of a value. Throws MALFORMED_INPUT for NaN/Infinity or non-JSON values. */
export declare function canonicalize(value: unknown): string;
/** HMAC-SHA-256 of bytes or a string. */
export declare function hmacSha256(key: Uint8Array, data: BytesLike): Uint8Array;
/** HMAC-SHA-256 of many items in one call. */
export declare function hmacBatch(key: Uint8Array, items: readonly BytesLike[]): Uint8Array[];

/** The head of an audit chain: how many entries, and the last entry's hash (hex). */
export interface ChainHead {
  count: number;
  headHash: string;
}

/** One audit log entry. Hashes and MACs are 64 lowercase hex characters. */
export interface AuditEntry<E = unknown> {
  seq: number;
  prevHash: string;
  hash: string;
  mac: string;
  keyId: string;
  /** Milliseconds since the epoch when appended. */
  time: number;
  event: E;
}

/** An Ed25519-signed checkpoint over a chain head. */
export interface AuditCheckpoint {
  count: number;
  headHash: string;
  /** The signer's did:key. */
  signer: string;
  /** base64url Ed25519 signature. */
  signature: string;
}

/** Why a chain failed verification. */
export type AuditFailure =
  | 'modified' | 'deleted' | 'reordered' | 'inserted' | 'bad_mac' | 'unknown_key'
  | 'truncated' | 'bad_checkpoint' | 'checkpoint_mismatch';

/** The outcome of verifying an audit chain. */
export interface AuditReport {
  valid: boolean;
  /** Entries checked before the first failure (all of them when valid). */
  checked: number;
  /** Index (in the given array) of the first bad entry, or null. */
  firstInvalid: number | null;
  reason: AuditFailure | null;
}

/** Why a chain failed in `AuditLog.verifyChains`: a chain's own failure, or one of the set. */
export type AuditChainFailure = AuditFailure | 'no_checkpoint' | 'untrusted_signer' | 'foreign_entry';

/** The outcome of `AuditLog.verifyChains`. */
export interface AuditChainsReport {
  /** Every chain verified and none expected is missing. */
  valid: boolean;
  /** Per chain id. */
  chains: Record<string, { valid: boolean; checked: number; firstInvalid: number | null; reason: AuditChainFailure | null }>;
  /** Expected chain ids (`options.expected`) that were not given. */
  missing: string[];
  /** The first failure: its chain, the index of its entry (null when the chain as a whole failed), why. */
  firstInvalid: { chain: string; index: number | null; reason: AuditChainFailure } | null;
}

/** A hash-chained, HMAC-tagged, append-only audit log. */
export declare class AuditLog {
  /** With `chainId` (one chain per process: see `registerChain`), every event appended is `{ chain: chainId, ...event }` (events must be objects). */
  constructor(options: { hmacKey: Uint8Array; keyId: string; head?: ChainHead; chainId?: string });
  /** The chain id given at construction. */
  readonly chainId: string | undefined;
  /** Appends events; returns their entries. */
  append<E>(events: readonly E[]): AuditEntry<E>[];
  /** Signs a checkpoint and publishes it in the shared store as this chain's latest (kept `ttlSeconds`, default 30 days); rejects with STORE_UNAVAILABLE when it cannot. */
  publish(store: Store, signer: Pick<KeyPair, 'secretKey'>, options?: { ttlSeconds?: number }): Promise<AuditCheckpoint>;
  /** Claims the next free chain id (`chain-N`) in the shared store, atomically: no two processes get the same. */
  static registerChain(store: Store, options?: { ttlSeconds?: number }): Promise<string>;
  /** The chains registered in the store, in order, with their latest published checkpoints. */
  static listChains(store: Store): Promise<{ chainId: string; checkpoint: AuditCheckpoint | null }[]>;
  /**
   * Verifies the chains of several processes together: each against its checkpoint (signed by one
   * of `trustedSigners`), each entry naming its own chain, and none of `expected` missing.
   * @example const listed = await AuditLog.listChains(store);
   *   const report = AuditLog.verifyChains(exported, keys, [signer.did], { expected: listed.map((c) => c.chainId) });
   */
  static verifyChains(chains: Record<string, { entries: readonly AuditEntry[]; checkpoint: AuditCheckpoint | null }>, keys: Record<string, Uint8Array>, trustedSigners: readonly string[], options?: { expected?: readonly string[] }): AuditChainsReport;
  /** Uses a new HMAC key and key id from now on. */
  rotate(hmacKey: Uint8Array, keyId: string): void;
  /** The current head. */
  head(): ChainHead;
  /** A checkpoint over the head, signed with an Ed25519 key pair. */
  checkpoint(signer: Pick<KeyPair, 'secretKey'>): AuditCheckpoint;
  /** Frees the wasm memory of this log. */
  free(): void;
  /** Verifies a whole chain; `keys` maps key ids to HMAC keys. */
  static verify(entries: readonly AuditEntry[], keys: Record<string, Uint8Array>): AuditReport;
  /** Verifies entries continuing from a trusted head. */
  static verifyFrom(head: ChainHead, entries: readonly AuditEntry[], keys: Record<string, Uint8Array>): AuditReport;
  /** Verifies against a checkpoint signed by `trustedSigner` (did:key); detects a cut tail. */
  static verifyWithCheckpoint(entries: readonly AuditEntry[], keys: Record<string, Uint8Array>, checkpoint: AuditCheckpoint, trustedSigner: string): AuditReport;
  /** Entries as JSON Lines. */
  static toJsonl(entries: readonly AuditEntry[]): string;
  /** Entries from JSON Lines (strict). */
  static fromJsonl(text: string): AuditEntry[];
}

// ---- status lists (issuer side) ---------------------------------------------------------------

/** Options for a new status list. */
export interface StatusListOptions {
  /** 'w3c': Bitstring Status List credential; 'ietf': Token Status List token. */
  format: 'w3c' | 'ietf';
  /** The URI the list will be published at (IETF `sub`, W3C credential `id`). */
  uri: string;
  /** Entries; W3C lists have at least 131,072 (the default). */
  size?: number;
  /** Bits per entry: 1, 2, 4 or 8 (default 1). */
  bits?: number;
  /** W3C `statusPurpose`: 'revocation' (default), 'suspension' or 'message'. */
  purpose?: string;
  /** How long verifiers may cache the list (IETF `ttl`, W3C `ttl`). */
  ttlSeconds?: number;
  /** Sets `exp`/`validUntil` this many seconds after signing. */
  validForSeconds?: number;
  /** The signing key pair (did:key); can also be given to `sign()`. */
  issuer?: SigningKeyLike;
}

/** What `StatusList.describe` tells of a signed list. */
export interface StatusListInfo {
  format: 'w3c' | 'ietf';
  uri: string;
  issuer: string;
  size: number;
  bits: number;
  purposes: string[];
  issuedAt: number | null;
  notBefore: number | null;
  expiresAt: number | null;
  ttlMs: number | null;
}

/** A status list an issuer maintains: allocate indices, set statuses, sign. */
export declare class StatusList {
  constructor(options: StatusListOptions);
  /** A random unused index. Throws INPUT_TOO_LARGE when the list is full. */
  allocate(): number;
  /** Sets the status of an entry. Throws MALFORMED_INPUT past the end or for a value wider than `bits`. */
  set(index: number, status: number): void;
  /** The status of an entry (undefined past the end). */
  get(index: number): number | undefined;
  readonly size: number;
  readonly bits: number;
  readonly config: Required<Omit<StatusListOptions, 'issuer' | 'purpose' | 'ttlSeconds' | 'validForSeconds'>> & { purpose: string | null; ttlSeconds: number | null; validForSeconds: number | null };
  /** Encodes and signs the list; returns a compact JWT. */
  sign(options?: { issuer?: SigningKeyLike; now?: Date | number }): string;
  /** Frees the wasm memory. */
  free(): void;
  /** Decodes a signed list (signature checked) to read, update and re-sign it. */
  static decode(list: string, options?: { uri?: string; issuer?: SigningKeyLike }): StatusList;
  /** Describes a signed list (signature checked). */
  static describe(list: string, options?: { uri?: string }): StatusListInfo;
}

// ---- credentials, presentations, verification -------------------------------------------------

/** A failure of one item. */
export interface VerificationError {
  code: ErrorCode;
  message: string;
  /** Where in the item, e.g. `credentials[1].proof.jws`. */
  path?: string;
}

/** A credential inside a result (anon-identity's shape). */
export interface CredentialSummary {
  id?: string;
  issuer: string | null;
  type: string[];
  /** The subject's claims, without `id`. */
  attributes: Record<string, unknown>;
  subject?: string;
  /** Seconds since the epoch. */
  expiresAt?: number;
}

/** What every result holds, valid or not. */
export interface VerificationResultBase {
  valid: boolean;
  format: 'vc-jwt' | 'vc-jose' | 'anon-identity' | 'data-integrity' | 'sd-jwt' | 'unknown';
  kind: 'credential' | 'presentation';
  /** The issuer DID the item names (trust it only when `valid`). */
  issuer: string | null;
  /** The holder DID the item names (trust it only when `valid`). */
  holder: string | null;
  /** Earliest expiry found anywhere in the item (every JWT `exp`, `expirationDate`, `validUntil`), seconds since the epoch. */
  expiresAt: number | null;
}

/** A valid result: its claims are verified. */
export interface ValidVerificationResult extends VerificationResultBase {
  valid: true;
  /** The credential's subject DID, when it names one. */
  subject: string | null;
  /** Verified claims (SD-JWT: only the disclosed ones). */
  claims: Record<string, unknown>;
  /** The verified credentials. */
  credentials: CredentialSummary[];
  /** SD-JWT: JSON pointers of the disclosed claims. */
  disclosed?: string[];
  /** SD-JWT with `cnf`: RFC 7638 thumbprint of the holder's key. */
  holderKeyThumbprint?: string;
  errors: [];
  unverified?: undefined;
}

/** An invalid result: no claims; what the input said is under `unverified`, for diagnostics. */
export interface InvalidVerificationResult extends VerificationResultBase {
  valid: false;
  subject: null;
  claims: null;
  credentials: [];
  disclosed?: undefined;
  holderKeyThumbprint?: undefined;
  /** At least one error. */
  errors: [VerificationError, ...VerificationError[]];
  /** What the input said, for diagnostics. None of it is verified. */
  unverified?: UnverifiedContent;
}

/**
 * The outcome of verifying one item. `valid` is true exactly when `errors` is empty. An invalid
 * result carries no claims: `claims` and `subject` are null, `credentials` is empty and
 * `disclosed` and `holderKeyThumbprint` are absent; what the input said is under `unverified`.
 * Check `valid` to narrow it: `if (result.valid) result.claims.given_name`.
 */
export type VerificationResult = ValidVerificationResult | InvalidVerificationResult;

/** What an invalid item said (see `VerificationResult.unverified`): never verified. */
export interface UnverifiedContent {
  claims: Record<string, unknown> | null;
  credentials: CredentialSummary[];
  disclosed?: string[];
  subject: string | null;
  holderKeyThumbprint?: string;
}

/** A credential or presentation as verification takes it. */
export type VerifiableInput = string | Record<string, unknown>;

/** Verification options. */
export interface VerifyOptions {
  /** Issuer DIDs accepted; absent accepts any issuer whose signature verifies. */
  trustedIssuers?: string[];
  /** The verification time (default: now). */
  now?: Date | number;
  /** Tolerance for times, seconds (default 60). */
  clockSkewSeconds?: number;
  /** Nonce a presentation must carry (SD-JWT: requires key binding). */
  nonce?: string;
  /** Audience a presentation must be addressed to. */
  audience?: string;
  /** SD-JWT: require a key-binding JWT. */
  requireKeyBinding?: boolean;
  /** Require each presented credential's subject to be the holder (default true). */
  holderBinding?: boolean;
  /** SD-JWT VC: accept the older `vc+sd-jwt` typ. */
  acceptLegacyTyp?: boolean;
  /** Status lists fetched by the caller, by URI: a compact JWT, or a list credential secured with a Data Integrity proof (JSON text or object). */
  statusLists?: Record<string, string | Record<string, unknown>>;
  /** Issuers trusted to sign status lists besides each credential's issuer. */
  trustedStatusIssuers?: string[];
  /** Treat a status list that cannot be had as "not revoked" (default false: fail closed). */
  statusFailOpen?: boolean;
  /** Check status lists (default true). */
  checkStatus?: boolean;
  /** Largest input item, bytes (default 1 MiB). */
  maxInputBytes?: number;
  /** Deepest JSON nesting (default 64). */
  maxDepth?: number;
  /** Most credentials in one presentation (default 100). */
  maxCredentials?: number;
  /** Largest inflated status list, bytes (default 16 MiB). */
  maxStatusListBytes?: number;
  /**
   * The JWS algorithms accepted for every signature of an item (credentials, presentations,
   * key-binding JWTs, status lists); default all of JwsAlgorithm. It can only narrow the set.
   */
  algorithms?: JwsAlgorithm[];
  /**
   * Keys the caller trusts per issuer id (a DID or an https URL), for issuers whose DID does not
   * state its key (everything but did:key and did:jwk): a JWK or a JWK Set, chosen by the JWS
   * `kid`. A key that cannot be found is `KEY_UNAVAILABLE`; a key that does not parse fails the
   * call.
   */
  issuerKeys?: Record<string, VerificationJwk | JwkSet>;
  /**
   * Certificates (PEM, or base64 DER) that a JWS header's `x5c` chain may end at. With them, an
   * issuer that is neither a did:key / did:jwk nor in `issuerKeys` gets its key from the leaf of
   * an `x5c` chain validated to one of them (RFC 5280, at the verification time), and the leaf
   * must name the issuer (a URI subjectAltName equal to it, or the DNS name of an https issuer).
   * Failures: `UNTRUSTED_CERTIFICATE`, `CERTIFICATE_EXPIRED`, `CERTIFICATE_NOT_YET_VALID`. At
   * most 256; one that does not parse fails the call.
   */
  trustAnchors?: string[];
}

/** Verifies one credential (VC-JWT, VC-JOSE, Data Integrity or anon-identity JSON, SD-JWT VC). */
export declare function verifyCredential(input: VerifiableInput, options?: VerifyOptions): VerificationResult;
/** Verifies one presentation (VP-JWT, Data Integrity or anon-identity presentation, SD-JWT with key binding). */
export declare function verifyPresentation(input: VerifiableInput, options?: VerifyOptions): VerificationResult;
/** Verifies many items in one call (format detected per item); one result per input, in order. */
export declare function verifyBatch(inputs: readonly VerifiableInput[], options?: VerifyOptions): VerificationResult[];

/** Issuance options. */
export interface IssueCredentialOptions {
  /** The issuer's key pair: it signs with its `alg` (EdDSA, ES256, ES384). */
  issuer: SigningKeyLike;
  /** 'vc-jwt' (default): a compact JWT; 'anon-identity': JSON with `proof.jws` (EdDSA keys only); 'data-integrity': JSON with a `DataIntegrityProof` (eddsa-jcs-2022 or eddsa-rdfc-2022 with EdDSA keys, ecdsa-jcs-2019 or ecdsa-rdfc-2019 with ES256 or ES384 keys; `@context` defaults to VC 2.0). */
  format?: 'vc-jwt' | 'anon-identity' | 'data-integrity';
  /** The Data Integrity cryptosuite (format 'data-integrity'), by default the key's JCS one: 'eddsa-jcs-2022' (EdDSA keys) or 'ecdsa-jcs-2019' (ES256 and ES384 keys); over RDF 'eddsa-rdfc-2022' (EdDSA) or 'ecdsa-rdfc-2019' (ES256, ES384), which need the Data Integrity module (`NOT_INITIALIZED` in a browser before `loadDataIntegrity()`). */
  cryptosuite?: DataIntegrityCryptosuite;
  /** Lifetime in seconds. */
  expiresIn?: number;
  now?: Date | number;
}
/** A JSON credential or presentation as anon-identity makes them (`proof.jws`). */
export type AnonIdentityDocument = Record<string, unknown> & { proof: { type: string; jws: string; [key: string]: unknown } };
/**
 * The Data Integrity cryptosuites credcore issues with: 'eddsa-jcs-2022' (Ed25519) and
 * 'ecdsa-jcs-2019' (P-256 with SHA-256, P-384 with SHA-384) over JCS; 'eddsa-rdfc-2022' (Ed25519)
 * and 'ecdsa-rdfc-2019' (P-256 with SHA-256, P-384 with SHA-384) over RDF (JSON-LD safe mode and
 * RDFC-1.0, through the Data Integrity module: every term of the document must be defined by its
 * contexts, else `JSONLD_INVALID`; a context that is not bundled is `JSONLD_CONTEXT_UNAVAILABLE`).
 * @example const vc = issueCredential(body, { issuer: generateKeyPair({ alg: 'ES256' }), format: 'data-integrity', cryptosuite: 'ecdsa-jcs-2019' });
 * @example await loadDataIntegrity(); // browsers; Node loads it on first use
 *   const vc = issueCredential(body, { issuer, format: 'data-integrity', cryptosuite: 'eddsa-rdfc-2022' });
 */
export type DataIntegrityCryptosuite = 'eddsa-jcs-2022' | 'ecdsa-jcs-2019' | 'eddsa-rdfc-2022' | 'ecdsa-rdfc-2019';
/** A Data Integrity proof (W3C VC Data Integrity 1.0 section 2.1). */
export interface DataIntegrityProof {
  type: 'DataIntegrityProof';
  cryptosuite: string;
  /** XML Schema dateTimeStamp, e.g. `2025-06-15T14:00:00Z`. */
  created?: string;
  /** A DID URL: `did:key:z6Mk...#z6Mk...`. */
  verificationMethod: string;
  /** 'assertionMethod' (credentials) or 'authentication' (presentations). */
  proofPurpose: string;
  /** A presentation's nonce. */
  challenge?: string;
  /** A presentation's audience. */
  domain?: string | string[];
  /** Multibase base58btc (`z...`) of the signature (Ed25519: 64 bytes; ECDSA: `r || s`, 64 bytes for P-256, 96 for P-384). */
  proofValue: string;
  [key: string]: unknown;
}
/** A JSON credential or presentation secured with a Data Integrity proof. */
export type DataIntegrityDocument = Record<string, unknown> & { proof: DataIntegrityProof };

/**
 * Issues a credential: a compact JWT (vc-jwt, the default) or a JSON credential (anon-identity, data-integrity).
 * @example const jwt = issueCredential({ credentialSubject: { id: holder.did } }, { issuer, format: 'vc-jwt' });
 *   jwt.split('.').length; // 3
 */
export declare function issueCredential(credential: Record<string, unknown>, options: IssueCredentialOptions & { format: 'anon-identity' }): AnonIdentityDocument;
export declare function issueCredential(credential: Record<string, unknown>, options: IssueCredentialOptions & { format: 'data-integrity' }): DataIntegrityDocument;
export declare function issueCredential(credential: Record<string, unknown>, options: IssueCredentialOptions & { format?: 'vc-jwt' | undefined }): string;
export declare function issueCredential(credential: Record<string, unknown>, options: IssueCredentialOptions): string | AnonIdentityDocument | DataIntegrityDocument;

/** Presentation options. */
export interface CreatePresentationOptions {
  /** The holder's key pair: it signs with its `alg` (EdDSA, ES256, ES384). */
  holder: SigningKeyLike;
  /** 'vp-jwt' (default), 'anon-identity' (EdDSA keys only), or 'data-integrity' (eddsa-jcs-2022 or eddsa-rdfc-2022 with EdDSA keys, ecdsa-jcs-2019 or ecdsa-rdfc-2019 with ES256 or ES384 keys; the nonce becomes the proof's `challenge`, the audience its `domain`). */
  format?: 'vp-jwt' | 'anon-identity' | 'data-integrity';
  /** The Data Integrity cryptosuite (format 'data-integrity'), by default the key's JCS one: 'eddsa-jcs-2022' (EdDSA keys) or 'ecdsa-jcs-2019' (ES256 and ES384 keys); over RDF 'eddsa-rdfc-2022' (EdDSA) or 'ecdsa-rdfc-2019' (ES256, ES384), which need the Data Integrity module (`NOT_INITIALIZED` in a browser before `loadDataIntegrity()`). */
  cryptosuite?: DataIntegrityCryptosuite;
  nonce?: string;
  audience?: string;
  now?: Date | number;
}
/** Creates a presentation of credentials, signed by the holder: a VP-JWT (the default), an anon-identity or a Data Integrity presentation. */
export declare function createPresentation(credentials: readonly VerifiableInput[], options: CreatePresentationOptions & { format: 'anon-identity' }): AnonIdentityDocument;
export declare function createPresentation(credentials: readonly VerifiableInput[], options: CreatePresentationOptions & { format: 'data-integrity' }): DataIntegrityDocument;
export declare function createPresentation(credentials: readonly VerifiableInput[], options: CreatePresentationOptions & { format?: 'vp-jwt' | undefined }): string;
export declare function createPresentation(credentials: readonly VerifiableInput[], options: CreatePresentationOptions): string | AnonIdentityDocument | DataIntegrityDocument;

/** Statistics of one cache (counters are cumulative; `clear()` keeps them). */
export interface CacheStats {
  /** Lookups that found a fresh entry. */
  hits: number;
  /** Lookups that found nothing usable (absent, expired, or relying on a list no longer in force). */
  misses: number;
  /** Fresh entries removed to make room. */
  evictions: number;
  /** Entries removed because their deadline had passed. */
  expirations: number;
  /** Entries held now. */
  entries: number;
  /** Most entries held at once (0: the cache is off). */
  capacity: number;
  /** hits / (hits + misses), 0 when unused. */
  hitRatio: number;
}

/** Hits and misses of one cache level. */
export interface LevelStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0 when unused. */
  hitRatio: number;
}

/** A cache in two levels: `l1` this process's memory, `l2` the shared store (all zero without one). */
export interface TwoLevelStats {
  l1: LevelStats;
  /** `writes`: entries written for other processes; `errors`: store calls that failed (then memory served). */
  l2: LevelStats & { writes: number; errors: number };
}

/** Counts of single-use nonces in this process. */
export interface NonceStats {
  /** Nonces issued (`issueNonce`). */
  issued: number;
  /** Nonces consumed by a valid presentation. */
  consumed: number;
  /** Presentations refused with `NONCE_REPLAYED`. */
  replayed: number;
  /** Presentations whose nonce was not issued here or had expired (`NONCE_MISMATCH`). */
  unknown: number;
  /** Valid items that carried no signed nonce (`NONCE_MISMATCH`). */
  missing: number;
  /** Issues and checks the store could not answer (`STORE_UNAVAILABLE`). */
  unavailable: number;
}

/** What `Verifier.stats()` returns. */
export interface VerifierStats {
  /** Issuer keys (decoded did:key). */
  keys: CacheStats;
  /** Verification results. */
  results: CacheStats;
  /** Decoded status lists. */
  statusLists: CacheStats;
  /** Validated `x5c` certificate chains (sized by `cache.keys`), each held until its earliest `notAfter`. */
  certificateChains: CacheStats;
  /** Lists fetched through `statusListResolver`, by level. */
  levels: { statusLists: TwoLevelStats };
  nonces: NonceStats;
  /** The shared store's counts, or null without a `store`. */
  store: StoreStats | null;
}

/** Cache sizes (entries) and lifetime; a size of 0 turns that cache off. */
export interface CacheOptions {
  /** Issuer keys (default 1,024). */
  keys?: number;
  /** Verification results (default 10,000). */
  results?: number;
  /** Most bytes the result cache holds, counting each input and its result's JSON (default 64 MiB). */
  resultBytes?: number;
  /** Decoded status lists, and lists fetched through `statusListResolver` (default 64). */
  statusLists?: number;
  /** Longest life of an entry, seconds (default 300); results never outlive the credential's expiry or a list they used. */
  ttlSeconds?: number;
}

/** Options of the verification of a `Verifier` or a pool (not of the module functions). */
export interface NonceOptions {
  /**
   * Accept each presentation's nonce once (from `issueNonce`), across every process sharing the
   * `store`: a nonce already used is `NONCE_REPLAYED`, one not issued here or expired
   * `NONCE_MISMATCH`, and one the store cannot check `STORE_UNAVAILABLE` (never valid). The nonce
   * is the one the holder signed (a VP-JWT's `nonce`, an SD-JWT's key-binding JWT's, which this
   * makes required), consumed only when the item is otherwise valid, so forgeries burn none.
   */
  consumeNonce?: boolean;
}

/** A DID document as a `didResolver` returns it (DID Core 1.0 section 5): only `id`, `verificationMethod`, `assertionMethod` and `authentication` are read. */
export interface DIDDocument {
  id: string;
  verificationMethod?: Array<{ id: string; type: string; controller: string; publicKeyJwk?: Record<string, unknown>; publicKeyMultibase?: string }>;
  assertionMethod?: Array<string | Record<string, unknown>>;
  authentication?: Array<string | Record<string, unknown>>;
  [member: string]: unknown;
}

/** Where issuer and holder keys come from beyond in-band DIDs and `issuerKeys` (a Verifier or a pool; given at construction). */
export interface KeyFetchOptions {
  /**
   * Fetches key documents over https: did:web DID documents (`did:web:example.com:user:alice` ->
   * `https://example.com/user/alice/did.json`), JWT VC Issuer Metadata of https issuers
   * (`/.well-known/jwt-vc-issuer`) and the JWK Sets their `jwks_uri` names. Called as
   * `fetch(url, { signal, redirect: 'manual', headers })`, so `globalThis.fetch` fits; redirects are
   * followed only to https (at most 3), bodies read up to 256 KiB. Only for items that nothing else
   * already failed, at most 64 documents per call. Without it (and `didResolver`), nothing is fetched.
   */
  fetch?: (url: string, init?: { signal: AbortSignal; redirect: 'manual'; headers: Record<string, string> }) => Promise<string | Response>;
  /** Resolves a DID of any method (and did:web when there is no `fetch`) to its DID document, a resolution result `{ didDocument }`, its JSON text, or null. */
  didResolver?: (did: string) => Promise<DIDDocument | { didDocument: DIDDocument } | string | null | undefined>;
  /** Longest one document may take (redirects and body included), ms (default 5,000, at most 60,000). */
  fetchTimeoutMs?: number;
  /**
   * JSON-LD contexts beyond the bundled ones, for Data Integrity proofs over RDF
   * (eddsa-rdfc-2022, Ed25519Signature2020): asked only for the contexts that items which passed
   * every other check need, at most 16 per call; the Verifier or pool holds what it answered (64
   * contexts, 256 KiB each). An option of a Verifier or of `createPool` (there it runs on the main
   * thread, each load at most `fetchTimeoutMs`, and what it answers is handed to every worker of
   * that pool, and to no one else), never a call's. A loader that throws, answers anything but a
   * JSON object, or answers late leaves those items `JSONLD_CONTEXT_UNAVAILABLE`. Without it, an
   * unknown context is `JSONLD_CONTEXT_UNAVAILABLE` naming its URL; nothing is fetched.
   */
  documentLoader?: (url: string) => Promise<object | string>;
}

/** Options of a Verifier. */
export interface VerifierOptions extends VerifyOptions, NonceOptions, KeyFetchOptions {
  cache?: CacheOptions;
  /**
   * The store shared by the processes of a service (`createRedisStore()` from credcore/redis):
   * lists fetched through `statusListResolver` are shared through it (a second cache level: the
   * signed text, checked again by every process that loads it), and nonces of `issueNonce` are
   * single use across all of them. Default: a memory store of this Verifier's own (its nonces
   * then hold for it alone; pass one `MemoryStore` to share them within a process).
   */
  store?: Store;
  /** Fetches a status list by URI (a compact JWT, or a Data Integrity list credential as JSON text or object): only for lists that decide a verdict (items that nothing else fails), once per distinct URI per batch, cached. */
  statusListResolver?: (uri: string) => Promise<string | Record<string, unknown> | null | undefined> | string | Record<string, unknown> | null | undefined;
  /** Appends one event per verification: `{ type, inputDigest, valid, format, issuer, codes, time }`. */
  audit?: AuditLog;
}

/**
 * A verifier with fixed options and caches (issuer keys, results, status lists). Its ECDSA and
 * RSA signatures are settled by the host in a round of its needs loop: node:crypto on Node's
 * crypto threads, WebCrypto in browsers (P-256, P-384, RSA; secp256k1 in wasm), with the same
 * verdicts as in wasm.
 */
export declare class Verifier {
  constructor(options?: VerifierOptions);
  verify(input: VerifiableInput, options?: VerifyOptions & NonceOptions & Pick<VerifierOptions, 'statusListResolver'>): Promise<VerificationResult>;
  verifyBatch(inputs: readonly VerifiableInput[], options?: VerifyOptions & NonceOptions & Pick<VerifierOptions, 'statusListResolver'>): Promise<VerificationResult[]>;
  /**
   * A fresh nonce (128 random bits, base64url) for a presentation, valid `ttlSeconds` (default
   * 300, at most one day), to verify with `consumeNonce: true`. Rejects with `STORE_UNAVAILABLE`
   * when the store cannot record it.
   * @example const nonce = await verifier.issueNonce({ ttlSeconds: 120 });
   */
  issueNonce(options?: { ttlSeconds?: number }): Promise<string>;
  stats(): VerifierStats;
  /** Empties this process's caches (not the shared store). */
  clear(): void;
  free(): void;
}

// ---- the shared store -------------------------------------------------------------------------

/** Counts of a store. */
export interface StoreStats {
  kind: 'memory' | 'redis' | (string & {});
  /** Whether it can answer now. */
  ready: boolean;
  /** Calls that went to the store (a batch is one). */
  roundTrips: number;
  /** Keys read or written by those calls. */
  commands: number;
  /** Calls that failed (unavailable, timed out). */
  errors: number;
  /** Keys held (memory). */
  entries?: number;
}

/**
 * What credcore keeps in a store shared by processes (nonces, sessions, the second cache level):
 * strings with an expiry, one atomic write-if-absent and one atomic replace. A store that cannot
 * answer rejects with a `CredcoreError` of code `STORE_UNAVAILABLE`.
 */
export interface Store {
  get(key: string): Promise<string | null>;
  /** One round trip for all the keys. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, options: { ttlMs: number }): Promise<void>;
  /** One round trip for all the entries. */
  setMany(entries: readonly { key: string; value: string; ttlMs: number }[]): Promise<void>;
  /** Atomic: writes only when the key is absent; true when this call wrote it. */
  setIfAbsent(key: string, value: string, options: { ttlMs: number }): Promise<boolean>;
  /** Atomic: the previous value of an existing key, now `value` (expiry kept); null, writing nothing, when absent. */
  replace(key: string, value: string): Promise<string | null>;
  /** `replace` for each entry, in order, in one round trip. */
  replaceMany(entries: readonly { key: string; value: string }[]): Promise<(string | null)[]>;
  /** True when the key existed. */
  delete(key: string): Promise<boolean>;
  stats(): StoreStats;
  close(): Promise<void>;
}

/**
 * The in-memory store, one process's: bounded (`max` keys, default 100,000; the oldest written
 * goes first) and expiring. What a Verifier or pool uses without a `store`.
 * @example const store = new MemoryStore(); await store.setIfAbsent('k', 'v', { ttlMs: 1000 }); // true
 */
export declare class MemoryStore implements Store {
  constructor(options?: { max?: number });
  get(key: string): Promise<string | null>;
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, options: { ttlMs: number }): Promise<void>;
  setMany(entries: readonly { key: string; value: string; ttlMs: number }[]): Promise<void>;
  setIfAbsent(key: string, value: string, options: { ttlMs: number }): Promise<boolean>;
  replace(key: string, value: string): Promise<string | null>;
  replaceMany(entries: readonly { key: string; value: string }[]): Promise<(string | null)[]>;
  delete(key: string): Promise<boolean>;
  stats(): StoreStats;
  /** Forgets everything; later calls reject with `STORE_UNAVAILABLE`. */
  close(): Promise<void>;
}

// ---- SD-JWT ---------------------------------------------------------------------------------------

/** JSON pointers (`/address/street`, `/nationalities/0`) or an sd-jwt-js frame object. */
export type DisclosureSelection = readonly string[] | Record<string, unknown>;

/** SD-JWT issuance options. */
export interface SdJwtIssueOptions {
  issuer: SigningKeyLike;
  /** Claims made selectively disclosable. */
  disclose?: DisclosureSelection;
  /** The holder's public key, written as `cnf.jwk` for key binding: Ed25519 bytes, or a public JWK of any supported type (`holder.publicJwk`). */
  holderPublicKey?: Uint8Array | VerificationJwk;
  /** SD-JWT VC type (required here or as a `vct` claim). */
  vct?: string;
  /** Decoy digests per disclosable object or array. */
  decoys?: number;
  /** Lifetime, seconds. */
  expiresIn?: number;
  /** `_sd_alg` (default sha-256). */
  hashAlg?: HashAlgorithm;
  now?: Date | number;
}

/** SD-JWT presentation options. */
export interface SdJwtPresentOptions {
  /** Claims to disclose (parents are revealed as needed). */
  disclose?: DisclosureSelection;
  /** The holder key pair: adds a key-binding JWT (needs `nonce` and `audience`). */
  holder?: SigningKeyLike;
  nonce?: string;
  audience?: string;
  now?: Date | number;
  /** `'compact'` (the default) or `'json'`: the flattened JWS JSON Serialization (RFC 9901 section 8.2). */
  serialization?: 'compact' | 'json';
}

/**
 * An SD-JWT or SD-JWT+KB in JWS JSON Serialization (RFC 9901 section 8): flattened (`protected`,
 * `signature`, `header`) or general (`signatures`). The unprotected header carries only
 * `disclosures` and `kb_jwt` (in the first signature's header) and an unused `kid`; every other
 * parameter is protected.
 */
export type SdJwtJson =
  | { payload: string; protected: string; signature: string; header?: { disclosures?: string[]; kb_jwt?: string; kid?: string } }
  | { payload: string; signatures: { protected: string; signature: string; header?: { disclosures?: string[]; kb_jwt?: string; kid?: string } }[] };

/** SD-JWT (RFC 9901) and SD-JWT VC. */
export declare const sdJwt: {
  /** Issues an SD-JWT VC (`typ` dc+sd-jwt): `<issuer-jwt>~<disclosure>~...~`. */
  issue(claims: Record<string, unknown>, options: SdJwtIssueOptions): string;
  /** Presents an SD-JWT with only the chosen disclosures, optionally with key binding. */
  present(sdJwt: string, options: SdJwtPresentOptions & { serialization: 'json' }): SdJwtJson & { header: { disclosures: string[]; kb_jwt?: string } };
  present(sdJwt: string, options?: SdJwtPresentOptions): string;
  /**
   * Verifies an SD-JWT presentation, compact or in JWS JSON Serialization (as an object or its
   * JSON text; the first signature of the general form is the one verified); `claims` holds only
   * what was disclosed.
   */
  verify(presentation: string | SdJwtJson, options?: VerifyOptions): VerificationResult;
};

// ---- sessions after verification -------------------------------------------------------------

/** A session: who and what a verification established, until `expiresAt`. */
export interface Session {
  /** 128 random bits, base64url. */
  id: string;
  /** The presentation's holder DID. */
  holder: string | null;
  /** The credential's subject DID. */
  subject: string | null;
  /** The issuer DID. */
  issuer: string | null;
  /** Creation, seconds since the epoch. */
  issuedAt: number;
  /** Expiry, seconds since the epoch (valid while the time is before it). */
  expiresAt: number;
  /** The verified attributes (credentials' `attributes` merged in order, else `claims`). */
  attributes: Record<string, unknown>;
}

/** Options of `createSession`. */
export interface CreateSessionOptions {
  /** HMAC-SHA-256 key, at least 32 random bytes, used for sessions only. */
  key: Uint8Array;
  /** Lifetime, whole seconds from 1 to 366 days (default 3600). */
  ttlSeconds?: number;
  /** Records the session as active in this store. */
  store?: SessionStore;
  now?: Date | number;
}

/** Options of `validateSession`. */
export interface ValidateSessionOptions {
  key: Uint8Array;
  /** Also requires the session to be active in this store (else SESSION_REVOKED). */
  store?: SessionStore;
  now?: Date | number;
}

/** Statistics of a session store. */
export interface SessionStoreStats extends CacheStats {
  /** Sessions revoked while active. */
  revocations: number;
}

/**
 * Creates a session from a valid verification result: `token` is
 * `base64url(payload JSON) "." base64url(HMAC-SHA-256(key, payload part))`. An invalid result
 * is refused with its first error's code. With a `SharedSessionStore`, a promise (see its `create`).
 */
export declare function createSession(result: VerificationResult, options: Omit<CreateSessionOptions, 'store'> & { store: SharedSessionStore }): Promise<{ token: string; session: Session }>;
export declare function createSession(result: VerificationResult, options: CreateSessionOptions): { token: string; session: Session };
/**
 * Validates a session token; throws SESSION_INVALID, SESSION_EXPIRED or (with a store)
 * SESSION_REVOKED. With a `SharedSessionStore`, a promise (see its `validate`).
 */
export declare function validateSession(token: string, options: Omit<ValidateSessionOptions, 'store'> & { store: SharedSessionStore }): Promise<Session>;
export declare function validateSession(token: string, options: ValidateSessionOptions): Session;

/** Counts of a shared session store, in this process. */
export interface SharedSessionStoreStats {
  created: number;
  validated: number;
  /** Validations refused with SESSION_REVOKED (revoked, or unknown to the store). */
  refused: number;
  /** Sessions revoked while active, by this process. */
  revocations: number;
  /** Calls the store could not answer (STORE_UNAVAILABLE). */
  unavailable: number;
}

/**
 * Active sessions on a shared store (Redis, from credcore/redis), for a service of several
 * processes: the allow-list of `SessionStore`, read at every validation, so that a revocation in
 * one process holds in every process at once. Fails closed: a store that cannot answer makes
 * `create` and `validate` reject with `STORE_UNAVAILABLE`.
 * @example const sessions = new SharedSessionStore({ store });
 *   const { token, session } = await sessions.create(result, { key });
 *   await sessions.revokeSession(session.id); // every process: SESSION_REVOKED
 */
export declare class SharedSessionStore {
  /** Each session is held at most `ttlSeconds` (default 3600), never past its own expiry. */
  constructor(options: { store: Store; ttlSeconds?: number });
  create(result: VerificationResult, options: Omit<CreateSessionOptions, 'store'>): Promise<{ token: string; session: Session }>;
  /** The session, or rejects with SESSION_INVALID, SESSION_EXPIRED, SESSION_REVOKED or STORE_UNAVAILABLE. */
  validate(token: string, options: Omit<ValidateSessionOptions, 'store'>): Promise<Session>;
  /** Revokes a session in every process; true when it was active. */
  revokeSession(id: string): Promise<boolean>;
  isActive(id: string): Promise<boolean>;
  stats(): SharedSessionStoreStats;
}

/** Active sessions of this process, bounded and expiring; an allow-list for revocation. */
export declare class SessionStore {
  /** `max` sessions (default 10,000, at most 1,000,000), each kept at most `ttlSeconds` (default 3600). */
  constructor(options?: { max?: number; ttlSeconds?: number });
  /** Revokes a session; true when it was active. */
  revokeSession(id: string, options?: { now?: Date | number }): boolean;
  /** Whether a session is active. */
  isActive(id: string, options?: { now?: Date | number }): boolean;
  /** Forgets every session. */
  clear(): void;
  stats(): SessionStoreStats;
  /** Frees the wasm memory. */
  free(): void;
}

// ---- worker pool ----------------------------------------------------------------------------------

/** Options of `createPool` (`fetch`, `didResolver` and `fetchTimeoutMs` are also accepted under `verifier`; they run on the main thread). */
export interface PoolOptions extends KeyFetchOptions {
  /** Workers to start (default: the number of cores). */
  workers?: number;
  /** Options and caches of each worker's Verifier (functions such as `statusListResolver` stay on the main thread). */
  verifier?: Omit<VerifierOptions, 'audit'>;
  /**
   * The store shared by the processes of a service (`createRedisStore()` from credcore/redis;
   * also accepted as `verifier.store`): the second level of the lists fetched through
   * `statusListResolver`, and single-use nonces (`issueNonce`, `consumeNonce`) across processes.
   */
  store?: Store;
  /** Most items waiting for a worker; a call that would exceed it rejects with `QUEUE_FULL` (default 1,000,000). */
  maxQueue?: number;
  /** Longest a chunk may run before its batch rejects with `TIMEOUT` and its worker is replaced, in ms (default 30,000; 0 for none). */
  taskTimeoutMs?: number;
  /** Most items per chunk (default 512; small batches split into one chunk per worker). */
  chunkSize?: number;
  /** How long `verify()` waits to coalesce calls into one batch, in ms (default 2). */
  maxBatchWaitMs?: number;
  /** Most calls per `verify()` micro-batch (default 256). */
  maxBatchSize?: number;
  /**
   * Bytes of a worker's wasm linear memory past which, after a chunk, the worker replaces its
   * instance with a fresh one of the same module (default 64 MiB; 0: never; at least 1 MiB
   * otherwise). Wasm memory never shrinks, so one large chunk would keep its pages for the
   * worker's life. The worker's caches (keys, results, status lists) start empty again, as after a
   * trap; results do not change. Counted in `metrics().memory.recycles`.
   */
  maxInstanceMemory?: number;
  /**
   * Fetches a status list (a compact JWT) by URI, on the main thread, when a worker needs one that
   * neither the call's `statusLists` nor the worker's own cache holds (also accepted as
   * `verifier.statusListResolver`). One call per URI in flight, however many chunks wait for it.
   * A list it returns is held for `verifier.cache.ttlSeconds` (default 300), at most
   * `verifier.cache.statusLists` lists (default 64; expired ones go first, then the least recently
   * used). One it cannot return (null, undefined, a throw) is not held and is asked for once per
   * batch; its items are `STATUS_UNAVAILABLE` unless `statusFailOpen`.
   */
  statusListResolver?: (uri: string) => Promise<string | Record<string, unknown> | null | undefined> | string | Record<string, unknown> | null | undefined;
  /**
   * The worker script, when it is not where the package looks: browsers, `worker.js` (default:
   * `new URL('./worker.js', import.meta.url)`, which Vite, webpack, Parcel and Next.js rewrite;
   * with esbuild or Rollup copy it beside the bundle or pass its URL); Node, `worker.node.js`
   * (default: the installed package's). A failure to start is `WORKER_FAILED` naming this URL.
   */
  workerUrl?: URL | string;
}

/** Per-call options of `Pool.verifyBatch`: verification options plus progress and cancellation. */
/** What a pool call may say of who makes it. */
export interface PoolCallerOptions {
  /**
   * Who the call is for (a client id, an API key's name, a remote address; at most 256
   * characters): the pool's workers are shared fairly by measured time between callers, so a
   * caller whose items cost more (forged signatures, big inputs) slows itself, not the others.
   * Calls that name no caller share one queue (`''`); a caller's own calls run in order.
   */
  caller?: string;
}

export interface PoolBatchOptions extends VerifyOptions, NonceOptions, PoolCallerOptions {
  /** Called after each chunk completes. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Aborting drops queued chunks, terminates (and replaces) workers running this batch, and rejects with `ABORTED`. */
  signal?: AbortSignal;
}

/** A settled batch, as `Pool.onBatch` reports it. */
export interface PoolBatchEvent {
  /** The entry point: `verify` for a micro-batch of `pool.verify` calls. */
  source: 'verifyBatch' | 'verify' | 'verifySignatures';
  /** Items in the batch. */
  items: number;
  /** When it was submitted, ms since the epoch. */
  startTime: number;
  durationMs: number;
  /** The code it rejected with, or null when it resolved. */
  error: ErrorCode | null;
}

/** Latency quantiles in milliseconds (log-bucketed: within about 4.4%). */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Cache statistics summed over the live workers. */
export interface PoolCacheStats {
  hits: number;
  misses: number;
  entries: number;
  evictions: number;
  expirations: number;
  hitRatio: number;
}

/** A snapshot of a pool's metrics (`pool.metrics()`), JSON-ready. */
export interface PoolMetrics {
  uptimeSeconds: number;
  /** Items completed, by outcome. */
  items: { valid: number; invalid: number };
  /** Invalid items by error code (each code once per item). */
  errors: Partial<Record<ErrorCode, number>>;
  /** Batches run, by entry point (`verify` counts micro-batches). */
  batches: { verifyBatch: number; verify: number; verifySignatures: number };
  /** Chunks run on workers. */
  chunks: number;
  /** Chunk runs repeated after a trap or a dead worker: one per whole retry, two per split. */
  retries: number;
  /** Chunks split after failing twice, so that only the failing items get `WORKER_FAILED`. */
  splits: number;
  /** Runs that trapped in a worker, which reset its instance in place. */
  traps: number;
  /** The main thread's cache of lists fetched through `statusListResolver`. */
  statusListCache: { entries: number; capacity: number; pending: number; evictions: number; expirations: number };
  /** The main thread's key documents fetched through `fetch` and `didResolver`: held, in flight, fetched, served from memory, failed. */
  keyDocuments: { entries: number; capacity: number; pending: number; fetched: number; cached: number; failed: number };
  /** The lists fetched through `statusListResolver`, by level (memory, then the shared store). */
  levels: { statusLists: TwoLevelStats };
  nonces: NonceStats;
  /** The shared store's counts (round trips, errors), or null without a `store`. */
  store: StoreStats | null;
  /** `verify()` calls answered by an identical input already in flight. */
  deduplicated: number;
  /** Calls rejected, by code (`QUEUE_FULL`, `ABORTED`, `TIMEOUT`, `CLOSED`, ...). */
  rejections: Partial<Record<ErrorCode, number>>;
  /** Workers replaced, by reason (`crash`, `timeout`, `abort`; `recycle`: an instance over `maxInstanceMemory` could not be replaced in place). */
  restarts: Partial<Record<'crash' | 'timeout' | 'abort' | 'recycle', number>>;
  /** Status-list resolutions: fetched through the resolver, served from its cache, failed. */
  statusLists: { fetched: number; cached: number; failed: number };
  /** Item latency (submission to result) and batch latency (submission to last result). */
  latency: { item: LatencySummary; batch: LatencySummary };
  /** Items completed: total, per second since start, per second over the last 10 s. */
  throughput: { total: number; itemsPerSecond: number; recent: number };
  /** Items waiting for a worker, waiting in `verify()` micro-batches, running. */
  queue: { items: number; waiting: number; inFlight: number; maxQueue: number };
  workers: { target: number; live: number; busy: number; idle: number };
  /** Worker cache statistics (from each worker's Verifier). */
  caches: Partial<Record<'keys' | 'results' | 'statusLists', PoolCacheStats>>;
  /**
   * Wasm linear memory in bytes: of this thread's instance (`main`) and of each live worker's (as of
   * its last answer); the bound past which workers recycle theirs, and how often they did.
   */
  memory: { main: number; workers: number[]; maxInstanceMemory: number; recycles: number };
}

/** A pool of workers (module Web Workers in browsers, worker_threads in Node). */
export declare class Pool {
  private constructor();
  /** Most items waiting for a worker. */
  maxQueue: number;
  /** Per-chunk time limit in ms (0: none). */
  taskTimeoutMs: number;
  /** Most items per chunk. */
  chunkSize: number;
  /** Micro-batching wait in ms. */
  maxBatchWaitMs: number;
  /** Most calls per micro-batch. */
  maxBatchSize: number;
  /** Verifies many inputs on the workers; results in input order. Rejects with `ABORTED`, `TIMEOUT`, `QUEUE_FULL` or `CLOSED`. */
  verifyBatch(inputs: readonly VerifiableInput[], options?: PoolBatchOptions): Promise<VerificationResult[]>;
  /** Verifies one input, coalesced with calls arriving within `maxBatchWaitMs`; identical inputs in flight are verified once (each call consumes its nonce for itself). */
  verify(input: VerifiableInput, options?: VerifyOptions & NonceOptions & PoolCallerOptions): Promise<VerificationResult>;
  /** A fresh single-use nonce (see `Verifier.issueNonce`), single use across every process sharing `store`. */
  issueNonce(options?: { ttlSeconds?: number }): Promise<string>;
  /** Verifies raw Ed25519 signatures on the workers. */
  verifySignatures(items: readonly SignatureItem[], options?: Pick<PoolBatchOptions, 'onProgress' | 'signal' | 'caller'>): Promise<boolean[]>;
  /** Counters, latencies, throughput, queue, workers and caches. */
  metrics(): PoolMetrics;
  /** The metrics in the Prometheus text exposition format (names `credcore_*`). */
  prometheus(): string;
  /** Calls `listener` after each batch settles (verifyBatch, verifySignatures, each micro-batch of verify); returns a function that stops it. */
  onBatch(listener: (batch: PoolBatchEvent) => void): () => void;
  /** Stops taking work, finishes what was submitted, then stops the workers. */
  close(): Promise<void>;
  /** Stops the workers now; pending calls reject with `CLOSED`. */
  destroy(): void;
}

/** Starts a pool of workers; resolves when every worker is ready (browsers: awaits `init()` first). */
export declare function createPool(options?: PoolOptions): Promise<Pool>;
