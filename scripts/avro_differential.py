#!/usr/bin/env python3
"""Differential test: treaty's Avro checker against Apache Avro's Python one.

Feeds every fixture under tests/fixtures/compat/avro/ and a seeded stream of
random schema pairs (a random schema, then mutations of it) to both
checkers, in both directions, and exits non-zero on any verdict
disagreement that tests/fixtures/compat/avro/KNOWN_DIFFERENCES.json does not
explain. Run through scripts/avro-differential.sh, which provides the venv
(avro==1.12.x) and the treaty checker binary (the avro_check example).
"""

import argparse
import copy
import json
import random
import subprocess
import sys
import warnings
from pathlib import Path

import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "compat" / "avro"
KNOWN = FIXTURES / "KNOWN_DIFFERENCES.json"

PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
NAMESPACES = ["com.acme", "com.acme.v2", "org.other"]


# --------------------------------------------------------------------------
# A schema model that keeps named types in a registry, so mutations can
# rename or move a type without rewriting its uses; serialising it emits each
# named type in full at its first use and by name afterwards.
# --------------------------------------------------------------------------

class Model:
    def __init__(self, namespaced):
        self.namespaced = namespaced
        self.types = {}  # id -> named type definition (dict)
        self.next_id = 0
        self.root = None

    def new_named(self, definition):
        tid = self.next_id
        self.next_id += 1
        self.types[tid] = definition
        return {"k": "ref", "id": tid}

    def full_names(self):
        return {full_name(t) for t in self.types.values()}


def full_name(named):
    return f"{named['ns']}.{named['name']}" if named["ns"] else named["name"]


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.counter = 0

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def namespace(self, model):
        return self.rng.choice(NAMESPACES) if model.namespaced else None

    def schema(self):
        model = Model(namespaced=self.rng.random() < 0.5)
        if self.rng.random() < 0.08:
            model.root = self.type(model, depth=1, ancestors=[])
        else:
            model.root = self.record(model, depth=0, ancestors=[])
        return model

    def record(self, model, depth, ancestors, error=False):
        definition = {"kind": "record", "name": self.fresh("Rec"), "ns": self.namespace(model),
                      "aliases": [], "fields": [], "error": error}
        ref = model.new_named(definition)
        for _ in range(self.rng.randint(0 if depth else 1, 5)):
            self.add_field(model, ref["id"], depth + 1, ancestors + [ref["id"]])
        return ref

    def add_field(self, model, record_id, depth, ancestors, with_default=None):
        fields = model.types[record_id]["fields"]
        names = {f["name"] for f in fields}
        name = self.rng.choice([n for n in ["a", "b", "c", "d", "e", "f", "g", "h"] if n not in names] or [self.fresh("f")])
        type_ = self.type(model, depth, ancestors)
        field = {"name": name, "type": type_, "aliases": []}
        if with_default is None:
            with_default = self.rng.random() < 0.4
        if with_default:
            value = default_for(model, type_, self.rng, set())
            if value is not NO_DEFAULT:
                field["default"] = value
        fields.insert(self.rng.randint(0, len(fields)), field)

    def type(self, model, depth, ancestors, allow_union=True):
        r = self.rng.random()
        if depth >= 3 or r < 0.40:
            return {"k": "prim", "t": self.rng.choice(PRIMITIVES)}
        if r < 0.48:
            return {"k": "array", "items": self.type(model, depth + 1, ancestors)}
        if r < 0.54:
            return {"k": "map", "values": self.type(model, depth + 1, ancestors)}
        if r < 0.66 and allow_union:
            return self.union(model, depth, ancestors)
        if r < 0.76:
            return self.record(model, depth, ancestors, error=self.rng.random() < 0.03)
        if r < 0.84:
            return self.enum(model)
        if r < 0.90:
            return self.fixed(model)
        # A use of an existing named type (shared node); an ancestor only
        # behind a union or array, so the recursion is a legal one.
        existing = list(model.types)
        if not existing:
            return {"k": "prim", "t": "int"}
        tid = self.rng.choice(existing)
        ref = {"k": "ref", "id": tid}
        if tid in ancestors:
            return {"k": "union", "branches": [{"k": "prim", "t": "null"}, ref]}
        return ref

    def union(self, model, depth, ancestors):
        branches = []
        for _ in range(self.rng.randint(1, 4)):
            candidate = self.type(model, depth + 1, ancestors, allow_union=False)
            if candidate["k"] == "union" or not can_join(model, branches, candidate):
                continue
            branches.append(candidate)
        if not branches:
            branches = [{"k": "prim", "t": "null"}]
        if self.rng.random() < 0.5 and can_join(model, branches, {"k": "prim", "t": "null"}):
            branches.insert(0, {"k": "prim", "t": "null"})
        return {"k": "union", "branches": branches}

    def enum(self, model):
        symbols = self.rng.sample(["A", "B", "C", "D", "E", "F"], self.rng.randint(1, 4))
        definition = {"kind": "enum", "name": self.fresh("Enum"), "ns": self.namespace(model),
                      "aliases": [], "symbols": symbols}
        if self.rng.random() < 0.3:
            definition["default"] = self.rng.choice(symbols)
        return model.new_named(definition)

    def fixed(self, model):
        return model.new_named({"kind": "fixed", "name": self.fresh("Fix"), "ns": self.namespace(model),
                                "aliases": [], "size": self.rng.choice([2, 4, 8, 16])})


