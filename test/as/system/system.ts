// Unit entry: the document reader and the shared record format, without a host.
import { parseDocument, serializeDocument } from "../../../assembly/system/document";
import { decodeRecord, FetchRecord } from "../../../assembly/system/record";

/** the reduced document, or "error: …" */
export function reduce(text: string): string {
  const result = parseDocument(text);
  const document = result.document;
  return document ? serializeDocument(document) : "error: " + result.error;
}

/** the record re-encoded, or "invalid" */
export function recode(text: string): string {
  const record = decodeRecord(String.UTF8.encode(text));
  return record ? String.UTF8.decode(record.encode()) : "invalid";
}

export function encodeRecord(version: u32, deadline: u64, document: string): string {
  return String.UTF8.decode(new FetchRecord(7, version, deadline, 0, 0, document).encode());
}
