// Calls to the registry's REST API with the user's credentials, and
// Confluent's `{error_code, message}` errors as exceptions.

const CREDENTIALS = 'treaty.authorization';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Basic or bearer credentials kept for this browser tab only. */
export function setAuthorization(value) {
  if (value) sessionStorage.setItem(CREDENTIALS, value);
  else sessionStorage.removeItem(CREDENTIALS);
}

export async function call(method, path, body) {
  const headers = {Accept: 'application/vnd.schemaregistry.v1+json'};
  const authorization = sessionStorage.getItem(CREDENTIALS);
  if (authorization) headers.Authorization = authorization;
  if (body !== undefined) headers['Content-Type'] = 'application/vnd.schemaregistry.v1+json';
  // The credentials go in the header above; `omit` also keeps the browser
  // from answering a 401's Basic challenge with its own login dialog.
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, data?.error_code ?? response.status, data?.message ?? response.statusText);
  }
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body ?? {});
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

/** A path segment for a subject (any character, `/` included). */
export const segment = encodeURIComponent;
