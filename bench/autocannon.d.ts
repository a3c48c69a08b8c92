// The part of autocannon's programmatic API that bench/load.ts uses (it ships no types).
declare module "autocannon" {
  interface Options {
    url: string;
    connections: number;
    /** seconds; ignored when `amount` is set */
    duration?: number;
    /** total requests to send, then stop */
    amount?: number;
    /** requests per second over all connections */
    overallRate?: number;
    headers?: Record<string, string>;
    /** requests each connection cycles through, in order */
    requests?: { method?: string; path?: string; headers?: Record<string, string> }[];
  }
  interface Result {
    duration: number;
    requests: { total: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  interface Instance extends PromiseLike<Result> {
    on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): this;
  }
  export default function autocannon(options: Options): Instance;
}