def branch_key(model, node):
    """What makes union branches duplicates: the type, or a named type's full name."""
    if node["k"] == "prim":
        return node["t"]
    if node["k"] in ("array", "map"):
        return node["k"]
    return "named:" + full_name(model.types[node["id"]])


def can_join(model, branches, candidate):
    return branch_key(model, candidate) not in {branch_key(model, b) for b in branches}


NO_DEFAULT = object()


def default_for(model, node, rng, visiting):
    kind = node["k"]
    if kind == "prim":
        return {"null": None, "boolean": True, "int": rng.randint(-5, 5), "long": 7, "float": 1.5,
                "double": 2.25, "bytes": "\u00ff", "string": "x"}[node["t"]]
    if kind == "array":
        return []
    if kind == "map":
        return {}
    if kind == "union":
        return default_for(model, node["branches"][0], rng, visiting)
    named = model.types[node["id"]]
    if named["kind"] == "enum":
        return named["symbols"][0]
    if named["kind"] == "fixed":
        return "\u0000" * named["size"]
    if node["id"] in visiting:
        return NO_DEFAULT
    value = {}
    for f in named["fields"]:
        v = default_for(model, f["type"], rng, visiting | {node["id"]})
        if v is NO_DEFAULT:
            return NO_DEFAULT
        value[f["name"]] = v
    return value


def to_json(model):
    defined = set()

    def emit(node, space):
        kind = node["k"]
        if kind == "prim":
            return node["t"]
        if kind == "array":
            return {"type": "array", "items": emit(node["items"], space)}
        if kind == "map":
            return {"type": "map", "values": emit(node["values"], space)}
        if kind == "union":
            return [emit(b, space) for b in node["branches"]]
        named = model.types[node["id"]]
        if node["id"] in defined:
            return named["name"] if named["ns"] == space else full_name(named)
        defined.add(node["id"])
        out = {"type": "error" if named.get("error") else named["kind"], "name": named["name"]}
        if named["ns"] != space:
            out["namespace"] = named["ns"] or ""
        if named["aliases"]:
            out["aliases"] = list(named["aliases"])
        if named["kind"] == "record":
            out["fields"] = []
            for f in named["fields"]:
                field = {"name": f["name"], "type": emit(f["type"], named["ns"])}
                if "default" in f:
                    field["default"] = f["default"]
                if f["aliases"]:
                    field["aliases"] = list(f["aliases"])
                out["fields"].append(field)
        elif named["kind"] == "enum":
            out["symbols"] = list(named["symbols"])
            if "default" in named:
                out["default"] = named["default"]
        else:
            out["size"] = named["size"]
        return out

    return emit(model.root, None)


# --------------------------------------------------------------------------
# Mutations: each edits the model in place and returns a label, or None when
# it does not apply to this schema.
# --------------------------------------------------------------------------

def records(model):
    return [tid for tid, t in model.types.items() if t["kind"] == "record" and reachable(model, tid)]


def named_of(model, kind):
    return [tid for tid, t in model.types.items() if t["kind"] == kind and reachable(model, tid)]


def reachable(model, tid):
    seen = set()

    def walk(node):
        if node["k"] == "array":
            return walk(node["items"])
        if node["k"] == "map":
            return walk(node["values"])
        if node["k"] == "union":
            return any(walk(b) for b in node["branches"])
        if node["k"] != "ref":
            return False
        if node["id"] == tid:
            return True
        if node["id"] in seen:
            return False
        seen.add(node["id"])
        t = model.types[node["id"]]
        return t["kind"] == "record" and any(walk(f["type"]) for f in t["fields"])

    return walk(model.root)


