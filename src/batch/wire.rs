//! The two wire formats of the JS/wasm boundary, mirrored on the JS side by `pkg-template/wire.js`
//! (one module each side; a change to either format changes both files together).
//!
//! **Packed fields**: how a batch goes in (and travels to a worker) as one transferable
//! `Uint8Array`. All integers little-endian u32: `count`, then `count` fields, each `len` then
//! `len` bytes. A field's meaning is the caller's (for signatures: message, signature, key,
//! repeated; for credentials: one input each).
//!
//! **Framed results**: how results come out. `u32` count, then per result an `f64` cache id (0:
//! not cached; ids count up from 1 within a verifier, are never reused, and stay far below 2^53,
//! so that a host may keep a decoded copy per id), a `u32` length and that many bytes of JSON.
//! With needs (a host that fetches status lists on demand), the frames follow a `u32` length and
//! that many bytes of the needs JSON (`{"missing":[uris],"items":[indices]}`).

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_BATCH_ITEMS, MAX_PACKED_BYTES};

/// Splits a packed buffer into its fields, borrowing from it.
///
/// # Errors
/// `INPUT_TOO_LARGE` over the size or count limits; `MALFORMED_INPUT` when a length runs past
/// the end or bytes are left over.
pub fn unpack(buf: &[u8]) -> Result<Vec<&[u8]>> {
    if buf.len() > MAX_PACKED_BYTES {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("batch buffer over {MAX_PACKED_BYTES} bytes")));
    }
    let mut rest = buf;
    let count = take_u32(&mut rest)? as usize;
    if count > MAX_BATCH_ITEMS.saturating_mul(3) {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("batch of {count} fields is over the limit")));
    }
    // Each field costs at least its 4-byte length, so a lying count cannot make us over-allocate.
    let mut fields = Vec::with_capacity(count.min(rest.len() / 4));
    for _ in 0..count {
        let len = take_u32(&mut rest)? as usize;
        if len > rest.len() {
            return Err(Error::malformed("packed field runs past the end of the buffer"));
        }
        let (field, tail) = rest.split_at(len);
        fields.push(field);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(Error::malformed("packed buffer has bytes after its last field"));
    }
    Ok(fields)
}

/// The fields of a packed batch as text, one per input: a field that is not UTF-8 becomes the
/// replacement character (an input that parses as nothing, refused by its format checks).
#[must_use]
pub fn texts<'a>(fields: &[&'a [u8]]) -> Vec<&'a str> {
    fields.iter().map(|f| std::str::from_utf8(f).unwrap_or("\u{fffd}")).collect()
}

/// Packs fields into one buffer (the inverse of [`unpack`]).
pub fn pack<'a>(fields: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut packer = Packer::default();
    for f in fields {
        packer.push(f);
    }
    packer.finish()
}

/// Packs fields one at a time, as [`pack`] does, straight into the one buffer (no copy of a
/// field but the one into it).
#[derive(Debug)]
pub struct Packer {
    out: Vec<u8>,
    count: u32,
}

impl Default for Packer {
    fn default() -> Packer {
        Packer { out: vec![0u8; 4], count: 0 }
    }
}

impl Packer {
    /// Appends one field.
    pub fn push(&mut self, field: &[u8]) {
        self.out.extend_from_slice(&(field.len() as u32).to_le_bytes());
        self.out.extend_from_slice(field);
        self.count += 1;
    }

    /// The packed buffer.
    pub fn finish(mut self) -> Vec<u8> {
        if let Some(head) = self.out.get_mut(..4) {
            head.copy_from_slice(&self.count.to_le_bytes());
        }
        self.out
    }
}

/// Frames results: `(cache id, JSON text)` per result, in order (see the module documentation).
#[cfg(any(test, feature = "internals"))]
pub fn frame<S: AsRef<str>>(results: impl ExactSizeIterator<Item = (u64, S)>) -> Vec<u8> {
    let mut results = results;
    frame_with(results.len(), |out| {
        let (id, json) = results.next()?;
        out.extend_from_slice(json.as_ref().as_bytes());
        Some(id)
    })
}

