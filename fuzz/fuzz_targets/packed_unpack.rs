//! `batch::wire::unpack`: the packed wire format of a batch (count, then length-prefixed
//! fields). Invariants: whatever unpacks packs back to the same bytes (the format has one
//! spelling per list of fields); fields split from the input at 0xff bytes pack and unpack
//! back to themselves.

#![no_main]

use credcore::batch::wire::{pack, unpack};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(fields) = unpack(data) {
        let total: usize = fields.iter().map(|f| f.len() + 4).sum::<usize>() + 4;
        assert_eq!(total, data.len(), "the fields account for every byte");
        assert_eq!(pack(fields.iter().copied()), data, "unpack then pack is the identity");
    }
    let fields: Vec<&[u8]> = data.split(|&b| b == 0xff).collect();
    let packed = pack(fields.iter().copied());
    assert_eq!(unpack(&packed).expect("packed fields unpack"), fields, "pack then unpack is the identity");
});
