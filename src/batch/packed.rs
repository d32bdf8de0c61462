//! The packed buffer: how a batch crosses the JS/wasm boundary (and travels to a worker) as one
//! transferable `Uint8Array`.
//!
//! Layout, all integers little-endian u32: `count`, then `count` fields, each `len` then `len`
//! bytes. A field's meaning is the caller's (for signatures: message, signature, key, repeated).

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

/// Packs fields into one buffer (the inverse of [`unpack`]).
pub fn pack<'a>(fields: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = vec![0u8; 4];
    let mut count: u32 = 0;
    for f in fields {
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(f);
        count += 1;
    }
    out[..4].copy_from_slice(&count.to_le_bytes());
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
