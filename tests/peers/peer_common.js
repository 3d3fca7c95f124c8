'use strict';
// Shared by the peer scripts: argument parsing, the device's naive time as text, and the result file.
//
// The libraries build JavaScript Dates in the process's local zone from the device's zone-less wall-clock time, so
// the scripts run with TZ=UTC (no daylight-saving gaps) and read the Date back with the local getters.

const fs = require('fs');

function parseArgs(argv) {
    const args = { host: '127.0.0.1', port: 4370, timeoutMs: 30000, out: '' };
    for (let i = 0; i < argv.length; i += 2) {
        const name = argv[i];
        const value = argv[i + 1];
        if (name === '--host') args.host = value;
        else if (name === '--port') args.port = Number(value);
        else if (name === '--timeout-ms') args.timeoutMs = Number(value);
        else if (name === '--out') args.out = value;
        else throw new Error(`unknown argument ${name}`);
    }
    if (!args.out) throw new Error('--out FILE is required');
    return args;
}

function pad(n, width = 2) {
    return String(n).padStart(width, '0');
}

// "YYYY-MM-DD HH:MM:SS" from the Date's local fields, or null for an invalid Date.
function formatLocal(date) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) return null;
    return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
        `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

// The libraries keep timers running after they are done, so the scripts exit explicitly once the result is written.
function finish(out, result) {
    fs.writeFileSync(out, JSON.stringify(result));
    process.exit(0);
}

function fail(err) {
    console.error(`peer failed: ${err && err.stack ? err.stack : JSON.stringify(err)}`);
    process.exit(1);
}

// Waits for the first realtime event, or fails after timeoutMs.
function firstEvent(subscribe, timeoutMs) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no realtime event')), timeoutMs);
        subscribe((event) => {
            clearTimeout(timer);
            resolve(event);
        }).catch(reject);
    });
}

module.exports = { parseArgs, formatLocal, finish, fail, firstEvent };
