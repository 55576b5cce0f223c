/**
 * A thread of the request pool (pool.ts): runs one heavy task at a time —
 * the Access Analyzer custom checks, the simulations and the console's POST
 * requests (console/task.ts, with a ConsoleApi of its own) — with the same
 * library functions the routes would call, and posts back the result or the
 * error (an ApiError's fields). The account model arrives with a task when
 * its version changed; the thread keeps its own Universe of it.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { createUniverse, type Universe } from '../account/query.js';
import { validatePolicy } from '../analyze/validate-policy.js';
import { Iamsim } from '../engine/iamsim.js';
import { type AccessItem, checkAccessNotGranted, checkNoNewAccess, checkNoPublicAccess, NamedDocument, ReasonInputError } from '../reason/index.js';
import { simulatePrincipal } from '../simulate/principal.js';
import { runSimulation } from '../simulate/run.js';
import { ConsoleApi } from './console/api.js';
import { answerConsoleTask, type ConsoleTask } from './console/task.js';
import { deserializeModel } from './model-snapshot.js';
import type { EncodedConsoleAnswer, TaskError, TaskKind, TaskReply, TaskRequest } from './pool-protocol.js';
import { ProtocolError } from '../protocol/errors.js';
import { readSimulateRequest, sourceIn } from './iam/simulate-request.js';

type Input = Record<string, unknown>;
const doc = (i: Input, field: string): NamedDocument => new NamedDocument(String(i[field]), field);

/** The tasks, by kind: each a library call. */
function runner(engine: Iamsim, universe: () => Universe): Record<TaskKind, (i: Input) => unknown> {
  const reason = engine.reason;
  // The console's per-thread state (workflow definitions, parsed uploads, one audit per model), made on first use.
  let consoleApi: ConsoleApi | undefined;
  return {
    // Started with the server: build the model and the console now, so the first request finds them ready.
    warm: () => {
      universe();
      consoleApi ??= new ConsoleApi({ storeModel: universe, reason: () => reason });
      return null;
    },
    console: async (i) => {
      consoleApi ??= new ConsoleApi({ storeModel: universe, reason: () => reason });
      const answer = await answerConsoleTask(consoleApi, i as unknown as ConsoleTask);
      return answer === undefined ? null : ({ status: answer.status, json: new TextEncoder().encode(answer.json) } satisfies EncodedConsoleAnswer);
    },
    'check-no-new-access': (i) =>
      checkNoNewAccess(
        { existingPolicyDocument: doc(i, 'existingPolicyDocument'), newPolicyDocument: doc(i, 'newPolicyDocument'), policyType: String(i['policyType']) },
        reason,
      ),
    'check-access-not-granted': (i) =>
      checkAccessNotGranted({ policyDocument: doc(i, 'policyDocument'), access: i['access'] as AccessItem[], policyType: String(i['policyType']) }, reason),
    'check-no-public-access': (i) => checkNoPublicAccess({ policyDocument: doc(i, 'policyDocument'), resourceType: String(i['resourceType']) }, reason),
    'simulate-custom': (i) => runSimulation(readSimulateRequest(i), { explain: false, memo: engine.memo }),
    'validate-policy': (i) => validatePolicy(i as unknown as Parameters<typeof validatePolicy>[0]),
    'simulate-principal': (i) => {
      const u = universe();
      return simulatePrincipal(u, sourceIn(u, String(i['arn'])), readSimulateRequest(i['fields'] as Input), {
        explain: false,
        policies: engine.policies,
        memo: engine.memo,
      });
    },
  };
}

/** The byte buffers a reply moves rather than copies: a console answer's encoded JSON. */
function transferables(value: unknown): ArrayBuffer[] {
  const json = typeof value === 'object' && value !== null ? (value as { json?: unknown }).json : undefined;
  return json instanceof Uint8Array && json.buffer instanceof ArrayBuffer ? [json.buffer] : [];
}

function errorOf(e: unknown): TaskError {
  if (e instanceof ProtocolError) return { message: e.message, status: e.status, code: e.code, extra: e.extra };
  if (e instanceof ReasonInputError) return { message: e.message, status: 400, code: 'ValidationException', extra: { reason: 'fieldValidationFailed' } };
  return { message: e instanceof Error ? e.message : String(e) };
}

/**
 * How much lower a request thread's scheduling priority is than the event loop's (nice +10): when the machine's cores
 * are busy, the event loop (health probes, cheap requests) runs before the heavy work. Linux keeps a nice value per
 * thread (setpriority(2), NOTES: under NPTL "the nice value is a per-thread attribute", and `who` 0 is the calling
 * thread); elsewhere it would lower the whole process, so it is left alone there.
 */
const THREAD_NICENESS = 10;

function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(Math.min(19, getPriority() + THREAD_NICENESS));
  } catch {
    // Not permitted (a sandbox's seccomp rules): the thread runs at the event loop's priority.
  }
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  lowerThreadPriority();
  // The thread's engine: its caches, memo and reasoner serve every task this thread runs. Tasks sent meanwhile wait
  // in the port until the listener below is added.
  const engine = new Iamsim();
  await engine.reasoning();
  let model: Universe | undefined;
  const tasks = runner(engine, () => {
    if (model === undefined) throw new Error('no account model was sent with the task');
    return model;
  });
  port.on('message', (req: TaskRequest) => {
    void (async () => {
      try {
        if (req.model !== undefined) model = createUniverse(deserializeModel(req.model));
        const value = await tasks[req.kind](req.input as Input);
        port.postMessage({ id: req.id, value } satisfies TaskReply, transferables(value));
      } catch (e) {
        port.postMessage({ id: req.id, error: errorOf(e) } satisfies TaskReply);
      }
    })();
  });
}

void serve();
