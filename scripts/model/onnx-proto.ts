// The part of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto, IR version 8) that a small inference graph
// needs, with the official field numbers, encoded with protobufjs. No python `onnx` package is reachable here,
// so this is how the project writes real .onnx files (tiny test models) and reads them back (tests).
import protobuf from "protobufjs";

const ONNX_SUBSET = `
syntax = "proto3";
package onnx;

message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5;
                       FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10; }
  string name = 1;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  AttributeType type = 20;
}

message ValueInfoProto {
  string name = 1;
  TypeProto type = 2;
  string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string doc_string = 6;
  string domain = 7;
}

message StringStringEntryProto {
  string key = 1;
  string value = 2;
}

message ModelProto {
  int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  string producer_name = 2;
  string producer_version = 3;
  string domain = 4;
  int64 model_version = 5;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}

message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  enum DataType { UNDEFINED = 0; FLOAT = 1; UINT8 = 2; INT8 = 3; UINT16 = 4; INT16 = 5; INT32 = 6; INT64 = 7;
                  STRING = 8; BOOL = 9; FLOAT16 = 10; DOUBLE = 11; }
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated float float_data = 4;
  repeated int64 int64_data = 7;
  string name = 8;
  bytes raw_data = 9;
  string doc_string = 12;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    int32 elem_type = 1;
    TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
  string denotation = 6;
}

message OperatorSetIdProto {
  string domain = 1;
  int64 version = 2;
}
`;

const root = protobuf.parse(ONNX_SUBSET, { keepCase: true }).root;
const ModelProto = root.lookupType("onnx.ModelProto");

export const DataType = { FLOAT: 1, INT64: 7 } as const;
export type ElemType = (typeof DataType)[keyof typeof DataType];

/** A dimension is a fixed size or a symbolic name ("batch_size"), as exporters write dynamic axes. */
export type Dim = number | string;

export interface TensorInit {
  name: string;
  dims: number[];
  /** Float32 weights go to raw_data (little-endian), as exporters write them. */
  data: Float32Array | BigInt64Array;
}

export interface NodeInit {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, number | number[] | string | { floats: number[] } | { int: number } | { float: number }>;
}

export interface GraphInit {
  name: string;
  inputs: { name: string; type: ElemType; dims: Dim[] }[];
  outputs: { name: string; type: ElemType; dims: Dim[] }[];
  initializers: TensorInit[];
  nodes: NodeInit[];
  opset?: number;
  producer?: string;
  doc?: string;
}

function valueInfo(v: { name: string; type: ElemType; dims: Dim[] }) {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: v.type,
        shape: { dim: v.dims.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function tensor(t: TensorInit) {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("big-endian hosts are not supported");
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`initializer ${t.name}: dims ${t.dims} need ${count} values, got ${t.data.length}`);
  return {
    name: t.name,
    dims: t.dims,
    data_type: t.data instanceof Float32Array ? DataType.FLOAT : DataType.INT64,
    raw_data: bytes,
  };
}

// AttributeProto.AttributeType values
const A = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

function attribute(name: string, v: NonNullable<NodeInit["attrs"]>[string]) {
  if (typeof v === "string") return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === "number") return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
  if ("floats" in v) return { name, type: A.FLOATS, floats: v.floats };
  if ("float" in v) return { name, type: A.FLOAT, f: v.float };
  return { name, type: A.INT, i: v.int };
}

/** Encodes a single-graph ModelProto (IR version 8, default-domain opset, 17 unless given). */
export function encodeModel(g: GraphInit): Uint8Array {
  const message = {
    ir_version: 8,
    opset_import: [{ domain: "", version: g.opset ?? 17 }],
    producer_name: g.producer ?? "art-snob scripts/model",
    producer_version: "1",
    doc_string: g.doc ?? "",
    graph: {
      name: g.name,
      node: g.nodes.map((n, i) => ({
        name: n.name ?? `${n.op}_${i}`,
        op_type: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: g.initializers.map(tensor),
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
    },
  };
  const err = ModelProto.verify(message);
  if (err) throw new Error(`invalid ModelProto: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}

/** Decodes a ModelProto (the fields of the subset above; unknown fields are skipped). */
export function decodeModel(bytes: Uint8Array): {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  graph: { name: string; node: { op_type: string }[]; input: { name: string }[]; output: { name: string }[]; initializer: { name: string; dims: number[] }[] };
} {
  const decoded = ModelProto.decode(bytes);
  return ModelProto.toObject(decoded, { longs: Number, defaults: true, arrays: true }) as never;
}
