// What the benchmarks' Node clients share: their config and exit codes, a seeded random
// source, connecting many Socket.IO clients (socket.io-client 4, websocket transport only,
// no reconnection) a few at a time, emitting on a schedule, and waiting for deliveries.
//
// Exit codes the harness (bench/harness.py) reads: 0 results written to cfg.out,
// 2 failed, 3 gave up after cfg.max_runtime_ms, 4 the event loop emptied before the end.
import { fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { io } from "socket.io-client";

// The config the harness wrote to `path`, and a logger whose lines, headed [labelOf(cfg)], go to
// the harness's stderr. The process gives up after cfg.max_runtime_ms.
export function loadConfig(path, labelOf) {
  const cfg = JSON.parse(readFileSync(path, "utf8"));
  const label = labelOf(cfg);
  const log = (...args) => console.error(`  [${label}]`, ...args);
  setTimeout(() => {
    log(`gave up after ${cfg.max_runtime_ms} ms`);
    process.exit(3);
  }, cfg.max_runtime_ms).unref();
  return { cfg, log };
}

// Run main(); a failure is logged (and handed to onFailure) and exits with 2. Node exits
// quietly when nothing is left to wait for: that must never pass for a finished run.
export function runMain(main, log, onFailure = () => {}) {
  process.on("beforeExit", () => {
    log("the event loop emptied before the run finished");
    process.exit(4);
  });
  main().catch((err) => {
    log(`failed: ${err?.stack ?? err}`);
    onFailure(err);
    process.exit(2);
  });
}

// Write the results for the harness, close every client and exit.
export function finish(cfg, results, clients) {
  writeFileSync(cfg.out, JSON.stringify(results));
  for (const c of clients) c.socket?.disconnect();
  process.exit(0);
}

// A small seeded PRNG (mulberry32): the same sequence on every run and for both servers.
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// pick(list): one of list's items, drawn from rand.
export const picker = (rand) => (list) => list[Math.floor(rand() * list.length)];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Milliseconds to a thousandth.
export const round3 = (x) => Math.round(x * 1000) / 1000;

// Poll done() every 50 ms until it holds or timeoutMs have passed.
export async function waitUntil(done, timeoutMs) {
  const until = performance.now() + timeoutMs;
  while (!done() && performance.now() < until) await sleep(50);
}

// How a client takes its seat in one of the app's meetings: the meeting id and its session cookie.
export function seatOptions(cfg, meetingId, cookie) {
  return { auth: { meeting_id: meetingId }, extraHeaders: { Cookie: `${cfg.cookie_name}=${cookie}` } };
}

// Open one client; `setup(socket)` attaches its handlers before it connects. Resolves to null
// once connected, else to why it could not connect.
function openSocket(url, options, setup) {
  return new Promise((resolve) => {
    const socket = io(url, { transports: ["websocket"], forceNew: true, reconnection: false, ...options });
    setup(socket);
    let settled = false;
    const done = (why) => {
      if (settled) return;
      settled = true;
      resolve(why);
    };
    socket.once("connect", () => done(null));
    socket.once("connect_error", (err) => done(err.message));
    // The transport can also close between the engine.io handshake and the Socket.IO connect.
    socket.io.once("close", (reason) => done(`connection closed before connecting (${reason})`));
  });
}

// The results every client file writes, with its own `fields`; connectAll fills in the first three.
export function newResults(fields) {
  return { clients: 0, connect_ms: 0, connect_failures: [], unexpected_disconnects: 0, ...fields };
}

// Connect every client ({label, ...}) to cfg.url, cfg.connect_concurrency at a time:
// options(client) says how it connects, attach(client) adds its handlers to client.socket
// before it does. Records in `results` how many, how long, and why each that failed could not.
export async function connectAll(cfg, log, results, clients, options, attach) {
  const failures = [];
  const connect = async (client) => {
    const why = await openSocket(cfg.url, { timeout: cfg.connect_timeout_ms, ...options(client) }, (socket) => {
      client.socket = socket;
      attach(client);
    });
    if (why) failures.push(`${client.label}: ${why}`);
  };
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < clients.length) await connect(clients[next++]);
  };
  await Promise.all(Array.from({ length: cfg.connect_concurrency }, worker));
  results.clients = clients.length;
  results.connect_ms = Math.round(performance.now() - t0);
  results.connect_failures = failures;
  const ok = clients.filter((c) => c.socket.connected).length;
  log(`${ok}/${clients.length} clients connected in ${results.connect_ms} ms`);
  if (failures.length) log(`connect failures, first: ${failures[0]}`);
}

