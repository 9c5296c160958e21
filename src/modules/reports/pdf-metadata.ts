import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, PDFRef, PDFStream } from "@cantoo/pdf-lib";

/*
 * A PDF's metadata removed, its pages kept: the document information (author, creator, title,
 * dates), XMP metadata streams and applications' private data (`PieceInfo`) name the person who
 * wrote or scanned it — for an anonymous report, the reporter. The document is written anew, with
 * only the objects its pages still reach: an earlier revision's information goes too. Runs in a
 * worker thread (`pdf-metadata-worker.ts`): a large document takes a while to parse.
 */

const PRIVATE = [PDFName.of("Metadata"), PDFName.of("PieceInfo")];

/**
 * The PDF without its metadata; throws where it cannot be read whole (damaged, or encrypted): an
 * object the parser would have to skip could be part of a page, and evidence loses nothing.
 */
export async function withoutPdfMetadata(bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true, parseSpeed: ParseSpeeds.Fastest });
  const { context } = doc;
  context.trailerInfo.Info = undefined;
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
      for (const [, value] of dict.entries()) todo.push(value);
    } else if (object instanceof PDFArray) todo.push(...object.asArray());
  }
  for (const [ref] of context.enumerateIndirectObjects()) if (!reached.has(ref.tag)) context.delete(ref);
  return doc.save({ updateFieldAppearances: false });
}
