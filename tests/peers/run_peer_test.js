'use strict';
// One peer test: starts `rollcall-sim zk` on a free port, runs an npm client library against it in its own
// process, stops the simulator and compares what the library read with what the simulator exported.
//
//   node run_peer_test.js --sim PATH --modules DIR --work DIR --peer node-zklib|zkteco-js --transport tcp|udp
//                         (--users U --records N | --realtime) [--sim-arg ARG]...
//
// Exit 0 when the library read exactly the users and records the simulator holds (or, with --realtime, got an
// event for one of its users). Everything the processes print is kept in the work directory.

const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

// Generous: the simulator may be an ASan build on a busy machine.
const START_TIMEOUT_MS = 60000;
const PEER_TIMEOUT_MS = 300000;
const STOP_TIMEOUT_MS = 60000;
const LIBRARY_TIMEOUT_MS = 30000;
const SERIAL = 'PEERSIM0001';

function parseArgs(argv) {
    const args = { users: 0, records: 0, realtime: false, simArgs: [] };
    for (let i = 0; i < argv.length; ++i) {
        const name = argv[i];
        if (name === '--realtime') {
            args.realtime = true;
            continue;
        }
        const value = argv[++i];
        if (name === '--sim') args.sim = value;
        else if (name === '--modules') args.modules = value;
        else if (name === '--work') args.work = value;
        else if (name === '--peer') args.peer = value;
        else if (name === '--transport') args.transport = value;
        else if (name === '--users') args.users = Number(value);
        else if (name === '--records') args.records = Number(value);
        else if (name === '--sim-arg') args.simArgs.push(value);
        else throw new Error(`unknown argument ${name}`);
    }
    for (const required of ['sim', 'modules', 'work', 'peer', 'transport']) {
        if (!args[required]) throw new Error(`--${required} is required`);
    }
    // The peers are installed from the lockfile before the test run (make test), never during it.
    const stamp = path.join(args.modules, '.rollcall-package-lock.json');
    const lockfile = path.join(__dirname, 'package-lock.json');
    if (!fs.existsSync(stamp) || !fs.readFileSync(stamp).equals(fs.readFileSync(lockfile))) {
        throw new Error(`the npm peers of ${lockfile} are not installed in ${args.modules}: ` +
            'run `make test`, or bash tests/peers/install.sh tests/peers <build>/tests/peers');
    }
    return args;
}

function exitOf(child, timeoutMs, what) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${what} did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
        child.on('exit', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal });
        });
    });
}

// Starts the simulator and resolves with its port once it printed its listening line.
function startSimulator(args, files) {
    const simArgs = ['zk', '--listen', '127.0.0.1:0', '--users', String(args.users), '--records', String(args.records),
        '--serial', SERIAL, '--export', files.records, '--export-users', files.users];
    if (args.transport === 'udp') simArgs.push('--udp-only');
    if (args.realtime) simArgs.push('--live-punch-interval-ms', '100');
    simArgs.push(...args.simArgs);
    const log = fs.openSync(files.simLog, 'w');
    const sim = spawn(args.sim, simArgs, { stdio: ['ignore', 'pipe', log] });
    fs.closeSync(log);
    const started = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the simulator did not start')), START_TIMEOUT_MS);
        const lines = readline.createInterface({ input: sim.stdout });
        lines.once('line', (line) => {
            clearTimeout(timer);
            const match = /^rollcall-sim zk listening on 127\.0\.0\.1:(\d+)$/.exec(line);
            if (match) resolve(Number(match[1]));
            else reject(new Error(`unexpected first line: ${line}`));
        });
        sim.once('exit', (code) => reject(new Error(`the simulator exited with ${code} before listening`)));
    });
    return { sim, started };
}

function readJsonLines(file) {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
}

function firstDifference(actual, expected) {
    const n = Math.max(actual.length, expected.length);
    for (let i = 0; i < n; ++i) {
        if (JSON.stringify(actual[i]) !== JSON.stringify(expected[i])) {
            return `at ${i}: read ${JSON.stringify(actual[i])}, expected ${JSON.stringify(expected[i])}`;
        }
    }
    return null;
}

