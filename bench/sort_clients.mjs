// The Work Sort benchmark's Socket.IO clients, all in one Node process (socket.io-client 4.x,
// websocket transport only), so that every delay is read off one clock.
//
//   node bench/sort_clients.mjs CONFIG.json
//
// App mode: the facilitator and every phone connect to the meeting, which is on its Sort step;
// each keeps its own picture of the board as a browser does (static/js/sort/board_state.js): the sort of its
// first `state`, then each `sort:moved` applied in revision order (a gap: `sort:sync`, and the
// whole sort from the acknowledgement). Every client moves a random card to a random place in
// another column `rate_per_client` times a second, sending the card's version as it sees it.
// A move that wins is broadcast as `sort:moved`; the delay is the mover's emit -> each client's
// receipt of that broadcast (matched by card, new version and mover). A stale version is refused
// ({ok: false, conflict}): counted, no broadcast, no delay. At the end every client reports its board.
//
// Baseline mode: the same clients on baseline_server.py, each emitting `bcast` with a copy of a
// real `sort:moved` payload (captured in the app run) at the same rate; the server re-broadcasts
// it to the room.
//
// CONFIG (written by bench/sort.py):
//   url, mode ("app" | "baseline"), cookie_name, meeting_id, room,
//   facilitator_cookie, facilitator_name, phone_cookies, phone_names  (baseline: phones = count)
//   rate_per_client, warmup_s, seconds, seed, payload (baseline only),
//   connect_concurrency, connect_timeout_ms, settle_ms, drain_timeout_ms, max_runtime_ms, out
import { performance } from "node:perf_hooks";
import {
  closestToMean, connectAll, finish, loadConfig, newResults, picker, play, prng, round3, runMain, seatOptions, sleep,
  staggered, waitUntil,
} from "./support.mjs";

const { cfg, log } = loadConfig(process.argv[2], (c) => `sort clients ${c.mode}`);
const APP = cfg.mode === "app";

const rand = prng(cfg.seed);
const pick = picker(rand);

const results = newResults({
  mode: cfg.mode,
  measure_s: 0,
  window_s: 0, // first to last measured move sent
  client_cpu_cores: 0, // this Node process, over the moves and the drain
  moves: { sent: 0, ok: 0, conflict: 0, error: 0, unacked: 0 }, // measured window only
  moves_all: { sent: 0, ok: 0, conflict: 0, error: 0, unacked: 0 }, // warm-up included
  delays: [],
  expected: 0,
  received: 0,
  unmatched: 0,
  ack_ms: { ok: [], conflict: [] },
  ack_errors: [],
  sizes: [],
  sample_payload: null,
  per_event: [],
  // each client's handling of the broadcasts (app)
  stale_ignored: 0,
  gaps: 0,
  syncs: 0,
  sync_failures: 0,
  full_sorts: 0,
  boards: [],
});

let measuring = false; // sizes and unmatched counted only then
let windowStart = 0;
let running = false;

// --- clients and their boards -----------------------------------------------------

const clients = [];
const moves = []; // every move sent, in order
const pending = new Map(); // app: `${sample}:${new version}:${mover}` -> [move]; baseline: id -> move

function makeClient(role, name, cookie) {
  const client = {
    idx: clients.length, role, name, cookie, label: `${role} ${name}`, socket: null,
    sortId: null, revision: -1, columns: new Map(), versions: new Map(),
    syncing: false, buffered: [],
  };
  clients.push(client);
  return client;
}

function load(client, sort) {
  client.sortId = sort.id;
  client.revision = sort.revision;
  client.columns = new Map(sort.columns.map((c) => [c.group_id, [...c.sample_ids]]));
  client.versions = new Map(Object.entries(sort.cards).map(([sid, card]) => [Number(sid), card.version]));
}

