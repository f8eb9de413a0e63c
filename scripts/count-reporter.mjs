// node:test reporter for scripts/test.mjs: after every test, a line "@@counts {passed, failed, skipped}"
// (suites excluded). Running totals, because --test-force-exit may end the process before the stream ends.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.type === 'test:fail') counts.failed++;
    else if (event.data.skip || event.data.todo) counts.skipped++;
    else counts.passed++;
    yield `@@counts ${JSON.stringify(counts)}\n`;
  }
}
