//! `format=serialized`: the schema as base64 of a `FileDescriptorProto`
//! named `default`, as Confluent answers it for clients that load
//! descriptors instead of parsing `.proto` text.

use base64::Engine;
use prost::Message;
use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorProto};

/// The compiled descriptor, renamed, without source info, and with
/// `json_name` only where the schema wrote one (protox fills in every
/// field's; Confluent's descriptor does not), so that registering the
/// output again prints the same canonical text.
pub(super) fn serialized(compiled: &FileDescriptorProto, written: &FileDescriptorProto) -> String {
    let mut file = compiled.clone();
    file.name = Some("default".to_string());
    file.source_code_info = None;
    copy_json_names(&mut file.extension, &written.extension);
    for (c, w) in file.message_type.iter_mut().zip(&written.message_type) {
        copy_message_json_names(c, w);
    }
    base64::engine::general_purpose::STANDARD.encode(file.encode_to_vec())
}

fn copy_message_json_names(compiled: &mut DescriptorProto, written: &DescriptorProto) {
    copy_json_names(&mut compiled.field, &written.field);
    copy_json_names(&mut compiled.extension, &written.extension);
    for (c, w) in compiled.nested_type.iter_mut().zip(&written.nested_type) {
        copy_message_json_names(c, w);
    }
}

fn copy_json_names(compiled: &mut [FieldDescriptorProto], written: &[FieldDescriptorProto]) {
    for (c, w) in compiled.iter_mut().zip(written) {
        c.json_name = w.json_name.clone();
    }
}
