//! Confluent's `.proto` printer (`ProtobufSchemaUtils.toString` in 7.9):
//! the layout of the canonical text, and with `normalize` the normal form
//! of spec §4.5. Each element prints to a string whose lines the parent
//! indents, as Confluent's `appendIndented` does.

use std::cmp::Ordering;

use super::elements::{
    ConstantElement, EnumElement, ExtendElement, ExtensionsElement, FieldElement, FileElement,
    GroupElement, MessageElement, OneOfElement, Reserved, RpcElement, ServiceElement,
    MAX_FIELD_NUMBER,
};
use super::options::{OptionElement, OptionValue};

/// Confluent's `FormatContext`.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Format {
    pub normalize: bool,
    /// `format=ignore_extensions`: no custom options (but `confluent.*`),
    /// extension ranges or `extend` blocks.
    pub ignore_extensions: bool,
}

/// Custom options Confluent keeps under `ignore_extensions`.
const CONFLUENT_PREFIX: &str = "confluent.";

pub(super) fn file(f: Format, file: &FileElement) -> String {
    let mut out = String::new();
    if let Some(syntax) = &file.syntax {
        if !f.normalize || syntax == "proto3" {
            out.push_str(&format!("syntax = \"{syntax}\";\n"));
        }
    }
    if let Some(package) = &file.package {
        out.push_str(&format!("package {package};\n"));
    }
    if !file.imports.is_empty() || !file.public_imports.is_empty() {
        out.push('\n');
        for import in sorted_if(f, &file.imports) {
            out.push_str(&format!("import \"{import}\";\n"));
        }
        for import in sorted_if(f, &file.public_imports) {
            out.push_str(&format!("import public \"{import}\";\n"));
        }
    }
    let options = filter_options(f, &file.options);
    if !options.is_empty() {
        out.push('\n');
        for option in &options {
            out.push_str(&option_statement(f, option));
        }
    }
    let messages: Vec<&MessageElement> = visible_messages(f, &file.messages);
    if !messages.is_empty() || !file.enums.is_empty() {
        out.push('\n');
        for m in messages {
            out.push_str(&message(f, m));
        }
        for e in &file.enums {
            out.push_str(&enumeration(f, e));
        }
    }
    if !f.ignore_extensions && !file.extends.is_empty() {
        out.push('\n');
        for block in extends(f, &file.extends) {
            out.push_str(&extend(f, &block));
        }
    }
    if !file.services.is_empty() {
        out.push('\n');
        for s in &file.services {
            out.push_str(&service(f, s));
        }
    }
    out
}

/// Imports are sorted and de-duplicated when normalizing.
fn sorted_if(f: Format, names: &[String]) -> Vec<String> {
    let mut names = names.to_vec();
    if f.normalize {
        names.sort();
        names.dedup();
    }
    names
}

/// Normalizing hides map-entry messages (their fields print as maps).
fn visible_messages(f: Format, messages: &[MessageElement]) -> Vec<&MessageElement> {
    messages
        .iter()
        .filter(|m| !(f.normalize && m.is_map_entry))
        .collect()
}

fn service(f: Format, s: &ServiceElement) -> String {
    let mut out = format!("service {} {{", s.name);
    let options = filter_options(f, &s.options);
    if !options.is_empty() {
        out.push('\n');
        for option in &options {
            append_indented(&mut out, &option_statement(f, option));
        }
    }
    if !s.rpcs.is_empty() {
        out.push('\n');
        for r in &s.rpcs {
            append_indented(&mut out, &rpc(f, r));
        }
    }
    out.push_str("}\n");
    out
}

