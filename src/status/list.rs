//! The status list both formats share: a packed array of 1, 2, 4 or 8-bit entries
//! (W3C Bitstring Status List v1.0 section 2.1, IETF Token Status List section 4.1), its
//! compression (GZIP, RFC 1952, for W3C; zlib, RFC 1950, for IETF) and index allocation.
//!
//! # Bit order
//! W3C numbers entries from the most significant bit of the first byte ("index 0 is the
//! left-most bit"); IETF numbers them from the least significant bit. A byte holds `8 / bits`
//! entries either way; only the position inside the byte differs.
//!
//! # Allocation
//! Both specifications advise issuers to hand out indices at random, so that an index says
//! nothing about when or to whom a credential was issued (W3C section 6.3, IETF section 12.5).
//! [`StatusList::allocate`] therefore draws a random unused index from the platform CSPRNG. Which
//! indices are in use is tracked in a bitmap beside the entries, not in the entries themselves,
//! because a valid credential's entry is 0, just like an unused one. The bitmap is not part of
//! the published list: an issuer that restarts restores it with [`StatusList::mark_allocated`].

use crate::error::{Error, ErrorCode, Result};
use flate2::read::{GzDecoder, ZlibDecoder};
use flate2::write::{GzEncoder, ZlibEncoder};
use flate2::Compression;
use std::io::{Read, Write};

/// Default cap on a decompressed status list (see [`crate::limits`]).
pub const DEFAULT_MAX_INFLATED_BYTES: usize = crate::limits::DEFAULT_MAX_STATUS_LIST_BYTES;

/// How entries are numbered inside a byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitOrder {
    /// Entry 0 is the most significant bit of byte 0 (W3C).
    MsbFirst,
    /// Entry 0 is the least significant bit of byte 0 (IETF).
    LsbFirst,
}

/// The compression container of an encoded list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// GZIP (RFC 1952), for W3C `encodedList`.
    Gzip,
    /// zlib (RFC 1950), for IETF `lst`.
    Zlib,
}

/// A packed list of status entries of `bits` bits each, with its allocation bitmap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusList {
    bytes: Vec<u8>,
    bits: u8,
    order: BitOrder,
    size: u64,
    allocated: Vec<u64>,
    allocated_count: usize,
}

/// Whether `bits` is a width both specifications allow.
pub fn valid_bits(bits: u8) -> bool {
    matches!(bits, 1 | 2 | 4 | 8)
}

fn bad_bits(bits: impl core::fmt::Display) -> Error {
    Error::malformed(format!("bits per status entry must be 1, 2, 4 or 8, not {bits}"))
}

/// Reads entry `index` of `bytes` as a `bits`-wide entry in `order`; `None` past the end.
fn read_entry(bytes: &[u8], order: BitOrder, bits: u8, index: u64) -> Option<u8> {
    let per_byte = u64::from(8 / bits);
    let byte = *bytes.get(usize::try_from(index / per_byte).ok()?)?;
    let slot = (index % per_byte) as u32 * u32::from(bits);
    let shift = match order {
        BitOrder::LsbFirst => slot,
        BitOrder::MsbFirst => 8 - u32::from(bits) - slot,
    };
    let mask = if bits == 8 { 0xff } else { (1u8 << bits) - 1 };
    Some((byte >> shift) & mask)
}

impl StatusList {
    /// An all-zero list of `size` entries of `bits` bits.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for a width other than 1, 2, 4, 8 or a size of 0; `INPUT_TOO_LARGE` when
    /// the packed list would exceed [`DEFAULT_MAX_INFLATED_BYTES`].
    pub fn new(size: u64, bits: u8, order: BitOrder) -> Result<StatusList> {
        if !valid_bits(bits) {
            return Err(bad_bits(bits));
        }
        if size == 0 {
            return Err(Error::malformed("a status list has at least one entry"));
        }
        let len = size
            .checked_mul(u64::from(bits))
            .map(|b| b.div_ceil(8))
            .and_then(|b| usize::try_from(b).ok())
            .filter(|b| *b <= DEFAULT_MAX_INFLATED_BYTES)
            .ok_or_else(|| Error::new(ErrorCode::InputTooLarge, format!("a status list is at most {DEFAULT_MAX_INFLATED_BYTES} bytes")))?;
        let mut list = StatusList::from_bytes(vec![0; len], bits, order);
        // The last byte may hold a few entries past `size`; they stay 0 and are never handed out.
        list.size = size;
        Ok(list)
    }

    /// A list over already packed `bytes`; the caller has checked `bits`.
    fn from_bytes(bytes: Vec<u8>, bits: u8, order: BitOrder) -> StatusList {
        let size = bytes.len() as u64 * 8 / u64::from(bits.max(1));
        // A decoded list is read, not allocated from: its bitmap is made on first use.
        StatusList { bytes, bits, order, size, allocated: Vec::new(), allocated_count: 0 }
    }

