/** The fake API server's request and response shapes, shared by its route tables. */
export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, or a multipart body's fields and files; only when one was sent. */
  body?: unknown;
  /** The X-Bot-Token header; only when one was sent. */
  botToken?: string;
  /** The Authorization header; only when one was sent. */
  authorization?: string;
}

/** A multipart/form-data body as the fake reads it: text fields, and each file's name, type and size. */
export interface FakeMultipart {
  multipart: true;
  fields: Record<string, string>;
  files: Array<{ field: string; filename: string; mimeType: string; bytes: number }>;
}

export type FakeResponse = { status: number; body: unknown };
export type FakeHandler = (req: FakeRequest) => FakeResponse;
