// All the benchmark's Socket.IO clients in one Node process (socket.io-client 4.x,
// websocket transport only), so that every delay is read off one clock:
// performance.now() at the triggering client's emit -> performance.now() when
// each client in the room receives the broadcast.
//
//   node bench/clients.mjs CONFIG.json
//
// CONFIG (written by bench/__main__.py):
//   url, mode ("app" | "baseline"), cookie_name,
//   rooms: [{key, meeting_id, facilitator_cookie, phone_cookies, response_steps, start_pos}]
//          (baseline rooms: {key, phones})
//   rate_per_room, warmup_per_room, events_per_room, step_fraction, seed,
//   burst: null, or {bursts, spread_ms, gap_ms}: instead of events at a rate, the phones of the
//          first room all answer within spread_ms, `bursts` times (the first one warms up)
//   payloads: {step, response}      baseline only: what the baseline broadcasts
//   connect_concurrency, connect_timeout_ms, settle_ms, drain_timeout_ms, max_runtime_ms, out
//
// Writes the raw delays (ms) and counters to CONFIG.out; Python does the statistics.
import { performance } from "node:perf_hooks";
import {
  closestToMean, connectAll, dispatchBatches, finish, loadConfig, newResults, picker, play, prng, round3, runMain, seatOptions, sleep,
  staggered, waitUntil,
} from "./support.mjs";

const { cfg, log } = loadConfig(process.argv[2], (c) => `clients ${c.mode}`);
const APP = cfg.mode === "app";

const rand = prng(cfg.seed);
const pick = picker(rand);

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

const results = newResults({
  mode: cfg.mode,
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
});

let measuring = false;
let running = false;

function record(room, ev, client) {
  ev.received += 1;
  if (ev.warm) return;
  const delay = round3(performance.now() - ev.t);
  if (ev.first === undefined) ev.first = delay;
  ev.last = delay;
  results.delays[ev.kind].push(delay);
  results.received[ev.kind] += 1;
}

const kept = { step: [], response: [] }; // app: the payloads the facilitator received

function keepSample(kind, data) {
  const size = Buffer.byteLength(JSON.stringify(data));
  results.sizes[kind].push(size);
  kept[kind].push({ size, data });
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
  const client = { room, role, cookie, label: `${room.spec.key} ${role}`, lastStep: -1, socket: null };
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
    dispatchBatches(s);
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

function connectOptions(client) {
  return APP ? seatOptions(cfg, client.room.spec.meeting_id, client.cookie) : { auth: { room: client.room.spec.key } };
}

async function connectEveryone() {
  const all = [];
  for (const room of rooms) {
    all.push(makeClient(room, "facilitator", room.spec.facilitator_cookie));
    const phones = APP ? room.spec.phone_cookies : new Array(room.spec.phones).fill(null);
    for (const cookie of phones) all.push(makeClient(room, "phone", cookie));
  }
  await connectAll(cfg, log, results, all, connectOptions, attach);
  return all;
}

// --- events ---------------------------------------------------------------

// `phone`: the sender of a response chosen by the caller (bursts), instead of a random event.
function fire(room, i, phone = null) {
  const warm = i < cfg.warmup_per_room;
  const kind = phone || rand() >= cfg.step_fraction ? "response" : "step";
  const seq = room.events.length;
  const ev = { seq, kind, warm, t: 0, received: 0, expected: room.clients.length };
  room.events.push(ev);
  room.byId.set(seq, ev);
  if (!warm) {
    results.events[kind] += 1;
    results.expected[kind] += ev.expected;
  }
  const fac = room.clients[0];
  const sender = kind === "step" ? fac : phone ?? pick(room.clients.slice(1));
  const ack = (reply) => {
    ev.ack = round3(performance.now() - ev.t);
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

async function runBursts() {
  const room = rooms[0];
  const phones = room.clients.slice(1);
  const { bursts, spread_ms: spread, gap_ms: gap } = cfg.burst;
  for (let b = 0; b < bursts; b++) {
    const i = b === 0 ? 0 : cfg.warmup_per_room; // the first burst warms up
    await Promise.all(phones.map((phone) => sleep(rand() * spread).then(() => fire(room, i, phone))));
    await waitUntil(allDelivered, cfg.drain_timeout_ms);
    await sleep(gap);
  }
}

function runEvents() {
  if (cfg.burst) return runBursts();
  const schedule = staggered(rooms, cfg.warmup_per_room + cfg.events_per_room, 1000 / cfg.rate_per_room, rand);
  return play(schedule, ({ owner, i }) => fire(owner, i));
}

function allDelivered() {
  return rooms.every((room) => room.events.every((ev) => ev.received >= ev.expected));
}

async function main() {
  const all = await connectEveryone();
  if (!results.connect_failures.length) {
    await sleep(cfg.settle_ms); // let the connect-time broadcasts pass
    running = true;
    measuring = true;
    const t0 = performance.now();
    await runEvents();
    await waitUntil(allDelivered, cfg.drain_timeout_ms);
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
    results.samples.step = closestToMean(kept.step);
    results.samples.response = closestToMean(kept.response);
  }
  finish(cfg, results, all);
}

runMain(main, log);
