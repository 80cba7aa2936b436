// What a sample's status means on screen. The statuses and their words are the server's.
import { serverConstants } from "../lib/server_constants.js";

const { status_text: STATUS_TEXT, unfinished: UNFINISHED } = serverConstants.samples;

// The line a card shows under its label: a failed sample says why.
export const statusText = (sample) => (sample.status === "failed" ? sample.error : STATUS_TEXT[sample.status]);

// Still queued, being cleaned or being read.
export const beingRead = (sample) => UNFINISHED.includes(sample.status);
