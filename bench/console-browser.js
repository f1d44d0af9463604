#!/usr/bin/env node
// One headless Chromium showing a console page, kept open while a load runs against the node,
// watched through the DevTools protocol so a run proves the page really rendered and followed
// the chain, and says what it cost the browser and asked of the node.
//
//   node --experimental-websocket bench/console-browser.js --url http://127.0.0.1:PORT/console/#/ \
//     --ready FILE [--label x] [--shot FILE.png] [--chromium /usr/bin/chromium]
//
// Opens the page, waits until it shows the chain's head, then writes "ready" to --ready and
// counts from there: the HTTP requests the page makes (and their bytes on the wire), the
// WebSocket messages it receives and the CPU time of every Chromium process. On SIGTERM or
// SIGINT it reads the head the page shows again, takes the screenshot, prints one JSON line
// (label, headAtReady, headAtEnd, seconds, requests, requestBytes, wsMessages, wsBytes,
// chromiumCpuSeconds, rpcCalls by method) and closes Chromium. Exits non-zero when the page
// never showed a head, or showed the same head at the end (it did not follow the chain).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const arg = (name, fallback) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const URL_ = arg('url');
const READY = arg('ready');
const LABEL = arg('label', 'browser');
const SHOT = arg('shot');
const CHROMIUM = arg('chromium', '/usr/bin/chromium');
const READY_TIMEOUT_MS = Number(arg('ready-timeout', 60)) * 1000;
if (!URL_ || !READY) throw new Error('--url URL and --ready FILE are required');
if (typeof WebSocket === 'undefined') {
  throw new Error('no WebSocket in this Node.js: run it with --experimental-websocket (Node 20.10+)');
}
// The head number as the home page (#head-number) or the validators page (its summary) shows it.
const HEAD_EXPRESSION = `(document.querySelector('#head-number, #network-summary .value')
  ?.textContent ?? '').trim()`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICKS_PER_S = 100; // Linux USER_HZ

// CPU seconds (utime + stime) of a process and all its descendants, from /proc.
function treeCpuSeconds(root) {
  const children = new Map();
  const cpu = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    const pid = Number(entry), ppid = Number(fields[1]);
    cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    total += cpu.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

// A DevTools protocol session on one target: send(method, params) → result; on(event, fn).
function devtools(wsUrl) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl);
    let nextId = 1;
    const pending = new Map();
    const listeners = new Map();
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.id && pending.has(message.id)) {
        const { ok, fail } = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) fail(new Error(message.error.message));
        else ok(message.result);
      } else if (message.method) {
        (listeners.get(message.method) ?? []).forEach((fn) => fn(message.params));
      }
    };
    socket.onerror = () => reject(new Error('cannot reach Chromium\'s DevTools at ' + wsUrl));
    socket.onopen = () => resolve({
      send: (method, params = {}) => new Promise((ok, fail) => {
        const id = nextId++;
        pending.set(id, { ok, fail });
        socket.send(JSON.stringify({ id, method, params }));
      }),
      on: (method, fn) => listeners.set(method, [...(listeners.get(method) ?? []), fn]),
      close: () => socket.close(),
    });
  });
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'console-browser-'));
  const chromium = spawn(CHROMIUM, ['--headless=new', '--no-sandbox', '--disable-gpu',
    '--remote-debugging-port=0', '--user-data-dir=' + profile, '--no-first-run',
    '--window-size=1280,1000', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stop = () => {
    try {
      chromium.kill('SIGTERM');
    } catch { /* already gone */ }
  };
  process.on('exit', () => {
    stop();
    fs.rmSync(profile, { recursive: true, force: true });
  });
  const port = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('Chromium printed no DevTools address'
      + ' within 30 s; its output: ' + text.slice(-500))), 30_000);
    chromium.stderr.on('data', (chunk) => {
      text += chunk;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    chromium.on('exit', (code) => reject(new Error(`Chromium exited (${code}): ${text.slice(-500)}`)));
  });
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((t) => t.type === 'page');
  if (!page) throw new Error('Chromium has no page target');
  const cdp = await devtools(page.webSocketDebuggerUrl);

  // Count what the page asks of the node once it is ready (not its first load).
  let counting = false;
  const requests = { count: 0, bytes: 0, rpcCalls: {} };
  const ws = { messages: 0, bytes: 0 };
  cdp.on('Network.requestWillBeSent', ({ request }) => {
    if (!counting) return;
    requests.count++;
    if (request.method === 'POST' && request.postData) {
      for (const call of [].concat(JSON.parse(request.postData))) {
        requests.rpcCalls[call.method] = (requests.rpcCalls[call.method] ?? 0) + 1;
      }
    }
  });
  cdp.on('Network.loadingFinished', ({ encodedDataLength }) => {
    if (counting) requests.bytes += encodedDataLength;
  });
  cdp.on('Network.webSocketFrameReceived', ({ response }) => {
    if (!counting) return;
    ws.messages++;
    ws.bytes += response.payloadData.length;
  });
  await cdp.send('Network.enable');
  await cdp.send('Page.enable');
  await cdp.send('Page.navigate', { url: URL_ });

  const head = async () => (await cdp.send('Runtime.evaluate',
    { expression: HEAD_EXPRESSION, returnByValue: true })).result.value;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let headAtReady = '';
  while (!(headAtReady = await head())) {
    if (Date.now() > deadline) throw new Error(`${URL_} showed no head within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(200);
  }
  await sleep(2000); // let the first load's follow-up requests (the latest transactions) finish
  headAtReady = await head();
  counting = true;
  const started = Date.now();
  const cpuAtReady = treeCpuSeconds(chromium.pid);
  fs.writeFileSync(READY, 'ready\n');

  await new Promise((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  counting = false;
  const seconds = (Date.now() - started) / 1000;
  const chromiumCpuSeconds = treeCpuSeconds(chromium.pid) - cpuAtReady;
  const headAtEnd = await head();
  if (SHOT) {
    const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
    fs.writeFileSync(SHOT, Buffer.from(data, 'base64'));
  }
  cdp.close();
  stop();
  console.log(JSON.stringify({ label: LABEL, url: URL_, headAtReady, headAtEnd,
    seconds: +seconds.toFixed(1), requests: requests.count, requestBytes: requests.bytes,
    wsMessages: ws.messages, wsBytes: ws.bytes,
    chromiumCpuSeconds: +chromiumCpuSeconds.toFixed(2), rpcCalls: requests.rpcCalls }));
  if (headAtEnd === headAtReady) {
    throw new Error(`${URL_} still showed head ${headAtEnd} at the end: it did not follow the chain`);
  }
}
main().catch((e) => {
  console.error(`console-browser (${LABEL}): ${e.message}`);
  process.exit(1);
});
