'use strict';
// zkteco-js@1.7.2 reads a terminal over TCP (its UDP bulk path is broken, docs/zk-protocol.md §11). Usage:
//   node read_zkteco_js.js [--realtime] --port P --out FILE [--host H] [--timeout-ms T]
// Writes {peer, transport, info, device, users, records, errors} or, with --realtime, {peer, transport, event}.

const Zkteco = require('zkteco-js');
const { parseArgs, formatLocal, finish, fail, firstEvent } = require('./peer_common');

// Option strings keep their NUL and sometimes the "name=" prefix.
const clean = (text) => String(text).replace(/\u0000/g, '').trim();

async function main() {
    const argv = process.argv.slice(2);
    const realtime = argv[0] === '--realtime';
    const args = parseArgs(realtime ? argv.slice(1) : argv);
    const dev = new Zkteco(args.host, args.port, args.timeoutMs, undefined);
    await dev.createSocket();
    if (realtime) {
        const event = await firstEvent((cb) => dev.getRealTimeLogs(cb), args.timeoutMs);
        finish(args.out, {
            peer: 'zkteco-js',
            transport: dev.connectionType,
            event: { user_id: String(event.userId), timestamp: formatLocal(event.attTime) },
        });
        return;
    }
    const info = await dev.getInfo();
    const device = {
        serial: clean(await dev.getSerialNumber()),
        name: clean(await dev.getDeviceName()),
        platform: clean(await dev.getPlatform()),
        firmware: clean(await dev.getFirmware()),
        time: formatLocal(await dev.getTime()),
    };
    const users = await dev.getUsers();
    const logs = await dev.getAttendances();
    await dev.disconnect();
    finish(args.out, {
        peer: 'zkteco-js',
        transport: dev.connectionType,
        info,
        device,
        users: users.data.map((u) => ({ uid: u.uid, user_id: String(u.userId), name: u.name })),
        // record_time is Date.toString() of a local Date.
        records: logs.data.map((r) => ({
            user_id: String(r.user_id),
            timestamp: formatLocal(new Date(r.record_time)),
        })),
        errors: [users.err, logs.err].filter(Boolean).map(String),
    });
}

main().catch(fail);
