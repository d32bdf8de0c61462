// credcore: TypeScript declarations for the public API (Node and browser entry points).
// Over 500 lines in one file on purpose: the build copies it to index.d.cts for require(), and
// split files would each need an ESM and a CommonJS copy. Sections: errors, keys and signatures,
// hashing and audit, status lists, verification, SD-JWT, sessions, the worker pool.

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

/** A public OKP JWK for Ed25519. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** The public key, base64url. */
  x: string;
}

/** An Ed25519 key pair with its did:key identifiers. */
export interface KeyPair {
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

/** A new key pair from the platform CSPRNG. */
export declare function generateKeyPair(): KeyPair;
/** The key pair of a 32-byte seed. Throws MALFORMED_INPUT for another length. */
export declare function keyPairFromSeed(seed: Uint8Array): KeyPair;
/** The did:key of a public key. Throws INVALID_KEY for a bad key. */
export declare function didFromPublicKey(publicKey: Uint8Array): string;
/** The public key of an Ed25519 did:key. Throws INVALID_DID for anything else. */
export declare function publicKeyFromDid(did: string): Uint8Array;
/** The OKP JWK of a public key. */
export declare function publicKeyToJwk(publicKey: Uint8Array): PublicJwk;
/** The public key of an OKP Ed25519 JWK. */
export declare function publicKeyFromJwk(jwk: PublicJwk | string): Uint8Array;
/** The RFC 7638 thumbprint (base64url) of a public key or JWK. */
export declare function jwkThumbprint(key: Uint8Array | PublicJwk): string;
/** Signs a message; returns the 64-byte signature. */
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

/** A hash-chained, HMAC-tagged, append-only audit log. */
export declare class AuditLog {
  constructor(options: { hmacKey: Uint8Array; keyId: string; head?: ChainHead });
  /** Appends events; returns their entries. */
  append<E>(events: readonly E[]): AuditEntry<E>[];
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
  issuer?: Pick<KeyPair, 'secretKey'>;
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
  sign(options?: { issuer?: Pick<KeyPair, 'secretKey'>; now?: Date | number }): string;
  /** Frees the wasm memory. */
  free(): void;
  /** Decodes a signed list (signature checked) to read, update and re-sign it. */
  static decode(list: string, options?: { uri?: string; issuer?: Pick<KeyPair, 'secretKey'> }): StatusList;
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
  /** Status lists fetched by the caller, by URI (compact JWT). */
  statusLists?: Record<string, string>;
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
}

/** Verifies one credential (VC-JWT, VC-JOSE, Data Integrity or anon-identity JSON, SD-JWT VC). */
export declare function verifyCredential(input: VerifiableInput, options?: VerifyOptions): VerificationResult;
/** Verifies one presentation (VP-JWT, Data Integrity or anon-identity presentation, SD-JWT with key binding). */
export declare function verifyPresentation(input: VerifiableInput, options?: VerifyOptions): VerificationResult;
/** Verifies many items in one call (format detected per item); one result per input, in order. */
export declare function verifyBatch(inputs: readonly VerifiableInput[], options?: VerifyOptions): VerificationResult[];

/** Issuance options. */
export interface IssueCredentialOptions {
  issuer: Pick<KeyPair, 'secretKey'>;
  /** 'vc-jwt' (default): a compact JWT; 'anon-identity': JSON with `proof.jws`; 'data-integrity': JSON with a `DataIntegrityProof` (`@context` defaults to VC 2.0). */
  format?: 'vc-jwt' | 'anon-identity' | 'data-integrity';
  /** The Data Integrity cryptosuite (format 'data-integrity'): 'eddsa-jcs-2022', the default and only one. */
  cryptosuite?: DataIntegrityCryptosuite;
  /** Lifetime in seconds. */
  expiresIn?: number;
  now?: Date | number;
}
/** A JSON credential or presentation as anon-identity makes them (`proof.jws`). */
export type AnonIdentityDocument = Record<string, unknown> & { proof: { type: string; jws: string; [key: string]: unknown } };
/** The Data Integrity cryptosuites credcore issues with. */
export type DataIntegrityCryptosuite = 'eddsa-jcs-2022';
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
  /** Multibase base58btc (`z...`) of the signature. */
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
  holder: Pick<KeyPair, 'secretKey'>;
  /** 'vp-jwt' (default), 'anon-identity', or 'data-integrity' (the nonce becomes the proof's `challenge`, the audience its `domain`). */
  format?: 'vp-jwt' | 'anon-identity' | 'data-integrity';
  /** The Data Integrity cryptosuite (format 'data-integrity'): 'eddsa-jcs-2022', the default and only one. */
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

/** What `Verifier.stats()` returns. */
export interface VerifierStats {
  /** Issuer keys (decoded did:key). */
  keys: CacheStats;
  /** Verification results. */
  results: CacheStats;
  /** Decoded status lists. */
  statusLists: CacheStats;
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

/** Options of a Verifier. */
export interface VerifierOptions extends VerifyOptions {
  cache?: CacheOptions;
  /** Fetches a status list by URI: only for lists that decide a verdict (items that nothing else fails), once per distinct URI per batch, cached. */
  statusListResolver?: (uri: string) => Promise<string | null | undefined> | string | null | undefined;
  /** Appends one event per verification: `{ type, inputDigest, valid, format, issuer, codes, time }`. */
  audit?: AuditLog;
}

/** A verifier with fixed options and caches (issuer keys, results, status lists). */
export declare class Verifier {
  constructor(options?: VerifierOptions);
  verify(input: VerifiableInput, options?: VerifyOptions & Pick<VerifierOptions, 'statusListResolver'>): Promise<VerificationResult>;
  verifyBatch(inputs: readonly VerifiableInput[], options?: VerifyOptions & Pick<VerifierOptions, 'statusListResolver'>): Promise<VerificationResult[]>;
  stats(): VerifierStats;
  clear(): void;
  free(): void;
}

// ---- SD-JWT ---------------------------------------------------------------------------------------

/** JSON pointers (`/address/street`, `/nationalities/0`) or an sd-jwt-js frame object. */
export type DisclosureSelection = readonly string[] | Record<string, unknown>;

/** SD-JWT issuance options. */
export interface SdJwtIssueOptions {
  issuer: Pick<KeyPair, 'secretKey'>;
  /** Claims made selectively disclosable. */
  disclose?: DisclosureSelection;
  /** The holder's public key, written as `cnf.jwk` for key binding. */
  holderPublicKey?: Uint8Array;
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
  holder?: Pick<KeyPair, 'secretKey'>;
  nonce?: string;
  audience?: string;
  now?: Date | number;
}

/** SD-JWT (RFC 9901) and SD-JWT VC. */
export declare const sdJwt: {
  /** Issues an SD-JWT VC (`typ` dc+sd-jwt): `<issuer-jwt>~<disclosure>~...~`. */
  issue(claims: Record<string, unknown>, options: SdJwtIssueOptions): string;
  /** Presents an SD-JWT with only the chosen disclosures, optionally with key binding. */
  present(sdJwt: string, options?: SdJwtPresentOptions): string;
  /** Verifies an SD-JWT presentation; `claims` holds only what was disclosed. */
  verify(presentation: string, options?: VerifyOptions): VerificationResult;
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
 * is refused with its first error's code.
 */
export declare function createSession(result: VerificationResult, options: CreateSessionOptions): { token: string; session: Session };
/** Validates a session token; throws SESSION_INVALID, SESSION_EXPIRED or (with a store) SESSION_REVOKED. */
export declare function validateSession(token: string, options: ValidateSessionOptions): Session;

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

/** Options of `createPool`. */
export interface PoolOptions {
  /** Workers to start (default: the number of cores). */
  workers?: number;
  /** Options and caches of each worker's Verifier (functions such as `statusListResolver` stay on the main thread). */
  verifier?: Omit<VerifierOptions, 'audit'>;
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
   * Fetches a status list (a compact JWT) by URI, on the main thread, when a worker needs one that
   * neither the call's `statusLists` nor the worker's own cache holds (also accepted as
   * `verifier.statusListResolver`). One call per URI in flight, however many chunks wait for it.
   * A list it returns is held for `verifier.cache.ttlSeconds` (default 300), at most
   * `verifier.cache.statusLists` lists (default 64; expired ones go first, then the least recently
   * used). One it cannot return (null, undefined, a throw) is not held and is asked for once per
   * batch; its items are `STATUS_UNAVAILABLE` unless `statusFailOpen`.
   */
  statusListResolver?: (uri: string) => Promise<string | null | undefined> | string | null | undefined;
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

export interface PoolBatchOptions extends VerifyOptions, PoolCallerOptions {
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
  /** `verify()` calls answered by an identical input already in flight. */
  deduplicated: number;
  /** Calls rejected, by code (`QUEUE_FULL`, `ABORTED`, `TIMEOUT`, `CLOSED`, ...). */
  rejections: Partial<Record<ErrorCode, number>>;
  /** Workers replaced, by reason (`crash`, `timeout`, `abort`). */
  restarts: Partial<Record<'crash' | 'timeout' | 'abort', number>>;
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
  /** Verifies one input, coalesced with calls arriving within `maxBatchWaitMs`; identical inputs in flight are verified once. */
  verify(input: VerifiableInput, options?: VerifyOptions & PoolCallerOptions): Promise<VerificationResult>;
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
