// Tiny result collector shared by the check scripts: each check is one counted test.
export function createReport(step) {
  const results = [];
  return {
    record(label, ok, detail = '') {
      results.push({ label, ok, detail });
      const text = detail && !ok ? `\n     ${String(detail).trim().split('\n').slice(0, 40).join('\n     ')}` : '';
      process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${label}${text}\n`);
    },
    finish() {
      const failed = results.filter((r) => !r.ok).length;
      process.stdout.write(`${step} summary: ${results.length - failed} passed, ${failed} failed\n`);
      process.exitCode = failed > 0 ? 1 : 0;
    },
  };
}
