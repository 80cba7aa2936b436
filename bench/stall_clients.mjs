// The live room while the server does CPU work for requests: oversized task pictures uploaded
// and unit PDFs exported, all at once. The room is timer_room.mjs's (the facilitator's
// `timer:add` at cfg.rate, `state` to everyone); the requests come from a child process (this
// file again, with --requester), so that sending them never delays this process's clock.
//
//   node bench/stall_clients.mjs CONFIG.json
//
// CONFIG (written by bench/stalls.py): the room's (see timer_room.mjs), and
//   requests: [{kind: "picture", path, unit_id} | {kind: "pdf", url}]   made as the facilitator
//   request_timeout_s, max_runtime_ms, out
//
// Before the clock starts, one request of each kind warms the server up. Phases: idle (idle_s s,
// nothing else), load (from the moment every request is sent until the last is answered),
// after (idle_s s more).
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { answerParent, cookieFrom, finish, forkSelf, loadConfig, newResults, round3, runMain, sleep } from "./support.mjs";
import { epoch, timerRoom } from "./timer_room.mjs";

const REQUESTER = process.argv[2] === "--requester";
const { cfg, log } = loadConfig(process.argv[REQUESTER ? 3 : 2], () => (REQUESTER ? "requester" : "stall clients"));
const out = newResults({ phases: {}, requests: null, errors: [] });

// --- the requests (in the child process) ------------------------------------------

// The new-task form gives the facilitator a CSRF token (and a session cookie that holds it).
async function csrfFor(unitId, cookie) {
  const res = await fetch(`${cfg.url}/units/${unitId}/tasks/new`, {
    headers: { Cookie: `${cfg.cookie_name}=${cookie}` }, redirect: "manual",
  });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET /units/${unitId}/tasks/new gave ${res.status}`);
  const m = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  if (!m) throw new Error("no csrf-token meta on the new-task page");
  return { token: m[1], cookie: cookieFrom(res.headers.getSetCookie?.() ?? [], cfg.cookie_name) ?? cookie };
}

// A new task with the picture: the app answers 302 to the task once the picture is stored.
async function postPicture(req, seat, i) {
  const form = new FormData();
  form.append("title", `Big picture ${i + 1}`);
  form.append("context", "A picture of a market stall.");
  form.append("question", "What do you notice? What do you wonder?");
  form.append("image", new Blob([req.bytes], { type: "image/png" }), basename(req.path));
  const res = await fetch(`${cfg.url}/units/${req.unit_id}/tasks/new`, {
    method: "POST", body: form, redirect: "manual",
    headers: { Cookie: `${cfg.cookie_name}=${seat.cookie}`, "X-CSRFToken": seat.token },
  });
  const body = await res.text();
  return res.status === 302 ? null : `HTTP ${res.status}: ${body.replace(/\s+/g, " ").slice(0, 300)}`;
}

async function getPdf(req) {
  const res = await fetch(`${cfg.url}${req.url}`, { headers: { Cookie: `${cfg.cookie_name}=${cfg.facilitator_cookie}` } });
  const body = Buffer.from(await res.arrayBuffer());
  const ok = res.status === 200 && body.subarray(0, 5).toString() === "%PDF-";
  return ok ? null : `HTTP ${res.status}, ${body.length} bytes, not a PDF`;
}

async function sendAll(prepared, t0Epoch) {
  return Promise.all(prepared.requests.map(async (req, i) => {
    const rec = { kind: req.kind, start: round3(epoch() - t0Epoch), end: null, error: null, bytes: req.bytes?.length };
    try {
      rec.error = req.kind === "picture" ? await postPicture(req, prepared.seats[i], i) : await getPdf(req);
    } catch (err) {
      rec.error = String(err?.message ?? err);
    }
    rec.end = round3(epoch() - t0Epoch);
    return rec;
  }));
}

// One request of each kind, unmeasured: the server compiles its templates and imports what it
// needs on their first use (once per process, long before a meeting in real life).
async function warmUp(requests) {
  for (const kind of ["picture", "pdf"]) {
    const req = requests.find((r) => r.kind === kind);
    if (!req) continue;
    const error = kind === "picture"
      ? await postPicture(req, await csrfFor(req.unit_id, cfg.facilitator_cookie), -1) : await getPdf(req);
    if (error) throw new Error(`warm-up ${kind}: ${error}`);
  }
}

function requesterMain() {
  let prepared = null;
  answerParent({
    prepare: async () => {
      const requests = cfg.requests.map((r) => (r.kind === "picture" ? { ...r, bytes: readFileSync(r.path) } : r));
      await warmUp(requests);
      // One form (one token) per picture, fetched before the clock starts.
      const seats = [];
      for (const r of requests) seats.push(r.kind === "picture" ? await csrfFor(r.unit_id, cfg.facilitator_cookie) : null);
      prepared = { requests, seats };
      return { prepared: true };
    },
    start: async (msg) => ({ results: await sendAll(prepared, msg.t0_epoch_ms) }),
  }, "start");
}

// --- the run ------------------------------------------------------------------------

const room = timerRoom(cfg, log, out);

async function main() {
  if (!(await room.connect())) return finish(cfg, out, room.clients);
  const ask = forkSelf("--requester");
  await ask({ cmd: "prepare" });
  await room.warmUp();
  await room.quietPhase("idle");
  await sleep(500);
  const t0Epoch = epoch();
  const results = await room.busyPhase("load", async () => {
    const timeout = sleep(cfg.request_timeout_s * 1000).then(() => null);
    const answered = await Promise.race([ask({ cmd: "start", t0_epoch_ms: t0Epoch }), timeout]);
    if (!answered) throw new Error(`the requests took longer than ${cfg.request_timeout_s} s`);
    return answered.results;
  });
  log(`requests: ${results.filter((r) => !r.error).length}/${results.length} answered well, the last after ` +
      `${Math.max(...results.map((r) => r.end))} ms`);
  await sleep(500);
  await room.quietPhase("after");
  out.requests = { t0_epoch_ms: t0Epoch, results };
  room.running = false;
  finish(cfg, out, room.clients);
}

runMain(REQUESTER ? async () => requesterMain() : main, log, (err) => {
  out.errors.push(String(err?.stack ?? err));
  try {
    writeFileSync(cfg.out, JSON.stringify(out));
  } catch {}
});
