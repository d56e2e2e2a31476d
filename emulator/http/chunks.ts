// GET /chunks/{blob_key}/{number}?expires=<unix seconds>: the URLs CreateChunkUrls
// hands out (upstream returns signed Cloud Storage URLs instead).
import type { HttpContext } from './context.js';
import { HttpError, methodNotAllowed, sendBytes } from './respond.js';

export function chunkRoute(context: HttpContext): void {
  if (context.method !== 'GET') throw methodNotAllowed();
  const [blobKey, numberText] = context.params as [string, string];
  const expires = Number(context.query.get('expires') ?? 'NaN');
  if (!Number.isFinite(expires) || expires < Math.floor(Date.now() / 1000)) throw new HttpError(403, 'chunk URL expired');
  const chunk = context.state.blobRefs.get(blobKey)?.chunks.get(Number(numberText));
  if (!chunk) throw new HttpError(404, 'chunk not found');
  sendBytes(context.response, chunk.data);
}
