// A tiny JSON client for the HTTP API, used by the tests.
export interface JsonResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string | undefined; token?: string | undefined; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] ??= "application/json";
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const sent = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(base + path, { method, headers, ...(sent === undefined ? {} : { body: sent }) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body: body as T, headers: response.headers };
}
