'use strict';
// bench/agent: node-zklib@1.3.0 reads the same terminal the agent reads (info and the attendance log).
//   node node_zklib_read.js MODULES_DIR PORT
const path = require('path');
const ZKLib = require(path.join(process.argv[2], 'node-zklib'));

async function main() {
    const started = process.hrtime.bigint();
    const zk = new ZKLib('127.0.0.1', Number(process.argv[3]), 60000, undefined);
    await zk.createSocket();
    await zk.getInfo();
    const logs = await zk.getAttendances();
    await zk.disconnect();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(JSON.stringify({ records: logs.data.length, errors: logs.err ? String(logs.err) : null, seconds }));
}

main().catch((e) => {
    console.error(String(e));
    process.exit(1);
});
