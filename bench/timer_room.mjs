// A live room measured through its timer, for the benchmarks that ask "does the room stay
// live while the server does something else?" (upload_clients.mjs, stall_clients.mjs).
//
// The facilitator and the phones connect (socket.io-client 4, websocket only); the facilitator
// sends `timer:add` {seconds: 1} at cfg.rate, and each changes only the paused timer (by +1 s,
// so the `state` the server broadcasts to everyone carries a unique seconds_left that names its
// event). The delay from the emit to each client's receipt is recorded into the phase the
// event belongs to: `out.phases[name]` = {start_epoch_ms, end_epoch_ms, events, expected,
// delays, per_event, ack_ms, ack_errors, state_bytes}.
//
// CONFIG used: url, cookie_name, meeting_id, facilitator_cookie, phone_cookies, rate,
// warmup_events, idle_s, per_message_deflate, connect_concurrency, connect_timeout_ms,
// settle_ms, drain_ms.
import { performance } from "node:perf_hooks";
import { connectAll, round3, seatOptions, sleep, waitUntil } from "./support.mjs";

export const epoch = () => performance.timeOrigin + performance.now();

// `out` (from newResults) receives the phases, errors and connection counts; `extra(client)`
// adds a benchmark's own fields to each client, `attach(client)` its own handlers.
export function timerRoom(cfg, log, out, { extra = () => ({}), attach = () => {} } = {}) {
  out.phases ??= {};
  out.errors ??= [];
  const clients = [];
  const byValue = new Map(); // timer seconds_left -> event
  let timerValue = null; // the paused timer's seconds_left, as the server last told us
  const room = { clients, running: false };

  function makeClient(role, cookie, idx) {
    return { role, cookie, idx, label: `${role} ${idx}`, socket: null, ...extra() };
  }

  function onState(client, data) {
    const value = data?.timer?.seconds_left;
    const ev = byValue.get(value);
    if (!ev || ev.seen.has(client.idx)) return;
    ev.seen.add(client.idx);
    const delay = round3(performance.now() - ev.t);
    if (ev.first === undefined) ev.first = delay;
    ev.last = delay;
    if (ev.phase) {
      ev.phase.delays.push(delay);
      if (client.role === "facilitator") ev.phase.state_bytes.push(Buffer.byteLength(JSON.stringify(data)));
    }
  }

  function connectOptions(client) {
    return {
      ...seatOptions(cfg, cfg.meeting_id, client.cookie),
      // Browsers offer permessage-deflate, and so does the client by default; false turns it off.
      perMessageDeflate: cfg.per_message_deflate === false ? false : { threshold: 1024 },
    };
  }

  function attachAll(client) {
    const { socket } = client;
    socket.on("state", (data) => onState(client, data));
    socket.on("disconnect", () => {
      if (room.running) out.unexpected_disconnects += 1;
    });
    attach(client);
  }

  // Connect everyone, then learn where the paused timer stands from the facilitator's state.
  room.connect = async () => {
    clients.push(makeClient("facilitator", cfg.facilitator_cookie, 0));
    cfg.phone_cookies.forEach((cookie, i) => clients.push(makeClient("phone", cookie, i + 1)));
    await connectAll(cfg, log, out, clients, connectOptions, attachAll);
    if (out.connect_failures.length) return false;
    timerValue = await new Promise((resolve, reject) => {
      const s = clients[0].socket;
      const t = setTimeout(() => reject(new Error("no state for the facilitator")), 5000);
      s.once("state", (data) => {
        clearTimeout(t);
        resolve(data.timer.seconds_left);
      });
      s.emit("timer:add", { seconds: 0 }, () => {});
    });
    return true;
  };

  room.newPhase = (name) => (out.phases[name] = {
    start_epoch_ms: epoch(), end_epoch_ms: null, events: 0, expected: 0, delays: [], per_event: [], ack_ms: [],
    ack_errors: [], state_bytes: [],
  });

  function fire(ph) {
    timerValue += 1;
    const ev = { value: timerValue, t: 0, at: 0, seen: new Set(), phase: ph, first: undefined, last: undefined, ack: null };
    byValue.set(timerValue, ev);
    if (ph) {
      ph.events += 1;
      ph.expected += clients.length;
      ph.per_event.push(ev);
    }
    ev.t = performance.now();
    ev.at = round3(epoch() - (ph ? ph.start_epoch_ms : 0));
    clients[0].socket.emit("timer:add", { seconds: 1 }, (reply) => {
      ev.ack = round3(performance.now() - ev.t);
      if (ph) ph.ack_ms.push(ev.ack);
      if (!reply || reply.ok !== true) (ph ? ph.ack_errors : out.errors).push(`timer:add: ${JSON.stringify(reply)}`);
    });
  }

  // Fire events at cfg.rate into phase `ph` (none: not measured) until stop() says so (or count have gone).
  room.ticker = (ph, { count = Infinity, stop = () => false } = {}) => {
    const interval = 1000 / cfg.rate;
    return new Promise((resolve) => {
      const start = performance.now();
      let i = 0;
      const tick = () => {
        if (i >= count || stop()) {
          resolve();
          return;
        }
        fire(ph);
        i += 1;
        setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
      };
      tick();
    });
  };

  room.drain = (ph) => waitUntil(() => ph.per_event.every((ev) => ev.seen.size >= clients.length), cfg.drain_ms);

  room.closePhase = (ph) => {
    ph.end_epoch_ms = epoch();
    ph.per_event = ph.per_event.map((ev) => ({
      at: ev.at, first: ev.first ?? null, last: ev.last ?? null, received: ev.seen.size, ack: ev.ack,
    }));
  };

  // Settle, then the warm-up events, unmeasured; from here on a disconnect is unexpected.
  room.warmUp = async () => {
    await sleep(cfg.settle_ms);
    room.running = true;
    await room.ticker(null, { count: cfg.warmup_events });
    await sleep(500);
  };

  // idle_s seconds of room events with nothing else happening.
  room.quietPhase = async (name) => {
    const ph = room.newPhase(name);
    await room.ticker(ph, { count: Math.round(cfg.idle_s * cfg.rate) });
    await room.drain(ph);
    room.closePhase(ph);
    log(`${name}: ${ph.events} events, ${ph.delays.length}/${ph.expected} deliveries`);
  };

  // A phase measured while `work()` runs: events until it resolves, then drained.
  room.busyPhase = async (name, work) => {
    const ph = room.newPhase(name);
    let finished = false;
    const events = room.ticker(ph, { stop: () => finished });
    const result = await work(ph);
    finished = true;
    await events;
    await room.drain(ph);
    room.closePhase(ph);
    log(`${name}: ${ph.events} events, ${ph.delays.length}/${ph.expected} deliveries`);
    return result;
  };

  return room;
}
