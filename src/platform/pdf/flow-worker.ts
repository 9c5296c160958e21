import { parentPort } from "node:worker_threads";
import { threadTask } from "../threads.ts";
import { type FlowDocument, layOut } from "./flow.ts";

/* The worker thread of `renderFlow`: lays out the document it was given and sends the PDF back. */

const pdf = await layOut(threadTask<FlowDocument>());
// A copy of its own (the PDF's bytes may sit in Node's shared buffer pool, which cannot be moved).
const bytes = new Uint8Array(pdf);
parentPort?.postMessage(bytes, [bytes.buffer]);
