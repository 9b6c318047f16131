// The one door to Corral's HTTP APIs. The login sets an HttpOnly cookie that the browser sends with every
// same-origin request (fetch, EventSource, WebSocket); a 401 from any call sends the user back to the login.

/** A non-2xx answer: the status and the parsed body (Marathon's {message, details}, Cosmos's {type, message, data}). */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** fetch() for JSON APIs: sends `body` as JSON, answers the parsed JSON, throws ApiError on a failure status. */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] = init.headers['Content-Type'] || 'application/json';
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch (e) {
    parsed = { message: text };
  }
  if (res.status === 401 && !path.startsWith('/acs/api/v1/auth/')) {
    dispatchEvent(new CustomEvent('corral-unauthorized'));
  }
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

/** Whether authentication is on, and who is logged in: {authentication, uid}. */
export const authStatus = () => api('/acs/api/v1/auth/status');

/** Logs in; the server sets the session cookie. */
export const login = (uid, password) =>
  api('/acs/api/v1/auth/login', { method: 'POST', body: { uid, password } });

/** Logs out: the token is revoked and the cookie removed. */
export const logout = () => api('/acs/api/v1/auth/logout', { method: 'POST' });

/** The Cosmos package API: every call is a POST of a JSON object. */
export const cosmos = (action, request = {}) => api(`/package/${action}`, { method: 'POST', body: request });

/** An EventSource through the same door (it sends the session cookie, as fetch does). */
export const eventSource = (path) => new EventSource(path);

// ---------------------------------------------------------------- live updates

// Marathon events that change what the pages show. Bursts (a deployment of 50 instances) are coalesced:
// listeners run once, DEBOUNCE_MS after the last event of a burst, and at most every MAX_WAIT_MS while
// events keep coming.
const CHANGING = [
  'deployment_info', 'deployment_success', 'deployment_failed', 'deployment_step_success',
  'deployment_step_failure', 'status_update_event', 'instance_changed_event', 'health_status_changed_event',
  'api_post_event', 'app_terminated_event', 'group_change_success', 'unhealthy_instance_kill_event',
  'pod_created_event', 'pod_updated_event', 'pod_deleted_event',
];
const DEBOUNCE_MS = 250;
const MAX_WAIT_MS = 1500;
const listeners = new Set();
const statusListeners = new Set();
let source = null;
let timer = null;
let firstPending = 0;
let connected = false;

function notify() {
  timer = null;
  firstPending = 0;
  listeners.forEach((fn) => fn());
}

function changed() {
  const now = Date.now();
  if (!firstPending) firstPending = now;
  clearTimeout(timer);
  timer = setTimeout(notify, now - firstPending > MAX_WAIT_MS ? 0 : DEBOUNCE_MS);
}

function setConnected(value) {
  connected = value;
  statusListeners.forEach((fn) => fn(value));
}

function connect() {
  source = eventSource('/v2/events');
  CHANGING.forEach((type) => source.addEventListener(type, changed));
  // After a reconnect the events in between are lost: refetch everything once.
  source.onopen = () => { setConnected(true); changed(); };
  source.onerror = () => setConnected(false);
}

/** Calls fn (debounced) whenever the cluster changed; answers the function that stops listening. */
export function onClusterChange(fn) {
  if (!source) connect();
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Calls fn(connected) when the event stream connects or drops. */
export function onStreamStatus(fn) {
  if (!source) connect();
  statusListeners.add(fn);
  fn(connected);
  return () => statusListeners.delete(fn);
}
