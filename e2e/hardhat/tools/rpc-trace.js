#!/usr/bin/env node
// A tiny JSON-RPC recording proxy: listens on LISTEN (default 127.0.0.1:8555), forwards every request to
// TARGET (default $CHORUS_RPC_URL or http://127.0.0.1:8545), and on SIGINT/SIGTERM prints how many times
// each method was called and which ones returned an error. Used to list the methods the suite needs:
//   node tools/rpc-trace.js & CHORUS_RPC_URL=http://127.0.0.1:8555 npx hardhat test --network chorus; kill %1
const http = require("http");

const target = new URL(process.env.TARGET || process.env.CHORUS_RPC_URL || "http://127.0.0.1:8545");
const [host, port] = (process.env.LISTEN || "127.0.0.1:8555").split(":");
const calls = new Map(); // method -> { calls, errors }

function record(request, response) {
  const reqs = Array.isArray(request) ? request : [request];
  const resps = Array.isArray(response) ? response : [response];
  for (const r of reqs) {
    const entry = calls.get(r.method) || { calls: 0, errors: 0 };
    entry.calls += 1;
    const answer = resps.find((x) => x && x.id === r.id);
    if (answer && answer.error) entry.errors += 1;
    calls.set(r.method, entry);
  }
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const upstream = http.request(
      { hostname: target.hostname, port: target.port || 80, path: target.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": body.length } },
      (up) => {
        const out = [];
        up.on("data", (c) => out.push(c));
        up.on("end", () => {
          const text = Buffer.concat(out);
          try {
            record(JSON.parse(body.toString()), JSON.parse(text.toString()));
          } catch {
            // not JSON: forwarded as is, not counted
          }
          res.writeHead(up.statusCode, { "content-type": up.headers["content-type"] || "application/json" });
          res.end(text);
        });
      },
    );
    upstream.on("error", (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    upstream.end(body);
  });
});

function report() {
  const rows = [...calls.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [method, { calls: n, errors }] of rows) console.log(`${method}\t${n} calls${errors ? `\t${errors} errors` : ""}`);
  server.close();
  process.exit(0);
}
process.on("SIGINT", report);
process.on("SIGTERM", report);
server.listen(Number(port), host, () => console.error(`rpc-trace: ${host}:${port} -> ${target.href}`));