// What the library must have read, given what the simulator holds. Returns the list of problems.
function compare(args, result, files) {
    const problems = [];
    const expectTransport = args.transport;
    if (result.transport !== expectTransport) {
        problems.push(`connected over ${result.transport}, expected ${expectTransport}`);
    }
    const users = readJsonLines(files.users);
    if (args.realtime) {
        if (!users.some((u) => u.user_id === result.event.user_id)) {
            problems.push(`event for unknown user ${result.event.user_id}`);
        }
        const when = Date.parse(`${result.event.timestamp.replace(' ', 'T')}Z`);
        if (Number.isNaN(when) || Math.abs(when - Date.now()) > 10 * 60 * 1000) {
            problems.push(`event time ${result.event.timestamp} is not the simulator's clock (UTC now)`);
        }
        return problems;
    }
    const records = readJsonLines(files.records);
    if (records.length !== args.records || users.length !== args.users) {
        problems.push(`the export holds ${users.length} users and ${records.length} records`);
    }
    problems.push(...result.errors.map((e) => `library error: ${e}`));
    if (result.info.userCounts !== args.users || result.info.logCounts !== args.records) {
        problems.push(`getInfo counts ${result.info.userCounts} users, ${result.info.logCounts} records`);
    }
    const userDiff = firstDifference(result.users.map((u) => u.user_id), users.map((u) => u.user_id));
    if (userDiff) problems.push(`users differ (${result.users.length} read, ${users.length} held) ${userDiff}`);
    const recordDiff = firstDifference(result.records,
        records.map((r) => ({ user_id: r.user_id, timestamp: r.timestamp })));
    if (recordDiff) {
        problems.push(`records differ (${result.records.length} read, ${records.length} held) ${recordDiff}`);
    }
    if (result.device) {
        if (result.device.serial !== SERIAL) problems.push(`serial number read as ${result.device.serial}`);
        if (!result.device.firmware.startsWith('Ver 6.60')) problems.push(`firmware read as ${result.device.firmware}`);
        const when = Date.parse(`${String(result.device.time).replace(' ', 'T')}Z`);
        if (Number.isNaN(when) || Math.abs(when - Date.now()) > 10 * 60 * 1000) {
            problems.push(`device time ${result.device.time} is not the simulator's clock (UTC now)`);
        }
    }
    return problems;
}

function tail(file, lines = 30) {
    try {
        return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
    } catch (err) {
        return `(${file}: ${err.message})`;
    }
}

async function main() {
    const args = parseArgs(process.argv.slice(2));
    fs.rmSync(args.work, { recursive: true, force: true });
    fs.mkdirSync(args.work, { recursive: true });
    const files = {
        records: path.join(args.work, 'records.jsonl'),
        users: path.join(args.work, 'users.jsonl'),
        result: path.join(args.work, 'peer.json'),
        simLog: path.join(args.work, 'sim.log'),
        peerLog: path.join(args.work, 'peer.log'),
    };
    const what = `${args.peer} over ${args.transport}, ` +
        (args.realtime ? 'realtime event' : `${args.users} users and ${args.records} records`);
    const t0 = Date.now();
    const { sim, started } = startSimulator(args, files);
    const simExit = exitOf(sim, PEER_TIMEOUT_MS + STOP_TIMEOUT_MS + START_TIMEOUT_MS, 'the simulator');
    let problems = [];
    let peerMs = 0;
    try {
        const port = await started;
        const script = path.join(__dirname, args.peer === 'node-zklib' ? 'read_node_zklib.js' : 'read_zkteco_js.js');
        const peerArgs = [script, ...(args.realtime ? ['--realtime'] : []), '--port', String(port), '--out',
            files.result, '--timeout-ms', String(LIBRARY_TIMEOUT_MS)];
        const log = fs.openSync(files.peerLog, 'w');
        const t1 = Date.now();
        // The libraries write error logs into their working directory: keep them in the work directory.
        const peer = spawn(process.execPath, peerArgs, {
            cwd: args.work,
            stdio: ['ignore', log, log],
            env: { ...process.env, TZ: 'UTC', NODE_PATH: args.modules },
        });
        fs.closeSync(log);
        const peerExit = await exitOf(peer, PEER_TIMEOUT_MS, args.peer);
        peerMs = Date.now() - t1;
        if (peerExit.code !== 0) {
            problems.push(`${args.peer} exited with ${peerExit.code ?? peerExit.signal}`);
        }
    } catch (err) {
        problems.push(err.message);
    }
    sim.kill('SIGTERM');
    const stopped = await simExit.catch((err) => ({ code: null, signal: err.message }));
    // A clean stop also proves the ASan build found no leak.
    if (stopped.code !== 0) problems.push(`the simulator exited with ${stopped.code ?? stopped.signal}`);
    if (problems.length === 0) {
        problems = compare(args, JSON.parse(fs.readFileSync(files.result, 'utf8')), files);
    }
    const timing = `peer ${(peerMs / 1000).toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    if (problems.length > 0) {
        console.log(`FAIL ${what} (${timing})`);
        for (const p of problems) console.log(`  ${p}`);
        console.log(`--- simulator log (${files.simLog}):\n${tail(files.simLog)}`);
        console.log(`--- peer log (${files.peerLog}):\n${tail(files.peerLog)}`);
        process.exit(1);
    }
    console.log(`PASS ${what} (${timing})`);
}

main().catch((err) => {
    console.log(`FAIL ${err.stack}`);
    process.exit(1);
});