    /// The allocation bitmap, made on first use (a list decoded for verification never needs it).
    fn bitmap(&mut self) -> &mut Vec<u64> {
        if self.allocated.is_empty() {
            self.allocated = vec![0; usize::try_from(self.size.div_ceil(64)).unwrap_or(0)];
        }
        &mut self.allocated
    }

    /// Bits per entry.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// Number of entries: as created, or `bytes * 8 / bits` when decoded.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The packed entries.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The value of entry `index`, or `None` past the end.
    pub fn get(&self, index: u64) -> Option<u8> {
        if index >= self.size {
            return None;
        }
        read_entry(&self.bytes, self.order, self.bits, index)
    }

    /// The value of entry `index` read as if entries were `bits` wide. W3C lists carry no width:
    /// it comes from each credential's `statusSize`, so one decoded list serves every width.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for a width other than 1, 2, 4, 8.
    pub fn get_sized(&self, index: u64, bits: u8) -> Result<Option<u8>> {
        if !valid_bits(bits) {
            return Err(bad_bits(bits));
        }
        Ok(read_entry(&self.bytes, self.order, bits, index))
    }

    /// Sets entry `index` to `value`.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` when `index` is past the end or `value` does not fit in `bits`.
    pub fn set(&mut self, index: u64, value: u8) -> Result<()> {
        let bits = self.bits;
        if bits < 8 && value >> bits != 0 {
            return Err(Error::malformed(format!("status {value} does not fit in {bits} bits")));
        }
        let per_byte = u64::from(8 / bits);
        let slot = (index % per_byte) as u32 * u32::from(bits);
        let shift = match self.order {
            BitOrder::LsbFirst => slot,
            BitOrder::MsbFirst => 8 - u32::from(bits) - slot,
        };
        let mask = if bits == 8 { 0xff } else { (1u8 << bits) - 1 };
        let size = self.size();
        let byte = usize::try_from(index / per_byte)
            .ok()
            .filter(|_| index < size)
            .and_then(|i| self.bytes.get_mut(i))
            .ok_or_else(|| Error::malformed(format!("status index {index} is past the end of the list ({size} entries)")))?;
        *byte = (*byte & !(mask << shift)) | (value << shift);
        Ok(())
    }

    /// Whether `index` has been handed out (by [`StatusList::allocate`] or marked).
    pub fn is_allocated(&self, index: u64) -> bool {
        let (word, bit) = ((index / 64) as usize, index % 64);
        index < self.size() && self.allocated.get(word).is_some_and(|w| w >> bit & 1 == 1)
    }

    /// Records `index` as in use (e.g. when an issuer restores its state).
    ///
    /// # Errors
    /// `MALFORMED_INPUT` when `index` is past the end.
    pub fn mark_allocated(&mut self, index: u64) -> Result<()> {
        let size = self.size();
        let (word, bit) = ((index / 64) as usize, index % 64);
        match self.bitmap().get_mut(word) {
            Some(w) if index < size => {
                if *w >> bit & 1 == 0 {
                    *w |= 1 << bit;
                    self.allocated_count += 1;
                }
                Ok(())
            }
            _ => Err(Error::malformed(format!("status index {index} is past the end of the list ({size} entries)"))),
        }
    }

    /// How many indices are in use.
    pub fn allocated_count(&self) -> u64 {
        self.allocated_count as u64
    }

