//! Edge cases of the N-Quads grammar: what parses to what, what is refused and why.

use super::*;
use crate::error::ErrorCode;

fn iri(s: &str) -> Term {
    Term::Iri(s.to_owned())
}

fn blank(s: &str) -> Term {
    Term::Blank(s.to_owned())
}

fn lit(value: &str, datatype: &str, language: Option<&str>) -> Term {
    Term::Literal { value: value.to_owned(), datatype: datatype.to_owned(), language: language.map(str::to_owned) }
}

fn one(text: &str) -> Quad {
    let quads = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    assert_eq!(quads.len(), 1, "{text:?}");
    quads.into_iter().next().unwrap_or_else(|| unreachable!())
}

fn refused(text: &str) -> ErrorCode {
    match parse(text) {
        Ok(q) => panic!("{text:?} parsed to {q:?}"),
        Err(e) => e.code,
    }
}

#[test]
fn statements_and_graphs() {
    let q = one("<http://a/s> <http://a/p> <http://a/o> .\n");
    assert_eq!(q, Quad { subject: iri("http://a/s"), predicate: iri("http://a/p"), object: iri("http://a/o"), graph: None });
    let q = one("_:s <http://a/p> _:o _:g .");
    assert_eq!((q.subject, q.object, q.graph), (blank("s"), blank("o"), Some(blank("g"))));
    let q = one("<http://a/s> <http://a/p> \"v\" <http://a/g> .");
    assert_eq!(q.graph, Some(iri("http://a/g")));
}

#[test]
fn whitespace_comments_and_line_endings() {
    // Minimal whitespace, tabs, CR LF, comments after statements and on their own lines, no
    // final line ending, empty lines.
    let text = "# head\r\n\r\n<http://a/s><http://a/p><http://a/o>.\t# tail\n\t _:b <http://a/p> \"x\"@en . \r\n\n_:c <http://a/p> _:d.";
    let quads = parse(text).expect("parses");
    assert_eq!(quads.len(), 3);
    assert_eq!(quads[2].object, blank("d"));
    assert_eq!(parse("").expect("empty"), Vec::new());
    assert_eq!(parse("# only a comment").expect("comment"), Vec::new());
    // Two statements on one line are not N-Quads.
    assert_eq!(refused("<http://a/s> <http://a/p> <http://a/o> . <http://a/s> <http://a/p> <http://a/o> ."), ErrorCode::MalformedInput);
    // A form feed or vertical tab is not whitespace.
    assert_eq!(refused("<http://a/s>\u{c}<http://a/p> <http://a/o> ."), ErrorCode::MalformedInput);
    assert_eq!(refused("\u{feff}<http://a/s> <http://a/p> <http://a/o> ."), ErrorCode::MalformedInput);
}

