// Reading the portal's answer (docs/backend-protocol.md §4.1, defect D8): only a 200 with a body
// of bounded size is parsed; everything else is an error and the last good configuration stays.
import { CallAnswer } from "../runtime/calls";
import { isValidUtf8 } from "../text/utf8";
import { DocumentResult, parseDocument } from "./document";

/** a real proxy config is a few KiB per hundred rules; this bounds parse time and memory */
export const MAX_DOCUMENT_BYTES: u32 = 4 * 1024 * 1024;

export function readAnswer(answer: CallAnswer): DocumentResult {
  const bodySize = answer.bodySize;
  if (answer.numHeaders == 0) return failed("no answer (host status " + answer.failureStatus().toString() + ")");
  const status = answer.header(":status");
  if (status != "200") return failed("status " + (status != null ? status : "missing"));
  if (bodySize == 0) return failed("empty body");
  if (bodySize > MAX_DOCUMENT_BYTES) return failed("body of " + bodySize.toString() + " bytes, more than " + MAX_DOCUMENT_BYTES.toString());
  const bytes = answer.body();
  if (!isValidUtf8(changetype<usize>(bytes), <usize>bytes.byteLength)) return failed("body is not valid UTF-8");
  return parseDocument(String.UTF8.decode(bytes));
}

function failed(error: string): DocumentResult {
  return new DocumentResult(null, error);
}