// `count` emits for each owner, `interval` ms apart, each owner starting at a random phase so
// that they do not all emit at the same instant: [{t (ms), owner, i}] in time order.
export function staggered(owners, count, interval, rand) {
  const schedule = [];
  for (const owner of owners) {
    const phase = rand() * interval;
    for (let i = 0; i < count; i++) schedule.push({ t: phase + i * interval, owner, i });
  }
  return schedule.sort((a, b) => a.t - b.t);
}

// Call fire(item) for each item of the schedule at its time t (ms from now); resolves after the last.
export function play(schedule, fire) {
  return new Promise((resolve) => {
    const start = performance.now() + 100;
    let k = 0;
    const tick = () => {
      while (k < schedule.length && start + schedule[k].t <= performance.now()) fire(schedule[k++]);
      if (k < schedule.length) setTimeout(tick, Math.max(0, start + schedule[k].t - performance.now()));
      else resolve();
    };
    setTimeout(tick, 100);
  });
}

// Of the payloads kept ({size, data}), the one whose size is closest to their mean: what the
// baseline server broadcasts in the app's stead.
export function closestToMean(kept) {
  if (!kept.length) return null;
  const mean = kept.reduce((s, x) => s + x.size, 0) / kept.length;
  return kept.reduce((best, x) => (Math.abs(x.size - mean) < Math.abs(best.size - mean) ? x : best)).data;
}

// The value of cookie `name` among a response's Set-Cookie lines, or null.
export function cookieFrom(setCookies, name) {
  for (const line of setCookies) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return null;
}

// This very file again, as a child process started with `flag` before its config path (its
// work then never delays this process's clock or sockets). Returns ask(msg): sends msg, and
// resolves to the child's answer (an answer with `error` rejects).
export function forkSelf(flag) {
  const child = fork(process.argv[1], [flag, process.argv[2]], { stdio: "inherit" });
  let waiting = null;
  child.on("message", (msg) => {
    const w = waiting;
    waiting = null;
    if (!w) return;
    if (msg.error) w.reject(new Error(`${flag} child: ${msg.error}`));
    else w.resolve(msg);
  });
  child.on("exit", (code) => {
    if (waiting) waiting.reject(new Error(`the ${flag} child exited with ${code}`));
  });
  return (msg) => new Promise((resolve, reject) => {
    waiting = { resolve, reject };
    child.send(msg);
  });
}

// In a child made by forkSelf: answer each message {cmd, ...} with await handlers[cmd](msg);
// after the answer to `last`, or after a failure, the child exits.
export function answerParent(handlers, last) {
  process.on("message", async (msg) => {
    try {
      const answer = await handlers[msg.cmd](msg);
      process.send(answer, () => {
        if (msg.cmd === last) process.exit(0);
      });
    } catch (err) {
      process.send({ error: String(err?.stack ?? err) }, () => process.exit(2));
    }
  });
}

// What the app's room sets off at once comes as one `batch` of [event, payload] pairs
// (plc/realtime/batching.py): each goes to that event's own handlers, as in the app's pages.
export function dispatchBatches(socket) {
  socket.on("batch", (items) => {
    for (const [event, payload] of items) for (const handler of socket.listeners(event)) handler(payload);
  });
}
