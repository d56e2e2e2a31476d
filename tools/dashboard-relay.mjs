// Used by tools/demo.sh: the browser reaches k6's web dashboard through this relay on 127.0.0.1, so an open tab cannot
// keep k6 running. k6 waits at the end of a run until every dashboard connection closes (when its thresholds pass);
// once k6 has written its dashboard export (K6_WEB_DASHBOARD_EXPORT), the run is over and the relay closes every
// connection, then answers with the exported page.
//   node tools/dashboard-relay.mjs EXPORT_FILE
// prints one line, "relay <port> k6 <port>": where the browser goes, and the K6_WEB_DASHBOARD_PORT to give k6.
import { createServer, request } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';

const HOST = '127.0.0.1';
// A bound on the relay's life whatever happens to the script that started it.
const MAX_LIFETIME_MS = 4 * 60 * 60 * 1000;

const exportFile = process.argv[2];
if (exportFile === undefined) {
  console.error('usage: node tools/dashboard-relay.mjs EXPORT_FILE');
  process.exit(2);
}

/** A port nothing listens on now, for k6's dashboard. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const k6Port = await freePort();
const open = new Set();
let finished = false;

const relay = createServer((req, res) => {
  if (finished) {
    finalPage(res);
    return;
  }
  const upstream = request({ host: HOST, port: k6Port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  const pair = { upstream, res };
  open.add(pair);
  const forget = () => open.delete(pair);
  res.once('close', () => {
    forget();
    upstream.destroy();
  });
  upstream.once('error', () => {
    forget();
    if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' }).end('k6 is not serving its dashboard yet (or any more); reload in a moment.\n');
    else res.destroy();
  });
  req.pipe(upstream);
});

/** After the run: the exported dashboard, whatever was asked for (an EventSource gets no stream and stops). */
function finalPage(res) {
  try {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(exportFile));
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('the run is over; its dashboard export is missing\n');
  }
}

relay.listen(0, HOST, () => {
  console.log(`relay ${relay.address().port} k6 ${k6Port}`);
});

// k6 writes the export when the run ends, before it waits for open connections: then close them all.
const watch = setInterval(() => {
  if (!existsSync(exportFile)) return;
  finished = true;
  clearInterval(watch);
  for (const { upstream, res } of open) {
    upstream.destroy();
    res.destroy();
  }
  open.clear();
}, 250);

const stop = () => {
  clearInterval(watch);
  for (const { upstream, res } of open) {
    upstream.destroy();
    res.destroy();
  }
  relay.close();
  relay.closeAllConnections?.();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, MAX_LIFETIME_MS).unref();
