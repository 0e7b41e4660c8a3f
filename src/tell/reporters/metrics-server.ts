// The HTTP side of `--metrics`: /metrics for Prometheus, a pointer to it at /, 404 elsewhere.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { UsageError } from '../../usage-error.js';
import { oneLine, type Log } from './reporter.js';

const PLAIN_TEXT = 'text/plain; charset=utf-8';

/** Listens on `listen`; a failure to listen is a UsageError that names the address and what to do. */
export async function serveMetrics(listen: { host: string; port: number }, registry: Registry, log: Log): Promise<Server> {
  const server = createServer((req, res) => answer(registry, req, res));
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(listenError(listen, error));
    server.once('error', onError);
    server.listen(listen.port, listen.host, () => {
      server.off('error', onError);
      server.on('error', (error) => log(`metrics: ${oneLine(error.message)}`));
      resolve();
    });
  });
  return server;
}

/** Stops listening and drops the connections still open (a scraper's keep-alive would hold close() otherwise). */
export function stopServing(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function answer(registry: Registry, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: Error) => {
        res.writeHead(500, { 'content-type': PLAIN_TEXT });
        res.end(`error: ${oneLine(error.message)}\n`);
      },
    );
    return;
  }
  if (path === '/') {
    res.writeHead(200, { 'content-type': PLAIN_TEXT });
    res.end('oomscope: Prometheus metrics are at /metrics\n');
    return;
  }
  res.writeHead(404, { 'content-type': PLAIN_TEXT });
  res.end('not found: oomscope serves /metrics\n');
}

function listenError(listen: { host: string; port: number }, error: NodeJS.ErrnoException): UsageError {
  const where = `--metrics ${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
  const code =
    error.code === 'EADDRINUSE' ? 'listen.in-use'
    : error.code === 'EACCES' ? 'listen.no-privilege'
    : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? 'listen.no-address'
    : 'listen.failed';
  return UsageError.of(code, { where, error: error.code ?? error.message });
}
