import { serveTasks } from "../threads.ts";
import { type FlowDocument, layOut } from "./flow.ts";

/* A thread of `renderFlow`'s pool: lays out each document it is given and sends the PDF back. */

serveTasks(
  async (spec: FlowDocument) => {
    // A copy of its own (the PDF's bytes may sit in Node's shared buffer pool, which cannot be moved).
    return new Uint8Array(await layOut(spec));
  },
  (bytes) => [bytes.buffer],
);
