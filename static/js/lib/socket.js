// Socket.IO connections. The page loads the client library (static/vendor/socket.io.min.js)
// as a classic script before its modules; this is the one place that reaches its global.

// A connection to a namespace ("/" is the live room's), with what the server checks on connect.
// News that a whole room set off at once comes as one `batch` of [event, payload] pairs, in the
// order they happened (plc/realtime/batching.py): each goes to that event's own handlers.
// The server closes a connection only when its session has ended (a logout anywhere:
// plc/realtime/logouts.py); the client then stays disconnected.
export const LOGGED_OUT = "You have logged out, so this page no longer updates. Log in again to carry on.";

export function endedByServer(reason) {
  return reason === "io server disconnect";
}

export function connect(namespace, auth) {
  const socket = window.io(namespace, { auth });
  socket.on("batch", (items) => {
    for (const [event, payload] of items) {
      for (const handler of socket.listeners(event)) handler(payload);
    }
  });
  return socket;
}
