// Runs one browser scenario against a fresh server (CTest runs each as its own test):
//   node run.mjs --rollcall PATH --scenario NAME --out DIR
// Exit 0 when the scenario passed; its screenshots are in DIR.

import { Server, launchBrowser } from './harness.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, v, i, all) => (i % 2 === 0 ? [...pairs, [v.replace(/^--/, ''), all[i + 1]]] : pairs), []),
);
for (const required of ['rollcall', 'scenario', 'out']) {
  if (!args[required]) {
    console.error(`--${required} is required`);
    process.exit(2);
  }
}

const scenario = await import(`./${args.scenario}.mjs`);
const server = await Server.start({ binary: args.rollcall, ...(scenario.serverOptions ?? {}) });
const browser = await launchBrowser();
let failed = false;
try {
  await scenario.run({ server, browser, out: args.out });
  console.log(`browser scenario ${args.scenario}: passed`);
} catch (e) {
  failed = true;
  // The server's log first, the failure last: the end of the output is what a reader of a CI log sees.
  console.error(`server log:\n${server.log().slice(-4000)}`);
  console.error(`browser scenario ${args.scenario}: FAILED\n${e.stack ?? e}`);
} finally {
  await browser.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
