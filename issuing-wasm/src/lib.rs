//! credcore's issuing module, built into `pkg/credcore_issuing_bg.wasm`: the core with the
//! `issuing` half of its wasm boundary (`src/wasm/`: `issueCredential`, `createPresentation`,
//! `sdJwtIssue`, `sdJwtPresent`, `StatusListHandle`, `AuditLog`, sessions, `generateKeyPair`,
//! `keyPairFromSeed`, `sign`), kept out of the default module for its size and loaded by the JS
//! package on first use (pkg-template/issuing.js). The exports are the core's; this crate only
//! links them.

pub use credcore::ErrorCode;
