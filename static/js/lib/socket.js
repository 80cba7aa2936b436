// Socket.IO connections. The page loads the client library (static/vendor/socket.io.min.js)
// as a classic script before its modules; this is the one place that reaches its global.

// A connection to a namespace ("/" is the live room's), with what the server checks on connect.
export const connect = (namespace, auth) => window.io(namespace, { auth });
