//! JSON-LD 1.1 API §5.1 Expansion Algorithm and §5.3 Value Expansion, with the safe-mode
//! checks of the module doc. Keys are visited in lexicographic order (the `ordered` flag set),
//! as jsonld.js does, so that blank node labels come out the same.

use std::rc::Rc;

use serde_json::{Map, Value};

use super::context::{container, Context, Scoped};
use super::error::Error;
use super::iri::{is_absolute, is_blank, is_keyword, is_node_ref};
use super::Processor;

/// Map keys in lexicographic (code point) order.
fn sorted_keys(map: &Map<String, Value>) -> Vec<&String> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    keys
}

fn as_slice(v: &Value) -> &[Value] {
    match v {
        Value::Array(a) => a,
        v => std::slice::from_ref(v),
    }
}

/// Appends `value` (its items, if an array) to `map[key]` as an array.
fn append(map: &mut Map<String, Value>, key: &str, value: Value) {
    let entry = map.entry(key.to_owned()).or_insert_with(|| Value::Array(Vec::new()));
    if !entry.is_array() {
        let old = entry.take();
        *entry = Value::Array(vec![old]);
    }
    if let Value::Array(a) = entry {
        match value {
            Value::Array(items) => a.extend(items),
            v => a.push(v),
        }
    }
}

fn into_array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        Value::Null => Vec::new(),
        v => vec![v],
    }
}

fn is_value_object(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.contains_key("@value"))
}

fn is_list_object(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.contains_key("@list"))
}

fn is_graph_object(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.contains_key("@graph") && m.keys().all(|k| matches!(k.as_str(), "@graph" | "@id" | "@index" | "@context")))
}

/// jsonld.js's well-formedness test of a language tag (BCP 47 shape).
pub(crate) fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (1..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The state of one node object's expansion, shared by its nested (`@nest`) maps.
#[derive(Clone)]
struct Frame<'c> {
    active: &'c Rc<Context>,
    type_scoped: &'c Rc<Context>,
    active_property: Option<&'c str>,
    input_type: Option<String>,
    base_url: Option<&'c str>,
    depth: usize,
}