fn rpc(f: Format, r: &RpcElement) -> String {
    let stream = |yes: bool| if yes { "stream " } else { "" };
    let pick = |(written, resolved): &(String, String)| {
        if f.normalize {
            resolved.clone()
        } else {
            written.clone()
        }
    };
    let mut out = format!(
        "rpc {} ({}{}) returns ({}{})",
        r.name,
        stream(r.client_streaming),
        pick(&r.input),
        stream(r.server_streaming),
        pick(&r.output)
    );
    let options = filter_options(f, &r.options);
    if !options.is_empty() {
        out.push_str(" {\n");
        for option in &options {
            append_indented(&mut out, &option_statement(f, option));
        }
        out.push('}');
    }
    out.push_str(";\n");
    out
}

fn enumeration(f: Format, e: &EnumElement) -> String {
    let mut out = format!("enum {} {{", e.name);
    if !e.reserved.is_empty() {
        out.push('\n');
        for statement in reserved_statements(f, &e.reserved) {
            append_indented(&mut out, &reserved(&statement));
        }
    }
    if e.reserved.is_empty() && (!e.options.is_empty() || !e.constants.is_empty()) {
        out.push('\n');
    }
    for option in &filter_options(f, &e.options) {
        append_indented(&mut out, &option_statement(f, option));
    }
    let mut constants: Vec<&ConstantElement> = e.constants.iter().collect();
    if f.normalize {
        constants.sort_by(|a, b| a.number.cmp(&b.number).then_with(|| a.name.cmp(&b.name)));
        // Confluent sorts negative values before the zero one, a proto3
        // text protoc and protox reject: the stored normal form must parse
        // again, so the (first) zero value stays first.
        if e.zero_first {
            if let Some(zero) = constants.iter().position(|c| c.number == 0) {
                let zero = constants.remove(zero);
                constants.insert(0, zero);
            }
        }
    }
    for c in constants {
        append_indented(&mut out, &constant(f, c));
    }
    out.push_str("}\n");
    out
}

fn constant(f: Format, c: &ConstantElement) -> String {
    let mut out = format!("{} = {}", c.name, c.number);
    let options = filter_options(f, &c.options);
    if !options.is_empty() {
        out.push(' ');
        out.push_str(&option_list(f, &options));
    }
    out.push_str(";\n");
    out
}

fn message(f: Format, m: &MessageElement) -> String {
    let mut out = format!("message {} {{", m.name);
    if !m.reserved.is_empty() {
        out.push('\n');
        for statement in reserved_statements(f, &m.reserved) {
            append_indented(&mut out, &reserved(&statement));
        }
    }
    let options = filter_options(f, &m.options);
    if !options.is_empty() {
        out.push('\n');
        for option in &options {
            append_indented(&mut out, &option_statement(f, option));
        }
    }
    if !m.fields.is_empty() {
        out.push('\n');
        for field in by_number(f, &m.fields) {
            append_indented(&mut out, &self::field(f, field));
        }
    }
    if !m.oneofs.is_empty() {
        out.push('\n');
        let mut oneofs: Vec<&OneOfElement> = m.oneofs.iter().collect();
        if f.normalize {
            oneofs.sort_by_key(|o| o.fields.iter().map(|field| field.number).min());
        }
        for o in oneofs {
            append_indented(&mut out, &oneof(f, o));
        }
    }
    if !m.groups.is_empty() {
        out.push('\n');
        let mut groups: Vec<&GroupElement> = m.groups.iter().collect();
        if f.normalize {
            groups.sort_by_key(|g| g.number);
        }
        for g in groups {
            append_indented(&mut out, &group(f, g));
        }
    }
    if !f.ignore_extensions && !m.extensions.is_empty() {
        out.push('\n');
        for statement in extension_statements(f, &m.extensions) {
            append_indented(&mut out, &extensions(f, &statement));
        }
    }
    if !f.ignore_extensions && !m.extends.is_empty() {
        out.push('\n');
        for block in extends(f, &m.extends) {
            append_indented(&mut out, &extend(f, &block));
        }
    }
    let messages = visible_messages(f, &m.messages);
    if !messages.is_empty() || !m.enums.is_empty() {
        out.push('\n');
        for nested in messages {
            append_indented(&mut out, &message(f, nested));
        }
        for e in &m.enums {
            append_indented(&mut out, &enumeration(f, e));
        }
    }
    out.push_str("}\n");
    out
}

