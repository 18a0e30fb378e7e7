// A server that answers once per connection and then closes it: shows how each load generator
// counts reconnects. Runs in its own process, like everything the bench measures.
import http from 'node:http';

const port = Number(process.env.PORT);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
  res.end('{"color":"red"}');
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
