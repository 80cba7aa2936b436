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
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { performance } from "node:perf_hooks";
import {
  answerParent, cookieFrom, finish, forkSelf, loadConfig, newResults, round3, runMain, sleep, waitUntil,
} from "./support.mjs";
import { epoch, timerRoom } from "./timer_room.mjs";

// The phones that upload are other devices than the 61 in the room: they run in a child
// process of their own (the same file, with --uploader), so their work of sending the
// photos never delays this process's clock or its sockets.
const UPLOADER = process.argv[2] === "--uploader";
const { cfg, log } = loadConfig(process.argv[UPLOADER ? 3 : 2], () => (UPLOADER ? "uploader" : "upload clients"));

const out = newResults({
  phases: {}, // name -> see timer_room.mjs
  uploads: null,
  errors: [],
});

// --- clients ------------------------------------------------------------------

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


const room = timerRoom(cfg, log, out, {
  extra: () => ({ thumbs: new Set(), done: new Set(), lastSample: new Map() }),
  attach: (client) => client.socket.on("work:sample", (data) => onSample(client, data)),
});
const { clients } = room;

// --- uploads ------------------------------------------------------------------------

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
  answerParent({
    prepare: async () => {
      prepared = await prepareUploaders();
      return { prepared: true };
    },
    start: async (msg) => ({ posts: await uploadAll(prepared.files, prepared.seats, msg.t0_epoch_ms) }),
  }, "start");
}

// --- the run --------------------------------------------------------------------------

async function main() {
  if (!(await room.connect())) return finish(cfg, out, clients);
  const askUploader = forkSelf("--uploader");
  await askUploader({ cmd: "prepare" });
  await room.warmUp();
  await room.quietPhase("idle");
  await sleep(500);

  // The upload: events keep coming while the photos are posted and processed.
  uploadT0 = performance.now();
  const uploadT0Epoch = epoch();
  const deadline = uploadT0 + cfg.upload_timeout_s * 1000;
  let posts, postsDone, processingEnd;
  const acceptedIds = new Set();
  const settledAll = () => [...acceptedIds].every((id) => {
    const r = sampleTimes.get(id);
    return r && r.done_all !== null && (r.thumb_all !== null || r.status === "failed");
  });
  await room.busyPhase("upload", async () => {
    ({ posts } = await askUploader({ cmd: "start", t0_epoch_ms: uploadT0Epoch }));
    postsDone = round3(performance.now() - uploadT0);
    log(`uploads: ${posts.filter((p) => p.ok).length}/${posts.length} accepted in ${postsDone} ms`);
    posts.flatMap((p) => p.sample_ids).forEach((id) => acceptedIds.add(id));
    await waitUntil(settledAll, deadline - performance.now());
    processingEnd = round3(performance.now() - uploadT0);
    log(`processing took ${processingEnd} ms`);
  });

  // The idle room again, now carrying the 30 samples in its state: what is left of the slowdown
  // once the work is done is the bigger payload, not the upload or the workers.
  await sleep(500);
  await room.quietPhase("after");

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
  room.running = false;
  finish(cfg, out, clients);
}

// The harness reads what was measured up to the failure, and the error.
runMain(UPLOADER ? async () => uploaderMain() : main, log, (err) => {
  out.errors.push(String(err?.stack ?? err));
  try {
    writeFileSync(cfg.out, JSON.stringify(out));
  } catch {}
});