def all_fields(model):
    return [(tid, i) for tid in records(model) for i in range(len(model.types[tid]["fields"]))]


def m_add_field(gen, model, rng):
    recs = records(model)
    if not recs:
        return None
    with_default = rng.random() < 0.5
    gen.add_field(model, rng.choice(recs), 2, [], with_default=with_default)
    return "add-field-with-default" if with_default else "add-field"


def m_remove_field(gen, model, rng):
    fields = all_fields(model)
    if not fields:
        return None
    tid, i = rng.choice(fields)
    del model.types[tid]["fields"][i]
    return "remove-field"


def m_change_type(gen, model, rng):
    fields = all_fields(model)
    if not fields:
        return None
    tid, i = rng.choice(fields)
    field = model.types[tid]["fields"][i]
    node = field["type"]
    promotions = {"int": ["long", "float", "double"], "long": ["float", "double", "int"], "float": ["double", "long"],
                  "double": ["float"], "string": ["bytes"], "bytes": ["string"], "null": ["boolean"], "boolean": ["int"]}
    if node["k"] == "prim" and rng.random() < 0.6:
        field["type"] = {"k": "prim", "t": rng.choice(promotions[node["t"]])}
    else:
        field["type"] = gen.type(model, 2, [tid])
    if "default" in field:
        value = default_for(model, field["type"], rng, set())
        if value is NO_DEFAULT:
            del field["default"]
        else:
            field["default"] = value
    return "change-type"


def m_reorder(gen, model, rng):
    recs = [t for t in records(model) if len(model.types[t]["fields"]) > 1]
    if not recs:
        return None
    rng.shuffle(model.types[rng.choice(recs)]["fields"])
    return "reorder-fields"


def m_rename_field(gen, model, rng):
    fields = all_fields(model)
    if not fields:
        return None
    tid, i = rng.choice(fields)
    field = model.types[tid]["fields"][i]
    taken = {f["name"] for f in model.types[tid]["fields"]}
    new_name = gen.fresh("r")
    if rng.random() < 0.6:
        field["aliases"] = field["aliases"] + [field["name"]]
        label = "rename-field-with-alias"
    else:
        label = "rename-field"
    # Sometimes the alias also names another existing field (Java throws).
    if rng.random() < 0.1 and len(taken) > 1:
        field["aliases"].append(rng.choice(sorted(taken - {field["name"]})))
        label += "+ambiguous-alias"
    field["name"] = new_name
    return label


def m_rename_named(gen, model, rng):
    named = [tid for tid in model.types if reachable(model, tid)]
    if not named:
        return None
    t = model.types[rng.choice(named)]
    old_full, old_name = full_name(t), t["name"]
    t["name"] = gen.fresh("Ren")
    r = rng.random()
    if r < 0.35:
        t["aliases"] = t["aliases"] + [old_full]
        return "rename-type-with-full-alias"
    if r < 0.7:
        t["aliases"] = t["aliases"] + [old_name]
        return "rename-type-with-short-alias"
    return "rename-type"


def m_change_namespace(gen, model, rng):
    named = [tid for tid in model.types if reachable(model, tid)]
    if not named or not model.namespaced:
        return None
    t = model.types[rng.choice(named)]
    choices = [ns for ns in NAMESPACES if ns != t["ns"] and f"{ns}.{t['name']}" not in model.full_names()]
    if not choices:
        return None
    t["ns"] = rng.choice(choices)
    return "change-namespace"


def unions(model):
    found = []

    def walk(node, parent, key):
        if node["k"] == "union":
            found.append(node)
            for b in node["branches"]:
                walk(b, node, None)
        elif node["k"] == "array":
            walk(node["items"], node, "items")
        elif node["k"] == "map":
            walk(node["values"], node, "values")

    for tid in records(model):
        for f in model.types[tid]["fields"]:
            walk(f["type"], f, "type")
    walk(model.root, None, None)
    return found


def m_widen_union(gen, model, rng):
    found = unions(model)
    if not found:
        return None
    union = rng.choice(found)
    candidate = gen.type(model, 2, [], allow_union=False)
    if candidate["k"] == "union" or not can_join(model, union["branches"], candidate):
        return None
    union["branches"].insert(rng.randint(0, len(union["branches"])), candidate)
    return "widen-union"


