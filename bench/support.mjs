// What the benchmarks' Node clients share: a seeded random source, and connecting many
// Socket.IO clients (socket.io-client 4, websocket transport only, no reconnection) a few at a time.
import { performance } from "node:perf_hooks";
import { io } from "socket.io-client";

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

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Open one client; `setup(socket)` attaches its handlers before it connects. Resolves to null
// once connected, else to why it could not connect.
export function openSocket(url, options, setup) {
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

// Run `connect(client)` for every client, `concurrency` at a time; resolves to the milliseconds taken.
export async function connectAll(clients, concurrency, connect) {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < clients.length) await connect(clients[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Math.round(performance.now() - t0);
}
