// Filter metadata given in the request document as JSON (namespace → object): already the
// pipeline's JsonValue, so unlike the proxy-wasm build there is no protobuf to decode.
import { JsonValue } from "../json/value";
import { MetadataSource } from "../pipeline/metadata";

export class JsonMetadata extends MetadataSource {
  constructor(private value: JsonValue | null) { super(); }

  load(): JsonValue | null {
    return this.value;
  }
}