def m_narrow_union(gen, model, rng):
    found = [u for u in unions(model) if len(u["branches"]) > 1]
    if not found:
        return None
    union = rng.choice(found)
    del union["branches"][rng.randrange(len(union["branches"]))]
    return "narrow-union"


def m_make_nullable(gen, model, rng):
    fields = [(tid, i) for tid, i in all_fields(model) if model.types[tid]["fields"][i]["type"]["k"] != "union"]
    if not fields:
        return None
    tid, i = rng.choice(fields)
    field = model.types[tid]["fields"][i]
    if field["type"] == {"k": "prim", "t": "null"}:
        return None
    field["type"] = {"k": "union", "branches": [{"k": "prim", "t": "null"}, field["type"]]}
    if rng.random() < 0.5:
        field["default"] = None
    else:
        field.pop("default", None)
    return "make-nullable"


def m_enum_symbols(gen, model, rng):
    enums = named_of(model, "enum")
    if not enums:
        return None
    e = model.types[rng.choice(enums)]
    r = rng.random()
    if r < 0.4:
        extra = [s for s in ["A", "B", "C", "D", "E", "F", "G"] if s not in e["symbols"]]
        e["symbols"].insert(rng.randint(0, len(e["symbols"])), rng.choice(extra))
        return "enum-add-symbol"
    if r < 0.7 and len(e["symbols"]) > 1:
        victim = rng.choice(e["symbols"])
        e["symbols"].remove(victim)
        if e.get("default") == victim:
            del e["default"]
        return "enum-remove-symbol"
    if "default" in e:
        del e["default"]
        return "enum-drop-default"
    e["default"] = rng.choice(e["symbols"])
    return "enum-add-default"


def m_fixed_size(gen, model, rng):
    fixed = named_of(model, "fixed")
    if not fixed:
        return None
    f = model.types[rng.choice(fixed)]
    f["size"] = rng.choice([s for s in [1, 2, 4, 8, 16] if s != f["size"]])
    return "fixed-size"


def m_toggle_default(gen, model, rng):
    fields = all_fields(model)
    if not fields:
        return None
    tid, i = rng.choice(fields)
    field = model.types[tid]["fields"][i]
    if "default" in field:
        del field["default"]
        return "drop-default"
    value = default_for(model, field["type"], rng, set())
    if value is NO_DEFAULT:
        return None
    field["default"] = value
    return "add-default"


def m_nest(gen, model, rng):
    fields = all_fields(model)
    if not fields:
        return None
    tid, i = rng.choice(fields)
    field = model.types[tid]["fields"][i]
    r = rng.random()
    if r < 0.35:
        field["type"] = {"k": "array", "items": field["type"]}
        label = "wrap-in-array"
    elif r < 0.6:
        field["type"] = {"k": "map", "values": field["type"]}
        label = "wrap-in-map"
    else:
        inner = {"kind": "record", "name": gen.fresh("Box"), "ns": gen.namespace(model), "aliases": [],
                 "fields": [{"name": "value", "type": field["type"], "aliases": []}], "error": False}
        field["type"] = model.new_named(inner)
        label = "wrap-in-record"
    field.pop("default", None)
    return label


def m_make_recursive(gen, model, rng):
    recs = records(model)
    if not recs:
        return None
    tid = rng.choice(recs)
    rec = model.types[tid]
    taken = {f["name"] for f in rec["fields"]}
    if "next" in taken:
        return None
    field = {"name": "next", "type": {"k": "union", "branches": [{"k": "prim", "t": "null"}, {"k": "ref", "id": tid}]},
             "aliases": []}
    if rng.random() < 0.5:
        field["default"] = None
    rec["fields"].append(field)
    return "make-recursive"


def m_add_type_alias(gen, model, rng):
    named = [tid for tid in model.types if reachable(model, tid)]
    if not named:
        return None
    t = model.types[rng.choice(named)]
    t["aliases"] = t["aliases"] + [gen.fresh("Alias")]
    return "add-type-alias"


MUTATIONS = [m_add_field, m_remove_field, m_change_type, m_reorder, m_rename_field, m_rename_named,
             m_change_namespace, m_widen_union, m_narrow_union, m_make_nullable, m_enum_symbols, m_fixed_size,
             m_toggle_default, m_nest, m_make_recursive, m_add_type_alias]


