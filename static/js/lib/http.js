// Requests to the app's own JSON endpoints, with the CSRF token every POST needs.

// The token base.html puts in <meta name="csrf-token">.
export const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

const serverSaid = (status) => `The server answered ${status}.`;

// Resolves to the answer's data, or to { error } with a message to show.
export async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ error: serverSaid(response.status) }));
  return response.ok ? data : { error: data.error || serverSaid(response.status) };
}

// Resolves to the answer's data, or to null when the server refused.
export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  return response.ok ? response.json() : null;
}

// Sends a form (files included), reporting the upload's progress (0 to 1) along the way.
// Resolves to the answer's data, with an `error` whenever the server refused; to { error }
// alone when the answer is not JSON or the upload did not arrive.
export function postForm(url, form, onProgress = () => {}) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest(); // fetch cannot report an upload's progress
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let data;
      try { data = JSON.parse(xhr.responseText); } catch { resolve({ error: serverSaid(xhr.status) }); return; }
      const ok = xhr.status >= 200 && xhr.status < 300;
      resolve(ok ? data : { ...data, error: data.error || serverSaid(xhr.status) });
    };
    xhr.onerror = () => resolve({ error: "The upload did not reach the server; check the connection." });
    xhr.send(form);
  });
}
