/**
 * Finds a TCP port a test can give to its own server instance (a private redis-server,
 * say) so parallel test files never collide on a fixed port.
 */
import { createServer } from 'node:net';

/**
 * Binds port 0 on 127.0.0.1, reads the port the OS chose, and closes the socket.
 * Another process could take the port before the caller binds it; the window is tiny
 * and the OS does not hand out a just-freed ephemeral port again right away.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close((error) => {
        if (error !== undefined) reject(error);
        else if (port === undefined) reject(new Error('could not read the bound port'));
        else resolve(port);
      });
    });
  });
}
