// The live room while student work comes in: 60 phones and the facilitator on
// Socket.IO (socket.io-client 4.x, websocket transport only), all in one Node
// process, so every delay is read off one clock; the phones' uploads come from a
// child process (this file again, with --uploader).
//
//   node bench/upload_clients.mjs CONFIG.json
//
// CONFIG (written by bench/uploads.py):
//   url, cookie_name, meeting_id, facilitator_cookie, phone_cookies,
//   uploads: [{path, label, uploader}]   uploader: index into phone_cookies
//   rate (room events per second), warmup_events, idle_s, upload_concurrency,
//   upload_timeout_s, per_message_deflate (default true, as browsers offer it),
//   connect_concurrency, connect_timeout_ms, settle_ms, drain_ms, max_runtime_ms, out
//
// What it does:
//   1. connects everyone; the uploading phones fetch their page (/live/<id>) for a CSRF token
//   2. the facilitator sends `timer:add` {seconds: 1} at `rate`: every one changes only the
//      paused timer (by +1 s, so each broadcast `state` carries a unique seconds_left that names
//      its event) and the server broadcasts `state` to all 61 clients
//   3. idle phase: idle_s seconds of those events, nothing else happening
//   4. upload phase: the same events, while the phones POST the photos (upload_concurrency at a
//      time) to /live/<id>/work, until every sample is done (or failed) and every client has
//      seen every thumbnail, or upload_timeout_s
//   5. after phase: idle_s seconds more of the events, the work all done (the room's state now
//      carries every sample)
//
// Times in the output are ms since the start of the upload phase unless named *_epoch_ms
// (Date.now(), to line up with the CPU samples the Python side takes).
import { fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { performance } from "node:perf_hooks";
import { connectAll, finish, loadConfig, newResults, round3, runMain, seatOptions, sleep, waitUntil } from "./support.mjs";

// The phones that upload are other devices than the 61 in the room: they run in a child
// process of their own (the same file, with --uploader), so their work of sending the
// photos never delays this process's clock or its sockets.
const UPLOADER = process.argv[2] === "--uploader";
const { cfg, log } = loadConfig(process.argv[UPLOADER ? 3 : 2], () => (UPLOADER ? "uploader" : "upload clients"));
const epoch = () => performance.timeOrigin + performance.now();

const out = newResults({
  phases: {}, // name -> {start_epoch_ms, end_epoch_ms, events, expected, delays, per_event, ack_ms, ack_errors, state_bytes}
  uploads: null,
  errors: [],
});

// --- clients ------------------------------------------------------------------

let phase = null; // the phase events are recorded into
const byValue = new Map(); // timer seconds_left -> event
let running = false;

function makeClient(role, cookie, idx) {
  return {
    role, cookie, idx, label: `${role} ${idx}`, socket: null, thumbs: new Set(), done: new Set(), lastSample: new Map(),
  };
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

// Samples as each client sees them; the upload phase reads these.
let uploadT0 = null;
const sampleTimes = new Map(); // id -> {thumb_first, thumb_all, done_first, done_all, status, ...}

function sampleRecord(id) {
  let rec = sampleTimes.get(id);
  if (!rec) {
    rec = { id, first_event: null, thumb_watcher: null, done_watcher: null, thumb_clients: 0, done_clients: 0,
            thumb_all: null, done_all: null, status: null, statuses: [], label: null, thumb_url: null, error: null };
    sampleTimes.set(id, rec);
  }
  return rec;
}

function onSample(client, data) {
  if (uploadT0 === null || !data || typeof data.id !== "number") return;
  const t = round3(performance.now() - uploadT0);
  const rec = sampleRecord(data.id);
  if (rec.first_event === null) rec.first_event = t;
  const watcher = client.role === "facilitator";
  if (watcher) {
    rec.status = data.status;
    rec.label = data.label;
    rec.error = data.error;
    rec.statuses.push([data.status, t]);
    if (data.thumb_url) rec.thumb_url = data.thumb_url;
  }
  if (data.thumb_url && !client.thumbs.has(data.id)) {
    client.thumbs.add(data.id);
    if (watcher) rec.thumb_watcher = t;
    rec.thumb_clients += 1;
    if (rec.thumb_clients === clients.length) rec.thumb_all = t;
  }
  if ((data.status === "done" || data.status === "failed") && !client.done.has(data.id)) {
    client.done.add(data.id);
    if (watcher) rec.done_watcher = t;
    rec.done_clients += 1;
    if (rec.done_clients === clients.length) rec.done_all = t;
  }
}

const clients = [];

function connectOptions(client) {
  return {
    ...seatOptions(cfg, cfg.meeting_id, client.cookie),
    // Browsers offer permessage-deflate, and so does the client by default; false turns it off.
    perMessageDeflate: cfg.per_message_deflate === false ? false : { threshold: 1024 },
  };
}

function attach(client) {
  const { socket } = client;
  socket.on("state", (data) => onState(client, data));
  socket.on("work:sample", (data) => onSample(client, data));
  socket.on("disconnect", () => {
    if (running) out.unexpected_disconnects += 1;
  });
}

async function connectEveryone() {
  clients.push(makeClient("facilitator", cfg.facilitator_cookie, 0));
  cfg.phone_cookies.forEach((cookie, i) => clients.push(makeClient("phone", cookie, i + 1)));
  await connectAll(cfg, log, out, clients, connectOptions, attach);
}

// --- room events ----------------------------------------------------------------

let timerValue = null; // the paused timer's seconds_left, as the server last told us
let eventCount = 0;

function newPhase(name) {
  return (out.phases[name] = {
    start_epoch_ms: epoch(), end_epoch_ms: null, events: 0, expected: 0, delays: [], per_event: [], ack_ms: [],
    ack_errors: [], state_bytes: [],
  });
}

function fire(ph) {
  timerValue += 1;
  const ev = { value: timerValue, t: 0, at: 0, seen: new Set(), phase: ph, first: undefined, last: undefined, ack: null };
  byValue.set(timerValue, ev);
  if (ph) {
    ph.events += 1;
    ph.expected += clients.length;
    ph.per_event.push(ev);
  }
  eventCount += 1;
  ev.t = performance.now();
  ev.at = round3(epoch() - (ph ? ph.start_epoch_ms : 0));
  clients[0].socket.emit("timer:add", { seconds: 1 }, (reply) => {
    ev.ack = round3(performance.now() - ev.t);
    if (ph) ph.ack_ms.push(ev.ack);
    if (!reply || reply.ok !== true) (ph ? ph.ack_errors : out.errors).push(`timer:add: ${JSON.stringify(reply)}`);
  });
}

// Fire events at cfg.rate until stop() says so (or count events have gone).
function ticker(ph, { count = Infinity, stop = () => false } = {}) {
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
}

function drain(ph) {
  return waitUntil(() => ph.per_event.every((ev) => ev.seen.size >= clients.length), cfg.drain_ms);
}

function closePhase(ph) {
  ph.end_epoch_ms = epoch();
  ph.per_event = ph.per_event.map((ev) => ({
    at: ev.at, first: ev.first ?? null, last: ev.last ?? null, received: ev.seen.size, ack: ev.ack,
  }));
}

// idle_s seconds of room events with nothing else happening.
async function quietPhase(name) {
  const ph = newPhase(name);
  await ticker(ph, { count: Math.round(cfg.idle_s * cfg.rate) });
  await drain(ph);
  closePhase(ph);
  log(`${name}: ${ph.events} events, ${ph.delays.length}/${ph.expected} deliveries`);
}

// --- uploads ------------------------------------------------------------------------

function cookieFrom(setCookies, name) {
  for (const line of setCookies) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return null;
}

// A phone's page gives it a CSRF token (and, with it, a new session cookie that holds it).
async function csrfFor(cookie) {
  const res = await fetch(`${cfg.url}/live/${cfg.meeting_id}`, {
    headers: { Cookie: `${cfg.cookie_name}=${cookie}` }, redirect: "manual",
  });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET /live/${cfg.meeting_id} gave ${res.status}`);
  const m = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  if (!m) throw new Error("no csrf-token meta on the phone page");
  const renewed = cookieFrom(res.headers.getSetCookie?.() ?? [], cfg.cookie_name);
  return { token: m[1], cookie: renewed ?? cookie };
}

async function prepareUploaders() {
  const uploaders = [...new Set(cfg.uploads.map((u) => u.uploader))];
  const seats = new Map();
  for (const i of uploaders) seats.set(i, await csrfFor(cfg.phone_cookies[i]));
  const files = cfg.uploads.map((u) => ({ ...u, bytes: readFileSync(u.path) }));
  return { seats, files };
}

async function postOne(file, seat, t0Epoch) {
  const form = new FormData();
  form.append("files", new Blob([file.bytes], { type: "image/jpeg" }), basename(file.path));
  form.append("labels", file.label);
  const t = round3(epoch() - t0Epoch);
  const rec = { file: basename(file.path), label: file.label, bytes: file.bytes.length, start: t, end: null,
                http: null, ok: false, error: null, sample_ids: [] };
  try {
    const res = await fetch(`${cfg.url}/live/${cfg.meeting_id}/work`, {
      method: "POST",
      body: form,
      headers: { Cookie: `${cfg.cookie_name}=${seat.cookie}`, "X-CSRFToken": seat.token },
    });
    rec.http = res.status;
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      rec.error = `not JSON: ${text.slice(0, 200)}`;
    }
    const result = body?.results?.[0];
    if (res.status === 200 && result?.ok) {
      rec.ok = true;
      rec.sample_ids = result.samples.map((s) => s.id);
    } else if (!rec.error) {
      rec.error = result?.error ?? body?.error ?? `HTTP ${res.status}`;
    }
  } catch (err) {
    rec.error = String(err?.message ?? err);
  }
  rec.end = round3(epoch() - t0Epoch);
  return rec;
}

async function uploadAll(files, seats, t0Epoch) {
  const posts = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      posts[i] = await postOne(files[i], seats.get(files[i].uploader), t0Epoch);
    }
  };
  await Promise.all(Array.from({ length: cfg.upload_concurrency }, worker));
  return posts;
}

// Fetch a thumbnail as the facilitator would see it: proves "visible" means servable.
async function fetchThumb(url) {
  try {
    const res = await fetch(`${cfg.url}${url}`, { headers: { Cookie: `${cfg.cookie_name}=${cfg.facilitator_cookie}` } });
    const body = await res.arrayBuffer();
    return res.status === 200 && (res.headers.get("content-type") ?? "").startsWith("image/jpeg") && body.byteLength > 0;
  } catch {
    return false;
  }
}

// The uploader process: "prepare" (CSRF tokens, photos read), then "start" (POST them all).
function uploaderMain() {
  let prepared = null;
  process.on("message", async (msg) => {
    try {
      if (msg.cmd === "prepare") {
        prepared = await prepareUploaders();
        process.send({ prepared: true });
      } else if (msg.cmd === "start") {
        const posts = await uploadAll(prepared.files, prepared.seats, msg.t0_epoch_ms);
        process.send({ posts }, () => process.exit(0));
      }
    } catch (err) {
      process.send({ error: String(err?.stack ?? err) }, () => process.exit(2));
    }
  });
}

function startUploader() {
  const child = fork(process.argv[1], ["--uploader", process.argv[2]], { stdio: "inherit" });
  let waiting = null;
  child.on("message", (msg) => {
    const w = waiting;
    waiting = null;
    if (!w) return;
    if (msg.error) w.reject(new Error(`uploader: ${msg.error}`));
    else w.resolve(msg);
  });
  child.on("exit", (code) => {
    if (waiting) waiting.reject(new Error(`the uploader exited with ${code}`));
  });
  const ask = (msg) => new Promise((resolve, reject) => {
    waiting = { resolve, reject };
    child.send(msg);
  });
  return { ask, kill: () => child.kill() };
}

// --- the run --------------------------------------------------------------------------

async function main() {
  await connectEveryone();
  if (out.connect_failures.length) return finish(cfg, out, clients);
  const uploader = startUploader();
  await uploader.ask({ cmd: "prepare" });
  // The facilitator's connect-time state tells where the paused timer stands.
  timerValue = await new Promise((resolve, reject) => {
    const s = clients[0].socket;
    const t = setTimeout(() => reject(new Error("no state for the facilitator")), 5000);
    s.once("state", (data) => {
      clearTimeout(t);
      resolve(data.timer.seconds_left);
    });
    s.emit("timer:add", { seconds: 0 }, () => {});
  });
  await sleep(cfg.settle_ms);
  running = true;

  // Warm-up, then the idle room.
  await ticker(null, { count: cfg.warmup_events });
  await sleep(500);
  await quietPhase("idle");
  await sleep(500);

  // The upload: events keep coming while the photos are posted and processed.
  const during = newPhase("upload");
  uploadT0 = performance.now();
  const uploadT0Epoch = epoch();
  let finished = false;
  const deadline = uploadT0 + cfg.upload_timeout_s * 1000;
  const events = ticker(during, { stop: () => finished || performance.now() > deadline });
  const { posts } = await uploader.ask({ cmd: "start", t0_epoch_ms: uploadT0Epoch });
  const postsDone = round3(performance.now() - uploadT0);
  const accepted = posts.filter((p) => p.ok).length;
  log(`uploads: ${accepted}/${posts.length} accepted in ${postsDone} ms`);
  const acceptedIds = new Set(posts.flatMap((p) => p.sample_ids));
  const settledAll = () => [...acceptedIds].every((id) => {
    const r = sampleTimes.get(id);
    return r && r.done_all !== null && (r.thumb_all !== null || r.status === "failed");
  });
  await waitUntil(settledAll, deadline - performance.now());
  const processingEnd = round3(performance.now() - uploadT0);
  finished = true;
  await events;
  await drain(during);
  closePhase(during);
  log(`upload phase: ${during.events} events, ${during.delays.length}/${during.expected} deliveries, ` +
      `processing ${processingEnd} ms`);

  // The idle room again, now carrying the 30 samples in its state: what is left of the slowdown
  // once the work is done is the bigger payload, not the upload or the workers.
  await sleep(500);
  await quietPhase("after");

  const thumbChecks = await Promise.all(
    [...acceptedIds].map((id) => sampleTimes.get(id)?.thumb_url).filter(Boolean).map(fetchThumb));
  out.uploads = {
    t0_epoch_ms: uploadT0Epoch,
    posts,
    posts_done_ms: postsDone,
    processing_end_ms: processingEnd,
    timed_out: !settledAll(),
    accepted_ids: [...acceptedIds],
    samples: [...sampleTimes.values()],
    thumbs_fetched_ok: thumbChecks.filter(Boolean).length,
    thumbs_fetch_failed: thumbChecks.filter((x) => !x).length,
  };
  running = false;
  finish(cfg, out, clients);
}

// The harness reads what was measured up to the failure, and the error.
runMain(UPLOADER ? async () => uploaderMain() : main, log, (err) => {
  out.errors.push(String(err?.stack ?? err));
  try {
    writeFileSync(cfg.out, JSON.stringify(out));
  } catch {}
});