def random_pair(gen, rng):
    old = gen.schema()
    new = copy.deepcopy(old)
    labels = []
    for _ in range(rng.randint(1, 3)):
        for _attempt in range(5):
            label = rng.choice(MUTATIONS)(gen, new, rng)
            if label:
                labels.append(label)
                break
    return to_json(old), to_json(new), labels


# --------------------------------------------------------------------------
# The two checkers.
# --------------------------------------------------------------------------

def python_verdict(reader_json, writer_json):
    """'compatible', 'incompatible', or 'error: …' if Python cannot parse or check."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = avro.schema.parse(json.dumps(reader_json))
            writer = avro.schema.parse(json.dumps(writer_json))
        except Exception as e:  # noqa: BLE001 - any parser failure is a finding
            return f"parse-error: {e}"
        try:
            result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
        except Exception as e:  # noqa: BLE001
            return f"error: {type(e).__name__}: {e}"
    return "compatible" if result.compatibility is SchemaCompatibilityType.compatible else "incompatible"


def treaty_verdicts(checker, pairs):
    lines = "".join(json.dumps({"reader": r, "writer": w}) + "\n" for r, w in pairs)
    done = subprocess.run([checker], input=lines, capture_output=True, text=True, check=True)
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    if len(answers) != len(pairs):
        sys.exit(f"treaty checker answered {len(answers)} of {len(pairs)} pairs")
    verdicts = []
    for answer in answers:
        if "error" in answer:
            verdicts.append(("parse-error: " + answer["error"], answer))
        else:
            verdicts.append(("compatible" if answer["compatible"] else "incompatible", answer))
    return verdicts


# --------------------------------------------------------------------------
# Known differences, recognised in random pairs by explain(); fixtures are
# listed by name in KNOWN_DIFFERENCES.json.
# --------------------------------------------------------------------------

def java_qualified_aliases(schema_json):
    """The schema with every named type's aliases written as the full names
    Java resolves them to, so Python's literal comparison decides as Java."""

    def walk(node, space):
        if isinstance(node, list):
            return [walk(b, space) for b in node]
        if not isinstance(node, dict):
            return node
        node = dict(node)
        kind = node.get("type")
        if kind in ("record", "error", "enum", "fixed"):
            name = node["name"]
            if "." in name:
                space = name.rsplit(".", 1)[0]
            elif "namespace" in node:
                space = node["namespace"] or None
            if "aliases" in node:
                node["aliases"] = [qualify(alias, space) for alias in node["aliases"]]
            if kind in ("record", "error"):
                node["fields"] = [dict(f, type=walk(f["type"], space)) for f in node["fields"]]
        elif kind == "array":
            node["items"] = walk(node["items"], space)
        elif kind == "map":
            node["values"] = walk(node["values"], space)
        elif isinstance(kind, (dict, list)):
            node["type"] = walk(kind, space)
        return node

    def qualify(alias, space):
        if alias.startswith("."):
            return alias[1:]
        if "." in alias or not space:
            return alias
        return f"{space}.{alias}"

    return walk(schema_json, None)


def errors_as_records(schema_json):
    """The schema with "type": "error" read as a record, as Java parses it."""
    if isinstance(schema_json, list):
        return [errors_as_records(b) for b in schema_json]
    if not isinstance(schema_json, dict):
        return schema_json
    node = {k: errors_as_records(v) for k, v in schema_json.items() if k not in ("fields", "default")}
    if node.get("type") == "error":
        node["type"] = "record"
    if "default" in schema_json:
        node["default"] = schema_json["default"]
    if isinstance(schema_json.get("fields"), list):
        node["fields"] = [dict(f, type=errors_as_records(f["type"])) for f in schema_json["fields"]]
    return node


REWRITES = {
    "alias-namespace-qualification": java_qualified_aliases,
    "error-type": errors_as_records,
}


def explain(reader, writer, verdict, answer):
    """The known differences that account for a random pair's disagreement:
    an aborted check, or Python reaching treaty's verdict once the pair is
    rewritten to spell out what Java reads differently (one rewrite, else
    all of them together). Empty when unexplained."""
    if "aborted" in answer:
        return ["multiple-field-matches"]
    for known_id, rewrite in REWRITES.items():
        if python_verdict(rewrite(reader), rewrite(writer)) == verdict:
            return [known_id]

    def all_rewrites(schema):
        for rewrite in REWRITES.values():
            schema = rewrite(schema)
        return schema

    if python_verdict(all_rewrites(reader), all_rewrites(writer)) == verdict:
        return list(REWRITES)
    return []