/// Fields by number when normalizing, else as written.
fn by_number(f: Format, fields: &[FieldElement]) -> Vec<&FieldElement> {
    let mut fields: Vec<&FieldElement> = fields.iter().collect();
    if f.normalize {
        fields.sort_by_key(|field| field.number);
    }
    fields
}

/// Normalizing splits statements into one value each, numbers ascending
/// then names (Confluent compares a name as `Integer.MAX_VALUE`).
fn reserved_statements(f: Format, statements: &[Vec<Reserved>]) -> Vec<Vec<Reserved>> {
    if !f.normalize {
        return statements.to_vec();
    }
    let mut single: Vec<Reserved> = statements.iter().flatten().cloned().collect();
    single.sort_by(|a, b| {
        reserved_key(a)
            .cmp(&reserved_key(b))
            .then_with(|| reserved_text(a).cmp(&reserved_text(b)))
    });
    single.into_iter().map(|r| vec![r]).collect()
}

fn reserved_key(value: &Reserved) -> i32 {
    match value {
        Reserved::Range(start, _) => *start,
        Reserved::Name(_) => i32::MAX,
    }
}

fn reserved(values: &[Reserved]) -> String {
    let values: Vec<String> = values.iter().map(reserved_text).collect();
    format!("reserved {};\n", values.join(", "))
}

fn reserved_text(value: &Reserved) -> String {
    match value {
        Reserved::Name(name) => format!("\"{name}\""),
        Reserved::Range(start, end) => range_text(*start, *end),
    }
}

/// `5`, `5 to 9` or `5 to max`. A range of one number prints alone (the
/// descriptor cannot tell `5` from `5 to 5`; Confluent prints `5` for both
/// when normalizing).
fn range_text(start: i32, end: i32) -> String {
    if start == end {
        start.to_string()
    } else if end >= MAX_FIELD_NUMBER {
        format!("{start} to max")
    } else {
        format!("{start} to {end}")
    }
}

/// One `extensions` statement to print.
struct ExtensionStatement<'e> {
    ranges: Vec<(i32, i32)>,
    options: &'e [OptionElement],
}

/// Normalizing splits statements into one range each, by start.
fn extension_statements(
    f: Format,
    statements: &[ExtensionsElement],
) -> Vec<ExtensionStatement<'_>> {
    let mut out: Vec<ExtensionStatement<'_>> = if f.normalize {
        statements
            .iter()
            .flat_map(|s| {
                s.ranges.iter().map(|r| ExtensionStatement {
                    ranges: vec![*r],
                    options: &s.options,
                })
            })
            .collect()
    } else {
        statements
            .iter()
            .map(|s| ExtensionStatement {
                ranges: s.ranges.clone(),
                options: &s.options,
            })
            .collect()
    };
    if f.normalize {
        out.sort_by_key(|s| s.ranges[0].0);
    }
    out
}

fn extensions(f: Format, statement: &ExtensionStatement<'_>) -> String {
    let values: Vec<String> = statement
        .ranges
        .iter()
        .map(|(s, e)| range_text(*s, *e))
        .collect();
    let mut out = format!("extensions {}", values.join(", "));
    let options = filter_options(f, statement.options);
    if !options.is_empty() {
        out.push(' ');
        out.push_str(&option_list(f, &options));
    }
    out.push_str(";\n");
    out
}

fn oneof(f: Format, o: &OneOfElement) -> String {
    let mut out = format!("oneof {} {{", o.name);
    let options = filter_options(f, &o.options);
    if !options.is_empty() {
        out.push('\n');
        for option in &options {
            append_indented(&mut out, &option_statement(f, option));
        }
    }
    if !o.fields.is_empty() {
        out.push('\n');
        for field in by_number(f, &o.fields) {
            append_indented(&mut out, &self::field(f, field));
        }
    }
    out.push_str("}\n");
    out
}

