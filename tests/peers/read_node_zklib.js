'use strict';
// node-zklib@1.3.0 reads a terminal: TCP, or UDP when the TCP connect is refused. Usage:
//   node read_node_zklib.js [--realtime] --port P --out FILE [--host H] [--timeout-ms T]
// Writes {peer, transport, info, users, records, errors} or, with --realtime, {peer, transport, event}.

const ZKLib = require('node-zklib');
const { parseArgs, formatLocal, finish, fail, firstEvent } = require('./peer_common');

async function main() {
    const argv = process.argv.slice(2);
    const realtime = argv[0] === '--realtime';
    const args = parseArgs(realtime ? argv.slice(1) : argv);
    // The last argument is the local UDP port; undefined lets the system pick a free one.
    const zk = new ZKLib(args.host, args.port, args.timeoutMs, undefined);
    await zk.createSocket();
    if (realtime) {
        // Only on a connection without an earlier bulk read: a read leaves a data listener that blocks this one.
        const event = await firstEvent((cb) => zk.getRealTimeLogs(cb), args.timeoutMs);
        finish(args.out, {
            peer: 'node-zklib',
            transport: zk.connectionType,
            event: { user_id: String(event.userId), timestamp: formatLocal(event.attTime) },
        });
        return;
    }
    const info = await zk.getInfo();
    const users = await zk.getUsers();
    const logs = await zk.getAttendances();
    await zk.disconnect();
    finish(args.out, {
        peer: 'node-zklib',
        transport: zk.connectionType,
        info,
        users: users.data.map((u) => ({ uid: u.uid, user_id: String(u.userId), name: u.name })),
        records: logs.data.map((r) => ({ user_id: String(r.deviceUserId), timestamp: formatLocal(r.recordTime) })),
        // Chunk timeouts are returned here, not thrown.
        errors: [users.err, logs.err].filter(Boolean).map(String),
    });
}

main().catch(fail);
