// All the benchmark's Socket.IO clients in one Node process (socket.io-client 4.x,
// websocket transport only), so that every delay is read off one clock:
// performance.now() at the triggering client's emit -> performance.now() when
// each client in the room receives the broadcast.
//
//   node tests/bench/clients.mjs CONFIG.json
//
// CONFIG (written by tests/bench/__main__.py):
//   url, mode ("app" | "baseline"), cookie_name,
//   rooms: [{key, meeting_id, facilitator_cookie, phone_cookies, response_steps, start_pos}]
//          (baseline rooms: {key, phones})
//   rate_per_room, warmup_per_room, events_per_room, step_fraction, seed,
//   payloads: {step, response}      baseline only: what the baseline broadcasts
//   connect_concurrency, connect_timeout_ms, settle_ms, drain_timeout_ms, max_runtime_ms, out
//
// Writes the raw delays (ms) and counters to CONFIG.out; Python does the statistics.
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { connectAll, openSocket, prng } from "./support.mjs";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const APP = cfg.mode === "app";
const log = (...args) => console.error(`  [clients ${cfg.mode}]`, ...args);

setTimeout(() => {
  log(`gave up after ${cfg.max_runtime_ms} ms`);
  process.exit(3);
}, cfg.max_runtime_ms).unref();

const rand = prng(cfg.seed);
const pick = (list) => list[Math.floor(rand() * list.length)];

const SENTENCES = [
  "I made 14 groups of 6 with counters and counted the groups.",
  "Skip counted by 6 to 84: 6, 12, 18, ... 84, that is 14 jumps.",
  "84 = 60 + 24, so 10 boxes and 4 boxes, 14 boxes in all.",
  "Area model: 6 x 10 = 60 and 6 x 4 = 24, 60 + 24 = 84.",
  "Repeated subtraction of 6 from 84 until nothing is left: 14 times.",
  "Used a number line with jumps of 6; landed on 84 after 14 jumps.",
  "Halved: 42 apples is 7 boxes, so 84 apples is 14 boxes.",
  "Students might write 84 / 6 and not know what the 14 means.",
];

const results = {
  mode: cfg.mode,
  clients: 0,
  connect_ms: 0,
  connect_failures: [],
  unexpected_disconnects: 0,
  delays: { step: [], response: [] },
  expected: { step: 0, response: 0 },
  received: { step: 0, response: 0 },
  unmatched: 0,
  ack_errors: [],
  ack_ms: { step: [], response: [] },
  events: { step: 0, response: 0 },
  sizes: { step: [], response: [] },
  samples: { step: null, response: null },
  measure_s: 0,
  per_event: [],
  end_pos: [], // app: each room's agenda position at the end, where the next round starts
};

let measuring = false;
let running = false;

function record(room, ev, client) {
  ev.received += 1;
  if (ev.warm) return;
  const delay = Math.round((performance.now() - ev.t) * 1000) / 1000;
  if (ev.first === undefined) ev.first = delay;
  ev.last = delay;
  results.delays[ev.kind].push(delay);
  results.received[ev.kind] += 1;
}

function keepSample(kind, data) {
  const size = Buffer.byteLength(JSON.stringify(data));
  results.sizes[kind].push(size);
  (keepSample.all ??= { step: [], response: [] })[kind].push({ size, data });
}

// --- rooms and clients ---------------------------------------------------------

const rooms = cfg.rooms.map((spec, idx) => ({
  idx,
  spec,
  clients: [],
  events: [], // every event fired in this room, in order
  stepEvents: [], // the step events only (app: matched by agenda position)
  byId: new Map(),
  pos: spec.start_pos,
}));

function makeClient(room, role, cookie) {
  const client = { room, role, cookie, lastStep: -1, socket: null };
  room.clients.push(client);
  return client;
}

function attach(client) {
  const { room } = client;
  const s = client.socket;
  if (APP) {
    s.on("state", (data) => {
      if (!measuring) return;
      const pos = data?.step?.pos;
      const list = room.stepEvents;
      for (let j = client.lastStep + 1; j < list.length; j++) {
        if (list[j].pos === pos) {
          client.lastStep = j;
          if (client.role === "facilitator") keepSample("step", data);
          record(room, list[j], client);
          return;
        }
      }
      results.unmatched += 1;
    });
    s.on("response:upsert", (data) => {
      if (!measuring) return;
      const m = /^\[b(\d+)\.(\d+)\]/.exec(data?.text ?? "");
      const ev = m && Number(m[1]) === room.idx ? room.byId.get(Number(m[2])) : null;
      if (!ev) {
        results.unmatched += 1;
        return;
      }
      if (client.role === "facilitator") keepSample("response", data);
      record(room, ev, client);
    });
  } else {
    s.on("bcast", (data) => {
      if (!measuring) return;
      const ev = room.byId.get(data?.id);
      if (!ev) {
        results.unmatched += 1;
        return;
      }
      if (client.role === "facilitator") results.sizes[ev.kind].push(Buffer.byteLength(JSON.stringify(data)));
      record(room, ev, client);
    });
  }
  s.on("disconnect", () => {
    if (running) results.unexpected_disconnects += 1;
  });
}

async function connect(client) {
  const { room, cookie } = client;
  const auth = APP
    ? { auth: { meeting_id: room.spec.meeting_id }, extraHeaders: { Cookie: `${cfg.cookie_name}=${cookie}` } }
    : { auth: { room: room.spec.key } };
  const why = await openSocket(cfg.url, { timeout: cfg.connect_timeout_ms, ...auth }, (socket) => {
    client.socket = socket;
    attach(client);
  });
  if (why) results.connect_failures.push(`${room.spec.key} ${client.role}: ${why}`);
}