fn group(f: Format, g: &GroupElement) -> String {
    let mut out = String::new();
    if let Some(label) = g.label {
        out.push_str(label);
        out.push(' ');
    }
    out.push_str(&format!("group {} = {} {{", g.name, g.number));
    if !g.fields.is_empty() {
        out.push('\n');
        for field in by_number(f, &g.fields) {
            append_indented(&mut out, &self::field(f, field));
        }
    }
    out.push_str("}\n");
    out
}

/// `extend` blocks; normalizing merges blocks by resolved extendee.
fn extends(f: Format, blocks: &[ExtendElement]) -> Vec<(String, Vec<&FieldElement>)> {
    if !f.normalize {
        return blocks
            .iter()
            .map(|b| (b.written_name.clone(), b.fields.iter().collect()))
            .collect();
    }
    let mut merged: Vec<(String, Vec<&FieldElement>)> = Vec::new();
    for block in blocks {
        match merged
            .iter_mut()
            .find(|(name, _)| *name == block.resolved_name)
        {
            Some((_, fields)) => fields.extend(block.fields.iter()),
            None => merged.push((block.resolved_name.clone(), block.fields.iter().collect())),
        }
    }
    merged
}

fn extend(f: Format, (name, fields): &(String, Vec<&FieldElement>)) -> String {
    let mut out = format!("extend {name} {{");
    if !fields.is_empty() {
        out.push('\n');
        let mut fields = fields.clone();
        if f.normalize {
            fields.sort_by_key(|field| field.number);
        }
        for field in fields {
            append_indented(&mut out, &self::field(f, field));
        }
    }
    out.push_str("}\n");
    out
}

fn field(f: Format, field: &FieldElement) -> String {
    let (label, ty) = if f.normalize {
        let label = if field.is_map { None } else { field.label };
        (label, &field.normal_type)
    } else {
        (field.label, &field.written_type)
    };
    let mut out = String::new();
    if let Some(label) = label {
        out.push_str(label);
        out.push(' ');
    }
    out.push_str(&format!("{ty} {} = {}", field.name, field.number));
    let mut options = field.options.clone();
    if let Some(default) = &field.default {
        options.push(OptionElement::standard("default", default.clone()));
    }
    if let Some(json_name) = &field.json_name {
        options.push(OptionElement::standard(
            "json_name",
            OptionValue::String(json_name.clone()),
        ));
    }
    let options = filter_options(f, &options);
    if !options.is_empty() {
        out.push(' ');
        out.push_str(&option_list(f, &options));
    }
    out.push_str(";\n");
    out
}

/// Confluent's `filterOptions`: drops custom options for
/// `ignore_extensions`; normalizing resolves custom names and sorts,
/// standard options first (spec §4.5), each group by name.
fn filter_options(f: Format, options: &[OptionElement]) -> Vec<OptionElement> {
    let mut options: Vec<OptionElement> = options
        .iter()
        .filter(|o| {
            !f.ignore_extensions || !o.is_custom() || o.name().starts_with(CONFLUENT_PREFIX)
        })
        .cloned()
        .collect();
    if f.normalize {
        for option in options.iter_mut() {
            if let Some(resolved) = option.resolved.take() {
                option.parts[0].0 = resolved;
            }
        }
        options.sort_by(compare_options);
    }
    options
}

fn compare_options(a: &OptionElement, b: &OptionElement) -> Ordering {
    a.is_custom()
        .cmp(&b.is_custom())
        .then_with(|| a.name().cmp(b.name()))
}

fn option_statement(f: Format, option: &OptionElement) -> String {
    format!("option {};\n", option_text(f, option))
}

