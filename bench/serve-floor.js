// The floor for bench/serve.js: a bare node:http server (with node:cluster workers when asked) that reads each request
// body and answers a fixed /v1/authorize-sized JSON reply, doing no other work. What it reaches on a machine is what
// node:http and the loopback cost there; iamsim serve's rate is read against it.
// Usage: node bench/serve-floor.js WORKERS   (prints "listening on http://127.0.0.1:PORT")
import cluster from 'node:cluster';
import { createServer } from 'node:http';

const workers = Number(process.argv[2] ?? '1');
const REPLY = JSON.stringify({
  decision: 'allowed',
  decidedBy: [
    {
      policyId: 'AmazonSageMakerFullAccess',
      policyName: 'AmazonSageMakerFullAccess',
      policyType: 'aws-managed',
      layer: 'identity',
      target: 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess',
      effect: 'Allow',
      index: 30,
      sid: 'AllowPassRoleToSageMaker',
    },
  ],
  missingContextValues: [],
  reasons: ['Allowed: an identity-based policy allows the request.'],
  principalFound: true,
});

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (url) => {
      if (++listening === workers) console.log(`listening on ${url}`);
    });
  }
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers)) w.kill();
    process.exit(0);
  });
} else {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(REPLY))]);
      res.end(REPLY);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}`;
    if (cluster.isWorker) process.send(url);
    else console.log(`listening on ${url}`);
  });
  process.on('SIGTERM', () => process.exit(0));
}