    /// Hands out a random unused index and marks it in use (see the module docs).
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` when every index is in use; `INTERNAL_ERROR` without a random source.
    pub fn allocate(&mut self) -> Result<u64> {
        let mut seed = [0u8; 8];
        crate::random::system_random(&mut seed)?;
        self.allocate_from(u64::from_le_bytes(seed))
    }

    /// [`StatusList::allocate`] with the randomness given: `random` picks the first index probed.
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` when every index is in use.
    pub fn allocate_from(&mut self, random: u64) -> Result<u64> {
        let size = self.size();
        if self.allocated_count() >= size {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("every index of the status list ({size}) is in use")));
        }
        // A few random probes (uniform while the list is sparse), then a scan from a random start.
        let mut x = random;
        for _ in 0..8 {
            let candidate = x % size;
            if !self.is_allocated(candidate) {
                self.mark_allocated(candidate)?;
                return Ok(candidate);
            }
            // SplitMix64 step: derives further probes from the one random draw.
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x = z ^ (z >> 31);
        }
        let start = x % size;
        let words = self.bitmap().len() as u64;
        for step in 0..=words {
            let w = (start / 64 + step) % words;
            let Some(word) = self.allocated.get(w as usize).copied() else { continue };
            if word == u64::MAX {
                continue;
            }
            for bit in 0..64 {
                let candidate = w * 64 + bit;
                if candidate < size && word >> bit & 1 == 0 {
                    self.mark_allocated(candidate)?;
                    return Ok(candidate);
                }
            }
        }
        Err(Error::new(ErrorCode::InternalError, "allocation bitmap is inconsistent"))
    }

    /// The list compressed in `container`, at the fastest level: status lists are mostly zeros,
    /// which every level compresses about equally, and re-signing after each change must be cheap.
    pub fn compress(&self, container: Container) -> Vec<u8> {
        let level = Compression::fast();
        let out = Vec::with_capacity(self.bytes.len() / 64 + 64);
        // Writing into a Vec cannot fail; an empty result would fail to decode, never pass.
        match container {
            Container::Zlib => {
                let mut e = ZlibEncoder::new(out, level);
                e.write_all(&self.bytes).and_then(|()| e.finish()).unwrap_or_default()
            }
            Container::Gzip => {
                let mut e = GzEncoder::new(out, level);
                e.write_all(&self.bytes).and_then(|()| e.finish()).unwrap_or_default()
            }
        }
    }

    /// Decompresses a list of `bits`-wide entries, inflating at most `max_inflated` bytes.
    ///
    /// Policy: a stream that inflates past the cap (a compression bomb), a corrupt stream, a bad
    /// checksum and an empty list are all `INVALID_STATUS_LIST`; memory never exceeds the cap.
    ///
    /// # Errors
    /// `INVALID_STATUS_LIST` as above, and for a width other than 1, 2, 4, 8.
    pub fn decompress(compressed: &[u8], container: Container, bits: u8, order: BitOrder, max_inflated: usize) -> Result<StatusList> {
        let invalid = |why: String| Error::new(ErrorCode::InvalidStatusList, why);
        if !valid_bits(bits) {
            return Err(invalid(format!("bits per status entry must be 1, 2, 4 or 8, not {bits}")));
        }
        let cap = max_inflated as u64;
        let mut bytes = Vec::with_capacity(compressed.len().saturating_mul(8).min(max_inflated));
        let read = match container {
            Container::Zlib => ZlibDecoder::new(compressed).take(cap + 1).read_to_end(&mut bytes),
            Container::Gzip => GzDecoder::new(compressed).take(cap + 1).read_to_end(&mut bytes),
        };
        read.map_err(|e| invalid(format!("the status list does not decompress: {e}")))?;
        if bytes.len() as u64 > cap {
            return Err(invalid(format!("the status list inflates past {max_inflated} bytes")));
        }
        if bytes.is_empty() {
            return Err(invalid("the status list is empty".into()));
        }
        Ok(StatusList::from_bytes(bytes, bits, order))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ietf_byte_layout() {
        let mut l = StatusList::new(16, 1, BitOrder::LsbFirst).unwrap();
        for (i, v) in [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1].iter().enumerate() {
            l.set(i as u64, *v).unwrap();
        }
        assert_eq!(l.as_bytes(), &[0xB9, 0xA3]);
    }

    #[test]
    fn w3c_byte_layout() {
        let mut l = StatusList::new(16, 1, BitOrder::MsbFirst).unwrap();
        l.set(0, 1).unwrap();
        l.set(9, 1).unwrap();
        assert_eq!(l.as_bytes(), &[0x80, 0x40]);
        let mut l = StatusList::new(4, 2, BitOrder::MsbFirst).unwrap();
        l.set(1, 3).unwrap();
        assert_eq!(l.as_bytes(), &[0x30]);
        assert_eq!(l.get_sized(2, 1).unwrap(), Some(1));
    }

    #[test]
    fn bounds_and_widths() {
        assert_eq!(StatusList::new(8, 3, BitOrder::LsbFirst).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        assert_eq!(StatusList::new(0, 1, BitOrder::LsbFirst).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        assert_eq!(StatusList::new(u64::MAX, 8, BitOrder::LsbFirst).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
        let mut l = StatusList::new(8, 2, BitOrder::LsbFirst).unwrap();
        assert_eq!(l.set(8, 1).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        assert_eq!(l.set(0, 4).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        assert_eq!(l.get(8), None);
        assert_eq!(l.get(u64::MAX), None);
    }

    #[test]
    fn allocation_is_unique_until_full() {
        let mut l = StatusList::new(100, 1, BitOrder::LsbFirst).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..100u64 {
            let idx = l.allocate_from(i.wrapping_mul(7919)).unwrap();
            assert!(idx < 100 && seen.insert(idx));
        }
        assert_eq!(l.allocated_count(), 100);
        assert_eq!(l.allocate_from(3).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
    }
}