/// Frames `count` results, each written in place by `write` (its JSON appended to the buffer
/// given; returns its cache id, or `None` when there are no more), so that no result's JSON
/// is first made as a string of its own and then copied.
pub fn frame_with(count: usize, mut write: impl FnMut(&mut Vec<u8>) -> Option<u64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + count * 600);
    out.extend_from_slice(&[0; 4]);
    let mut written = 0u32;
    loop {
        let head = out.len();
        out.extend_from_slice(&[0; 12]);
        let Some(id) = write(&mut out) else {
            out.truncate(head);
            break;
        };
        let len = u32::try_from(out.len() - head - 12).unwrap_or(u32::MAX);
        if let Some(slot) = out.get_mut(head..head + 12) {
            slot[..8].copy_from_slice(&(id as f64).to_le_bytes());
            slot[8..].copy_from_slice(&len.to_le_bytes());
        }
        written = written.saturating_add(1);
    }
    if let Some(slot) = out.get_mut(..4) {
        slot.copy_from_slice(&written.to_le_bytes());
    }
    out
}

/// Framed results preceded by the needs JSON (see the module documentation).
pub fn frame_with_needs(needs_json: &[u8], framed: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + needs_json.len() + framed.len());
    out.extend_from_slice(&u32::try_from(needs_json.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(needs_json);
    out.extend_from_slice(framed);
    out
}

fn take_u32(rest: &mut &[u8]) -> Result<u32> {
    if rest.len() < 4 {
        return Err(Error::malformed("packed buffer is truncated"));
    }
    let (head, tail) = rest.split_at(4);
    *rest = tail;
    Ok(u32::from_le_bytes([head[0], head[1], head[2], head[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packer_packs_as_pack_does() {
        let fields: [&[u8]; 4] = [b"ES256", &[4, 1, 2], b"", &[9; 300]];
        let mut packer = Packer::default();
        for f in fields {
            packer.push(f);
        }
        let packed = packer.finish();
        assert_eq!(packed, pack(fields));
        assert_eq!(unpack(&packed).unwrap(), fields.to_vec());
        assert_eq!(Packer::default().finish(), pack(std::iter::empty()));
    }

    #[test]
    fn framed_results_layout() {
        let framed = frame([(0u64, "{}"), (7u64, "[1]")].into_iter());
        let mut want = 2u32.to_le_bytes().to_vec();
        want.extend_from_slice(&0f64.to_le_bytes());
        want.extend_from_slice(&2u32.to_le_bytes());
        want.extend_from_slice(b"{}");
        want.extend_from_slice(&7f64.to_le_bytes());
        want.extend_from_slice(&3u32.to_le_bytes());
        want.extend_from_slice(b"[1]");
        assert_eq!(framed, want);
        assert_eq!(frame(std::iter::empty::<(u64, &str)>()), 0u32.to_le_bytes());
        let with = frame_with_needs(br#"{"missing":[]}"#, &framed);
        assert_eq!(&with[..4], &14u32.to_le_bytes());
        assert_eq!(&with[4..18], br#"{"missing":[]}"#);
        assert_eq!(&with[18..], &framed[..]);
    }

    #[test]
    fn round_trip_and_truncation() {
        let fields: [&[u8]; 3] = [b"a", b"", b"hello"];
        let buf = pack(fields);
        assert_eq!(unpack(&buf).ok(), Some(fields.to_vec()));
        for cut in 0..buf.len() {
            assert_eq!(unpack(&buf[..cut]).map_err(|e| e.code), Err(ErrorCode::MalformedInput), "cut {cut}");
        }
        let mut extra = buf.clone();
        extra.push(0);
        assert!(unpack(&extra).is_err());
        let lying = [0xffu8, 0xff, 0xff, 0x0f];
        assert_eq!(unpack(&lying).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
    }
}