KNOWN_IDS = {"multiple-field-matches", *REWRITES}


def load_known():
    data = json.loads(KNOWN.read_text())
    entries = data["differences"]
    ids = {e["id"] for e in entries}
    if ids != KNOWN_IDS:
        sys.exit(f"{KNOWN}: ids {sorted(ids)} do not match the script's {sorted(KNOWN_IDS)}")
    return entries


# --------------------------------------------------------------------------

def fixture_pairs():
    """(case, direction, reader, writer) for every fixture, both directions."""
    out = []
    for case in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        new = json.loads((case / "new.avsc").read_text())
        olds = [case / "old.avsc"] if (case / "old.avsc").exists() else sorted(case.glob("v*.avsc"))
        for path in olds:
            old = json.loads(path.read_text())
            tag = "" if path.name == "old.avsc" else f" vs {path.stem}"
            out.append((case.name, "backward" + tag, new, old))
            out.append((case.name, "forward" + tag, old, new))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checker", required=True, help="path of the built avro_check example")
    parser.add_argument("--pairs", type=int, default=5000, help="random schema pairs (each checked both ways)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--show", type=int, default=10, help="disagreements to print in full")
    args = parser.parse_args()

    known = load_known()
    known_fixtures = {name: e["id"] for e in known for name in e.get("fixtures", [])}

    rng = random.Random(args.seed)
    gen = Generator(rng)
    randoms = []
    labels_seen = {}
    for n in range(args.pairs):
        old, new, labels = random_pair(gen, rng)
        for label in labels:
            labels_seen[label] = labels_seen.get(label, 0) + 1
        randoms.append((f"random-{n}", "backward", new, old, labels))
        randoms.append((f"random-{n}", "forward", old, new, labels))

    fixtures = fixture_pairs()
    checks = [(c, d, r, w, []) for c, d, r, w in fixtures] + randoms
    treaty = treaty_verdicts(args.checker, [(r, w) for _, _, r, w, _ in checks])

    unexplained, explained, parse_errors, seen_fixtures = [], {}, 0, set()
    verdict_counts = {"compatible": 0, "incompatible": 0}
    for (case, direction, reader, writer, labels), (t_verdict, t_answer) in zip(checks, treaty):
        p_verdict = python_verdict(reader, writer)
        if t_verdict.startswith("parse-error") and p_verdict.startswith("parse-error"):
            parse_errors += 1
            continue
        if t_verdict == p_verdict:
            verdict_counts[t_verdict] = verdict_counts.get(t_verdict, 0) + 1
            continue
        if case in known_fixtures:
            why = [known_fixtures[case]]
            seen_fixtures.add(case)
        elif case.startswith("random-"):
            why = explain(reader, writer, t_verdict, t_answer)
        else:
            why = []
        for known_id in why:
            explained[known_id] = explained.get(known_id, 0) + 1
        if not why:
            unexplained.append((case, direction, reader, writer, labels, t_verdict, t_answer, p_verdict))

    stale = sorted(set(known_fixtures) - seen_fixtures)
    for case, direction, reader, writer, labels, t_verdict, t_answer, p_verdict in unexplained[: args.show]:
        print(f"DISAGREEMENT {case} {direction} mutations={labels}: treaty={t_verdict} python={p_verdict}")
        print("  reader:", json.dumps(reader))
        print("  writer:", json.dumps(writer))
        print("  treaty said:", json.dumps(t_answer))
    for case in stale:
        print(f"STALE: {case} is listed in {KNOWN.name} but treaty and Python now agree on it")

    print("mutations applied:", ", ".join(f"{k}={v}" for k, v in sorted(labels_seen.items())))
    print(f"verdicts where both agree: {verdict_counts}; pairs neither parser accepts: {parse_errors}")
    documented = ", ".join(f"{k}={v}" for k, v in sorted(explained.items())) or "none"
    print(f"avro differential: {args.pairs} random pairs + {len(fixtures) // 2} fixture pairs "
          f"({len(checks)} reader/writer checks), {len(unexplained)} disagreements, "
          f"documented differences: {documented}")
    return 1 if unexplained or stale else 0


if __name__ == "__main__":
    sys.exit(main())