#[test]
fn literal_escapes() {
    let q = one(r#"<http://a/s> <http://a/p> "\t\b\n\r\f\"\'\\ \u00e9\U0001F600" ."#);
    assert_eq!(q.object, lit("\t\u{8}\n\r\u{c}\"'\\ é😀", XSD_STRING, None));
    // Raw non-ASCII and raw tabs are allowed in strings.
    assert_eq!(one("<http://a/s> <http://a/p> \"é\t∞\" .").object, lit("é\t∞", XSD_STRING, None));
    for bad in [
        r#"<http://a/s> <http://a/p> "\a" ."#,
        r#"<http://a/s> <http://a/p> "\u12" ."#,
        r#"<http://a/s> <http://a/p> "\uD800" ."#,
        r#"<http://a/s> <http://a/p> "\U00110000" ."#,
        r#"<http://a/s> <http://a/p> "\u00G0" ."#,
        "<http://a/s> <http://a/p> \"a\nb\" .",
        "<http://a/s> <http://a/p> \"a\rb\" .",
        "<http://a/s> <http://a/p> \"open .",
        "<http://a/s> <http://a/p> 'single' .",
    ] {
        assert_eq!(refused(bad), ErrorCode::MalformedInput, "{bad:?}");
    }
}

#[test]
fn datatypes_and_language_tags() {
    let q = one("<http://a/s> <http://a/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .");
    assert_eq!(q.object, lit("1", "http://www.w3.org/2001/XMLSchema#integer", None));
    // An explicit xsd:string is the same literal as a plain one.
    let q = one("<http://a/s> <http://a/p> \"x\"^^<http://www.w3.org/2001/XMLSchema#string> .");
    assert_eq!(q.object, lit("x", XSD_STRING, None));
    let q = one("<http://a/s> <http://a/p> \"x\"@en-GB-oed .");
    assert_eq!(q.object, lit("x", RDF_LANG_STRING, Some("en-GB-oed")));
    assert_eq!(one("<http://a/s> <http://a/p> \"x\"@de-1996 .").object, lit("x", RDF_LANG_STRING, Some("de-1996")));
    for bad in [
        "<http://a/s> <http://a/p> \"x\"@ .",
        "<http://a/s> <http://a/p> \"x\"@1en .",
        "<http://a/s> <http://a/p> \"x\"@en- .",
        "<http://a/s> <http://a/p> \"x\"@en--gb .",
        "<http://a/s> <http://a/p> \"x\"@en_GB .",
        "<http://a/s> <http://a/p> \"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .",
        "<http://a/s> <http://a/p> \"x\"^<http://a/t> .",
        "<http://a/s> <http://a/p> \"x\"^^ <http://a/t> .",
        "<http://a/s> <http://a/p> \"x\"^^<t> .",
        "<http://a/s> <http://a/p> \"x\"@en^^<http://a/t> .",
    ] {
        assert_eq!(refused(bad), ErrorCode::MalformedInput, "{bad:?}");
    }
}

#[test]
fn iris() {
    assert_eq!(one("<urn:ex:\\u0065\\U00000078> <http://a/p> <http://a/é∞> .").subject, iri("urn:ex:ex"));
    assert_eq!(one("<a+b-c.d:x> <http://a/p> <http://a/o> .").subject, iri("a+b-c.d:x"));
    for bad in [
        "<relative> <http://a/p> <http://a/o> .",
        "<:nothing> <http://a/p> <http://a/o> .",
        "<1a:x> <http://a/p> <http://a/o> .",
        "<http://a/ s> <http://a/p> <http://a/o> .",
        "<http://a/{s}> <http://a/p> <http://a/o> .",
        "<http://a/s|> <http://a/p> <http://a/o> .",
        "<http://a/s\\n> <http://a/p> <http://a/o> .",
        // Escapes that decode to what an IRI may not hold raw: the canonical form could not
        // write them back.
        "<http://a/\\u003E> <http://a/p> <http://a/o> .",
        "<http://a/\\u0020> <http://a/p> <http://a/o> .",
        "<http://a/\\u005C> <http://a/p> <http://a/o> .",
        "<http://a/s <http://a/p> <http://a/o> .",
    ] {
        assert_eq!(refused(bad), ErrorCode::MalformedInput, "{bad:?}");
    }
}

#[test]
fn blank_node_labels() {
    assert_eq!(one("_:a.b <http://a/p> _:c.d.").subject, blank("a.b"));
    assert_eq!(one("_:a.b <http://a/p> _:c.d.").object, blank("c.d"), "a trailing dot ends the statement");
    assert_eq!(refused("_:a.b <http://a/p> _:c.d.."), ErrorCode::MalformedInput);
    assert_eq!(one("_:0 <http://a/p> _:_x-y\u{b7}z .").object, blank("_x-y\u{b7}z"));
    assert_eq!(one("_:a:b <http://a/p> _:é .").subject, blank("a:b"));
    for bad in [
        "_: <http://a/p> <http://a/o> .",
        "_:-a <http://a/p> <http://a/o> .",
        "_:.a <http://a/p> <http://a/o> .",
        "_a <http://a/p> <http://a/o> .",
        "<http://a/s> _:p <http://a/o> .",
        "\"lit\" <http://a/p> <http://a/o> .",
        "<http://a/s> <http://a/p> <http://a/o> \"g\" .",
        "<http://a/s> <http://a/p> <http://a/o> <http://a/g> <http://a/h> .",
        "<http://a/s> <http://a/p> <http://a/o>",
        "<http://a/s> <http://a/p> .",
    ] {
        assert_eq!(refused(bad), ErrorCode::MalformedInput, "{bad:?}");
    }
}

#[test]
fn error_messages_name_the_line() {
    let e = parse("<http://a/s> <http://a/p> <http://a/o> .\r\n<http://a/s> <http://a/p> bad .").expect_err("line 2");
    assert!(e.message.contains("line 2"), "{e}");
}

#[test]
fn limits_and_ceilings() {
    let line = "<http://a/s> <http://a/p> <http://a/o> .\n";
    let text = line.repeat(10);
    let limits = ParseLimits { max_bytes: text.len() - 1, max_quads: 100 };
    assert_eq!(parse_with(&text, &limits).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
    let limits = ParseLimits { max_bytes: 1 << 20, max_quads: 9 };
    assert_eq!(parse_with(&text, &limits).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
    assert_eq!(parse_with(&text, &ParseLimits { max_bytes: 1 << 20, max_quads: 10 }).map(|q| q.len()), Ok(10));
    let raised = ParseLimits { max_bytes: usize::MAX, max_quads: usize::MAX }.clamped();
    assert_eq!(raised, ParseLimits { max_bytes: MAX_BYTES_CEILING, max_quads: MAX_QUADS_CEILING });
    assert_eq!(parse(&"#".repeat(DEFAULT_MAX_BYTES + 1)).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
}

#[test]
fn canonical_escapes() {
    // RDFC-1.0's canonical N-Quads: \" \\ \n \r \t \b \f, \u00XX upper case for the other
    // controls and DEL, everything else as it is.
    let all: String = (0u8..0x80).map(char::from).chain("é∞😀\u{80}".chars()).collect();
    let q = Quad { subject: iri("urn:s"), predicate: iri("urn:p"), object: lit(&all, XSD_STRING, None), graph: None };
    let text = serialize(std::slice::from_ref(&q));
    let expected = concat!(
        r#"<urn:s> <urn:p> "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F"#,
        r#"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"#,
        r##" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007F"##,
        "é∞😀\u{80}\" .\n"
    );
    assert_eq!(text, expected);
    assert_eq!(parse(&text), Ok(vec![q]), "the canonical form reads back");
}

#[test]
fn check_quad_refuses_what_cannot_be_written() {
    let good = Quad { subject: iri("urn:s"), predicate: iri("urn:p"), object: lit("x", RDF_LANG_STRING, Some("en")), graph: None };
    assert_eq!(check_quad(&good), Ok(()));
    let bad = [
        Quad { subject: lit("x", XSD_STRING, None), ..good.clone() },
        Quad { predicate: blank("p"), ..good.clone() },
        Quad { graph: Some(lit("g", XSD_STRING, None)), ..good.clone() },
        Quad { subject: iri("urn:a> <urn:b"), ..good.clone() },
        Quad { subject: iri("relative"), ..good.clone() },
        Quad { subject: blank(""), ..good.clone() },
        Quad { object: lit("x", RDF_LANG_STRING, None), ..good.clone() },
        Quad { object: lit("x", XSD_STRING, Some("en")), ..good.clone() },
        Quad { object: lit("x", RDF_LANG_STRING, Some("en\" .")), ..good.clone() },
        Quad { object: lit("x", "urn:t>", None), ..good.clone() },
    ];
    for quad in bad {
        assert_eq!(check_quad(&quad).map_err(|e| e.code), Err(ErrorCode::MalformedInput), "{quad:?}");
    }
}
