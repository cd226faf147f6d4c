//! Options as Confluent's `toProtoFile` lists them: the standard options a
//! descriptor has set, in Confluent's order, then the options protox kept
//! uninterpreted (everything written in source text, in written order).

use prost_types::{
    EnumOptions, EnumValueOptions, FieldOptions, FileOptions, MessageOptions, MethodOptions,
    ServiceOptions, UninterpretedOption,
};

use super::options::{OptionElement, OptionValue};

/// Collects `(name, value)` pairs that are set.
struct Standard(Vec<OptionElement>);

impl Standard {
    fn string(&mut self, name: &str, value: &Option<String>) -> &mut Self {
        if let Some(v) = value {
            self.0.push(OptionElement::standard(
                name,
                OptionValue::String(v.clone()),
            ));
        }
        self
    }

    fn bool(&mut self, name: &str, value: Option<bool>) -> &mut Self {
        if let Some(v) = value {
            self.0.push(OptionElement::standard(
                name,
                OptionValue::Bool(v.to_string()),
            ));
        }
        self
    }

    fn enumeration(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.0.push(OptionElement::standard(
                name,
                OptionValue::Enum(v.to_string()),
            ));
        }
        self
    }

    fn then(&mut self, uninterpreted: &[UninterpretedOption]) -> Vec<OptionElement> {
        let mut options = std::mem::take(&mut self.0);
        options.extend(uninterpreted.iter().map(OptionElement::from_uninterpreted));
        options
    }
}

/// `java_generate_equals_and_hash` is deprecated but still printed when set.
#[allow(deprecated)]
pub(super) fn file_options(options: Option<&FileOptions>) -> Vec<OptionElement> {
    let Some(o) = options else {
        return Vec::new();
    };
    Standard(Vec::new())
        .string("java_package", &o.java_package)
        .string("java_outer_classname", &o.java_outer_classname)
        .bool("java_multiple_files", o.java_multiple_files)
        .bool(
            "java_generate_equals_and_hash",
            o.java_generate_equals_and_hash,
        )
        .bool("java_string_check_utf8", o.java_string_check_utf8)
        .enumeration(
            "optimize_for",
            o.optimize_for.map(|_| o.optimize_for().as_str_name()),
        )
        .string("go_package", &o.go_package)
        .bool("cc_generic_services", o.cc_generic_services)
        .bool("java_generic_services", o.java_generic_services)
        .bool("py_generic_services", o.py_generic_services)
        .bool("php_generic_services", o.php_generic_services)
        .bool("deprecated", o.deprecated)
        .bool("cc_enable_arenas", o.cc_enable_arenas)
        .string("objc_class_prefix", &o.objc_class_prefix)
        .string("csharp_namespace", &o.csharp_namespace)
        .string("swift_prefix", &o.swift_prefix)
        .string("php_class_prefix", &o.php_class_prefix)
        .string("php_namespace", &o.php_namespace)
        .string("php_metadata_namespace", &o.php_metadata_namespace)
        .string("ruby_package", &o.ruby_package)
        .then(&o.uninterpreted_option)
}

pub(super) fn message_options(options: Option<&MessageOptions>) -> Vec<OptionElement> {
    let Some(o) = options else {
        return Vec::new();
    };
    Standard(Vec::new())
        .bool(
            "no_standard_descriptor_accessor",
            o.no_standard_descriptor_accessor,
        )
        .bool("deprecated", o.deprecated)
        .bool("map_entry", o.map_entry)
        .then(&o.uninterpreted_option)
}

pub(super) fn field_options(options: Option<&FieldOptions>) -> Vec<OptionElement> {
    let Some(o) = options else {
        return Vec::new();
    };
    Standard(Vec::new())
        .enumeration("ctype", o.ctype.map(|_| o.ctype().as_str_name()))
        .bool("packed", o.packed)
        .enumeration("jstype", o.jstype.map(|_| o.jstype().as_str_name()))
        .bool("deprecated", o.deprecated)
        .then(&o.uninterpreted_option)
}

pub(super) fn enum_options(options: Option<&EnumOptions>) -> Vec<OptionElement> {
    let Some(o) = options else {
        return Vec::new();
    };
    Standard(Vec::new())
        .bool("allow_alias", o.allow_alias)
        .bool("deprecated", o.deprecated)
        .then(&o.uninterpreted_option)
}

pub(super) fn enum_value_options(options: Option<&EnumValueOptions>) -> Vec<OptionElement> {
    let Some(o) = options else {
        return Vec::new();
    };
    Standard(Vec::new())
        .bool("deprecated", o.deprecated)
        .then(&o.uninterpreted_option)
}

pub(super) fn service_options(options: Option<&ServiceOptions>) -> Vec<OptionElement> {
    let Some(o) = options else {
        return Vec::new();
    };
    Standard(Vec::new())
        .bool("deprecated", o.deprecated)
        .then(&o.uninterpreted_option)
}

pub(super) fn method_options(options: Option<&MethodOptions>) -> Vec<OptionElement> {
    let Some(o) = options else {
        return Vec::new();
    };
    Standard(Vec::new())
        .bool("deprecated", o.deprecated)
        .enumeration(
            "idempotency_level",
            o.idempotency_level
                .map(|_| o.idempotency_level().as_str_name()),
        )
        .then(&o.uninterpreted_option)
}