function applyMoved(client, moved) {
  if (client.syncing) {
    client.buffered.push(moved);
    return;
  }
  if (moved.sort_id !== client.sortId) {
    sync(client);
    return;
  }
  if (moved.revision <= client.revision) {
    results.stale_ignored += 1;
    return;
  }
  if (moved.revision !== client.revision + 1) {
    results.gaps += 1;
    sync(client);
    return;
  }
  client.revision = moved.revision;
  for (const column of moved.columns) {
    if (client.columns.has(column.group_id)) client.columns.set(column.group_id, [...column.sample_ids]);
  }
  client.versions.set(moved.sample_id, moved.version);
}

function sync(client) {
  client.syncing = true;
  results.syncs += 1;
  client.socket.emit("sort:sync", {}, (ack) => {
    client.syncing = false;
    if (ack?.ok && ack.sort) {
      if (ack.sort.id !== client.sortId || ack.sort.revision >= client.revision) load(client, ack.sort);
    } else {
      results.sync_failures += 1;
    }
    const buffered = client.buffered.splice(0);
    for (const moved of buffered) applyMoved(client, moved);
  });
}

function record(ev) {
  ev.received += 1;
  if (ev.warm) return;
  const delay = round3(performance.now() - ev.t);
  if (ev.first === undefined) ev.first = delay;
  ev.last = delay;
  results.delays.push(delay);
  results.received += 1;
}

function matchMove(moved) {
  const list = pending.get(`${moved.sample_id}:${moved.version}:${moved.moved_by}`);
  return list?.find((ev) => ev.status !== "conflict") ?? list?.[0] ?? null;
}

const kept = [];

function attach(client) {
  const s = client.socket;
  if (APP) {
    s.on("state", (data) => {
      if (data?.sort) load(client, data.sort);
    });
    s.on("sort", (sort) => {
      if (running) results.full_sorts += 1;
      if (sort.id !== client.sortId || sort.revision > client.revision) load(client, sort);
    });
    s.on("sort:moved", (moved) => {
      const ev = matchMove(moved);
      if (ev) record(ev);
      else if (measuring) results.unmatched += 1;
      if (client.idx === 0 && measuring) {
        const size = Buffer.byteLength(JSON.stringify(moved));
        results.sizes.push(size);
        if (kept.length < 2000) kept.push({ size, data: moved });
      }
      applyMoved(client, moved);
    });
  } else {
    s.on("bcast", (data) => {
      const ev = pending.get(data?.id);
      if (ev) record(ev);
      else if (measuring) results.unmatched += 1;
      if (client.idx === 0 && measuring) results.sizes.push(Buffer.byteLength(JSON.stringify(data.data)));
    });
  }
  s.on("disconnect", () => {
    if (running) results.unexpected_disconnects += 1;
  });
}

function connectOptions(client) {
  return APP ? seatOptions(cfg, cfg.meeting_id, client.cookie) : { auth: { room: cfg.room } };
}

async function connectEveryone() {
  if (APP) {
    makeClient("facilitator", cfg.facilitator_name, cfg.facilitator_cookie);
    cfg.phone_cookies.forEach((cookie, n) => makeClient("phone", cfg.phone_names[n], cookie));
  } else {
    makeClient("facilitator", "facilitator", null);
    for (let n = 0; n < cfg.phones; n++) makeClient("phone", `phone ${n + 1}`, null);
  }
  await connectAll(cfg, log, results, clients, connectOptions, attach);
}

// --- moves ------------------------------------------------------------------------

function count(ev, field) {
  results.moves_all[field] += 1;
  if (!ev.warm) results.moves[field] += 1;
}