/// `name = value`; aggregates print as multi-line maps.
fn option_text(f: Format, option: &OptionElement) -> String {
    let name = option.written_name();
    match &option.value {
        OptionValue::Map(entries) => format!("{name} = {{\n{}}}", option_map(f, entries)),
        OptionValue::List(items) => format!("{name} = {}", option_list_values(f, items)),
        value => format!("{name} = {}", scalar_text(f, value)),
    }
}

/// A value inside an option map or list.
fn value_text(f: Format, value: &OptionValue) -> String {
    match value {
        OptionValue::Map(entries) => format!("{{\n{}}}", option_map(f, entries)),
        OptionValue::List(items) if f.normalize && items.len() == 1 => value_text(f, &items[0]),
        OptionValue::List(items) => {
            let mut out = "[\n".to_string();
            for (i, item) in items.iter().enumerate() {
                let comma = if i + 1 < items.len() { "," } else { "" };
                append_indented(&mut out, &format!("{}{comma}", value_text(f, item)));
            }
            out.push(']');
            out
        }
        scalar => scalar_text(f, scalar),
    }
}

fn scalar_text(f: Format, value: &OptionValue) -> String {
    match value {
        OptionValue::String(s) => format!("\"{}\"", escape(s)),
        OptionValue::Bool(s) | OptionValue::Enum(s) => s.clone(),
        OptionValue::Number(s) if f.normalize => normalize_number(s),
        OptionValue::Number(s) => s.clone(),
        other => value_text(f, other),
    }
}

/// Map entries one per line, comma-separated; normalizing sorts keys and
/// drops empty lists.
fn option_map(f: Format, entries: &[(String, OptionValue)]) -> String {
    let mut entries: Vec<&(String, OptionValue)> = entries.iter().collect();
    if f.normalize {
        entries.retain(|(_, v)| !matches!(v, OptionValue::List(items) if items.is_empty()));
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
    }
    let mut out = String::new();
    for (i, (key, value)) in entries.iter().enumerate() {
        let comma = if i + 1 < entries.len() { "," } else { "" };
        append_indented(&mut out, &format!("{key}: {}{comma}", value_text(f, value)));
    }
    out
}

/// A list option value (`[a, b]` written after `=`).
fn option_list_values(f: Format, items: &[OptionValue]) -> String {
    let texts: Vec<String> = items.iter().map(|v| value_text(f, v)).collect();
    bracketed(&texts)
}

/// Field/enum-value options: one inline, several one per line.
fn option_list(f: Format, options: &[OptionElement]) -> String {
    let texts: Vec<String> = options.iter().map(|o| option_text(f, o)).collect();
    bracketed(&texts)
}

/// Confluent's `appendOptions`: `[x]`, or `[\n  a,\n  b\n]`.
fn bracketed(texts: &[String]) -> String {
    if texts.len() == 1 {
        return format!("[{}]", texts[0]);
    }
    let mut out = "[\n".to_string();
    for (i, text) in texts.iter().enumerate() {
        let comma = if i + 1 < texts.len() { "," } else { "" };
        append_indented(&mut out, &format!("{text}{comma}"));
    }
    out.push(']');
    out
}

/// Confluent's `appendIndented`: every line of `value` indented by two.
fn append_indented(out: &mut String, value: &str) {
    let value = value.strip_suffix('\n').unwrap_or(value);
    for line in value.split('\n') {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
}

/// Confluent's `escapeChars`.
fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

/// Java's `DecimalFormat` without grouping: integers as is (hex and octal
/// read as numbers), fractions to at most three digits; `inf`/`nan` kept.
fn normalize_number(text: &str) -> String {
    if let Some(value) = parse_integer(text) {
        return value.to_string();
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => {
            let fixed = format!("{value:.3}");
            let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
            if trimmed == "-0" {
                "-0".to_string()
            } else {
                trimmed.to_string()
            }
        }
        _ => text.to_string(),
    }
}

fn parse_integer(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i128::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i128::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse::<i128>().ok()?
    };
    Some(if negative { -value } else { value })
}
