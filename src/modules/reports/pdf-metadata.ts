import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, PDFParser, PDFRawStream, PDFRef, PDFStream } from "@cantoo/pdf-lib";

/*
 * A PDF's metadata removed, its pages kept: the document information (author, creator, title,
 * dates), XMP metadata streams, applications' private data (`PieceInfo`), comments' authors, the
 * document's ID, pages' thumbnails and dates, and the EXIF, XMP and comments of photos embedded as
 * JPEG name the person who wrote, scanned or photographed it — for an anonymous report, the
 * reporter. A document with attached files, signatures or JPEG 2000 pictures is kept as received
 * (their names, places and boxes are evidence or cannot be cleaned here), and said so. The document is written anew, with only the objects its pages still reach: an
 * earlier revision's information goes too. Runs in a worker thread of its own for each document
 * (`pdf-metadata-worker.ts`, `evidence.ts`): a large document takes a while to parse.
 *
 * Evidence loses nothing: a document the parser cannot read whole, or reads only by guessing (a
 * catalogue found elsewhere than where the trailer points: an earlier revision's), fails here and
 * is kept as received.
 */

const PRIVATE = [PDFName.of("Metadata"), PDFName.of("PieceInfo"), PDFName.of("LastModified"), PDFName.of("Thumb")];
const TYPE = PDFName.of("Type");
const FILTER = PDFName.of("Filter");
const IMAGE = PDFName.of("Image");
const DCT = PDFName.of("DCTDecode");
/** What a document carries that cannot be cleaned without losing evidence: it is kept as received (and said so). */
const FIELD_TYPE = PDFName.of("FT");
const KEPT = new Set([PDFName.of("EmbeddedFile"), PDFName.of("Sig"), PDFName.of("FileAttachment"), PDFName.of("JPXDecode")]);
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
      for (const key of [TYPE, SUBTYPE, FIELD_TYPE, FILTER]) {
        const value = dict.get(key);
        if (value instanceof PDFName && KEPT.has(value)) throw new Error(`the document holds what is kept as received (${value.asString()})`);
      }
      for (const key of PRIVATE) dict.delete(key);
      // A photo embedded as a JPEG keeps its EXIF (device, place), XMP and comments in the picture's own segments.
      if (object instanceof PDFRawStream && dict.get(SUBTYPE) === IMAGE && dict.has(FILTER)) {
        const filter = dict.get(FILTER);
        const filters = filter instanceof PDFArray ? filter.asArray() : [filter];
        if (filters.includes(DCT)) {
          if (filters.length > 1) throw new Error("a JPEG image packed once more");
          object.contents = jpegWithoutMetadata(object.contents);
        }
      }
      const subtype = dict.get(SUBTYPE);
      if (subtype instanceof PDFName && subtype !== WIDGET && dict.has(RECT)) for (const key of ANNOTATION_PRIVATE) dict.delete(key);
      for (const [, value] of dict.entries()) todo.push(value);
    } else if (object instanceof PDFArray) for (const value of object.asArray()) todo.push(value);
  }
  for (const [ref] of context.enumerateIndirectObjects()) if (!reached.has(ref.tag)) context.delete(ref);
  // Without object streams the writing takes time in proportion to the objects (with them, far more).
  return doc.save({ updateFieldAppearances: false, useObjectStreams: false, addDefaultPage: false });
}

/**
 * A JPEG's picture without its metadata segments: EXIF and XMP (APP1), the other applications'
 * (APP3–APP13, APP15: IPTC among them) and comments (COM). Kept: JFIF (APP0), the colour profile
 * (APP2) and Adobe's colour transform (APP14), which the picture needs to look as it did. Throws
 * where the bytes are no JPEG it can walk (the document is then kept as received).
 */
export function jpegWithoutMetadata(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error("not a JPEG");
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error("a JPEG segment expected");
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // The scan follows: the picture itself, to the end, as it is.
    if (marker === 0xda) {
      kept.push(bytes.subarray(at));
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(bytes.subarray(at, at + 2));
      at += 2;
      continue;
    }
    if (at + 4 > bytes.length) throw new Error("a JPEG segment cut short");
    const end = at + 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
    if (end > bytes.length) throw new Error("a JPEG segment cut short");
    const metadata = marker === 0xe1 || (marker >= 0xe3 && marker <= 0xed) || marker === 0xef || marker === 0xfe;
    if (!metadata) kept.push(bytes.subarray(at, end));
    at = end;
  }
  return Buffer.concat(kept);
}
