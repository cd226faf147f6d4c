//! `format=serialized` against the `FileDescriptorProto` Confluent 7.9
//! builds for the same text (`ProtobufSchema.toDynamicSchema` with
//! `MessageDefinition`, `FieldDefinition`, `EnumDefinition`,
//! `ServiceDefinition`), written out element by element from that code.

use base64::Engine;
use prost::Message;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    FileDescriptorProto, MessageOptions, MethodDescriptorProto, OneofDescriptorProto, OneofOptions,
    ServiceDescriptorProto,
};
use treaty_compat::protobuf::ProtobufSchema;

const SCHEMA: &str = r#"syntax = "proto3";
package p;

import public "google/protobuf/empty.proto";
import "google/protobuf/timestamp.proto";

message A {
  string id = 1;
  repeated int64 counts = 2 [json_name = "n"];
  B b = 3;
  Kind kind = 4;
  oneof choice {
    int32 number = 5;
    string text = 6;
  }
  map<string, B> byName = 7;
  map<int32, Kind> by_id = 8;
  optional bool flag = 9;
  google.protobuf.Timestamp at = 10;

  message B {
    double x = 1;
  }
}

enum Kind {
  KIND_UNSPECIFIED = 0;
  KIND_ONE = 1;
}

service S {
  rpc Get(A) returns (google.protobuf.Empty);
}
"#;

fn field(name: &str, number: i32, kind: Type) -> FieldDescriptorProto {
    FieldDescriptorProto {
        name: Some(name.into()),
        number: Some(number),
        r#type: Some(kind as i32),
        ..Default::default()
    }
}

fn named(name: &str, number: i32, kind: Type, type_name: &str) -> FieldDescriptorProto {
    FieldDescriptorProto {
        type_name: Some(type_name.into()),
        ..field(name, number, kind)
    }
}

/// Confluent's context knows no entry types, so the type stays unset.
fn map_field(name: &str, number: i32, entry: &str) -> FieldDescriptorProto {
    FieldDescriptorProto {
        name: Some(name.into()),
        number: Some(number),
        type_name: Some(entry.into()),
        ..Default::default()
    }
}

fn labelled(label: Label, field: FieldDescriptorProto) -> FieldDescriptorProto {
    FieldDescriptorProto {
        label: Some(label as i32),
        ..field
    }
}

fn in_oneof(index: i32, field: FieldDescriptorProto) -> FieldDescriptorProto {
    FieldDescriptorProto {
        oneof_index: Some(index),
        ..labelled(Label::Optional, field)
    }
}

fn oneof(name: &str) -> OneofDescriptorProto {
    OneofDescriptorProto {
        name: Some(name.into()),
        options: Some(OneofOptions::default()),
    }
}

