// What an authorization is about: the service, the credentials and the usage, as one text that
// keys both the authorization cache and the usage table (docs/design.md §5). Every part is
// percent-encoded as in the authrep call, so a space can only be the separator:
//   "<service_id> user_key=<k> - <metric>=<delta>&..."   or   "<service_id> app_id=<id> app_key=<key>|- ..."
// Different app keys are different authorizations (a wrong key must not ride on a right one).

/** longer keys (hostile or absurd credentials) are never cached: such requests stay synchronous */
export const MAX_TRANSACTION_KEY: i32 = 1024;

export class TransactionKey {
  constructor(public text: string, public hash: u32) {}
}

/** null when too long to cache */
export function transactionKey(serviceId: string, credential: string, appKey: string | null, usage: string): TransactionKey | null {
  const text = serviceId + " " + credential + " " + (appKey != null ? appKey : "-") + " " + usage;
  if (text.length > MAX_TRANSACTION_KEY) return null;
  return new TransactionKey(text, hashKey(text));
}

/** the parts of a key, for building reports */
export class TransactionParts {
  constructor(public serviceId: string, public credentialName: string, public credentialValue: string, public usage: string) {}
}

export function splitKey(text: string): TransactionParts | null {
  const parts = text.split(" ");
  if (parts.length != 4) return null;
  const credential = parts[1];
  const equals = credential.indexOf("=");
  if (equals <= 0) return null;
  return new TransactionParts(parts[0], credential.substring(0, equals), credential.substring(equals + 1), parts[3]);
}

/** FNV-1a over the UTF-16 code units */
export function hashKey(text: string): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= <u32>text.charCodeAt(i);
    h *= 0x01000193;
  }
  return h;
}
