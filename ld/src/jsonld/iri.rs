//! IRI helpers of JSON-LD 1.1: keywords, the "has the form of an absolute IRI" test, and
//! reference resolution (RFC 3986 §5.2), written here because the rest of the crate needs no
//! URL library and resolution is forty lines.

/// The JSON-LD 1.1 keywords, in byte order (for the binary search of [`is_keyword`]).
const KEYWORDS: &[&str] = &[
    "@base",
    "@container",
    "@context",
    "@default",
    "@direction",
    "@embed",
    "@explicit",
    "@graph",
    "@id",
    "@import",
    "@included",
    "@index",
    "@json",
    "@language",
    "@list",
    "@nest",
    "@none",
    "@omitDefault",
    "@prefix",
    "@preserve",
    "@propagate",
    "@protected",
    "@requireAll",
    "@reverse",
    "@set",
    "@type",
    "@value",
    "@version",
    "@vocab",
];

/// Whether `s` is a JSON-LD keyword.
pub(crate) fn is_keyword(s: &str) -> bool {
    s.starts_with('@') && KEYWORDS.binary_search(&s).is_ok()
}

/// `@` followed by one or more ASCII letters: reserved for future keywords (ignored, with a
/// warning, by the spec; an error in safe mode).
pub(crate) fn has_keyword_form(s: &str) -> bool {
    s.len() > 1 && s.starts_with('@') && s[1..].bytes().all(|b| b.is_ascii_alphabetic())
}

/// The length of an RFC 3986 scheme at the start of `s` followed by `:`, if any.
fn scheme_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let n = b.iter().position(|&c| !(c.is_ascii_alphanumeric() || c == b'+' || c == b'-' || c == b'.'))?;
    (b[n] == b':').then_some(n)
}

/// An absolute IRI: a scheme, then none of the characters RFC 3987 excludes from IRIs
/// (whitespace, controls, `<>"{}|\\^` and backquote).
pub(crate) fn is_absolute(s: &str) -> bool {
    if scheme_len(s).is_none() {
        return false;
    }
    if s.is_ascii() {
        // The same test over bytes: the ASCII whitespace and controls are 0x00-0x20 and 0x7f.
        let mut hashes = 0;
        for &b in s.as_bytes() {
            match b {
                b'#' => hashes += 1,
                0..=0x20 | 0x7f | b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'\\' | b'^' | b'`' => return false,
                _ => {}
            }
        }
        return hashes <= 1;
    }
    s.matches('#').count() <= 1
        && !s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`'))
}

/// A blank node identifier `_:label`.
pub(crate) fn is_blank(s: &str) -> bool {
    s.starts_with("_:")
}

/// An absolute IRI or a blank node identifier: what RDF can name.
pub(crate) fn is_node_ref(s: &str) -> bool {
    is_blank(s) || is_absolute(s)
}

/// The parts of an RFC 3986 reference (§3), borrowed from it.
struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn split(s: &str) -> Parts<'_> {
    let (s, fragment) = match s.find('#') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (s, query) = match s.find('?') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (scheme, s) = match scheme_len(s) {
        Some(n) => (Some(&s[..n]), &s[n + 1..]),
        None => (None, s),
    };
    let (authority, path) = match s.strip_prefix("//") {
        Some(rest) => {
            let end = rest.find('/').unwrap_or(rest.len());
            (Some(&rest[..end]), &rest[end..])
        }
        None => (None, s),
    };
    Parts { scheme, authority, path, query, fragment }
}

/// RFC 3986 §5.2.4.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut out: Vec<&str> = Vec::new();
    let mut trailing = false;
    let absolute = input.starts_with('/');
    if absolute {
        input = &input[1..];
    }
    for (i, seg) in input.split('/').enumerate() {
        let last = i == input.split('/').count() - 1;
        match seg {
            "." => trailing = last,
            ".." => {
                out.pop();
                trailing = last;
            }
            _ => {
                out.push(seg);
                trailing = false;
            }
        }
    }
    let mut s = String::with_capacity(path.len());
    if absolute {
        s.push('/');
    }
    s.push_str(&out.join("/"));
    if trailing && !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// RFC 3986 §5.2.3.
fn merge(base: &Parts<'_>, path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{path}");
    }
    match base.path.rfind('/') {
        Some(i) => format!("{}{}", &base.path[..=i], path),
        None => path.to_owned(),
    }
}

/// Resolves `reference` against the absolute `base` (RFC 3986 §5.2.2, strict).
pub(crate) fn resolve(reference: &str, base: &str) -> String {
    let r = split(reference);
    let b = split(base);
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        scheme = r.scheme;
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        scheme = b.scheme;
        if r.authority.is_some() {
            authority = r.authority;
            path = remove_dot_segments(r.path);
            query = r.query;
        } else {
            authority = b.authority;
            if r.path.is_empty() {
                path = b.path.to_owned();
                query = if r.query.is_some() { r.query } else { b.query };
            } else {
                path = if r.path.starts_with('/') { remove_dot_segments(r.path) } else { remove_dot_segments(&merge(&b, r.path)) };
                query = r.query;
            }
        }
    }
    let mut s = String::with_capacity(base.len() + reference.len());
    if let Some(x) = scheme {
        s.push_str(x);
        s.push(':');
    }
    if let Some(x) = authority {
        s.push_str("//");
        s.push_str(x);
    }
    s.push_str(&path);
    if let Some(x) = query {
        s.push('?');
        s.push_str(x);
    }
    if let Some(x) = r.fragment {
        s.push('#');
        s.push_str(x);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3986 §5.4.1 and §5.4.2 examples.
    #[test]
    fn rfc3986_examples() {
        let base = "http://a/b/c/d;p?q";
        for (r, want) in [
            ("g:h", "g:h"),
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            (";x", "http://a/b/c/;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("./g/.", "http://a/b/c/g/"),
            ("g/./h", "http://a/b/c/g/h"),
            ("g/../h", "http://a/b/c/h"),
            ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
            ("g;x=1/../y", "http://a/b/c/y"),
        ] {
            assert_eq!(resolve(r, base), want, "{r}");
        }
    }

    #[test]
    fn absolute_and_keywords() {
        assert!(is_absolute("http://x/y") && is_absolute("urn:a") && is_absolute("did:key:z6M"));
        assert!(!is_absolute("a/b") && !is_absolute(":x") && !is_absolute("1a:b") && !is_absolute("http://x y"));
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(KEYWORDS.iter().all(|k| is_keyword(k)));
        assert!(is_keyword("@id") && !is_keyword("@foo") && has_keyword_form("@foo") && !has_keyword_form("@foo1"));
        for s in [
            "http://x/y#a#b",
            "http://x/\u{7f}",
            "http://x/\u{b}",
            "http://x/\u{a0}",
            "http://x/\u{85}",
            "http://x/\u{2028}",
            "http://x/a`b",
        ] {
            assert!(!is_absolute(s), "{s:?}");
        }
        assert!(is_absolute("http://x/é#ü") && is_absolute("urn:x:~!$&'()*+,;=") && is_absolute("http://x/#"));
        // The byte test agrees with the character test on every ASCII character.
        for b in 0u8..0x80 {
            let s = format!("urn:x:{}", char::from(b));
            let by_char = !char::from(b).is_whitespace() && !char::from(b).is_control() && !"<>\"{}|\\^`".contains(char::from(b));
            assert_eq!(is_absolute(&s), by_char, "{b:#x}");
        }
    }
}
