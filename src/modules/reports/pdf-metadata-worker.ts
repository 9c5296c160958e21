import { serveTasks } from "../../platform/threads.ts";
import { withoutPdfMetadata } from "./pdf-metadata.ts";

/* A thread of the evidence's PDF cleaning (`evidence.ts`): each PDF it is given, without its metadata. */

serveTasks(withoutPdfMetadata, (bytes) => [bytes.buffer as ArrayBuffer]);
