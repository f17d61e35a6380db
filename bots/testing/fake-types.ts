/** The fake API server's request and response shapes, shared by its route tables. */
export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body; only when one was sent. */
  body?: unknown;
  /** The X-Bot-Token header; only when one was sent. */
  botToken?: string;
}

export type FakeResponse = { status: number; body: unknown };
export type FakeHandler = (req: FakeRequest) => FakeResponse;
