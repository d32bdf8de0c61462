//! The size of this instance's linear memory (WebAssembly Core 1.0, `memory.size`), for the
//! harness's memory bound: wasm memory grows and never shrinks, so this is the instance's
//! high-water mark, and the harness replaces an instance that went past its bound
//! (`maxInstanceMemory`, state.js and worker-core.js).

use wasm_bindgen::prelude::*;

/// Bytes of linear memory of this instance: 64 KiB pages times their count.
#[wasm_bindgen(js_name = memoryBytes)]
#[must_use]
pub fn memory_bytes() -> f64 {
    // 65,536 bytes per page (the spec's page size); at most 65,536 pages on wasm32, so exact in f64.
    f64::from(u32::try_from(core::arch::wasm32::memory_size(0)).unwrap_or(u32::MAX)) * 65_536.0
}