function fire(client, warm) {
  const seq = moves.length;
  const ev = { seq, client: client.idx, warm, t: 0, received: 0, status: "pending" };
  moves.push(ev);
  count(ev, "sent");
  const ack = (reply) => {
    ev.ack = round3(performance.now() - ev.t);
    if (reply?.ok === true) {
      ev.status = "ok";
      ev.revision = reply.revision;
      count(ev, "ok");
      if (!warm) {
        results.ack_ms.ok.push(ev.ack);
        results.expected += clients.length;
      }
    } else if (reply?.conflict) {
      ev.status = "conflict";
      count(ev, "conflict");
      if (!warm) results.ack_ms.conflict.push(ev.ack);
    } else {
      ev.status = "error";
      count(ev, "error");
      results.ack_errors.push(`${client.name}: ${JSON.stringify(reply)}`);
    }
  };
  if (APP) {
    const ids = [...client.columns.values()].flat();
    const sampleId = pick(ids);
    const from = [...client.columns.keys()].find((g) => client.columns.get(g).includes(sampleId));
    const groupId = pick([...client.columns.keys()].filter((g) => g !== from));
    const index = Math.floor(rand() * (client.columns.get(groupId).length + 1));
    const version = client.versions.get(sampleId) ?? 0;
    Object.assign(ev, { sample_id: sampleId, group_id: groupId, card_version: version });
    const key = `${sampleId}:${version + 1}:${client.name}`;
    if (!pending.has(key)) pending.set(key, []);
    pending.get(key).push(ev);
    ev.t = performance.now();
    client.socket.emit("sort:move", { sample_id: sampleId, group_id: groupId, index, card_version: version }, ack);
  } else {
    ev.status = "pending";
    pending.set(seq, ev);
    ev.t = performance.now();
    // Every bcast is re-broadcast: count it as a winning move once acknowledged.
    client.socket.emit("bcast", { id: seq, data: cfg.payload }, (reply) => ack(reply?.ok ? { ok: true } : reply));
  }
}

function runMoves() {
  const warmN = Math.round(cfg.warmup_s * cfg.rate_per_client);
  const perClient = warmN + Math.round(cfg.seconds * cfg.rate_per_client);
  const schedule = staggered(clients, perClient, 1000 / cfg.rate_per_client, rand);
  return play(schedule, ({ owner, i }) => {
    const warm = i < warmN;
    if (!warm && !measuring) {
      measuring = true;
      windowStart = performance.now();
    }
    fire(owner, warm);
  }).then(() => {
    results.window_s = round3((performance.now() - windowStart) / 1000);
  });
}

function settled() {
  const acked = moves.every((ev) => ev.status !== "pending");
  const delivered = moves.every((ev) => ev.status !== "ok" || ev.received >= clients.length);
  const synced = clients.every((c) => !c.syncing);
  return acked && delivered && synced;
}

async function main() {
  await connectEveryone();
  if (!results.connect_failures.length) {
    await sleep(cfg.settle_ms); // the connect-time broadcasts pass, every state arrives
    if (APP) {
      const missing = clients.filter((c) => c.sortId === null).length;
      if (missing) log(`${missing} clients got no sort in their state`);
    }
    running = true;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await runMoves();
    await waitUntil(settled, cfg.drain_timeout_ms);
    results.measure_s = round3((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    results.client_cpu_cores = round3((cpu.user + cpu.system) / 1e6 / results.measure_s);
    measuring = false;
    running = false;
    await sleep(300);
    for (const ev of moves) if (ev.status === "pending") count(ev, "unacked");
    log(
      `${results.moves.sent} moves measured (${results.moves.ok} ok, ${results.moves.conflict} conflicts), ` +
        `${results.received}/${results.expected} deliveries in ${results.measure_s} s`,
    );
  }
  results.per_event = moves.filter((ev) => !ev.warm && ev.status === "ok").map((ev) => ({
    t: Math.round(ev.t), first: ev.first ?? null, last: ev.last ?? null, ack: ev.ack ?? null,
    received: ev.received, revision: ev.revision ?? null,
  }));
  if (APP) {
    results.sample_payload = closestToMean(kept);
    results.boards = clients.map((c) => ({
      role: c.role, name: c.name, sort_id: c.sortId, revision: c.revision, syncing: c.syncing,
      columns: [...c.columns.entries()].map(([group_id, sample_ids]) => ({ group_id, sample_ids })),
      versions: Object.fromEntries([...c.versions.entries()].filter(([, v]) => v)),
    }));
  }
  finish(cfg, results, clients);
}

runMain(main, log);