impl Processor<'_> {
    /// §5.1.2: `element` expanded under `active_property`. `Value::Null` is "nothing".
    pub(crate) fn expand(
        &mut self,
        active: &Rc<Context>,
        active_property: Option<&str>,
        element: &Value,
        base_url: Option<&str>,
        from_map: bool,
        depth: usize,
    ) -> Result<Value, Error> {
        self.budget.depth(depth)?;
        self.budget.value()?;
        let def = active_property.and_then(|p| active.term(p));
        let scoped = def.and_then(|d| d.context.clone().map(|c| (c, d.base_url.clone())));
        match element {
            Value::Null => Ok(Value::Null),
            Value::Array(items) => {
                let list = def.is_some_and(|d| d.has(container::LIST));
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let mut e = self.expand(active, active_property, item, base_url, from_map, depth + 1)?;
                    if list && e.is_array() {
                        e = Value::Object(Map::from_iter([("@list".to_owned(), e)]));
                    }
                    match e {
                        Value::Array(a) => out.extend(a),
                        Value::Null => {}
                        v => out.push(v),
                    }
                }
                Ok(Value::Array(out))
            }
            Value::Object(map) => self.expand_map(active, active_property, map, scoped, base_url, from_map, depth),
            scalar => {
                if matches!(active_property, None | Some("@graph")) {
                    if self.safe {
                        return Err(Error::unsafe_("free-floating scalar", format!("{scalar} outside any property")));
                    }
                    return Ok(Value::Null);
                }
                let active = match scoped {
                    Some((c, b)) => self.process_context(active, &c.value, Some(c.id), b.as_deref(), &[], true, true, true, depth + 1)?,
                    None => active.clone(),
                };
                self.expand_value(&active, active_property, scalar)
            }
        }
    }

    /// §5.3.2 Value Expansion.
    pub(crate) fn expand_value(&mut self, active: &Context, active_property: Option<&str>, value: &Value) -> Result<Value, Error> {
        let def = active_property.and_then(|p| active.term(p));
        let type_mapping = def.and_then(|d| d.type_mapping.as_deref());
        if let Value::String(s) = value {
            let vocab = match type_mapping {
                Some("@id") => Some(false),
                Some("@vocab") => Some(true),
                _ => None,
            };
            if let Some(vocab) = vocab {
                let id = active.expand_iri(s, true, vocab);
                let id = self.check_id(id, s)?;
                return Ok(Value::Object(Map::from_iter([("@id".to_owned(), id)])));
            }
        }
        let mut out = Map::new();
        out.insert("@value".to_owned(), value.clone());
        match type_mapping {
            Some(t) if !matches!(t, "@id" | "@vocab" | "@none") => {
                out.insert("@type".to_owned(), Value::String(t.to_owned()));
            }
            _ if value.is_string() => {
                let language = match def.and_then(|d| d.language.as_ref()) {
                    Some(l) => l.clone(),
                    None => active.language.clone(),
                };
                let direction = match def.and_then(|d| d.direction.as_ref()) {
                    Some(d) => d.clone(),
                    None => active.direction.clone(),
                };
                if let Some(l) = language {
                    out.insert("@language".to_owned(), Value::String(l));
                }
                if let Some(d) = direction {
                    out.insert("@direction".to_owned(), Value::String(d));
                }
            }
            _ => {}
        }
        Ok(Value::Object(out))
    }

    /// An expanded `@id`: in safe mode it must be an absolute IRI or a blank node identifier.
    fn check_id(&self, id: Option<String>, raw: &str) -> Result<Value, Error> {
        match id {
            Some(id) if !self.safe || is_node_ref(&id) => Ok(Value::String(id)),
            Some(id) => Err(Error::unsafe_("relative @id reference", format!("@id {id}"))),
            None if self.safe => Err(Error::unsafe_("reserved @id value", format!("@id {raw}"))),
            None => Ok(Value::Null),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_map(
        &mut self,
        active: &Rc<Context>,
        active_property: Option<&str>,
        map: &Map<String, Value>,
        scoped: Option<(Rc<Scoped>, Option<String>)>,
        base_url: Option<&str>,
        from_map: bool,
        depth: usize,
    ) -> Result<Value, Error> {
        let mut active = active.clone();
        // Step 7: a context that does not propagate reverts at the next node object.
        if let (Some(prev), false) = (&active.previous, from_map) {
            let expanded: Vec<Option<String>> = map.keys().map(|k| active.expand_iri(k, false, true)).collect();
            let has_value = expanded.iter().any(|k| k.as_deref() == Some("@value"));
            let only_id = expanded.len() == 1 && expanded[0].as_deref() == Some("@id");
            if !has_value && !only_id {
                active = prev.clone();
            }
        }
        if let Some((c, b)) = scoped {
            active = self.process_context(&active, &c.value, Some(c.id), b.as_deref(), &[], true, true, true, depth + 1)?;
        }
        if let Some(c) = map.get("@context") {
            active = self.process_context(&active, c, None, base_url, &[], false, true, true, depth + 1)?;
        }
        let type_scoped = active.clone();
        let keys = sorted_keys(map);
        let type_keys: Vec<&String> =
            keys.iter().copied().filter(|k| active.expand_iri(k, false, true).as_deref() == Some("@type")).collect();
        for key in &type_keys {
            let mut terms: Vec<&str> = as_slice(&map[key.as_str()]).iter().filter_map(Value::as_str).collect();
            terms.sort_unstable();
            for term in terms {
                if let Some((c, b)) = type_scoped.term(term).and_then(|d| d.context.clone().map(|c| (c, d.base_url.clone()))) {
                    active = self.process_context(&active, &c.value, Some(c.id), b.as_deref(), &[], false, false, true, depth + 1)?;
                }
            }
        }
        let input_type = type_keys
            .first()
            .and_then(|k| as_slice(&map[k.as_str()]).last())
            .and_then(Value::as_str)
            .and_then(|t| active.expand_iri(t, false, true));
        let frame = Frame { active: &active, type_scoped: &type_scoped, active_property, input_type, base_url, depth };
        let mut result = Map::new();
        self.expand_entries(&frame, map, &mut result)?;
        self.finish_map(active_property, result)
    }

    /// Steps 13 and 14 of the Expansion Algorithm over `map`'s entries.
    fn expand_entries(&mut self, f: &Frame<'_>, map: &Map<String, Value>, result: &mut Map<String, Value>) -> Result<(), Error> {
        let active = f.active;
        let mut nests: Vec<&String> = Vec::new();
        for key in sorted_keys(map) {
            let value = &map[key.as_str()];
            if key == "@context" {
                continue;
            }
            let expanded = active.expand_iri(key, false, true);
            let prop = match expanded {
                Some(p) if p.contains(':') || is_keyword(&p) => p,
                _ => {
                    if self.safe {
                        return Err(Error::unsafe_("invalid property", format!("{key} does not expand to an absolute IRI")));
                    }
                    continue;
                }
            };
            if is_keyword(&prop) {
                if f.active_property == Some("@reverse") {
                    return Err(Error::invalid("invalid reverse property map", format!("keyword {prop} in @reverse")));
                }
                if result.contains_key(&prop) && !matches!(prop.as_str(), "@included" | "@type") {
                    return Err(Error::invalid("colliding keywords", format!("two entries expand to {prop}")));
                }
                if prop == "@nest" {
                    nests.push(key);
                    continue;
                }
                self.expand_keyword(f, &prop, value, result)?;
                continue;
            }
            let def = active.term(key);
            let flags = def.map_or(0, |d| d.container);
            let has = |flag: u8| flags & flag != 0;
            let mut ev = if def.and_then(|d| d.type_mapping.as_deref()) == Some("@json") {
                Value::Object(Map::from_iter([
                    ("@value".to_owned(), value.clone()),
                    ("@type".to_owned(), Value::String("@json".to_owned())),
                ]))
            } else if let (true, Value::Object(langs)) = (has(container::LANGUAGE), value) {
                let direction = match def.and_then(|d| d.direction.as_ref()) {
                    Some(d) => d.clone(),
                    None => active.direction.clone(),
                };
                let mut out = Vec::new();
                for lang in sorted_keys(langs) {
                    for item in as_slice(&langs[lang.as_str()]) {
                        if item.is_null() {
                            continue;
                        }
                        let s = item.as_str().ok_or_else(|| Error::invalid("invalid language map value", format!("{key}: {item}")))?;
                        let mut v = Map::new();
                        v.insert("@value".to_owned(), Value::String(s.to_owned()));
                        if lang != "@none" && active.expand_iri(lang, false, true).as_deref() != Some("@none") {
                            if self.safe && !is_language_tag(lang) {
                                return Err(Error::unsafe_("invalid @language value", format!("language {lang}")));
                            }
                            v.insert("@language".to_owned(), Value::String(lang.to_lowercase()));
                        }
                        if let Some(d) = &direction {
                            v.insert("@direction".to_owned(), Value::String(d.clone()));
                        }
                        self.budget.value()?;
                        out.push(Value::Object(v));
                    }
                }
                Value::Array(out)
            } else if let (true, Value::Object(index_map)) = (has(container::INDEX) || has(container::TYPE) || has(container::ID), value) {
                self.expand_index_map(f, key, flags, def.and_then(|d| d.index.clone()), index_map)?
            } else {
                self.expand(active, Some(key), value, f.base_url, false, f.depth + 1)?
            };
            if ev.is_null() {
                continue;
            }
            if has(container::LIST) && !is_list_object(&ev) {
                ev = Value::Object(Map::from_iter([("@list".to_owned(), Value::Array(into_array(ev)))]));
            }
            if has(container::GRAPH) && !has(container::ID) && !has(container::INDEX) {
                ev = Value::Array(
                    into_array(ev)
                        .into_iter()
                        .map(|v| Value::Object(Map::from_iter([("@graph".to_owned(), Value::Array(into_array(v)))])))
                        .collect(),
                );
            }
            if def.is_some_and(|d| d.reverse) {
                let reverse = result.entry("@reverse".to_owned()).or_insert_with(|| Value::Object(Map::new()));
                let items = into_array(ev);
                if items.iter().any(|i| is_value_object(i) || is_list_object(i)) {
                    return Err(Error::invalid("invalid reverse property value", format!("{key}: a value or list in a reverse property")));
                }
                if let Value::Object(r) = reverse {
                    append(r, &prop, Value::Array(items));
                }
            } else {
                append(result, &prop, ev);
            }
        }
        for key in nests {
            for nested in as_slice(&map[key.as_str()]) {
                let nested = nested.as_object().ok_or_else(|| Error::invalid("invalid @nest value", format!("{key} is not a map")))?;
                if nested.keys().any(|k| active.expand_iri(k, false, true).as_deref() == Some("@value")) {
                    return Err(Error::invalid("invalid @nest value", format!("{key} holds a value object")));
                }
                self.budget.depth(f.depth + 1)?;
                // §5.1.2 step 14.2.2: the nesting key's property-scoped context applies.
                match active.term(key).and_then(|d| d.context.clone().map(|c| (c, d.base_url.clone()))) {
                    Some((c, b)) => {
                        let scoped =
                            self.process_context(active, &c.value, Some(c.id), b.as_deref(), &[], true, true, true, f.depth + 1)?;
                        let inner = Frame { active: &scoped, input_type: f.input_type.clone(), ..*f };
                        self.expand_entries(&inner, nested, result)?;
                    }
                    None => self.expand_entries(f, nested, result)?,
                }
            }
        }
        Ok(())
    }

    /// Step 13.4: an entry whose key expands to a keyword.
    fn expand_keyword(&mut self, f: &Frame<'_>, prop: &str, value: &Value, result: &mut Map<String, Value>) -> Result<(), Error> {
        let active = f.active;
        let ev = match prop {
            "@id" => {
                let s = value.as_str().ok_or_else(|| Error::invalid("invalid @id value", format!("{value}")))?;
                self.check_id(active.expand_iri(s, true, false), s)?
            }
            "@type" => {
                let types = match value {
                    Value::String(_) => std::slice::from_ref(value),
                    Value::Array(a) if a.iter().all(Value::is_string) => a.as_slice(),
                    _ => return Err(Error::invalid("invalid type value", format!("{value}"))),
                };
                let mut out = Vec::with_capacity(types.len());
                for t in types.iter().filter_map(Value::as_str) {
                    match f.type_scoped.expand_iri(t, true, true) {
                        Some(x) if !self.safe || x == "@json" || is_absolute(&x) || is_blank(&x) => out.push(Value::String(x)),
                        Some(x) => return Err(Error::unsafe_("relative @type reference", format!("@type {x}"))),
                        None if self.safe => return Err(Error::unsafe_("relative @type reference", format!("@type {t}"))),
                        None => {}
                    }
                }
                let mut ev = if value.is_array() || out.len() != 1 { Value::Array(out) } else { out.remove(0) };
                if let Some(prev) = result.remove("@type") {
                    let mut all = into_array(prev);
                    all.extend(into_array(ev));
                    ev = Value::Array(all);
                }
                ev
            }
            "@graph" => Value::Array(into_array(self.expand(active, Some("@graph"), value, f.base_url, false, f.depth + 1)?)),
            "@included" => {
                for raw in as_slice(value) {
                    let ok = raw.as_object().is_some_and(|m| {
                        !m.keys().any(|k| matches!(active.expand_iri(k, false, true).as_deref(), Some("@value" | "@list")))
                    });
                    if !ok {
                        return Err(Error::invalid("invalid @included value", "@included holds a value or list"));
                    }
                }
                let items = into_array(self.expand(active, f.active_property, value, f.base_url, false, f.depth + 1)?);
                if items.iter().any(|i| !i.is_object() || is_value_object(i) || is_list_object(i)) {
                    return Err(Error::invalid("invalid @included value", "@included holds a value or list"));
                }
                let mut all = result.remove("@included").map(into_array).unwrap_or_default();
                all.extend(items);
                Value::Array(all)
            }
            "@value" => {
                if f.input_type.as_deref() == Some("@json") {
                    value.clone()
                } else if value.is_object() || value.is_array() {
                    return Err(Error::invalid("invalid value object value", format!("{value}")));
                } else {
                    value.clone()
                }
            }
            "@language" => {
                let s = value.as_str().ok_or_else(|| Error::invalid("invalid language-tagged string", format!("{value}")))?;
                if self.safe && !is_language_tag(s) {
                    return Err(Error::unsafe_("invalid @language value", format!("language {s}")));
                }
                Value::String(s.to_lowercase())
            }
            "@direction" => match value.as_str() {
                Some("ltr" | "rtl") => value.clone(),
                _ => return Err(Error::invalid("invalid base direction", format!("{value}"))),
            },
            "@index" => match value {
                Value::String(_) => value.clone(),
                _ => return Err(Error::invalid("invalid @index value", format!("{value}"))),
            },
            "@list" => {
                if matches!(f.active_property, None | Some("@graph")) {
                    if self.safe {
                        return Err(Error::unsafe_("object with only @list", "a list outside any property"));
                    }
                    return Ok(());
                }
                Value::Array(into_array(self.expand(active, f.active_property, value, f.base_url, false, f.depth + 1)?))
            }
            "@set" => self.expand(active, f.active_property, value, f.base_url, false, f.depth + 1)?,
            "@reverse" => {
                if !value.is_object() {
                    return Err(Error::invalid("invalid @reverse value", "@reverse must be a map"));
                }
                let ev = self.expand(active, Some("@reverse"), value, f.base_url, false, f.depth + 1)?;
                let Value::Object(mut ev) = ev else { return Ok(()) };
                if let Some(Value::Object(inner)) = ev.remove("@reverse") {
                    for (p, items) in inner {
                        append(result, &p, items);
                    }
                }
                if !ev.is_empty() {
                    let reverse = result.entry("@reverse".to_owned()).or_insert_with(|| Value::Object(Map::new()));
                    for (p, items) in ev {
                        let items = into_array(items);
                        if items.iter().any(|i| is_value_object(i) || is_list_object(i)) {
                            return Err(Error::invalid("invalid reverse property value", format!("{p}: a value or list")));
                        }
                        if let Value::Object(r) = reverse {
                            append(r, &p, Value::Array(items));
                        }
                    }
                }
                return Ok(());
            }
            other => {
                if self.safe {
                    return Err(Error::unsafe_("invalid property", format!("keyword {other} has no meaning here")));
                }
                return Ok(());
            }
        };
        if ev.is_null() && prop == "@value" && f.input_type.as_deref() != Some("@json") {
            result.insert("@value".to_owned(), Value::Null);
            return Ok(());
        }
        result.insert(prop.to_owned(), ev);
        Ok(())
    }

    /// Step 13.8: an index, id or type map.
    fn expand_index_map(
        &mut self,
        f: &Frame<'_>,
        key: &str,
        flags: u8,
        index_key: Option<String>,
        map: &Map<String, Value>,
    ) -> Result<Value, Error> {
        let active = f.active;
        let has = |flag: u8| flags & flag != 0;
        let index_key = index_key.unwrap_or_else(|| "@index".to_owned());
        let mut out = Vec::new();
        for index in sorted_keys(map) {
            let mut map_context = active.clone();
            if has(container::ID) || has(container::TYPE) {
                if let Some(prev) = &active.previous {
                    map_context = prev.clone();
                }
            }
            if has(container::TYPE) {
                if let Some((c, b)) = map_context.term(index).and_then(|d| d.context.clone().map(|c| (c, d.base_url.clone()))) {
                    map_context =
                        self.process_context(&map_context, &c.value, Some(c.id), b.as_deref(), &[], false, true, true, f.depth + 1)?;
                }
            } else {
                map_context = active.clone();
            }
            let expanded_index = active.expand_iri(index, false, true);
            let none = expanded_index.as_deref() == Some("@none");
            let items = into_array(self.expand(&map_context, Some(key), &map[index.as_str()], f.base_url, true, f.depth + 1)?);
            for item in items {
                let mut item = item;
                if has(container::GRAPH) && !is_graph_object(&item) {
                    item = Value::Object(Map::from_iter([("@graph".to_owned(), Value::Array(into_array(item)))]));
                }
                let Value::Object(mut obj) = item else { continue };
                if has(container::INDEX) && index_key != "@index" && !none {
                    let re = self.expand_value(active, Some(index_key.as_str()), &Value::String(index.clone()))?;
                    let prop = active.expand_iri(&index_key, false, true).unwrap_or_default();
                    if is_keyword(&prop) || !prop.contains(':') {
                        return Err(Error::invalid("invalid term definition", format!("{key}: @index {index_key}")));
                    }
                    if obj.contains_key("@value") {
                        return Err(Error::invalid("invalid value object", format!("{key}: a value in a property-valued index")));
                    }
                    let mut values = vec![re];
                    if let Some(old) = obj.remove(&prop) {
                        values.extend(into_array(old));
                    }
                    obj.insert(prop, Value::Array(values));
                } else if has(container::INDEX) && !obj.contains_key("@index") && !none {
                    obj.insert("@index".to_owned(), Value::String(index.clone()));
                } else if has(container::ID) && !obj.contains_key("@id") && !none {
                    let id = self.check_id(active.expand_iri(index, true, false), index)?;
                    obj.insert("@id".to_owned(), id);
                } else if has(container::TYPE) && !none {
                    let t = match expanded_index.clone() {
                        Some(t) if !self.safe || is_node_ref(&t) => t,
                        _ => return Err(Error::unsafe_("relative @type reference", format!("type map key {index}"))),
                    };
                    let mut types = vec![Value::String(t)];
                    if let Some(old) = obj.remove("@type") {
                        types.extend(into_array(old));
                    }
                    obj.insert("@type".to_owned(), Value::Array(types));
                }
                out.push(Value::Object(obj));
            }
        }
        Ok(Value::Array(out))
    }

    /// Steps 15 to 19: value, set and list objects, and what is dropped.
    fn finish_map(&mut self, active_property: Option<&str>, mut result: Map<String, Value>) -> Result<Value, Error> {
        if result.contains_key("@value") {
            if result.keys().any(|k| !matches!(k.as_str(), "@direction" | "@index" | "@language" | "@type" | "@value"))
                || (result.contains_key("@type") && (result.contains_key("@language") || result.contains_key("@direction")))
            {
                return Err(Error::invalid("invalid value object", "a value object with other entries"));
            }
            let v = &result["@value"];
            if result.get("@type").and_then(Value::as_str) == Some("@json") {
                // any JSON value
            } else if v.is_null() || v.as_array().is_some_and(Vec::is_empty) {
                if self.safe {
                    return Err(Error::unsafe_("null @value value", "a value object whose value is null"));
                }
                return Ok(Value::Null);
            } else if !v.is_string() && result.contains_key("@language") {
                return Err(Error::invalid("invalid language-tagged value", format!("{v} with @language")));
            } else if let Some(t) = result.get("@type") {
                if !t.as_str().is_some_and(is_absolute) {
                    return Err(Error::invalid("invalid typed value", format!("@type {t}")));
                }
            }
        } else if let Some(t) = result.get_mut("@type") {
            if !t.is_array() {
                let old = t.take();
                *t = Value::Array(vec![old]);
            }
        } else if result.contains_key("@set") || result.contains_key("@list") {
            if result.len() > 2 || (result.len() == 2 && !result.contains_key("@index")) {
                return Err(Error::invalid("invalid set or list object", "a @set or @list with other entries"));
            }
            if let Some(set) = result.remove("@set") {
                return Ok(set);
            }
        }
        if result.len() == 1 && result.contains_key("@language") {
            if self.safe {
                return Err(Error::unsafe_("object with only @language", "a map with only @language"));
            }
            return Ok(Value::Null);
        }
        if matches!(active_property, None | Some("@graph")) {
            let what = if result.is_empty() {
                Some("empty object")
            } else if result.contains_key("@value") {
                Some("object with only @value")
            } else if result.contains_key("@list") {
                Some("object with only @list")
            } else if result.len() == 1 && result.contains_key("@id") {
                Some("object with only @id")
            } else {
                None
            };
            if let Some(what) = what {
                if self.safe {
                    return Err(Error::unsafe_(what, "a node or value outside any property, dropped by expansion"));
                }
                return Ok(Value::Null);
            }
        }
        Ok(Value::Object(result))
    }
}