async function connectEveryone() {
  const all = [];
  for (const room of rooms) {
    all.push(makeClient(room, "facilitator", room.spec.facilitator_cookie));
    const phones = APP ? room.spec.phone_cookies : new Array(room.spec.phones).fill(null);
    for (const cookie of phones) all.push(makeClient(room, "phone", cookie));
  }
  results.clients = all.length;
  results.connect_ms = await connectAll(all, cfg.connect_concurrency, connect);
  return all;
}

// --- events ---------------------------------------------------------------

function fire(room, i) {
  const warm = i < cfg.warmup_per_room;
  const kind = rand() < cfg.step_fraction ? "step" : "response";
  const seq = room.events.length;
  const ev = { seq, kind, warm, t: 0, received: 0, expected: room.clients.length };
  room.events.push(ev);
  room.byId.set(seq, ev);
  if (!warm) {
    results.events[kind] += 1;
    results.expected[kind] += ev.expected;
  }
  const fac = room.clients[0];
  const sender = kind === "step" ? fac : pick(room.clients.slice(1));
  const ack = (reply) => {
    ev.ack = Math.round((performance.now() - ev.t) * 1000) / 1000;
    if (!warm) results.ack_ms[kind].push(ev.ack);
    if (!reply || reply.ok !== true) results.ack_errors.push(`${room.spec.key} ${kind}: ${JSON.stringify(reply)}`);
  };
  if (APP && kind === "step") {
    ev.pos = pick(room.spec.response_steps.filter((p) => p !== room.pos));
    room.pos = ev.pos;
    room.stepEvents.push(ev);
    ev.t = performance.now();
    sender.socket.emit("step:goto", { pos: ev.pos }, ack);
  } else if (APP) {
    const text = `[b${room.idx}.${seq}] ${pick(SENTENCES)}`;
    ev.t = performance.now();
    sender.socket.emit("response:add", { text }, ack);
  } else {
    ev.t = performance.now();
    sender.socket.emit("bcast", { id: seq, kind, data: cfg.payloads[kind] }, ack);
  }
}

function runEvents() {
  const perRoom = cfg.warmup_per_room + cfg.events_per_room;
  const interval = 1000 / cfg.rate_per_room;
  const schedule = [];
  for (const room of rooms) {
    const phase = rand() * interval; // rooms do not all fire at the same instant
    for (let i = 0; i < perRoom; i++) schedule.push({ t: phase + i * interval, room, i });
  }
  schedule.sort((a, b) => a.t - b.t);
  return new Promise((resolve) => {
    const start = performance.now() + 100;
    let k = 0;
    const tick = () => {
      while (k < schedule.length && start + schedule[k].t <= performance.now()) {
        const { room, i } = schedule[k++];
        fire(room, i);
      }
      if (k < schedule.length) setTimeout(tick, Math.max(0, start + schedule[k].t - performance.now()));
      else resolve();
    };
    setTimeout(tick, 100);
  });
}

function allDelivered() {
  return rooms.every((room) => room.events.every((ev) => ev.received >= ev.expected));
}

async function drain() {
  const until = performance.now() + cfg.drain_timeout_ms;
  while (!allDelivered() && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
}

function closestToMean(kind) {
  const all = keepSample.all?.[kind] ?? [];
  if (!all.length) return null;
  const mean = all.reduce((s, x) => s + x.size, 0) / all.length;
  return all.reduce((best, x) => (Math.abs(x.size - mean) < Math.abs(best.size - mean) ? x : best)).data;
}

async function main() {
  const all = await connectEveryone();
  const ok = all.filter((c) => c.socket.connected).length;
  log(`${ok}/${all.length} clients connected in ${results.connect_ms} ms`);
  if (results.connect_failures.length) {
    log(`connect failures, first: ${results.connect_failures[0]}`);
  } else {
    await new Promise((r) => setTimeout(r, cfg.settle_ms)); // let the connect-time broadcasts pass
    running = true;
    measuring = true;
    const t0 = performance.now();
    await runEvents();
    await drain();
    results.measure_s = Math.round(performance.now() - t0) / 1000;
    running = false;
    measuring = false;
    log(
      `${results.events.step + results.events.response} events, ` +
        `${results.received.step + results.received.response}/${results.expected.step + results.expected.response} deliveries ` +
        `in ${results.measure_s} s`,
    );
  }
  // Per event: when the first and the last client got it, and the sender's ack (fan-out spread).
  results.per_event = rooms.flatMap((room) =>
    room.events.filter((ev) => !ev.warm).map((ev) => ({
      room: room.idx, t: Math.round(ev.t), kind: ev.kind, first: ev.first ?? null, last: ev.last ?? null,
      ack: ev.ack ?? null, received: ev.received, expected: ev.expected,
    })),
  );
  results.end_pos = rooms.map((room) => room.pos);
  if (APP) {
    results.samples.step = closestToMean("step");
    results.samples.response = closestToMean("response");
  }
  writeFileSync(cfg.out, JSON.stringify(results));
  for (const c of all) c.socket.disconnect();
  process.exit(0);
}

// Node exits quietly when nothing is left to wait for; that must never pass for a finished run.
process.on("beforeExit", () => {
  log("the event loop emptied before the run finished");
  process.exit(4);
});

main().catch((err) => {
  log(`failed: ${err?.stack ?? err}`);
  process.exit(2);
});
