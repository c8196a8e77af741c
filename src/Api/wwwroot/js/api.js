// HTTP helpers: every API failure becomes an ApiError carrying the RFC 9457 problem (status, title, detail, errors).
// With a key signed in, every call sends it; a 401 asks for one (auth.js).
import { apiKey, signInNeeded } from './auth.js';

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

export async function api(method, path, body, contentType = 'application/json') {
  const init = { method, headers: { Accept: 'application/json, application/problem+json' } };
  if (apiKey()) init.headers['X-Api-Key'] = apiKey();
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType;
    init.body = contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  const response = await fetch(path, init);
  const type = response.headers.get('Content-Type') || '';
  const payload = type.includes('json') ? await response.json().catch(() => null)
    : type.startsWith('application/octet-stream') ? await response.blob() : await response.text();
  if (response.status === 401) signInNeeded();
  if (!response.ok) {
    const problem = payload && typeof payload === 'object'
      ? payload
      : { status: response.status, title: response.statusText, detail: String(payload || response.statusText) };
    throw new ApiError(problem, response.status);
  }
  return payload;
}

/** Saves a file the API serves, fetched with the key (which a plain link cannot send), as `name`. */
export async function download(path, name) {
  const blob = await api('GET', path);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

export const getJson = path => api('GET', path);
export const postJson = (path, body) => api('POST', path, body);
