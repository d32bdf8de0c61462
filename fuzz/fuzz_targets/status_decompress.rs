//! `status::StatusList::decompress` (zlib for IETF, GZIP for W3C, inflating under a cap) and the
//! encoded forms `token::decode_lst` / `bitstring::decode_list`.
//!
//! Input: one byte (container, entry width, bit order, mode), then bytes. Invariants: a list
//! that decompresses is not empty, stays within the cap, has `8 / bits` entries per byte, reads
//! every entry below its size as a value of `bits` bits and none past it, and compresses and
//! decompresses back to itself; the base64url forms decode to the same list as the raw bytes.

#![no_main]

use credcore::encoding::b64url_encode;
use credcore::status::bitstring::decode_list;
use credcore::status::token::decode_lst;
use credcore::status::{BitOrder, Container, StatusList};
use libfuzzer_sys::fuzz_target;

const CAP: usize = 1 << 20;

fn check(list: &StatusList, container: Container, bits: u8, order: BitOrder) {
    let n = list.as_bytes().len();
    assert!(n > 0 && n <= CAP);
    assert_eq!(list.size(), n as u64 * 8 / u64::from(bits));
    let max = if bits == 8 { 255 } else { (1u16 << bits) as u8 - 1 };
    for i in [0, 1, list.size() / 2, list.size() - 1].into_iter().filter(|i| *i < list.size()) {
        let v = list.get(i).expect("an entry below the size reads");
        assert!(v <= max, "entry {i} = {v} does not fit in {bits} bits");
    }
    assert!(list.get(list.size()).is_none());
    assert!(list.get(u64::MAX).is_none());
    let again = StatusList::decompress(&list.compress(container), container, bits, order, CAP).expect("a list compressed here decompresses");
    assert_eq!(again.as_bytes(), list.as_bytes(), "compression round-trips");
}

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else { return };
    let container = if cfg & 1 == 0 { Container::Zlib } else { Container::Gzip };
    let bits = [1u8, 2, 4, 8][usize::from((cfg >> 1) & 3)];
    let order = if cfg & 8 == 0 { BitOrder::LsbFirst } else { BitOrder::MsbFirst };
    match StatusList::decompress(rest, container, bits, order, CAP) {
        Ok(list) => {
            check(&list, container, bits, order);
            match container {
                Container::Zlib => {
                    let lst = decode_lst(&b64url_encode(rest), bits, CAP).expect("lst of a good stream decodes");
                    assert_eq!(lst.as_bytes(), list.as_bytes());
                }
                Container::Gzip => {
                    if let Ok(w3c) = decode_list(&format!("u{}", b64url_encode(rest)), CAP) {
                        assert_eq!(w3c.as_bytes(), list.as_bytes());
                    }
                }
            }
        }
        Err(e) => assert_eq!(e.code, credcore::ErrorCode::InvalidStatusList),
    }
    if cfg & 16 != 0 && !rest.is_empty() && rest.len() <= 4096 {
        // The rest as the list's entries: set, compress, decompress, read back.
        let size = rest.len() as u64;
        let mut list = StatusList::new(size, bits, order).expect("a small list");
        let max = if bits == 8 { 255 } else { (1u16 << bits) as u8 - 1 };
        for (i, b) in rest.iter().enumerate() {
            list.set(i as u64, b & max).expect("in range");
        }
        let back = StatusList::decompress(&list.compress(container), container, bits, order, CAP).expect("round trip");
        for (i, b) in rest.iter().enumerate() {
            assert_eq!(back.get(i as u64), Some(b & max), "entry {i}");
        }
    }
});
