//! `sdjwt::Compact::parse` (the `<jwt>~<d1>~...~[<kb-jwt>]` split), each disclosure through
//! `Disclosure::parse`, and the holder's `sdjwt::present` on the same input.
//!
//! Invariants: a parse puts the parts back together into the input (`presented` + KB-JWT), the
//! JWT is not empty, no disclosure is empty or contains `~`, `presented` ends in `~`; a
//! presentation made by `present` parses, ends in `~` without key binding, starts with the
//! same JWT, and carries only disclosures of the input.

#![no_main]

use credcore::sdjwt::{present, Compact, Disclosure, Selection};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let Ok(c) = Compact::parse(input) else {
        return;
    };
    assert!(!c.jwt.is_empty());
    assert!(c.presented.ends_with('~'));
    let mut rebuilt = format!("{}~", c.jwt);
    for d in &c.disclosures {
        assert!(!d.is_empty() && !d.contains('~'));
        rebuilt.push_str(d);
        rebuilt.push('~');
    }
    assert_eq!(rebuilt, c.presented, "presented is the JWT and the disclosures");
    assert_eq!(format!("{}{}", c.presented, c.kb_jwt.unwrap_or_default()), input, "the parts make up the input");
    if let Some(kb) = c.kb_jwt {
        assert!(!kb.contains('~'));
    }
    for d in &c.disclosures {
        if let Ok(parsed) = Disclosure::parse(d) {
            assert_eq!(parsed.encoded(), *d);
        }
    }
    // Present everything at the top level that a frame can name, and nothing.
    let everything = Selection::Frame(Value::Object(
        c.disclosures
            .iter()
            .filter_map(|d| Disclosure::parse(d).ok())
            .filter_map(|d| d.name().map(|n| (n.to_owned(), Value::Bool(true))))
            .collect(),
    ));
    for selection in [Selection::None, everything] {
        if let Ok(p) = present(input, &selection, None) {
            let pc = Compact::parse(&p).expect("a presentation made by present() parses");
            assert!(pc.kb_jwt.is_none() && p.ends_with('~'));
            assert_eq!(pc.jwt, c.jwt, "present keeps the issuer-signed JWT");
            for d in &pc.disclosures {
                assert!(c.disclosures.contains(d), "present only carries disclosures it was given");
            }
        }
    }
});
