// RS256 keys, tokens and a JWKS server on 127.0.0.1 for the JWT schemes (docs/deployment.md §5.1),
// with node:crypto only. Claims match the examples' issuer and audience.
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createServer } from "node:http";
import { afterAll, beforeAll } from "vitest";
import type { AddressInfo } from "node:net";

export const ISSUER = "https://idp.example.com/realms/api";
export const AUDIENCE = "orders-api";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: object;
}

export function newKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** a token with `key`'s kid, signed by `signer` (default: the same key) */
export function signJwt(key: SigningKey, payload: object, signer: KeyObject = key.privateKey): string {
  const data = `${b64url({ alg: "RS256", typ: "JWT", kid: key.kid })}.${b64url(payload)}`;
  return `${data}.${sign("sha256", Buffer.from(data), signer).toString("base64url")}`;
}

/** valid claims for the examples' provider, changed by `claims` (undefined removes one) */
export function claims(claims: Record<string, unknown>): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const all: Record<string, unknown> = { iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, ...claims };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface JwksServer {
  port: number;
  /** replaces the published keys (key rotation) */
  publish(keys: SigningKey[]): void;
  close(): Promise<void>;
}

/** serves the current JWKS at any path */
export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let body = "";
  const publish = (ks: SigningKey[]) => { body = JSON.stringify({ keys: ks.map((k) => k.jwk) }); };
  publish(keys);
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    publish,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** for a describe block: a JWKS server publishing `keys` during its tests */
export function useJwks(keys: SigningKey[]): () => JwksServer {
  let jwks: JwksServer | undefined;
  beforeAll(async () => { jwks = await startJwksServer(keys); });
  afterAll(async () => { await jwks?.close(); });
  return () => jwks!;
}
