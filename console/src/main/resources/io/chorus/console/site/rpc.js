// The node's JSON-RPC (POST /), its WebSocket (/ws) and its REST API (/api/v1/...).
export class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

let nextId = 1;

export async function call(method, params = []) {
  const [answer] = await post([{ jsonrpc: '2.0', id: nextId++, method, params }]);
  return answer;
}

// Several calls in one request; answers in order, each an error thrown only when read.
export async function batch(calls) {
  if (calls.length === 0) return [];
  return post(calls.map(([method, params]) => ({ jsonrpc: '2.0', id: nextId++, method,
    params: params || [] })));
}

// The answers of calls that may fail one by one: a value or an RpcError for each.
export async function settle(calls) {
  if (calls.length === 0) return [];
  return post(calls.map(([method, params]) => ({ jsonrpc: '2.0', id: nextId++, method,
    params: params || [] })), true);
}

async function post(body, keepErrors) {
  const response = await fetch('/', { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' } });
  const text = await response.text();
  let answers;
  try {
    answers = JSON.parse(text);
  } catch (e) {
    throw new RpcError(-32700, `HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
  if (!Array.isArray(answers)) {
    throw new RpcError(answers.error?.code ?? -32603, answers.error?.message ?? text);
  }
  const byId = new Map(answers.map(a => [a.id, a]));
  return body.map(request => {
    const a = byId.get(request.id);
    const error = a?.error ? new RpcError(a.error.code, a.error.message, a.error.data)
      : a ? null : new RpcError(-32603, 'no answer to ' + request.method);
    if (error && !keepErrors) throw error;
    return error ?? a.result;
  });
}

// Whether a method exists on this node (older nodes may lack one): "method not found" → false.
export function missing(error) {
  return error instanceof RpcError && error.code === -32601;
}

// New blocks as the node commits them (eth_subscribe newHeads), reconnecting after a drop;
// onState(true|false) says whether the feed is live. Returns a function that stops it.
export function subscribeHeads(onHead, onState) {
  let socket;
  let stopped = false;
  let delay = 500;
  const open = () => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${scheme}//${location.host}/ws`);
    socket.onopen = () => {
      delay = 500;
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe',
        params: ['newHeads'] }));
      onState?.(true);
    };
    socket.onmessage = event => {
      const message = JSON.parse(event.data);
      if (message.method === 'eth_subscription') onHead(message.params.result);
    };
    socket.onclose = () => {
      onState?.(false);
      if (!stopped) {
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 10_000);
      }
    };
  };
  open();
  return () => {
    stopped = true;
    socket.close();
  };
}

// The REST API. An error answer (problem+json) is thrown as a RestError with its detail.
export class RestError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

const TOKEN_KEY = 'chorus.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function rest(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers);
  let body = options.body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData)) {
    body = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (token()) headers.Authorization = 'Bearer ' + token();
  const response = await fetch(path, { method: options.method || 'GET', headers, body });
  const type = response.headers.get('Content-Type') || '';
  const answer = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new RestError(response.status, typeof answer === 'object' ? answer
    : { detail: answer });
  return answer;
}
