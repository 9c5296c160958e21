import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, PDFParser, PDFRef, PDFStream } from "@cantoo/pdf-lib";

/*
 * A PDF's metadata removed, its pages kept: the document information (author, creator, title,
 * dates), XMP metadata streams, applications' private data (`PieceInfo`), comments' authors and
 * the document's ID name the person who wrote or scanned it — for an anonymous report, the
 * reporter. The document is written anew, with only the objects its pages still reach: an
 * earlier revision's information goes too. Runs in a worker thread of its own for each document
 * (`pdf-metadata-worker.ts`, `evidence.ts`): a large document takes a while to parse.
 *
 * Evidence loses nothing: a document the parser cannot read whole, or reads only by guessing (a
 * catalogue found elsewhere than where the trailer points: an earlier revision's), fails here and
 * is kept as received.
 */

const PRIVATE = [PDFName.of("Metadata"), PDFName.of("PieceInfo")];
/** A comment's author and its dates; not a form field's name, which a widget's `T` is. */
const ANNOTATION_PRIVATE = [PDFName.of("T"), PDFName.of("M"), PDFName.of("CreationDate")];
const SUBTYPE = PDFName.of("Subtype");
const RECT = PDFName.of("Rect");
const WIDGET = PDFName.of("Widget");

/**
 * What the streams of one document may unpack to, together: a file of a few kilobytes can hold a
 * stream that unpacks to gigabytes (outside the thread's heap limit, which counts JavaScript
 * objects, not their buffers). pdf-lib unpacks object and cross-reference streams as it parses.
 */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
let unpacked = 0;

// pdf-lib's stream decoders (a port of pdf.js's) grow one buffer each; every growth is counted.
// Its catalogue recovery takes any catalogue it finds when the trailer's is not one — refused.
// The module build this file imports (`es/`), beside the CommonJS one `require` resolves (`cjs/`).
const library = path.join(path.dirname(path.dirname(createRequire(import.meta.url).resolve("@cantoo/pdf-lib"))), "es");
const { default: DecodeStream } = (await import(pathToFileURL(path.join(library, "core/streams/DecodeStream.js")).href)) as {
  default: { prototype: { ensureBuffer(requested: number): Uint8Array; buffer: Uint8Array } };
};
const ensureBuffer = DecodeStream.prototype.ensureBuffer;
DecodeStream.prototype.ensureBuffer = function (this: { buffer: Uint8Array }, requested: number) {
  const before = this.buffer.byteLength;
  // Each growth doubles the buffer: what it asks for is counted before it is given.
  if (requested > before && unpacked + Math.max(requested, 2 * before) - before > MAX_UNPACKED_BYTES) {
    unpacked = MAX_UNPACKED_BYTES + 1;
    throw new Error("the document's streams unpack to more than the limit");
  }
  const buffer = ensureBuffer.call(this, requested);
  unpacked += buffer.byteLength - before;
  return buffer;
};
(PDFParser.prototype as unknown as { maybeRecoverRoot(this: { context: PDFDocument["context"] }): void }).maybeRecoverRoot = function () {
  const root = this.context.lookup(this.context.trailerInfo.Root);
  if (!(root instanceof PDFDict) || root.lookup(PDFName.of("Type")) !== PDFName.of("Catalog")) throw new Error("the trailer names no catalogue");
};

/**
 * The PDF without its metadata; throws where it cannot be read whole (damaged, or encrypted): an
 * object the parser would have to skip could be part of a page.
 */
export async function withoutPdfMetadata(bytes: Uint8Array): Promise<Uint8Array> {
  unpacked = 0;
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true, parseSpeed: ParseSpeeds.Fastest }).catch((err: unknown) => {
    // The parser reports an object it could not read, whatever stopped it: the limit said as such.
    throw unpacked > MAX_UNPACKED_BYTES ? new Error("the document's streams unpack to more than the limit") : err;
  });
  if (doc.getPageCount() === 0) throw new Error("no page found");
  const { context } = doc;
  context.trailerInfo.Info = undefined;
  context.trailerInfo.ID = undefined;
  // Every object the document reaches from its catalogue, each dictionary without its private entries.
  const reached = new Set<string>();
  const todo: (PDFObject | undefined)[] = [context.trailerInfo.Root];
  while (todo.length > 0) {
    const object = todo.pop();
    if (object instanceof PDFRef) {
      if (reached.has(object.tag)) continue;
      reached.add(object.tag);
      todo.push(context.lookup(object));
      continue;
    }
    const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : null;
    if (dict) {
      for (const key of PRIVATE) dict.delete(key);
      const subtype = dict.get(SUBTYPE);
      if (subtype instanceof PDFName && subtype !== WIDGET && dict.has(RECT)) for (const key of ANNOTATION_PRIVATE) dict.delete(key);
      for (const [, value] of dict.entries()) todo.push(value);
    } else if (object instanceof PDFArray) for (const value of object.asArray()) todo.push(value);
  }
  for (const [ref] of context.enumerateIndirectObjects()) if (!reached.has(ref.tag)) context.delete(ref);
  // Without object streams the writing takes time in proportion to the objects (with them, far more).
  return doc.save({ updateFieldAppearances: false, useObjectStreams: false, addDefaultPage: false });
}