fn map_entry(
    name: &str,
    key: FieldDescriptorProto,
    value: FieldDescriptorProto,
) -> DescriptorProto {
    DescriptorProto {
        name: Some(name.into()),
        field: vec![key, value],
        options: Some(MessageOptions {
            map_entry: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// What Confluent's builders make of `SCHEMA`: oneof members first, no
/// label on a plain proto3 field, names as written, map fields without a
/// type, map entries after the nested types (`byName` keeps its case, `by_id` is camel-cased), a
/// synthetic oneof after the real one, public imports last.
fn confluents_descriptor() -> FileDescriptorProto {
    let a = DescriptorProto {
        name: Some("A".into()),
        field: vec![
            in_oneof(0, field("number", 5, Type::Int32)),
            in_oneof(0, field("text", 6, Type::String)),
            field("id", 1, Type::String),
            FieldDescriptorProto {
                json_name: Some("n".into()),
                ..labelled(Label::Repeated, field("counts", 2, Type::Int64))
            },
            named("b", 3, Type::Message, "B"),
            named("kind", 4, Type::Enum, "Kind"),
            labelled(Label::Repeated, map_field("byName", 7, "byNameEntry")),
            labelled(Label::Repeated, map_field("by_id", 8, "ByIdEntry")),
            FieldDescriptorProto {
                oneof_index: Some(1),
                proto3_optional: Some(true),
                ..labelled(Label::Optional, field("flag", 9, Type::Bool))
            },
            named("at", 10, Type::Message, "google.protobuf.Timestamp"),
        ],
        nested_type: vec![
            DescriptorProto {
                name: Some("B".into()),
                field: vec![field("x", 1, Type::Double)],
                ..Default::default()
            },
            map_entry(
                "byNameEntry",
                field("key", 1, Type::String),
                named("value", 2, Type::Message, "B"),
            ),
            map_entry(
                "ByIdEntry",
                field("key", 1, Type::Int32),
                named("value", 2, Type::Enum, "Kind"),
            ),
        ],
        oneof_decl: vec![oneof("choice"), oneof("_flag")],
        ..Default::default()
    };
    let value = |name: &str, number| EnumValueDescriptorProto {
        name: Some(name.into()),
        number: Some(number),
        options: None,
    };
    FileDescriptorProto {
        name: Some("default".into()),
        package: Some("p".into()),
        dependency: vec![
            "google/protobuf/timestamp.proto".into(),
            "google/protobuf/empty.proto".into(),
        ],
        public_dependency: vec![1],
        message_type: vec![a],
        enum_type: vec![EnumDescriptorProto {
            name: Some("Kind".into()),
            value: vec![value("KIND_UNSPECIFIED", 0), value("KIND_ONE", 1)],
            ..Default::default()
        }],
        service: vec![ServiceDescriptorProto {
            name: Some("S".into()),
            method: vec![MethodDescriptorProto {
                name: Some("Get".into()),
                input_type: Some("A".into()),
                output_type: Some("google.protobuf.Empty".into()),
                client_streaming: Some(false),
                server_streaming: Some(false),
                options: None,
            }],
            options: None,
        }],
        syntax: Some("proto3".into()),
        ..Default::default()
    }
}

fn served(schema: &ProtobufSchema) -> Vec<u8> {
    let encoded = schema.formatted("serialized").expect("serialized format");
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64")
}

#[test]
fn serialized_is_the_descriptor_confluents_builders_make() {
    let schema = ProtobufSchema::parse(SCHEMA, &[]).expect("schema parses");
    let bytes = served(&schema);
    let decoded = FileDescriptorProto::decode(bytes.as_slice()).expect("descriptor");
    let expected = confluents_descriptor();
    assert_eq!(decoded.message_type, expected.message_type);
    assert_eq!(decoded.enum_type, expected.enum_type);
    assert_eq!(decoded.service, expected.service);
    assert_eq!(decoded, expected);
    assert_eq!(bytes, expected.encode_to_vec());
}

/// Registered back, the descriptor is the same schema. Its map entries
/// are now messages the schema declares, which Confluent resolves: only
/// the map fields' type is new in the descriptor served for it.
#[test]
fn serialized_descriptor_registers_back_with_its_map_fields_typed() {
    let schema = ProtobufSchema::parse(SCHEMA, &[]).expect("schema parses");
    let encoded = schema.formatted("serialized").expect("serialized format");
    let again = ProtobufSchema::parse(&encoded, &[]).expect("descriptor parses");
    assert_eq!(again.normalized_text(), schema.normalized_text());
    let mut expected = confluents_descriptor();
    for field in &mut expected.message_type[0].field {
        if field.type_name().ends_with("Entry") {
            field.r#type = Some(Type::Message as i32);
        }
    }
    let decoded = FileDescriptorProto::decode(served(&again).as_slice()).expect("descriptor");
    assert_eq!(decoded, expected);
}

/// Confluent adds an import to the descriptor only when a reference or a
/// bundled file provides it; an unused import of nothing is left out.
#[test]
fn serialized_leaves_out_an_import_nothing_provides() {
    let text = "syntax = \"proto3\";\nimport \"missing.proto\";\nimport \"google/protobuf/empty.proto\";\n\nmessage A {\n  int32 a = 1;\n}\n";
    let schema = ProtobufSchema::parse(text, &[]).expect("schema parses");
    let decoded = FileDescriptorProto::decode(served(&schema).as_slice()).expect("descriptor");
    assert_eq!(decoded.dependency, ["google/protobuf/empty.proto"]);
}
