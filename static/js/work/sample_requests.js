// Requests that change one sample: its text, another try at reading it, a blurred box. The
// server answers with the sample as it now is, and the page hears of it through a
// `sample:changed` event on document, whichever card or viewer asked.
import { postJson } from "../lib/http.js";

export async function changeSample(sampleId, change, body = {}) {
  const data = await postJson(`/work/${sampleId}/${change}`, body);
  if (data.sample) document.dispatchEvent(new CustomEvent("sample:changed", { detail: data.sample }));
  return data;
}
